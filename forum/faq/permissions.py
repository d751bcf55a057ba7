"""Who may add a thread to the FAQ, composed from the space rule of forum.threads.permissions."""

from __future__ import annotations

from forum.threads import permissions
from forum.threads.models import Thread


def can_promote_to_faq(user, thread: Thread) -> bool:
    """« Ajouter à la FAQ » is for trainers and the pedagogical team, on threads they moderate."""
    if not permissions.can_animate_forum(user):
        return False
    return permissions.space_access(user, thread.space).moderate
