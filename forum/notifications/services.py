"""Follows and notifications of the forum, the writes: who follows what, who is told of a new
post, and the emails (immediate or daily digest) with their one-click unsubscribe links. What the
pages and the tasks read is in forum.notifications.selectors; the immediate emails are queued by
forum.notifications.tasks.post_notifications_queue.

Choices made here, so that the pages and the emails can say them plainly:

- The author of a question follows it automatically (unless their preferences say otherwise).
  Replying does not: trainers answer in many threads and would otherwise be flooded; anyone who
  wants the rest of a discussion presses « Suivre ce fil ».
- A follower is notified only while they may read the space (lms.permissions): a learner who
  changed cohort or option stops being notified without anyone deleting their follows.
- The « List-Unsubscribe » header of every forum email stops all forum emails (what a mail
  client's « Se désabonner » button means); the body also offers to stop following only the
  thread or the space. Site notifications continue either way.
"""

from __future__ import annotations

import html as html_lib
import logging
from dataclasses import dataclass
from html.parser import HTMLParser
from itertools import groupby

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.mail import BadHeaderError, EmailMessage, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from forum.enums import EmailMode
from forum.notifications.models import Follow, Notification, NotificationPreference
from forum.notifications.selectors import preference_of
from forum.threads import permissions
from forum.threads.models import Post, Space, Thread

SUBJECT_PREFIX = "[DE Coordinateur CLS] "
UNSUBSCRIBE_SALT = "forum.notifications.unsubscribe"
DIGEST_MAX_ITEMS = 50
EXCERPT_CHARS = 400
DIGEST_EXCERPT_CHARS = 160

logger = logging.getLogger(__name__)


# --- Following -----------------------------------------------------------------------------------


def _require_read(user, space: Space) -> None:
    if not permissions.space_access(user, space).read:
        raise PermissionDenied("Vous ne pouvez pas suivre un espace que vous ne lisez pas.")


@transaction.atomic
def follow_set(*, user, following: bool, thread: Thread | None = None, space: Space | None = None) -> bool:
    """Follow (or stop following) one thread or one space the user may read; idempotent.
    Returns whether the user follows it afterwards."""
    if (thread is None) == (space is None):
        raise ValueError("Exactly one of thread and space.")
    _require_read(user, thread.space if thread is not None else space)
    target = {"thread": thread} if thread is not None else {"space": space}
    if following:
        Follow.objects.get_or_create(user=user, **target)
    else:
        Follow.objects.filter(user=user, **target).delete()
    return following


@transaction.atomic
def preference_update(*, user, email_mode: str, follow_own_threads: bool) -> NotificationPreference:
    """Save how the user wants forum emails; takes effect for the next posts."""
    preference, _ = NotificationPreference.objects.update_or_create(
        user=user, defaults={"email_mode": EmailMode(email_mode), "follow_own_threads": follow_own_threads}
    )
    return preference


# --- New posts -----------------------------------------------------------------------------------


def post_published(post: Post) -> bool:
    """Called by forum.threads.services inside the transaction that creates `post`: the author of
    a new thread follows it (per their preference), then every follower of the thread or of its
    space who may still read the space, except the author, gets one notification. Returns whether
    one of them wants it emailed at once, for the caller to queue the email task
    (forum.notifications.tasks.post_notifications_queue). A bounded number of queries, whatever
    the number of followers."""
    thread = post.thread
    space = thread.space
    author_id = post.author_id
    if not Post.objects.filter(thread_id=thread.pk, pk__lt=post.pk).exists():
        preference = NotificationPreference.objects.filter(user_id=author_id).first()
        if preference is None or preference.follow_own_threads:
            Follow.objects.get_or_create(user_id=author_id, thread=thread)
    follows = Follow.objects.filter(user=OuterRef("pk")).filter(Q(thread_id=thread.pk) | Q(space_id=space.pk))
    recipients = list(
        permissions.space_readers(space)
        .filter(Exists(follows))
        .exclude(pk=author_id)
        .values_list("pk", "forum_preference__email_mode")
    )
    if not recipients:
        return False
    Notification.objects.bulk_create(
        [Notification(user_id=user_id, post=post, created_at=post.created_at) for user_id, _ in recipients]
    )
    return any(mode in (None, EmailMode.IMMEDIATE) for _, mode in recipients)


# --- Read marks and excerpts ---------------------------------------------------------------------


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )


def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of the user as read; returns how many were."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def notifications_mark_read_for_posts(*, user, post_ids) -> int:
    """Mark as read the user's notifications about posts they have just seen (e.g. a thread page)."""
    if not (user and user.is_authenticated):
        return 0
    return Notification.objects.filter(user=user, post_id__in=list(post_ids), read_at__isnull=True).update(
        read_at=timezone.now()
    )


class _TextExtractor(HTMLParser):
    """The text of sanitised post HTML, without the quoted posts (blockquotes)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.quote_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == "blockquote":
            self.quote_depth += 1
        self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag == "blockquote" and self.quote_depth:
            self.quote_depth -= 1
        self.parts.append(" ")

    def handle_data(self, data):
        if not self.quote_depth:
            self.parts.append(data)


def post_excerpt(post: Post, length: int = EXCERPT_CHARS) -> str:
    """The plain text of a post (quotes left out), whitespace collapsed, cut at `length`; empty
    for a deleted or hidden post."""
    if post.deleted_at or post.is_hidden:
        return ""
    parser = _TextExtractor()
    parser.feed(post.html)
    parser.close()
    text = " ".join(html_lib.unescape("".join(parser.parts)).split())
    return Truncator(text).chars(length)


# --- One-click unsubscribe -----------------------------------------------------------------------


@dataclass(frozen=True)
class Unsubscription:
    """What an unsubscribe link stops: following a thread, a space, or all forum emails."""

    user_id: int
    scope: str  # "thread", "space" or "all"
    target_id: int | None = None


SCOPES = ("thread", "space", "all")


def unsubscribe_token(*, user, thread: Thread | None = None, space: Space | None = None) -> str:
    """A signed token (no expiry: an old email's link must still work) for one user and scope."""
    if thread is not None:
        payload = [user.pk, "thread", thread.pk]
    elif space is not None:
        payload = [user.pk, "space", space.pk]
    else:
        payload = [user.pk, "all", None]
    return signing.dumps(payload, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(*, user, thread: Thread | None = None, space: Space | None = None) -> str:
    token = unsubscribe_token(user=user, thread=thread, space=space)
    return settings.SITE_BASE_URL + reverse("forum:unsubscribe", kwargs={"token": token})


def unsubscribe_read(token: str) -> Unsubscription:
    """The unsubscription a token stands for; raises signing.BadSignature if it was tampered with."""
    try:
        user_id, scope, target_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (TypeError, ValueError) as exc:
        raise signing.BadSignature("Malformed token") from exc
    if not isinstance(user_id, int) or scope not in SCOPES:
        raise signing.BadSignature("Malformed token")
    return Unsubscription(user_id=user_id, scope=scope, target_id=target_id)


@transaction.atomic
def unsubscribe_apply(*, unsubscription: Unsubscription) -> None:
    """Stop following the thread or the space, or set the forum emails to « none »; idempotent.
    The signed token is the proof: no sign-in is needed."""
    follows = Follow.objects.filter(user_id=unsubscription.user_id)
    if unsubscription.scope == "thread":
        follows.filter(thread_id=unsubscription.target_id).delete()
    elif unsubscription.scope == "space":
        follows.filter(space_id=unsubscription.target_id).delete()
    else:
        NotificationPreference.objects.update_or_create(
            user_id=unsubscription.user_id, defaults={"email_mode": EmailMode.NONE}
        )


# --- Emails --------------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.SITE_BASE_URL + path


def _email(*, subject: str, body: str, user, connection) -> EmailMessage:
    """A forum email; the subject is kept on one line whatever the thread's title holds."""
    unsubscribe_all = unsubscribe_url(user=user)
    return EmailMessage(
        subject=" ".join((SUBJECT_PREFIX + subject).split()),
        body=body,
        to=[user.email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{unsubscribe_all}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def _immediate(query: QuerySet[Notification]) -> QuerySet[Notification]:
    return query.filter(
        Q(user__forum_preference__isnull=True) | Q(user__forum_preference__email_mode=EmailMode.IMMEDIATE)
    )


def immediate_emails_send(*, post_id: int) -> int:
    """Email each follower in « immediate » mode the new post, once: a notification already emailed
    (or read on the site meanwhile) is skipped, so a retry or a replay sends nothing twice. A post
    hidden or deleted before the task runs is not emailed. A follower whose message cannot be built
    (bad header) is skipped and logged without stopping the others. Returns how many emails went out."""
    post = Post.objects.select_related("author", "thread__space").filter(pk=post_id).first()
    if post is None or post.deleted_at or post.is_hidden or post.thread.is_hidden:
        return 0
    thread, space = post.thread, post.thread.space
    pending = list(
        _immediate(Notification.objects.filter(post=post, emailed_at__isnull=True, read_at__isnull=True))
        .filter(user__in=permissions.space_readers(space))
        .select_related("user")
    )
    if not pending:
        return 0
    thread_followers = set(
        Follow.objects.filter(thread=thread, user_id__in=[n.user_id for n in pending]).values_list(
            "user_id", flat=True
        )
    )
    excerpt = post_excerpt(post)
    sent = 0
    with get_connection() as connection:
        for notification in pending:
            user = notification.user
            via_thread = user.pk in thread_followers
            body = render_to_string(
                "forum/notifications/email_post.txt",
                {
                    "user": user,
                    "post": post,
                    "thread": thread,
                    "space": space,
                    "excerpt": excerpt,
                    "via_thread": via_thread,
                    "link": _absolute(reverse("forum:notification_open", args=[notification.pk])),
                    "unfollow_link": unsubscribe_url(user=user, thread=thread)
                    if via_thread
                    else unsubscribe_url(user=user, space=space),
                    "unsubscribe_all_link": unsubscribe_url(user=user),
                    "preferences_link": _absolute(reverse("forum:notification_preferences")),
                },
            )
            message = _email(
                subject=f"Nouveau message — {Truncator(thread.title).chars(120)}",
                body=body,
                user=user,
                connection=connection,
            )
            with transaction.atomic():
                # Claim the row first: a concurrent run waits on it, then finds it emailed; a failed
                # send rolls the claim back and the task's retry sends it.
                claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
                    emailed_at=timezone.now()
                )
                if not claimed:
                    continue
                try:
                    message.send()
                except BadHeaderError:
                    # This follower's message cannot be built (e.g. a malformed address): a retry
                    # would fail the same way, so it stays claimed and the others are still sent.
                    logger.warning("Forum email not sent (bad header) for notification %s", notification.pk)
                    continue
                sent += 1
    return sent


def digest_send(*, user_id: int, now=None) -> bool:
    """Send the user one email listing their unread, not yet emailed notifications, grouped by
    thread, then mark all their pending notifications emailed; idempotent (a second run finds
    nothing pending). Notifications about spaces the user can no longer read, hidden threads or
    removed posts are marked but not listed. Returns whether an email went out."""
    from lms.models import User

    now = now or timezone.now()
    with transaction.atomic():
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if user is None or preference_of(user).email_mode != EmailMode.DIGEST:
            return False
        pending = list(
            Notification.objects.select_for_update(of=("self",))
            .filter(user=user, emailed_at__isnull=True)
            .select_related("post__author", "post__thread__space")
            .order_by("post__thread__last_post_at", "post__thread_id", "created_at", "pk")
        )
        if not pending:
            return False
        readable = set(permissions.spaces_readable_by(user).values_list("pk", flat=True))
        listed = [
            n
            for n in pending
            if n.read_at is None
            and n.post.thread.space_id in readable
            and not n.post.thread.is_hidden
            and not n.post.is_hidden
            and n.post.deleted_at is None
        ]
        shown = listed[:DIGEST_MAX_ITEMS]
        groups = [
            {
                "thread": thread,
                "items": [
                    {
                        "notification": n,
                        "excerpt": post_excerpt(n.post, DIGEST_EXCERPT_CHARS),
                        "link": _absolute(reverse("forum:notification_open", args=[n.pk])),
                    }
                    for n in items
                ],
            }
            for thread, items in ((t, list(i)) for t, i in groupby(shown, key=lambda n: n.post.thread))
        ]
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
        if not shown:
            return False
        body = render_to_string(
            "forum/notifications/email_digest.txt",
            {
                "user": user,
                "groups": groups,
                "count": len(listed),
                "more": len(listed) - len(shown),
                "notifications_link": _absolute(reverse("forum:notification_list")),
                "preferences_link": _absolute(reverse("forum:notification_preferences")),
                "unsubscribe_all_link": unsubscribe_url(user=user),
            },
        )
        count = len(listed)
        subject = f"Forum : {count} nouveau{'x' if count > 1 else ''} message{'s' if count > 1 else ''}"
        _email(subject=subject, body=body, user=user, connection=None).send()
    return True
