"""Reads on the forum: unread tracking and the attachments a member may open.

A post is unread for a member when it was created after their ThreadVisit.seen_until on its thread
(or they never opened the thread), is not theirs, and is neither deleted nor hidden. Every list
here is one annotated query, whatever the number of threads.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import connection
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from forum.threads import permissions
from forum.threads.models import Post, Space, Thread, ThreadVisit

#: Posts per page of a thread; every link to a post computes its page with this number.
POSTS_PER_PAGE = 50

#: Stands for « never opened »: every post is after it.
NEVER = datetime(1970, 1, 1, tzinfo=UTC)


def _seen_until(user, thread_ref: OuterRef) -> Subquery:
    return Subquery(
        ThreadVisit.objects.filter(user=user, thread=thread_ref).values("seen_until")[:1],
        output_field=DateTimeField(),
    )


def _unread_posts(user, *, thread_ref, after_ref) -> QuerySet[Post]:
    return (
        Post.objects.filter(
            thread=thread_ref,
            created_at__gt=after_ref,
            deleted_at__isnull=True,
            is_hidden=False,
        )
        .exclude(author=user)
        .order_by()
    )


def space_threads(*, space: Space, include_hidden: bool) -> QuerySet[Thread]:
    """The threads of a space, pinned first then by last activity, each with `reply_count`: its
    visible replies (neither hidden nor deleted; the question itself is not a reply). Hidden
    threads are left out unless `include_hidden` (moderators). One query."""
    question = Post.objects.filter(thread=OuterRef("pk")).order_by("created_at", "pk").values("pk")[:1]
    visible_reply = Q(posts__is_hidden=False, posts__deleted_at__isnull=True) & ~Q(
        posts__pk=Subquery(question)
    )
    threads = (
        Thread.objects.filter(space=space)
        .select_related("author")
        .annotate(reply_count=Count("posts", filter=visible_reply))
        .order_by("-is_pinned", "-last_post_at", "-pk")
    )
    return threads if include_hidden else threads.filter(is_hidden=False)


def threads_with_unread(*, threads: QuerySet[Thread], user) -> QuerySet[Thread]:
    """The threads annotated with `seen_until` (None if never opened) and `unread_count`."""
    unread = (
        _unread_posts(
            user,
            thread_ref=OuterRef("pk"),
            after_ref=Coalesce(OuterRef("seen_until"), Value(NEVER), output_field=DateTimeField()),
        )
        .values("thread")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return threads.annotate(seen_until=_seen_until(user, OuterRef("pk"))).annotate(
        unread_count=Coalesce(Subquery(unread, output_field=IntegerField()), 0)
    )


def spaces_with_unread(*, user) -> QuerySet[Space]:
    """The spaces the user may read, each with `thread_count` (visible threads) and
    `unread_thread_count` (visible threads holding at least one unread post), in one query."""
    unread_threads = (
        Thread.objects.filter(space=OuterRef("pk"), is_hidden=False)
        .alias(seen=Coalesce(_seen_until(user, OuterRef("pk")), Value(NEVER), output_field=DateTimeField()))
        .filter(Exists(_unread_posts(user, thread_ref=OuterRef("pk"), after_ref=OuterRef("seen"))))
        .order_by()
        .values("space")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return permissions.spaces_readable_by(user).annotate(
        thread_count=Count("threads", filter=Q(threads__is_hidden=False)),
        unread_thread_count=Coalesce(Subquery(unread_threads, output_field=IntegerField()), 0),
    )


def thread_seen_until(*, thread: Thread, user) -> datetime | None:
    """Up to when the user has read the thread, or None if they never opened it."""
    return ThreadVisit.objects.filter(user=user, thread=thread).values_list("seen_until", flat=True).first()


def thread_first_unread(*, thread: Thread, user) -> Post | None:
    """Where « Premier message non lu » leads: the first unread post; the last post when all are
    read; the first post when the thread was never opened. None for a thread without posts."""
    posts = Post.objects.filter(thread=thread)
    seen = thread_seen_until(thread=thread, user=user)
    if seen is None:
        return posts.order_by("created_at", "pk").first()
    first_unread = _unread_posts(user, thread_ref=thread, after_ref=seen).order_by("created_at", "pk").first()
    return first_unread or posts.order_by("-created_at", "-pk").first()


def thread_visit_record(*, thread: Thread, user, seen_until: datetime) -> None:
    """Move the user's seen_until on the thread forward to `seen_until`, never backwards: one
    upsert, safe when the same member opens two pages at once."""
    table = connection.ops.quote_name(ThreadVisit._meta.db_table)
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    column = connection.ops.quote_name("seen_until")
    sql = (
        f"INSERT INTO {table} (user_id, thread_id, {column}) VALUES (%s, %s, %s) "
        f"ON CONFLICT (user_id, thread_id) DO UPDATE "
        f"SET {column} = {greatest}({table}.{column}, EXCLUDED.{column})"
    )
    value = connection.ops.adapt_datetimefield_value(seen_until)
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, thread.pk, value])


# --- Where a post is in its thread ------------------------------------------------------------------


def post_page(*, post: Post) -> int:
    """The page of its thread (POSTS_PER_PAGE a page, in the thread's order) showing the post."""
    before = Post.objects.filter(thread_id=post.thread_id).filter(
        Q(created_at__lt=post.created_at) | Q(created_at=post.created_at, pk__lt=post.pk)
    )
    return before.count() // POSTS_PER_PAGE + 1


def post_pages(post_ids: list[int]) -> dict[int, int]:
    """post_page for many posts at once, in one query (search results)."""
    if not post_ids:
        return {}
    before = (
        Post.objects.filter(thread_id=OuterRef("thread_id"))
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("thread_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = Post.objects.filter(pk__in=post_ids).annotate(
        before=Coalesce(Subquery(before, output_field=IntegerField()), 0)
    )
    return {pk: n // POSTS_PER_PAGE + 1 for pk, n in rows.values_list("pk", "before")}
