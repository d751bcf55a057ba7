"""Training providers and presential sessions: the rules for saving them, their reminders, and the
small pure helpers other parts of the platform reason with (half-days of a session, iCalendar).

Times are stored in UTC; every statement about a « day » (half-days, the 12-hour daily limit, the
reminder « tomorrow », the Qualiopi date) is made in the session region's own time zone.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_FLOOR, Decimal
from zoneinfo import ZoneInfo

from django.db.models import Case, F, Q, QuerySet, When

from courses.enums import HalfDay
from courses.sessions.models import PresentialSession, TrainingProvider

QUALIOPI_WARNING_DAYS = 60
MAX_HOURS_PER_DAY = Decimal(12)
CENT = Decimal("0.01")
MIDDAY = datetime.time(13, 0)


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


def session_counts(session: PresentialSession) -> bool:
    """Whether the session's hours count: its provider is Qualiopi-certified on every local day of it."""
    return all(session.provider.is_certified_on(day) for day in session_local_days(session))


def session_provider_warning(session: PresentialSession) -> str | None:
    """The warning shown to staff when the session's hours will not count, else None."""
    if session_counts(session):
        return None
    return (
        f"L'organisme « {session.provider.name} » n'a pas de certification Qualiopi valide "
        "à la date de la session : les heures de cette session ne compteront pas pour les apprenant·es."
    )


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
