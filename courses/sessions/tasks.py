"""Scheduled emails about presential sessions and providers (Celery beat runs them daily)."""

import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from courses.sessions import selectors, services
from lms.celery import MAIL_RETRY

logger = logging.getLogger(__name__)


@shared_task(name="courses.session_tasks.qualiopi_expiry_reminders", **MAIL_RETRY)
def qualiopi_expiry_reminders(self) -> int:
    """Tell the pedagogical team about Qualiopi certificates ending within 60 days, once per end date;
    a replay sends nothing. Returns how many providers were reported."""
    with transaction.atomic():
        return services.qualiopi_expiry_send(today=timezone.localdate())


@shared_task(name="courses.session_tasks.session_reminders", **MAIL_RETRY)
def session_reminders(self) -> int:
    """Remind the invited learners of each session that starts tomorrow (local date of its region),
    once per learner; a retry or a replay emails no one twice. A session whose reminder fails is
    logged and the others are still reminded (the next hourly run tries it again). Returns how many
    emails went out."""
    now = timezone.now()
    sent = 0
    for session_id in selectors.sessions_due_for_reminder(now=now):
        try:
            # session_reminder_send commits one learner at a time: no transaction around it.
            sent += services.session_reminder_send(session_id=session_id, now=now)
        except Exception:
            logger.exception("Session reminders failed for session %s", session_id)
    return sent
