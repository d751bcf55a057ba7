"""The staff space for cohorts: ARS staff for their regions, the pedagogical team for all."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from courses.cohorts import exports, permissions, progress, selectors, services
from courses.cohorts.forms import AgreementForm, CohortForm, EnrolForm, ImportForm
from courses.cohorts.imports import ImportFileError
from courses.cohorts.models import Cohort, EnrolmentImport
from courses.hours.models import HoursEntry
from courses.learning import selectors as learning_selectors
from lms.pages import form_page
from lms.security.decorators import body_limit
from lms.uploads import upload_response


def _staff(request):
    if not permissions.can_manage_cohorts(request.user):
        raise PermissionDenied("Cet espace est réservé aux référent·es ARS et à l'équipe pédagogique.")


def _cohort(request, cohort_id) -> Cohort:
    _staff(request)
    return get_object_or_404(
        permissions.cohorts_managed_by(request.user).select_related("region"), pk=cohort_id
    )


@login_required
def cohort_list(request):
    _staff(request)
    cohorts = selectors.cohort_rows_managed(user=request.user)
    return render(request, "courses/cohorts/cohort_list.html", {"cohorts": cohorts})


@login_required
def cohort_form(request, cohort_id=None):
    _staff(request)
    cohort = _cohort(request, cohort_id) if cohort_id else None
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
    cohort = _cohort(request, cohort_id)
    if request.method == "POST":
        if request.POST.get("action") == "reopen":
            services.cohort_reopen(cohort=cohort, by=request.user)
            messages.success(request, f"La promotion « {cohort.name} » est rouverte.")
        else:
            services.cohort_close(cohort=cohort, by=request.user)
            messages.success(request, f"La promotion « {cohort.name} » est clôturée.")
        return redirect("staff:cohort_detail", cohort_id=cohort.pk)
    return render(request, "courses/cohorts/cohort_close.html", {"cohort": cohort})


SORTS = {
    "name": "Nom",
    "elearning": "E-learning",
    "presential": "Présentiel",
    "organisation": "Organisation",
    "modules": "Modules",
    "activity": "Dernière activité",
}


def _progress_filters(request) -> tuple[str, str, str, str]:
    """The sort, status and search of the progress page's query string (unknown values dropped),
    and the same as a query string for the pagination and export links."""
    sort = request.GET.get("tri", "name")
    if sort.removeprefix("-") not in SORTS:
        sort = "name"
    status = request.GET.get("statut", "")
    if status not in progress.LearnerStatus.values:
        status = ""
    query = request.GET.get("q", "").strip()[:100]
    kept = {"q": query, "statut": status, "tri": sort if sort != "name" else ""}
    return sort, status, query, urlencode({k: v for k, v in kept.items() if v})


@login_required
def cohort_detail(request, cohort_id):
    cohort = _cohort(request, cohort_id)
    rows = progress.cohort_progress(cohort=cohort)
    chart = progress.cohort_hours_chart(rows)
    sort, status, query, filters = _progress_filters(request)
    shown = progress.cohort_progress_sort_filter(rows, sort=sort, status=status, query=query)
    page = Paginator(shown, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "courses/cohorts/cohort_detail.html",
        {
            "cohort": cohort,
            "page_obj": page,
            "total": len(rows),
            "chart": chart,
            "sort": sort,
            "status": status,
            "query": query,
            "filters": filters,
            "sorts": SORTS,
            "statuses": progress.LearnerStatus.choices,
            "enrolled": len(rows),
        },
    )


@login_required
def cohort_export(request, cohort_id, fmt):
    cohort = _cohort(request, cohort_id)
    sort, status, query, _ = _progress_filters(request)
    rows = progress.cohort_progress_sort_filter(
        progress.cohort_progress(cohort=cohort), sort=sort, status=status, query=query
    )
    filename = f"progression-{cohort.pk}"
    if fmt == "csv":
        response = HttpResponse(
            exports.cohort_progress_csv(cohort=cohort, rows=rows),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    if fmt == "xlsx":
        response = HttpResponse(
            exports.cohort_progress_xlsx(cohort=cohort, rows=rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    raise Http404


@login_required
def enrol_one(request, cohort_id):
    cohort = _cohort(request, cohort_id)
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
    cohort = _cohort(request, cohort_id)
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
    cohort = _cohort(request, cohort_id)
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


@body_limit(services.AGREEMENT_POLICY.max_bytes + 1024 * 1024)
@login_required
def enrolment_detail(request, enrolment_id):
    _staff(request)
    enrolment = get_object_or_404(
        permissions.enrolments_managed_by(request.user).select_related("user", "cohort__region", "programme"),
        pk=enrolment_id,
    )
    form = AgreementForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "ars_agreement_on": enrolment.ars_agreement_on,
            "employer_agreement_on": enrolment.employer_agreement_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_agreement_record(
                enrolment=enrolment,
                ars_agreement_on=form.cleaned_data["ars_agreement_on"],
                employer_agreement_on=form.cleaned_data["employer_agreement_on"],
                document=form.cleaned_data["document"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "L'accord préalable est enregistré.")
            return redirect("staff:enrolment_detail", enrolment_id=enrolment.pk)
    entries = HoursEntry.objects.filter(enrolment=enrolment).select_related(
        "module", "recorded_by", "lesson", "corrects"
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    learner = learning_selectors.learner_progress(enrolment=enrolment)
    return form_page(
        request,
        "courses/cohorts/enrolment_detail.html",
        {"enrolment": enrolment, "form": form, "page_obj": page, "progress": learner},
    )


@login_required
def agreement_document(request, enrolment_id):
    _staff(request)
    enrolment = get_object_or_404(permissions.enrolments_managed_by(request.user), pk=enrolment_id)
    if not enrolment.agreement_document:
        raise Http404
    return upload_response(
        file=enrolment.agreement_document.open("rb"),
        filename=enrolment.agreement_document_name or f"accord-{enrolment.pk}.pdf",
        content_type="application/pdf",
    )


# --- « Mon espace » of the staff roles (registered with the core in courses/apps.py) ------------


@login_required
def ars_space(request):
    context = {
        "cohorts": selectors.cohort_rows(user=request.user),
        "regions": request.user.regions.all(),
    }
    return render(request, "courses/cohorts/space_ars.html", context)


@login_required
def trainer_space(request):
    return render(request, "courses/cohorts/space_trainer.html", selectors.trainer_space(user=request.user))


@login_required
def pedagogical_space(request):
    return render(
        request,
        "courses/cohorts/space_pedagogical.html",
        selectors.pedagogical_space(user=request.user),
    )
