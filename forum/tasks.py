"""Celery tasks of the forum: adapters that take ids and call forum.notifications."""

from celery import shared_task

from . import notifications


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_post_notifications(self, *, post_id: int) -> int:
    """Email the new post to its followers in « immediate » mode, each once; a retry or a replay
    sends nothing twice. Returns how many emails went out."""
    return notifications.immediate_emails_send(post_id=post_id)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_daily_digests(self) -> int:
    """Daily (Celery beat): one digest email per member in « digest » mode with something new;
    running it twice sends nothing twice. Returns how many digests went out."""
    return sum(notifications.digest_send(user_id=user_id) for user_id in notifications.digest_recipients())
