"""Who may choose a thread's answer and who may report a post, composed from the space rule of
forum.threads.permissions; the services ask the same functions before they write."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from forum.enums import ReportStatus
from forum.moderation.models import Report
from forum.threads import permissions
from forum.threads.models import Post, Thread


def can_mark_answer(user, thread: Thread) -> bool:
    """The question's author, a trainer or the pedagogical team choose the answer, among those
    who read the space (a hidden thread only for those who moderate it)."""
    access = permissions.space_access(user, thread.space)
    if not access.read or (thread.is_hidden and not access.moderate):
        return False
    return (
        thread.author_id == user.pk or permissions.is_trainer(user) or permissions.is_pedagogical_team(user)
    )


def report_refusal(*, post: Post, by) -> str | None:
    """Why `by` may not report `post` (a French sentence), or None when they may; a post of a
    space they cannot read is refused by PermissionDenied instead."""
    thread = post.thread
    access = permissions.space_access(by, thread.space)
    if not access.read or (thread.is_hidden and not access.moderate):
        raise PermissionDenied("Vous n'avez pas accès à ce message.")
    if post.author_id == by.pk:
        return "Vous ne pouvez pas signaler votre propre message."
    if post.deleted_at or post.is_hidden or thread.is_hidden:
        return "Ce message n'est plus visible : il n'y a plus rien à signaler."
    if Report.objects.filter(post=post, reporter=by, status=ReportStatus.OPEN).exists():
        return "Vous avez déjà signalé ce message ; la modération ne l'a pas encore examiné."
    return None
