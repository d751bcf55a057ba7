"""A soutenance as an iCalendar file (the escaping and folding of courses/sessions/ics.py)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from assessments.soutenance.models import Booking
from courses.sessions.ics import ics_escape, ics_fold


def _utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def booking_ics(booking: Booking, *, link: str, now: datetime.datetime | None = None) -> str:
    """One VEVENT for the booking's slot, times in UTC, lines CRLF-ended and folded. The UID stays
    the same for the mémoire's soutenance, so a changed booking updates the calendar's event."""
    now = now or timezone.now()
    slot = booking.slot
    host = settings.SITE_BASE_URL.split("://")[-1].split("/")[0] or "localhost"
    learner = booking.memoire.enrolment.user.display_name
    location = " — ".join(part for part in (slot.place, slot.video_link) if part)
    description = "\n".join(
        [f"Mémoire : {booking.memoire.title}", f"Apprenant·e : {learner}", f"Jury : {slot.jury.name}", link]
    )
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//EHESP//DE Coordinateur CLS//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:soutenance-{booking.memoire_id}@{host}",
        f"SEQUENCE:{booking.pk}",
        f"DTSTAMP:{_utc(now)}",
        f"DTSTART:{_utc(slot.starts_at)}",
        f"DTEND:{_utc(slot.ends_at)}",
        f"SUMMARY:{ics_escape(f'Soutenance de mémoire — {learner}')}",
        f"LOCATION:{ics_escape(location)}",
        f"DESCRIPTION:{ics_escape(description)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(ics_fold(line) + "\r\n" for line in lines)
