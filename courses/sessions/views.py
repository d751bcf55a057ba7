"""Training providers (pedagogical team), presential sessions (ARS staff for their regions, the team
for all), the staff and learner calendars and the iCalendar download."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from courses.cohorts import permissions as cohorts_permissions
from courses.sessions import ics, selectors, services
from courses.sessions import permissions as sessions_permissions
from courses.sessions.forms import ProviderForm, SessionForm
from courses.sessions.models import PresentialSession, TrainingProvider
from lms import permissions
from lms.models import Region
from lms.pages import form_page

STATUS_BADGES = {
    selectors.QualiopiStatus.VALID: ("success", "Valide"),
    selectors.QualiopiStatus.EXPIRING: ("warning", "Expire dans moins de 60 jours"),
    selectors.QualiopiStatus.EXPIRED: ("error", "Expiré ou pas encore valable"),
    selectors.QualiopiStatus.NONE: ("info", "Aucun certificat"),
}
FORM_FIELD_FOR = {"starts_at": "starts_local", "ends_at": "ends_local"}


def _providers_space(request):
    if not sessions_permissions.can_manage_providers(request.user):
        raise PermissionDenied("Les organismes de formation sont gérés par l'équipe pédagogique.")


def _staff_calendar(request):
    if not (cohorts_permissions.can_manage_cohorts(request.user) or permissions.is_trainer(request.user)):
        raise PermissionDenied(
            "Cet espace est réservé aux référent·es ARS, aux formateur·rices et à l'équipe."
        )


def _visible_session(request, session_id) -> PresentialSession:
    return get_object_or_404(
        sessions_permissions.sessions_visible_to(request.user).select_related("module", "provider", "region"),
        pk=session_id,
    )


@login_required
def provider_list(request):
    _providers_space(request)
    today = timezone.localdate()
    page = Paginator(TrainingProvider.objects.order_by("name"), 50).get_page(request.GET.get("page"))
    for provider in page:
        provider.badge = STATUS_BADGES[selectors.provider_qualiopi_status(provider, today=today)]
    return render(request, "courses/sessions/provider_list.html", {"page_obj": page})


@login_required
def provider_form(request, provider_id=None):
    _providers_space(request)
    provider = get_object_or_404(TrainingProvider, pk=provider_id) if provider_id else TrainingProvider()
    form = ProviderForm(request.POST or None, instance=provider)
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_save(provider=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"L'organisme « {provider.name} » est enregistré.")
            return redirect("sessions:provider_list")
    return form_page(request, "courses/sessions/provider_form.html", {"form": form, "provider": provider})


def _month(value: str) -> tuple[int, int] | None:
    try:
        day = datetime.datetime.strptime(value, "%Y-%m")
    except ValueError:
        return None
    return day.year, day.month


@login_required
def session_list(request):
    _staff_calendar(request)
    queryset = sessions_permissions.sessions_visible_to(request.user).select_related(
        "module", "provider", "region"
    )
    month_text = request.GET.get("mois", "").strip()[:7]
    month = _month(month_text)
    if month:
        queryset = selectors.sessions_in_month(
            queryset, year=month[0], month=month[1], regions=list(Region.objects.all())
        )
    queryset = selectors.sessions_ordered(queryset, now=timezone.now()).prefetch_related("cohorts")
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    for session in page:
        session.counts = selectors.session_counts(session)
    return render(
        request,
        "courses/sessions/session_list.html",
        {
            "page_obj": page,
            "month": month_text if month else "",
            "extra_query": f"&mois={month_text}" if month else "",
            "can_create": permissions.regions_managed_by(request.user).exists(),
        },
    )


def _form_error(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            name = FORM_FIELD_FOR.get(field, field)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def session_form(request, session_id=None):
    if session_id is None:
        if not permissions.regions_managed_by(request.user).exists():
            raise PermissionDenied(
                "Seul·es les référent·es ARS et l'équipe pédagogique programment des sessions."
            )
        session = PresentialSession()
    else:
        session = _visible_session(request, session_id)
        if not sessions_permissions.can_manage_session(request.user, session):
            raise PermissionDenied("Vous ne pouvez pas modifier cette session.")
    form = SessionForm(request.POST or None, user=request.user, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_save(
                session=form.fill(session),
                trainers=form.cleaned_data["trainers"],
                cohorts=form.cleaned_data["cohorts"],
                by=request.user,
            )
        except ValidationError as exc:
            _form_error(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"La session « {session.title} » est enregistrée.")
            warning = selectors.session_provider_warning(session)
            if warning:
                messages.warning(request, warning)
            return redirect("sessions:detail", session_id=session.pk)
    return form_page(request, "courses/sessions/session_form.html", {"form": form, "session": session})


@login_required
def session_detail(request, session_id):
    _staff_calendar(request)
    session = _visible_session(request, session_id)
    return render(
        request,
        "courses/sessions/session_detail.html",
        {
            "session": session,
            "trainers": list(session.trainers.order_by("last_name", "first_name")),
            "cohorts": list(session.cohorts.select_related("region").order_by("name")),
            "half_days": selectors.session_half_days(session),
            "half_day_hours": selectors.half_day_hours(session),
            "last_half_day_hours": selectors.last_half_day_hours(session),
            "warning": selectors.session_provider_warning(session),
            "can_manage": sessions_permissions.can_manage_session(request.user, session),
        },
    )


def _learner(request):
    if not permissions.is_learner(request.user):
        raise PermissionDenied(
            "Ce calendrier est celui des apprenant·es ; le vôtre est dans l'espace de gestion."
        )


@login_required
def learner_calendar(request):
    _learner(request)
    queryset = sessions_permissions.sessions_visible_to(request.user).select_related(
        "module", "provider", "region"
    )
    queryset = selectors.sessions_ordered(queryset, now=timezone.now())
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    for session in page:
        session.counts = selectors.session_counts(session)
    return render(
        request,
        "courses/sessions/learner_calendar.html",
        {"page_obj": page, "not_counted": services.NOT_COUNTED_MESSAGE},
    )


@login_required
def learner_detail(request, session_id):
    _learner(request)
    session = _visible_session(request, session_id)
    return render(
        request,
        "courses/sessions/learner_detail.html",
        {
            "session": session,
            "counts": selectors.session_counts(session),
            "not_counted": services.NOT_COUNTED_MESSAGE,
        },
    )


@login_required
def session_ics(request, session_id):
    session = _visible_session(request, session_id)
    response = HttpResponse(ics.session_ics(session), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.ics"'
    return response
