"""The staff's view of how learners progress: a cohort's progress page and its exports, a learner's
enrolment page (hours ledger, prerequisite agreement), and « Mon espace » of ARS staff, trainers
and the pedagogical team."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from courses.catalogue import hooks as catalogue_hooks
from courses.cohorts import permissions, services
from courses.cohorts.forms import AgreementForm
from courses.hours.models import HoursEntry
from courses.learning import selectors as learning_selectors
from courses.tracking import exports, progress
from courses.tracking import selectors as tracking_selectors
from lms.pages import form_page
from lms.security.decorators import body_limit

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
    cohort = permissions.managed_cohort_or_404(request.user, cohort_id)
    rows = progress.cohort_progress(cohort=cohort)
    chart = progress.cohort_hours_chart(rows)
    sort, status, query, filters = _progress_filters(request)
    shown = progress.cohort_progress_sort_filter(rows, sort=sort, status=status, query=query)
    page = Paginator(shown, 50).get_page(request.GET.get("page"))
    columns = catalogue_hooks.progress_columns(
        "courses_cohort_progress_columns", request=request, cohort=cohort
    )
    return render(
        request,
        "courses/tracking/cohort_detail.html",
        {
            "cohort": cohort,
            "page_obj": page,
            "extra_columns": [column["label"] for column in columns],
            "rows": [
                (row, [column["cells"].get(row.enrolment.pk, "") for column in columns]) for row in page
            ],
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
    cohort = permissions.managed_cohort_or_404(request.user, cohort_id)
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


@body_limit(services.AGREEMENT_POLICY.max_bytes + 1024 * 1024)
@login_required
def enrolment_detail(request, enrolment_id):
    permissions.cohort_staff_or_denied(request.user)
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
        "courses/tracking/enrolment_detail.html",
        {
            "enrolment": enrolment,
            "form": form,
            "page_obj": page,
            "progress": learner,
            "extra_sections": catalogue_hooks.page_sections(
                "courses_enrolment_detail_sections", request=request, enrolment=enrolment
            ),
        },
    )


@login_required
def ars_space(request):
    context = {
        "cohorts": tracking_selectors.cohort_rows(user=request.user),
        "regions": request.user.regions.all(),
    }
    return render(request, "courses/tracking/space_ars.html", context)


@login_required
def trainer_space(request):
    return render(
        request, "courses/tracking/space_trainer.html", tracking_selectors.trainer_space(user=request.user)
    )


@login_required
def pedagogical_space(request):
    return render(
        request,
        "courses/tracking/space_pedagogical.html",
        tracking_selectors.pedagogical_space(user=request.user),
    )
