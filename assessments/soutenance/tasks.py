"""Celery adapters of the soutenance's emails (assessments/soutenance/notices.py)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from assessments.soutenance import notices
from lms.celery import MAIL_RETRY

logger = logging.getLogger(__name__)


@shared_task(name="assessments.soutenance.tasks.send_booking_invitations", **MAIL_RETRY)
def send_booking_invitations(self, *, booking_id: int) -> int:
    return notices.invitations_send(booking_id=booking_id, now=timezone.now())


@shared_task(name="assessments.soutenance.tasks.soutenance_reminders", **MAIL_RETRY)
def soutenance_reminders(self) -> int:
    """Hourly: remind each soutenance of tomorrow (the region's date) once; one failing booking
    does not stop the others (the next run retries it)."""
    now = timezone.now()
    sent = 0
    for booking_id in notices.bookings_due_for_reminder(now=now):
        try:
            sent += notices.reminder_send(booking_id=booking_id, now=now)
        except Exception:
            logger.exception("Soutenance reminder failed for booking %s", booking_id)
    return sent
