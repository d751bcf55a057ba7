"""Celery tasks of the forum: adapters that take ids and call forum.notifications, and the one
place that queues them. The dependency runs one way: this module imports the services and
selectors; they never import it back."""

import logging

from celery import shared_task
from django.db import transaction

from forum.notifications import selectors
from forum.notifications import services as notifications
from lms.celery import MAIL_RETRY

logger = logging.getLogger(__name__)
# Both tasks keep the names they had when they lived in forum/tasks.py (CELERY_BEAT_SCHEDULE calls
# the digest by name).


@shared_task(name="forum.tasks.send_post_notifications", **MAIL_RETRY)
def send_post_notifications(self, *, post_id: int) -> int:
    """Email the new post to its followers in « immediate » mode, each once; a retry or a replay
    sends nothing twice. Returns how many emails went out."""
    return notifications.immediate_emails_send(post_id=post_id)


def post_notifications_queue(*, post_id: int) -> None:
    """Queue send_post_notifications for the post once the current transaction commits, so that
    the task never reads uncommitted rows (and nothing is sent for a post rolled back)."""
    transaction.on_commit(lambda: send_post_notifications.delay(post_id=post_id))


@shared_task(name="forum.tasks.send_daily_digests", **MAIL_RETRY)
def send_daily_digests(self) -> int:
    """Daily (Celery beat): one digest email per member in « digest » mode with something new;
    running it twice sends nothing twice. A digest that cannot be sent is logged and its
    notifications stay pending (tomorrow's run tries again); the others still go out. Returns how
    many digests went out."""
    sent = 0
    for user_id in selectors.digest_recipients():
        try:
            sent += notifications.digest_send(user_id=user_id)
        except Exception:
            logger.exception("Forum digest not sent for user %s", user_id)
    return sent
