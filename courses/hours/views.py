"""In-organisation hours: the learner declares and withdraws, ARS staff validate or refuse; staff
correct a ledger entry.

Every declaration is fetched through permissions.declarations_visible_to, so another learner's or
another region's declaration is « not found »; the rules are in services.py.
"""

from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, Sum
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from courses.catalogue import selectors as catalogue_selectors
from courses.catalogue.models import ModulePage
from courses.cohorts import permissions as cohorts_permissions
from courses.cohorts import selectors as cohorts_selectors
from courses.cohorts.models import Enrolment
from courses.enums import HoursSource
from courses.hours import permissions as hours_permissions
from courses.hours import selectors, services
from courses.hours.forms import DeclarationForm, HoursCorrectionForm, QueueFilterForm, RefusalForm
from courses.hours.models import DeclarationStatus, HoursEntry, OrganisationDeclaration
from lms.pages import form_page
from lms.security.decorators import body_limit
from lms.templatetags.lms_tags import hours as hours_fr
from lms.uploads import upload_response


@login_required
def hours_entry_correct(request, enrolment_id, entry_id):
    """Correct one ledger entry of a learner (signed adjustment or cancellation, with a reason):
    the form, then a confirmation page, then the service writes the correction entry."""
    cohorts_permissions.cohort_staff_or_denied(request.user)
    enrolment = get_object_or_404(
        cohorts_permissions.enrolments_managed_by(request.user).select_related("user", "cohort"),
        pk=enrolment_id,
    )
    entry = get_object_or_404(
        HoursEntry.objects.exclude(source=HoursSource.CORRECTION).select_related("module", "lesson"),
        pk=entry_id,
        enrolment=enrolment,
    )
    corrections = list(entry.corrections.select_related("recorded_by").order_by("recorded_at"))
    net = entry.hours + sum((c.hours for c in corrections), Decimal(0))
    form = HoursCorrectionForm(request.POST or None, net=net)
    confirming = False
    if request.method == "POST" and form.is_valid():
        adjustment = form.cleaned_data["adjustment"]
        if request.POST.get("confirm") != "1":
            confirming = True
        else:
            try:
                services.hours_entry_correct(
                    entry=entry, hours=adjustment, reason=form.cleaned_data["reason"], by=request.user
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "La correction est ajoutée au relevé d'heures.")
                return redirect("staff:enrolment_detail", enrolment_id=enrolment.pk)
    return render(
        request,
        "courses/hours/hours_correct.html",
        {
            "enrolment": enrolment,
            "entry": entry,
            "corrections": corrections,
            "net": net,
            "form": form,
            "confirming": confirming,
            "after": net + form.cleaned_data["adjustment"] if confirming else None,
        },
        status=400 if form.errors else 200,
    )


PAGE_SIZE = 50
FORM_OVERHEAD = 1024 * 1024  # the other fields and the multipart framing, beside the file


def _learner_enrolment(request) -> Enrolment:
    return cohorts_selectors.learner_enrolment_or_denied(request.user)


def _own_declaration(request, declaration_id) -> OrganisationDeclaration:
    enrolment = _learner_enrolment(request)
    return get_object_or_404(
        hours_permissions.declarations_visible_to(request.user)
        .filter(enrolment=enrolment)
        .select_related("module", "enrolment__cohort__region"),
        pk=declaration_id,
    )


def _followed_modules(enrolment: Enrolment):
    modules = catalogue_selectors.programme_modules(programme=enrolment.programme)
    chosen = cohorts_selectors.chosen_option_ids(enrolment=enrolment)
    followed = [m.pk for m in modules if cohorts_permissions.can_follow_module(enrolment, m, chosen)]
    return ModulePage.objects.filter(pk__in=followed).order_by("number", "title")


@login_required
def declaration_list(request):
    enrolment = _learner_enrolment(request)
    mine = hours_permissions.declarations_visible_to(request.user).filter(enrolment=enrolment)
    totals = mine.aggregate(
        validated=Sum("hours", filter=Q(status=DeclarationStatus.VALIDATED)),
        pending=Sum("hours", filter=Q(status=DeclarationStatus.SUBMITTED)),
    )
    rows = mine.select_related("module").order_by("-occurred_on", "-created_at")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "courses/hours/list.html",
        {
            "enrolment": enrolment,
            "page_obj": page,
            "totals": totals,
            "DeclarationStatus": DeclarationStatus,
        },
    )


@body_limit(services.EVIDENCE_POLICY.max_bytes + FORM_OVERHEAD)
@login_required
def declaration_create(request):
    enrolment = _learner_enrolment(request)
    form = DeclarationForm(request.POST or None, request.FILES or None, modules=_followed_modules(enrolment))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            declaration = services.declaration_submit(
                enrolment=enrolment,
                module=data["module"],
                occurred_on=data["occurred_on"],
                hours=data["hours"],
                description=data["description"],
                evidence=data["evidence"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"Votre déclaration de {hours_fr(declaration.hours)} le {declaration.occurred_on:%d/%m/%Y} "
                "est enregistrée : elle attend la validation de votre référent·e ARS.",
            )
            return redirect("declarations:list")
    return form_page(
        request,
        "courses/hours/form.html",
        {"form": form, "enrolment": enrolment, "max_day": services.MAX_HOURS_PER_DAY},
    )


@login_required
def declaration_withdraw(request, declaration_id):
    declaration = _own_declaration(request, declaration_id)
    refusal = services.withdraw_refusal(declaration)
    if refusal:
        messages.error(request, refusal)
        return redirect("declarations:list")
    if request.method == "POST":
        try:
            services.declaration_withdraw(declaration=declaration, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Votre déclaration est retirée : elle ne sera pas examinée.")
        return redirect("declarations:list")
    return render(request, "courses/hours/withdraw.html", {"declaration": declaration})


def _evidence_response(declaration: OrganisationDeclaration) -> FileResponse:
    """Stream the evidence file through a permission-checked view, as the upload gate serves files
    (a sandboxed download under the learner's cleaned file name); never a public media URL."""
    if not declaration.evidence:
        raise Http404("Aucun justificatif.")
    return upload_response(
        file=declaration.evidence.open("rb"),
        filename=declaration.evidence_name or f"justificatif-{declaration.pk}",
        content_type=declaration.evidence_content_type or "application/octet-stream",
    )


@login_required
def evidence_download(request, declaration_id):
    return _evidence_response(_own_declaration(request, declaration_id))


def _reviewable(request, declaration_id) -> OrganisationDeclaration:
    cohorts_permissions.cohort_staff_or_denied(request.user)
    declaration = get_object_or_404(
        hours_permissions.declarations_visible_to(request.user).select_related(
            "enrolment__user", "enrolment__cohort__region", "module", "reviewed_by"
        ),
        pk=declaration_id,
    )
    if not hours_permissions.can_review_declaration(request.user, declaration):
        raise Http404
    return declaration


@login_required
def review_queue(request):
    cohorts_permissions.cohort_staff_or_denied(request.user)
    cohorts = (
        cohorts_permissions.cohorts_visible_to(request.user).select_related("region").order_by("-start_date")
    )
    params = request.GET.copy()
    if "status" not in params:
        params["status"] = DeclarationStatus.SUBMITTED
    form = QueueFilterForm(params, cohorts=cohorts)
    rows = hours_permissions.declarations_visible_to(request.user)
    if form.is_valid():
        if form.cleaned_data["cohort"]:
            rows = rows.filter(enrolment__cohort=form.cleaned_data["cohort"])
        if form.cleaned_data["status"]:
            rows = rows.filter(status=form.cleaned_data["status"])
    else:
        rows = rows.filter(status=DeclarationStatus.SUBMITTED)
    rows = rows.select_related("enrolment__user", "enrolment__cohort", "module").order_by("created_at", "pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = {name: params.get(name, "") for name in ("cohort", "status")}
    extra = "&" + urlencode(kept)
    return render(
        request,
        "courses/hours/queue.html",
        {"form": form, "page_obj": page, "extra_query": extra, "DeclarationStatus": DeclarationStatus},
    )


def _review_context(declaration, form) -> dict:
    day_total = selectors.day_hours(enrolment=declaration.enrolment, day=declaration.occurred_on)
    return {
        "declaration": declaration,
        "form": form,
        "day_total": day_total,
        "DeclarationStatus": DeclarationStatus,
    }


@login_required
def review_evidence(request, declaration_id):
    return _evidence_response(_reviewable(request, declaration_id))


@login_required
def review_detail(request, declaration_id):
    declaration = _reviewable(request, declaration_id)
    return render(request, "courses/hours/review.html", _review_context(declaration, RefusalForm()))


@login_required
@require_POST
def review_validate(request, declaration_id):
    declaration = _reviewable(request, declaration_id)
    try:
        services.declaration_validate(declaration=declaration, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("declarations:review", declaration_id=declaration.pk)
    messages.success(
        request,
        f"Déclaration validée : {hours_fr(declaration.hours)} créditées à "
        f"{declaration.enrolment.user.display_name}.",
    )
    return redirect("declarations:queue")


@login_required
@require_POST
def review_refuse(request, declaration_id):
    declaration = _reviewable(request, declaration_id)
    form = RefusalForm(request.POST)
    if form.is_valid():
        try:
            services.declaration_refuse(
                declaration=declaration, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                messages.error(request, " ".join(exc.messages))
                return redirect("declarations:review", declaration_id=declaration.pk)
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"Déclaration refusée : {declaration.enrolment.user.display_name} "
                "reçoit le motif par e-mail.",
            )
            return redirect("declarations:queue")
    return render(request, "courses/hours/review.html", _review_context(declaration, form), status=400)
