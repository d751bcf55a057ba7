"""Emails of the soutenance: the invitation (with its .ics) to the learner and each jury member
when a slot is booked, and the reminder the day before. Each is sent once: a stamp on the booking
is claimed before sending and released if sending fails, so a retry sends it again."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from assessments.soutenance.ics import booking_ics
from assessments.soutenance.models import Booking, JuryMember
from lms.text import single_line

PREFIX = "[DE Coordinateur CLS] "


def _booking(booking_id: int) -> Booking | None:
    return (
        Booking.objects.active()
        .select_related("slot__jury__cohort__region", "memoire__enrolment__user")
        .filter(pk=booking_id)
        .first()
    )


def _recipients(booking: Booking) -> list[tuple[object, str]]:
    """(user, link) for the learner and each member of the jury, active accounts with an address."""
    learner = booking.memoire.enrolment.user
    jury_link = settings.SITE_BASE_URL + reverse("soutenance:hearing", args=[booking.pk])
    people = [(learner, settings.SITE_BASE_URL + reverse("soutenance:mine"))] + [
        (seat.member, jury_link)
        for seat in JuryMember.objects.select_related("member").filter(jury_id=booking.slot.jury_id)
    ]
    return [(user, link) for user, link in people if user.is_active and user.email]


def _send(booking: Booking, *, subject: str, template: str) -> int:
    zone = ZoneInfo(booking.slot.jury.cohort.region.timezone)
    sent = 0
    for user, link in _recipients(booking):
        context = {
            "recipient": user,
            "booking": booking,
            "starts": booking.slot.starts_at.astimezone(zone),
            "zone": booking.slot.jury.cohort.region.timezone,
            "link": link,
        }
        message = EmailMessage(
            subject=single_line(PREFIX + subject),
            body=render_to_string(template, context),
            to=[user.email],
        )
        message.attach("soutenance.ics", booking_ics(booking, link=link), "text/calendar")
        message.send()
        sent += 1
    return sent


def _claimed(booking_id: int, field: str, now: datetime.datetime) -> bool:
    return bool(
        Booking.objects.active().filter(pk=booking_id, **{f"{field}__isnull": True}).update(**{field: now})
    )


def invitations_send(*, booking_id: int, now: datetime.datetime) -> int:
    """Email the invitation of an active booking once; 0 when already sent or cancelled."""
    booking = _booking(booking_id)
    if booking is None or not _claimed(booking_id, "invitations_sent_at", now):
        return 0
    try:
        return _send(
            booking,
            subject="Votre soutenance de mémoire est programmée",
            template="assessments/soutenance/emails/invitation.txt",
        )
    except Exception:
        Booking.objects.filter(pk=booking_id).update(invitations_sent_at=None)
        raise


def bookings_due_for_reminder(*, now: datetime.datetime) -> list[int]:
    """The active bookings whose soutenance is tomorrow in their region and not reminded yet."""
    rows = (
        Booking.objects.active()
        .filter(
            reminder_sent_at__isnull=True,
            slot__starts_at__gt=now,
            slot__starts_at__lte=now + datetime.timedelta(hours=50),
        )
        .values_list("pk", "slot__starts_at", "slot__jury__cohort__region__timezone")
    )
    due = []
    for pk, starts_at, zone in rows:
        local = ZoneInfo(zone)
        if starts_at.astimezone(local).date() == now.astimezone(local).date() + datetime.timedelta(days=1):
            due.append(pk)
    return due


def reminder_send(*, booking_id: int, now: datetime.datetime) -> int:
    """Remind the learner and the jury of tomorrow's soutenance, once."""
    booking = _booking(booking_id)
    if booking is None:
        return 0
    with transaction.atomic():
        if not _claimed(booking_id, "reminder_sent_at", now):
            return 0
        # Sent inside the transaction: a failure rolls the stamp back and the next run tries again.
        return _send(
            booking,
            subject="Rappel : votre soutenance de mémoire a lieu demain",
            template="assessments/soutenance/emails/reminder.txt",
        )
