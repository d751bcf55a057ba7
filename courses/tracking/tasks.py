"""Celery adapter for the daily drop-out reminders (historical name `courses.tasks.*`)."""

import logging

from celery import shared_task
from django.db import transaction

from courses.tracking import dropout as tracking_dropout

logger = logging.getLogger(__name__)


@shared_task(name="courses.tasks.send_dropout_reminders")
def send_dropout_reminders() -> int:
    """Daily (Celery beat): remind every learner inactive for DROPOUT_INACTIVE_DAYS days, once. A
    reminder that cannot be sent is logged and left unmarked (the next run tries it again); the
    others still go out."""
    sent = 0
    for enrolment_id in tracking_dropout.dropout_candidates():
        try:
            with transaction.atomic():
                sent += tracking_dropout.dropout_reminder_send(enrolment_id=enrolment_id)
        except Exception:
            logger.exception("Drop-out reminder not sent for enrolment %s", enrolment_id)
    return sent
