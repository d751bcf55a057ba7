"""What moderators read: the spaces they moderate, the report queue and its count, the
moderation log and the reasons shown next to hidden content. Nothing here writes."""

from __future__ import annotations

from django.db.models import Count, Min, Prefetch, Q, QuerySet

from forum.enums import ModerationAction, ReportStatus
from forum.moderation.models import ModerationLog, Report
from forum.threads import permissions
from forum.threads.models import Post, Space, Thread


def spaces_moderated_by(user) -> list[Space]:
    """The spaces whose threads the user moderates (threads.permissions.spaces_moderated_by), in order."""
    return list(permissions.spaces_moderated_by(user).order_by("kind", "title"))


def moderation_log_list(*, user, space: Space | None = None) -> QuerySet[ModerationLog]:
    """Moderation acts done in, or on threads now in, a space the user moderates, newest first;
    with `space`, the acts done in that space and the moves into it."""
    moderated = [s.pk for s in spaces_moderated_by(user)]
    entries = ModerationLog.objects.filter(Q(thread__space__in=moderated) | Q(from_space__in=moderated))
    if space is not None:
        entries = entries.filter(Q(from_space=space) | Q(to_space=space))
    return entries.select_related(
        "thread__space", "post__author", "actor", "from_space", "to_space"
    ).order_by("-created_at", "-pk")


def report_queue(*, user) -> QuerySet[Post]:
    """The posts with open reports in the spaces the user moderates, one row per post, the oldest
    report first; each post carries `open_count`, `first_reported_at` and `open_reports`."""
    is_open = Q(reports__status=ReportStatus.OPEN)
    return (
        Post.objects.filter(
            thread__space__in=[s.pk for s in spaces_moderated_by(user)],
            pk__in=Report.objects.filter(status=ReportStatus.OPEN).values("post_id"),
        )
        .annotate(
            open_count=Count("reports", filter=is_open),
            first_reported_at=Min("reports__created_at", filter=is_open),
        )
        .select_related("author", "thread__space")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=Report.objects.filter(status=ReportStatus.OPEN)
                .select_related("reporter")
                .order_by("created_at", "pk"),
                to_attr="open_reports",
            )
        )
        .order_by("first_reported_at", "pk")
    )


def open_report_count(*, user) -> int:
    """How many reports wait in the user's moderation queue (0 for those who moderate nothing)."""
    spaces = [s.pk for s in spaces_moderated_by(user)]
    if not spaces:
        return 0
    return Report.objects.filter(status=ReportStatus.OPEN, post__thread__space__in=spaces).count()


def moderation_reasons(*, thread: Thread, posts) -> dict:
    """The latest reason for hiding the thread and each of the given hidden posts:
    {"thread": ModerationLog | None, "posts": {post_id: ModerationLog}}, in one query."""
    hidden = [p.pk for p in posts if p.is_hidden]
    reasons = {"thread": None, "posts": {}}
    if not (thread.is_hidden or hidden):
        return reasons
    entries = (
        ModerationLog.objects.filter(thread=thread)
        .filter(
            Q(action=ModerationAction.HIDE_THREAD, post__isnull=True)
            | Q(action=ModerationAction.HIDE_POST, post__in=hidden)
        )
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )
    for entry in entries:
        if entry.post_id is None:
            reasons["thread"] = reasons["thread"] or entry
        else:
            reasons["posts"].setdefault(entry.post_id, entry)
    return reasons
