"""A session as an iCalendar file."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from courses.sessions.models import PresentialSession
from lms.text import hours_text


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
            f"Durée comptée : {hours_text(session.hours)} h",
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
