"""Celery adapters for the enrolment invitations (historical names `courses.tasks.*`)."""

import logging

from celery import shared_task
from django.db import transaction

from courses.cohorts import invitations
from lms.celery import MAIL_RETRY

# Task modules of their own features, imported here so that the worker registers their tasks.

logger = logging.getLogger(__name__)


@shared_task(name="courses.tasks.send_invitation", **MAIL_RETRY)
def send_invitation(self, *, enrolment_id: int) -> bool:
    """Send the enrolment invitation once; a retry or a replay after success sends nothing."""
    with transaction.atomic():
        return invitations.invitation_send(enrolment_id=enrolment_id)


@shared_task(name="courses.tasks.send_invitations", **MAIL_RETRY)
def send_invitations(self, *, enrolment_ids: list[int]) -> int:
    """Send the invitations of a bulk import; each is sent once even if the task is retried. One that
    cannot be sent is logged, left not invited, and the others still go out; if the mail server was
    unreachable for some, the task then retries (only those are sent again)."""
    sent = 0
    unreachable: OSError | None = None
    for enrolment_id in enrolment_ids:
        try:
            with transaction.atomic():
                sent += invitations.invitation_send(enrolment_id=enrolment_id)
        except Exception as error:
            logger.exception("Invitation not sent for enrolment %s", enrolment_id)
            if isinstance(error, OSError):
                unreachable = error
    if unreachable is not None:
        raise unreachable
    return sent
