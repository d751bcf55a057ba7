"""Written deliverables: the learner's page and submission; the reviewers' queue « À corriger »
and review page; the permission-checked downloads. Every submission is fetched through
permissions.submissions_visible_to, so another learner's file, or any file for ARS staff, is « not
found »; the rules are in services.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from assessments.deliverables import permissions as deliverable_permissions
from assessments.deliverables import selectors, services
from assessments.deliverables.forms import (
    ReviewerAssignmentForm,
    ReviewerFilterForm,
    ReviewForm,
    SubmissionForm,
)
from assessments.deliverables.models import Deliverable, ReviewerAssignment, Submission
from courses.catalogue.models import ModulePage
from courses.cohorts import permissions as cohorts_permissions
from courses.cohorts import selectors as cohorts_selectors
from courses.cohorts.models import Cohort
from lms.enums import Role
from lms.models import User
from lms.pages import form_page
from lms.security.decorators import body_limit
from lms.uploads import upload_response

PAGE_SIZE = 50
FORM_OVERHEAD = 1024 * 1024


@login_required
def deliverable_list(request):
    enrolment = cohorts_selectors.learner_enrolment_or_denied(request.user)
    unseen = selectors.unseen_reviews(enrolment=enrolment)
    context = {
        "enrolment": enrolment,
        "modules": selectors.learner_deliverables(enrolment=enrolment),
        "unseen": unseen,
    }
    if unseen:
        services.reviews_mark_seen(enrolment=enrolment)
    return render(request, "assessments/deliverables/list.html", context)


@body_limit(services.MAX_SIZE_MB * services.MEGABYTE + FORM_OVERHEAD)
@login_required
def submission_create(request, deliverable_id):
    enrolment = cohorts_selectors.learner_enrolment_or_denied(request.user)
    deliverable = get_object_or_404(Deliverable.objects.select_related("module"), pk=deliverable_id)
    chosen = cohorts_selectors.chosen_option_ids(enrolment=enrolment)
    if not cohorts_permissions.can_follow_module(enrolment, deliverable.module, chosen):
        raise Http404
    form = SubmissionForm(
        request.POST or None,
        request.FILES or None,
        policy=services.deliverable_policy(deliverable),
        formats_label=deliverable.formats_label,
    )
    if request.method == "POST" and form.is_valid():
        try:
            submission = services.submission_create(
                deliverable=deliverable,
                enrolment=enrolment,
                file=form.cleaned_data["file"],
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            late = " Elle est marquée en retard." if submission.is_late else ""
            messages.success(
                request,
                f"Version {submission.version} de « {deliverable.title} » déposée : "
                f"elle attend la correction.{late}",
            )
            return redirect("deliverables:list")
    return form_page(
        request,
        "assessments/deliverables/submit.html",
        {
            "form": form,
            "deliverable": deliverable,
            "due_on": services.due_date_for(deliverable=deliverable, enrolment=enrolment),
        },
    )


def _visible_submission(request, submission_id) -> Submission:
    return get_object_or_404(
        deliverable_permissions.submissions_visible_to(request.user).select_related("review"),
        pk=submission_id,
    )


@login_required
def submission_file(request, submission_id):
    submission = _visible_submission(request, submission_id)
    return upload_response(
        file=submission.file.open("rb"),
        filename=submission.original_name,
        content_type=submission.content_type,
    )


@login_required
def annotated_file(request, submission_id):
    submission = _visible_submission(request, submission_id)
    review = getattr(submission, "review", None)
    if review is None or not review.annotated_file:
        raise Http404("Aucun fichier annoté.")
    return upload_response(
        file=review.annotated_file.open("rb"),
        filename=review.annotated_name,
        content_type=review.annotated_content_type,
    )


def _reviewer_or_denied(user) -> None:
    if not deliverable_permissions.can_review_deliverables(user):
        raise PermissionDenied("« À corriger » est réservé aux formateur·rices et à l'équipe pédagogique.")


@login_required
def review_queue(request):
    _reviewer_or_denied(request.user)
    page = Paginator(selectors.review_queue(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "assessments/deliverables/queue.html", {"page_obj": page, "now": timezone.now()})


@body_limit(services.MAX_SIZE_MB * services.MEGABYTE + FORM_OVERHEAD)
@login_required
def review_detail(request, submission_id):
    _reviewer_or_denied(request.user)
    submission = get_object_or_404(
        deliverable_permissions.submissions_reviewable_by(request.user).select_related(
            "deliverable__module", "enrolment__user", "enrolment__cohort"
        ),
        pk=submission_id,
    )
    form = ReviewForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.submission_review(
                submission=submission,
                decision=form.cleaned_data["decision"],
                feedback=form.cleaned_data["feedback"],
                annotated_file=form.cleaned_data["annotated_file"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"« {submission.deliverable.title} » de {submission.enrolment.user.display_name} : "
                f"décision « {review.get_decision_display().lower()} » enregistrée. "
                "L'apprenant·e est prévenu·e par e-mail.",
            )
            return redirect("deliverables:queue")
    return form_page(
        request,
        "assessments/deliverables/review.html",
        {
            "submission": submission,
            "form": form,
            "history": selectors.submission_history(submission=submission),
            "refusal": services.review_refusal(submission),
        },
    )


# --- reviewer assignments (the pedagogical team) --------------------------------------------------


def _assigner_or_denied(user) -> None:
    if not deliverable_permissions.can_assign_reviewers(user):
        raise PermissionDenied("Seule l'équipe pédagogique désigne les correcteur·rices.")


@login_required
def reviewers(request):
    """Who reviews which module for which cohort, filtered by cohort, and the form to add one."""
    _assigner_or_denied(request.user)
    cohorts = Cohort.objects.select_related("region").order_by("name")
    filter_form = ReviewerFilterForm(request.GET or None, cohorts=cohorts, auto_id="filtre_%s")
    cohort = filter_form.cleaned_data["cohort"] if filter_form.is_valid() else None
    form = ReviewerAssignmentForm(
        request.POST or None,
        initial={"cohort": cohort},
        cohorts=cohorts,
        modules=ModulePage.objects.live().order_by("path"),
        trainers=User.objects.filter(role=Role.TRAINER, is_active=True).order_by("last_name", "first_name"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.reviewer_assign(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"{assignment.trainer.display_name} corrige désormais « {assignment.module.title} » "
                f"pour la promotion « {assignment.cohort.name} ».",
            )
            return redirect(f"{request.path}?cohort={assignment.cohort_id}")
    page = Paginator(selectors.reviewer_assignments(cohort=cohort), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return form_page(
        request,
        "assessments/deliverables/reviewers.html",
        {
            "form": form,
            "filter_form": filter_form,
            "page_obj": page,
            "cohort": cohort,
            "extra_query": f"&cohort={cohort.pk}" if cohort else "",
        },
    )


@login_required
def reviewer_remove(request, assignment_id):
    """A confirmation page, then the removal."""
    _assigner_or_denied(request.user)
    assignment = get_object_or_404(
        ReviewerAssignment.objects.select_related("module", "cohort", "trainer"), pk=assignment_id
    )
    if request.method == "POST":
        services.reviewer_unassign(assignment=assignment, by=request.user)
        messages.success(
            request,
            f"{assignment.trainer.display_name} ne corrige plus « {assignment.module.title} » pour la "
            f"promotion « {assignment.cohort.name} ». Ses décisions déjà prises restent dans l'historique.",
        )
        return redirect(f"{reverse('deliverables:reviewers')}?cohort={assignment.cohort_id}")
    return render(request, "assessments/deliverables/reviewer_remove.html", {"assignment": assignment})
