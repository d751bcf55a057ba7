"""Training providers and presential sessions: the rules for saving them, their reminders, and the
small pure helpers other parts of the platform reason with (half-days of a session, iCalendar).

Times are stored in UTC; every statement about a « day » (half-days, the 12-hour daily limit, the
reminder « tomorrow », the Qualiopi date) is made in the session region's own time zone.
"""

from __future__ import annotations

import datetime
import logging
from decimal import ROUND_FLOOR, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Case, F, Q, QuerySet, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from lms import permissions
from lms.enums import Role
from lms.text import single_line

from .models import HalfDay, PresentialSession, SessionReminder, TrainingProvider

QUALIOPI_WARNING_DAYS = 60
MAX_HOURS_PER_DAY = Decimal(12)
CENT = Decimal("0.01")
MIDDAY = datetime.time(13, 0)
#: What a session may no longer change once attendance has been confirmed for it.
LOCKED_AFTER_CONFIRMATION = {
    "starts_at": "Le début",
    "ends_at": "La fin",
    "hours": "Le nombre d'heures",
    "provider_id": "L'organisme",
}
NOT_COUNTED_MESSAGE = (
    "Ces heures ne compteront pas : l'organisme n'a pas de certification Qualiopi valide à cette date."
)

logger = logging.getLogger(__name__)


# --- Time zones ----------------------------------------------------------------------------------


def local_to_utc(value: datetime.datetime, tz_name: str) -> datetime.datetime:
    """A wall-clock time in the zone `tz_name` (naive) as an aware UTC datetime."""
    return value.replace(tzinfo=ZoneInfo(tz_name)).astimezone(datetime.UTC)


def utc_to_local(value: datetime.datetime, tz_name: str) -> datetime.datetime:
    """An aware datetime as the wall-clock time of the zone `tz_name` (aware, in that zone)."""
    return value.astimezone(ZoneInfo(tz_name))


def session_local_days(session: PresentialSession) -> list[datetime.date]:
    """The local calendar days the session touches, in its region's zone (an end at exactly
    midnight does not touch the next day)."""
    start = utc_to_local(session.starts_at, session.region.timezone)
    end = utc_to_local(session.ends_at, session.region.timezone)
    last = end.date() if end.time() != datetime.time(0, 0) else end.date() - datetime.timedelta(days=1)
    last = max(last, start.date())
    return [start.date() + datetime.timedelta(days=n) for n in range((last - start.date()).days + 1)]


# --- Half-days (used by attendance) --------------------------------------------------------------


def session_half_days(session: PresentialSession) -> list[tuple[datetime.date, str]]:
    """The (local day, "am"/"pm") slots the session overlaps in its region's zone, in order: a
    morning is 00:00–13:00 local, an afternoon 13:00–24:00."""
    zone = ZoneInfo(session.region.timezone)
    slots = []
    for day in session_local_days(session):
        midnight = datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=zone)
        midday = datetime.datetime.combine(day, MIDDAY, tzinfo=zone)
        next_midnight = datetime.datetime.combine(
            day + datetime.timedelta(days=1), datetime.time(0, 0), tzinfo=zone
        )
        for half_day, begin, end in (
            (HalfDay.MORNING, midnight, midday),
            (HalfDay.AFTERNOON, midday, next_midnight),
        ):
            if session.starts_at < end and session.ends_at > begin:
                slots.append((day, str(half_day.value)))
    return slots


def half_day_hours_by_slot(session: PresentialSession) -> dict[tuple[datetime.date, str], Decimal]:
    """The hours of each half-day of the session: an equal share rounded down to the quarter hour,
    the last half-day taking the remainder, so that the half-days add up to the session's hours
    (6.5 h over four half-days: 1.5 h, 1.5 h, 1.5 h and 2 h)."""
    slots = session_half_days(session)
    if not slots:
        return {}
    total = Decimal(session.hours)
    base = (total * 4 / len(slots)).to_integral_value(rounding=ROUND_FLOOR) / 4
    shares = {slot: base.quantize(CENT) for slot in slots}
    shares[slots[-1]] = (total - base * (len(slots) - 1)).quantize(CENT)
    return shares


def half_day_hours(
    session: PresentialSession, day: datetime.date | None = None, half_day: str | None = None
) -> Decimal:
    """The hours of the half-day (`day`, `half_day`) of the session (see half_day_hours_by_slot);
    without a half-day, those of a regular half-day (any but the last)."""
    shares = half_day_hours_by_slot(session)
    if not shares:
        return Decimal(session.hours).quantize(CENT)
    if day is not None and (day, half_day) in shares:
        return shares[(day, half_day)]
    return next(iter(shares.values()))


def last_half_day_hours(session: PresentialSession) -> Decimal | None:
    """The hours of the last half-day when they differ from the others' (the remainder), else None."""
    shares = list(half_day_hours_by_slot(session).values())
    return shares[-1] if len(shares) > 1 and shares[-1] != shares[0] else None


# --- Training providers --------------------------------------------------------------------------


class QualiopiStatus:
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    NONE = "none"


def provider_qualiopi_status(provider: TrainingProvider, *, today: datetime.date) -> str:
    """valid, expiring (ends within 60 days), expired (or not yet valid) or none (no certificate)."""
    if not (provider.qualiopi_number and provider.qualiopi_valid_from and provider.qualiopi_valid_until):
        return QualiopiStatus.NONE
    if not provider.is_certified_on(today):
        return QualiopiStatus.EXPIRED
    if provider.qualiopi_valid_until <= today + datetime.timedelta(days=QUALIOPI_WARNING_DAYS):
        return QualiopiStatus.EXPIRING
    return QualiopiStatus.VALID


@transaction.atomic
def provider_save(*, provider: TrainingProvider, by) -> TrainingProvider:
    """Create or update a provider after the model's checks (SIRET key, certificate dates and number).
    A changed end date re-arms the expiry reminder."""
    if not permissions.can_manage_providers(by):
        raise PermissionDenied("Seule l'équipe pédagogique gère les organismes de formation.")
    provider.siret = (provider.siret or "").replace(" ", "")
    provider.full_clean()
    if (
        provider.expiry_reminder_sent_for
        and provider.expiry_reminder_sent_for != provider.qualiopi_valid_until
    ):
        provider.expiry_reminder_sent_for = None
    provider.save()
    return provider


def providers_expiring(*, today: datetime.date) -> QuerySet[TrainingProvider]:
    """Providers whose certificate is valid today and ends within 60 days, not yet reminded for that end."""
    return (
        TrainingProvider.objects.exclude(qualiopi_number="")
        .filter(
            qualiopi_valid_from__lte=today,
            qualiopi_valid_until__gte=today,
            qualiopi_valid_until__lte=today + datetime.timedelta(days=QUALIOPI_WARNING_DAYS),
        )
        .exclude(expiry_reminder_sent_for=F("qualiopi_valid_until"))
    )


def qualiopi_expiry_send(*, today: datetime.date) -> int:
    """Email the pedagogical team once per certificate end date about providers whose Qualiopi
    certificate ends within 60 days; returns how many providers were reported (0 on a replay).
    Each team member gets their own email: one that cannot be sent is logged and the others still
    go out; the reminder is recorded only once someone received it (else the next run tries again).
    Run inside a transaction: the providers are locked while their reminder is recorded."""
    providers = list(providers_expiring(today=today).select_for_update().order_by("qualiopi_valid_until"))
    if not providers:
        return 0
    from lms.models import User

    recipients = list(
        User.objects.filter(role=Role.PEDAGOGICAL_TEAM, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    message = render_to_string(
        "courses/emails/session_qualiopi_expiry.txt",
        {"providers": providers, "link": settings.SITE_BASE_URL + reverse("sessions:provider_list")},
    )
    delivered = 0
    for recipient in recipients:
        try:
            send_mail(
                subject="[DE Coordinateur CLS] Certificats Qualiopi bientôt expirés",
                message=message,
                from_email=None,
                recipient_list=[recipient],
            )
        except Exception:
            logger.exception("Qualiopi expiry reminder not sent to a team member (%s)", recipient)
            continue
        delivered += 1
    if recipients and not delivered:
        return 0
    for provider in providers:
        provider.expiry_reminder_sent_for = provider.qualiopi_valid_until
        provider.save(update_fields=["expiry_reminder_sent_for"])
    return len(providers)


# --- Sessions -------------------------------------------------------------------------------------


def session_counts(session: PresentialSession) -> bool:
    """Whether the session's hours count: its provider is Qualiopi-certified on every local day of it."""
    return all(session.provider.is_certified_on(day) for day in session_local_days(session))


def _hours_text(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}".replace(".", ",")


@transaction.atomic
def session_save(*, session: PresentialSession, trainers, cohorts, by) -> PresentialSession:
    """Create or update a session with its trainers and invited cohorts. Refuses, writing nothing:
    a region the user does not manage, an end not after the start, hours not positive, more hours
    than the session lasts or than 12 h per local day, a place missing for an on-site session,
    a trainer without the trainer role, a cohort of another region (or not managed by the user),
    a new start, end, number of hours or provider once attendance has been confirmed.
    A provider without a valid certificate is allowed (see session_counts)."""
    if (
        session.region_id is None
        or not permissions.regions_managed_by(by).filter(pk=session.region_id).exists()
    ):
        raise PermissionDenied("Vous ne pouvez pas programmer de session dans cette région.")
    stored = None
    if session.pk is not None:
        stored = PresentialSession.objects.select_for_update().get(pk=session.pk)
        if not permissions.can_manage_session(by, stored):
            raise PermissionDenied("Vous ne pouvez pas modifier cette session.")
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if stored is not None and stored.attendances.filter(confirmed_at__isnull=False).exists():
        # Confirmed attendance is in the ledger with these times, hours and provider: changing
        # them would make the ledger and the sheets disagree with the session.
        for name, label in LOCKED_AFTER_CONFIRMATION.items():
            if getattr(session, name) != getattr(stored, name):
                refuse(
                    "provider" if name == "provider_id" else name,
                    f"{label} ne peut plus changer : des présences de cette session sont déjà "
                    "confirmées et créditées dans les relevés d'heures.",
                )

    if not session.title or not session.title.strip():
        refuse("title", "Indiquez l'intitulé de la session.")
    if not session.is_remote and not (session.place or "").strip():
        refuse("place", "Indiquez le lieu de la session, ou cochez « à distance ».")
    if session.starts_at is None or session.ends_at is None:
        refuse("ends_at", "Indiquez le début et la fin de la session.")
    elif session.ends_at <= session.starts_at:
        refuse("ends_at", "La fin de la session doit suivre son début.")
    hours = session.hours
    if hours is None or hours <= 0:
        refuse("hours", "Le nombre d'heures doit être positif.")
    elif hours < Decimal("0.5"):
        refuse("hours", "Une session compte au moins 0,5 heure.")
    elif "ends_at" not in errors:
        lasts = Decimal((session.ends_at - session.starts_at).total_seconds()) / 3600
        days = len(session_local_days(session))
        if hours > lasts:
            refuse(
                "hours",
                f"{_hours_text(hours)} h, c'est plus que la durée de la session "
                f"({_hours_text(lasts.quantize(Decimal('0.01')))} h entre le début et la fin).",
            )
        elif hours > MAX_HOURS_PER_DAY * days:
            refuse(
                "hours",
                f"{_hours_text(hours)} h sur {days} jour(s) : au plus {_hours_text(MAX_HOURS_PER_DAY)} h "
                "de formation par jour sont possibles.",
            )
    trainers = list(trainers)
    if any(t.role != Role.TRAINER or not t.is_active for t in trainers):
        refuse("trainers", "Seul un compte formateur·rice peut animer une session.")
    cohorts = list(cohorts)
    managed = set(permissions.cohorts_managed_by(by).values_list("pk", flat=True))
    for cohort in cohorts:
        if cohort.region_id != session.region_id or cohort.pk not in managed:
            refuse(
                "cohorts",
                f"La promotion « {cohort.name} » n'est pas de la région de la session : "
                "invitez seulement des promotions de cette région.",
            )
    if errors:
        raise ValidationError(errors)
    session.clean_fields(exclude=["checkin_secret", "created_by", "reminder_sent_at", "trainers", "cohorts"])
    if session.pk is None:
        session.created_by = by
    session.save()
    session.trainers.set(trainers)
    session.cohorts.set(cohorts)
    return session


def session_provider_warning(session: PresentialSession) -> str | None:
    """The warning shown to staff when the session's hours will not count, else None."""
    if session_counts(session):
        return None
    return (
        f"L'organisme « {session.provider.name} » n'a pas de certification Qualiopi valide "
        "à la date de la session : les heures de cette session ne compteront pas pour les apprenant·es."
    )


# --- Listing -------------------------------------------------------------------------------------


def sessions_ordered(queryset: QuerySet[PresentialSession], *, now: datetime.datetime):
    """Upcoming and current sessions first, soonest first; then past sessions, latest first."""
    return queryset.annotate(
        is_past=Case(When(ends_at__lt=now, then=1), default=0),
        upcoming_start=Case(When(ends_at__gte=now, then=F("starts_at")), default=None),
    ).order_by("is_past", F("upcoming_start").asc(nulls_last=True), "-starts_at", "pk")


def sessions_in_month(queryset: QuerySet[PresentialSession], *, year: int, month: int, regions):
    """Sessions starting in the given month, the month being read in each session's region zone."""
    condition = Q(pk__in=[])
    first = datetime.datetime(year, month, 1)
    following = datetime.datetime(year + month // 12, month % 12 + 1, 1)
    for region in regions:
        condition |= Q(
            region=region,
            starts_at__gte=local_to_utc(first, region.timezone),
            starts_at__lt=local_to_utc(following, region.timezone),
        )
    return queryset.filter(condition)


# --- iCalendar (RFC 5545) -----------------------------------------------------------------------


def ics_escape(text: str) -> str:
    """A TEXT value: backslashes, semicolons and commas escaped, newlines as \\n."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def ics_fold(line: str, limit: int = 75) -> str:
    """A content line folded so that no physical line exceeds `limit` octets in UTF-8 (continuations
    start with one space, which counts), never splitting a character."""
    parts: list[str] = []
    current = ""
    size = 0
    budget = limit
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > budget:
            parts.append(current)
            current, size, budget = "", 0, limit - 1
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _ics_time(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def session_ics(session: PresentialSession, *, now: datetime.datetime | None = None) -> str:
    """The session as an iCalendar file holding one VEVENT, times in UTC, lines CRLF-ended and folded."""
    now = now or timezone.now()
    host = settings.SITE_BASE_URL.split("://")[-1].split("/")[0] or "localhost"
    location = "À distance" if session.is_remote else session.place
    if session.is_remote and session.place:
        location = f"À distance — {session.place}"
    description = "\n".join(
        [
            f"Module : {session.module.title}",
            f"Organisme : {session.provider.name}",
            f"Durée comptée : {_hours_text(session.hours)} h",
            settings.SITE_BASE_URL + reverse("sessions:learner_detail", args=[session.pk]),
        ]
    )
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//EHESP//DE Coordinateur CLS//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:session-{session.pk}@{host}",
        f"DTSTAMP:{_ics_time(now)}",
        f"DTSTART:{_ics_time(session.starts_at)}",
        f"DTEND:{_ics_time(session.ends_at)}",
        f"SUMMARY:{ics_escape(session.title)}",
        f"LOCATION:{ics_escape(location)}",
        f"DESCRIPTION:{ics_escape(description)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(ics_fold(line) + "\r\n" for line in lines)


# --- Reminders -----------------------------------------------------------------------------------


def sessions_due_for_reminder(*, now: datetime.datetime) -> list[int]:
    """Ids of sessions not yet reminded that start tomorrow in their region's local date."""
    candidates = PresentialSession.objects.filter(
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lt=now + datetime.timedelta(days=3),
    ).select_related("region")
    due = []
    for session in candidates:
        zone = ZoneInfo(session.region.timezone)
        tomorrow = now.astimezone(zone).date() + datetime.timedelta(days=1)
        if session.starts_at.astimezone(zone).date() == tomorrow:
            due.append(session.pk)
    return due


def session_reminder_send(*, session_id: int, now: datetime.datetime) -> int:
    """Email each learner of the invited cohorts about the session of tomorrow, once per learner:
    returns how many were emailed, 0 when the reminder already went out. Each email is recorded in
    its own transaction (a SessionReminder), so a retry after a failure halfway through emails
    only those not reminded yet. An email that cannot be sent (a bad address, the mail server
    refusing it) is logged with the session and the learner, and the others still go out; the
    session is marked done only once everyone is, so the next hourly run tries the failed ones again."""
    session = (
        PresentialSession.objects.select_related("region", "provider", "module")
        .filter(pk=session_id, reminder_sent_at__isnull=True)
        .first()
    )
    if session is None:
        return 0
    from lms.models import User

    learners = list(
        User.objects.filter(role=Role.LEARNER, is_active=True, enrolments__cohort__in=session.cohorts.all())
        .exclude(email="")
        .exclude(pk__in=SessionReminder.objects.filter(session=session).values("user_id"))
        .distinct()
        .order_by("pk")
    )
    counts = session_counts(session)
    link = settings.SITE_BASE_URL + reverse("sessions:learner_detail", args=[session.pk])
    # Titles are stored on one line; a row saved before that rule must not break the header either.
    subject = single_line(f"[DE Coordinateur CLS] Demain : {session.title}")
    sent = failed = 0
    for learner in learners:
        try:
            with transaction.atomic():
                _, created = SessionReminder.objects.get_or_create(
                    session=session, user=learner, defaults={"sent_at": now}
                )
                if not created:
                    continue  # a concurrent run has just reminded this learner
                # Sent inside the transaction: if sending fails, the marker is rolled back and a
                # later run emails this learner again; if it succeeds, the marker commits with it.
                send_mail(
                    subject=subject,
                    message=render_to_string(
                        "courses/emails/session_reminder.txt",
                        {
                            "user": learner,
                            "session": session,
                            "counts": counts,
                            "not_counted": NOT_COUNTED_MESSAGE,
                            "link": link,
                        },
                    ),
                    from_email=None,
                    recipient_list=[learner.email],
                )
        except Exception:
            logger.exception("Session reminder not sent: session %s, learner %s", session.pk, learner.pk)
            failed += 1
            continue
        sent += 1
    if not failed:
        PresentialSession.objects.filter(pk=session.pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now
        )
    return sent
