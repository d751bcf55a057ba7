"""Reads for attendance: half-day slots and their bounds, the sheet of a half-day, the check-in
window's QR token and code."""

from __future__ import annotations

import datetime
import hashlib
import hmac
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from courses.attendance.models import Attendance, Signature
from courses.cohorts.models import Enrolment
from courses.enums import HalfDay
from courses.sessions.models import PresentialSession
from courses.sessions.selectors import MIDDAY, half_day_hours, session_half_days

CHECKIN_OPENS_BEFORE = datetime.timedelta(minutes=30)
TOKEN_LENGTH = 16
CODE_DIGITS = 6


def half_day_label(half_day: str) -> str:
    return "matin" if half_day == HalfDay.MORNING else "après-midi"


def slot_text(day: datetime.date, half_day: str) -> str:
    return f"le {day:%d/%m/%Y} ({half_day_label(half_day)})"


def slot_bounds(session: PresentialSession, day: datetime.date, half_day: str):
    """When the session's half-day begins and ends (aware UTC), clipped to the session's own times."""
    zone = ZoneInfo(session.region.timezone)
    midday = datetime.datetime.combine(day, MIDDAY, tzinfo=zone)
    if half_day == HalfDay.MORNING:
        begin, end = datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=zone), midday
    else:
        begin = midday
        end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(0, 0), tzinfo=zone)
    return max(begin, session.starts_at).astimezone(datetime.UTC), min(end, session.ends_at).astimezone(
        datetime.UTC
    )


def current_half_day(session: PresentialSession, now: datetime.datetime) -> tuple[datetime.date, str] | None:
    """The half-day a check-in made at `now` belongs to: the first one in the 30 minutes before the
    start, the running one during the session, None outside the check-in window."""
    if not (session.starts_at - CHECKIN_OPENS_BEFORE <= now <= session.ends_at):
        return None
    slots = session_half_days(session)
    if now < session.starts_at:
        return slots[0]
    local = now.astimezone(ZoneInfo(session.region.timezone))
    slot = (local.date(), HalfDay.MORNING.value if local.time() < MIDDAY else HalfDay.AFTERNOON.value)
    return slot if slot in slots else slots[-1]


def sheet_enrolments(*, session: PresentialSession, day: datetime.date, half_day: str) -> QuerySet[Enrolment]:
    """Enrolments listed on the half-day's sheet: invited cohorts, enrolled before the half-day ended."""
    _, end = slot_bounds(session, day, half_day)
    return (
        Enrolment.objects.filter(cohort__sessions=session, created_at__lte=end)
        .select_related("user", "cohort")
        .order_by("user__last_name", "user__first_name", "pk")
    )


@dataclass
class SheetRow:
    enrolment: Enrolment
    attendance: Attendance | None
    signed: bool

    @property
    def user(self):
        return self.enrolment.user


@dataclass
class Sheet:
    session: PresentialSession
    day: datetime.date
    half_day: str
    half_day_hours: Decimal
    rows: list[SheetRow]
    trainer_signer_ids: set[int] = field(default_factory=set)

    @property
    def confirmed(self) -> Attendance | None:
        return next((r.attendance for r in self.rows if r.attendance and r.attendance.confirmed_at), None)

    @property
    def marked(self) -> int:
        return sum(1 for r in self.rows if r.attendance)

    @property
    def unmarked(self) -> int:
        return len(self.rows) - self.marked

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.attendance and r.attendance.status == status)


def attendance_sheet(*, session: PresentialSession, day: datetime.date, half_day: str) -> Sheet:
    """The half-day's sheet, one row per listed learner with their mark and whether they signed; a
    fixed number of queries whatever the number of learners."""
    enrolments = list(sheet_enrolments(session=session, day=day, half_day=half_day))
    attendances = {
        a.enrolment_id: a
        for a in Attendance.objects.filter(session=session, day=day, half_day=half_day).select_related(
            "confirmed_by"
        )
    }
    signers = set(
        Signature.objects.filter(session=session, day=day, half_day=half_day).values_list(
            "signer_id", flat=True
        )
    )
    rows = [SheetRow(e, attendances.get(e.pk), e.user_id in signers) for e in enrolments]
    return Sheet(session, day, half_day, half_day_hours(session, day, half_day), rows, signers)


def checkin_window(now: datetime.datetime) -> int:
    """The minute the token belongs to: it changes every minute."""
    return int(now.timestamp() // 60)


def _digest(session: PresentialSession, window: int) -> str:
    message = f"{session.pk}:{window}".encode()
    return hmac.new(session.checkin_secret.encode(), message, hashlib.sha256).hexdigest()


def checkin_token(session: PresentialSession, window: int) -> str:
    return _digest(session, window)[:TOKEN_LENGTH]


def checkin_code(session: PresentialSession, window: int) -> str:
    """A short code derived from the same HMAC (from its last bits, not from the token's)."""
    return f"{int(_digest(session, window)[-12:], 16) % 10**CODE_DIGITS:0{CODE_DIGITS}d}"


def _windows(now: datetime.datetime) -> tuple[int, int]:
    window = checkin_window(now)
    return window, window - 1


def checkin_token_valid(session: PresentialSession, token: str, now: datetime.datetime) -> bool:
    """The token of this minute or of the previous one."""
    return any(hmac.compare_digest(checkin_token(session, w), token or "") for w in _windows(now))


def checkin_code_valid(session: PresentialSession, code: str, now: datetime.datetime) -> bool:
    code = (code or "").strip().replace(" ", "")
    return any(hmac.compare_digest(checkin_code(session, w), code) for w in _windows(now))


def window_message(session: PresentialSession) -> str:
    start = session.starts_at.astimezone(ZoneInfo(session.region.timezone))
    opens = start - CHECKIN_OPENS_BEFORE
    end = session.ends_at.astimezone(ZoneInfo(session.region.timezone))
    return (
        "L'émargement n'est ouvert que pendant la session : "
        f"du {opens:%d/%m/%Y à %H:%M} au {end:%d/%m/%Y à %H:%M} (heure locale)."
    )
