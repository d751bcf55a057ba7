"""The staff space for cohorts: ARS staff for their regions, the pedagogical team for all."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from courses.cohorts import permissions, selectors, services
from courses.cohorts.forms import CohortForm, EnrolForm, ImportForm
from courses.cohorts.imports import ImportFileError
from courses.cohorts.models import Cohort, EnrolmentImport
from lms.pages import form_page
from lms.security.decorators import body_limit
from lms.uploads import upload_response


@login_required
def cohort_list(request):
    permissions.cohort_staff_or_denied(request.user)
    cohorts = selectors.cohort_rows_managed(user=request.user)
    return render(request, "courses/cohorts/cohort_list.html", {"cohorts": cohorts})


@login_required
def cohort_form(request, cohort_id=None):
    permissions.cohort_staff_or_denied(request.user)
    cohort = permissions.managed_cohort_or_404(request.user, cohort_id) if cohort_id else None
    if cohort is None:
        from courses.catalogue.models import ProgrammePage

        programme = ProgrammePage.objects.live().first()
        if programme is None:
            raise Http404("Aucun programme publié.")
        cohort = Cohort(programme=programme)
    form = CohortForm(request.POST or None, instance=cohort, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.cohort_save(cohort=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"La promotion « {cohort.name} » est enregistrée.")
            return redirect("staff:cohort_detail", cohort_id=cohort.pk)
    return form_page(request, "courses/cohorts/cohort_form.html", {"form": form, "cohort": cohort})


@login_required
def cohort_close(request, cohort_id):
    cohort = permissions.managed_cohort_or_404(request.user, cohort_id)
    if request.method == "POST":
        if request.POST.get("action") == "reopen":
            services.cohort_reopen(cohort=cohort, by=request.user)
            messages.success(request, f"La promotion « {cohort.name} » est rouverte.")
        else:
            services.cohort_close(cohort=cohort, by=request.user)
            messages.success(request, f"La promotion « {cohort.name} » est clôturée.")
        return redirect("staff:cohort_detail", cohort_id=cohort.pk)
    return render(request, "courses/cohorts/cohort_close.html", {"cohort": cohort})


@login_required
def enrol_one(request, cohort_id):
    cohort = permissions.managed_cohort_or_404(request.user, cohort_id)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.enrolment_enrol(
                cohort=cohort, request=services.EnrolmentRequest(**form.cleaned_data), by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, f"{enrolment.user.display_name} est inscrit·e ; l'invitation part par e-mail."
            )
            return redirect("staff:cohort_detail", cohort_id=cohort.pk)
    return form_page(request, "courses/cohorts/enrol_form.html", {"form": form, "cohort": cohort})


@body_limit(3 * 1024 * 1024)  # a 2 MB spreadsheet, the form and the multipart framing
@login_required
def import_upload(request, cohort_id):
    cohort = permissions.managed_cohort_or_404(request.user, cohort_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.enrolment_import_create(
                cohort=cohort, filename=upload.name, content=upload, by=request.user
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("staff:import_preview", cohort_id=cohort.pk, import_id=batch.pk)
    return form_page(request, "courses/cohorts/import_upload.html", {"form": form, "cohort": cohort})


@login_required
def import_preview(request, cohort_id, import_id):
    cohort = permissions.managed_cohort_or_404(request.user, cohort_id)
    batch = get_object_or_404(EnrolmentImport, pk=import_id, cohort=cohort)
    if request.method == "POST":
        try:
            result = services.enrolment_import_confirm(batch=batch, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                f"Import terminé : {result['created']} compte(s) créé(s), {result['existing']} compte(s) "
                f"existant(s) inscrit(s), {result['skipped']} ligne(s) non importée(s).",
            )
            return redirect("staff:cohort_detail", cohort_id=cohort.pk)
    if batch.confirmed_at is not None:
        preview = services.enrolment_import_outcome(batch)
    else:
        preview = services.enrolment_preview(
            cohort=cohort, lines=services.import_lines(batch), by=request.user
        )
    counts = {
        "create": sum(1 for line in preview if line.action == "create"),
        "enrol_existing": sum(1 for line in preview if line.action == "enrol_existing"),
        "error": sum(1 for line in preview if line.action == "error"),
    }
    return render(
        request,
        "courses/cohorts/import_preview.html",
        {"cohort": cohort, "batch": batch, "preview": preview, "counts": counts},
    )


@login_required
def agreement_document(request, enrolment_id):
    permissions.cohort_staff_or_denied(request.user)
    enrolment = get_object_or_404(permissions.enrolments_managed_by(request.user), pk=enrolment_id)
    if not enrolment.agreement_document:
        raise Http404
    return upload_response(
        file=enrolment.agreement_document.open("rb"),
        filename=enrolment.agreement_document_name or f"accord-{enrolment.pk}.pdf",
        content_type="application/pdf",
    )


# --- « Mon espace » of the staff roles (registered with the core in courses/apps.py) ------------
