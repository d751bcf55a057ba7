"""Which attachment a member may open."""

from __future__ import annotations

from forum.attachments.models import Attachment
from forum.threads import permissions


def attachment_readable(*, user, pk: int) -> Attachment | None:
    """The attachment if the user may open it, else None: they read its space and, unless they
    moderate it, neither its post nor its thread is deleted or hidden."""
    attachment = (
        Attachment.objects.select_related("post__thread__space")
        .filter(pk=pk, post__thread__space__in=permissions.spaces_readable_by(user))
        .first()
    )
    if attachment is None:
        return None
    post = attachment.post
    access = permissions.space_access(user, post.thread.space)
    if not access.read:
        return None
    if not access.moderate and (post.deleted_at or post.is_hidden or post.thread.is_hidden):
        return None
    return attachment
