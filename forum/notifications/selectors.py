"""What the notification pages, the header and the Celery tasks read: a member's preference,
their notifications and unread count, and who is due a digest. Nothing here writes."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from forum.enums import EmailMode
from forum.notifications.models import Notification, NotificationPreference
from forum.threads import permissions


def preference_of(user) -> NotificationPreference:
    """The user's preference, or an unsaved one holding the defaults."""
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)


def notifications_visible_to(user) -> QuerySet[Notification]:
    """The user's notifications about spaces they may still read, threads not hidden and posts
    neither hidden nor deleted: the list, the count in the header and the links all go through
    this scope."""
    if not (user and user.is_authenticated):
        return Notification.objects.none()
    return Notification.objects.filter(
        user=user,
        post__thread__space__in=permissions.spaces_readable_by(user),
        post__thread__is_hidden=False,
        post__is_hidden=False,
        post__deleted_at__isnull=True,
    )


def unread_count(user) -> int:
    return notifications_visible_to(user).filter(read_at__isnull=True).count()


def unread_count_for(request) -> int:
    """unread_count of the signed-in user, counted once per request (header and page share it)."""
    if not hasattr(request, "_forum_unread_count"):
        request._forum_unread_count = unread_count(request.user)
    return request._forum_unread_count


def digest_recipients() -> list[int]:
    """Users in « digest » mode with notifications not emailed yet."""
    pending = Notification.objects.filter(user=OuterRef("user_id"), emailed_at__isnull=True)
    return list(
        NotificationPreference.objects.filter(email_mode=EmailMode.DIGEST, user__is_active=True)
        .filter(Exists(pending))
        .values_list("user_id", flat=True)
    )
