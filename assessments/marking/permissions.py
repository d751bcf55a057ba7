"""Who marks which mémoire. A marker sees the final version (or its blind copy) and their own grid;
the other marker's grid only once both are submitted."""

from __future__ import annotations

from assessments.marking.models import MarkerAssignment
from assessments.memoire.models import Memoire
from lms.permissions import is_trainer


def is_marker(user, memoire: Memoire) -> bool:
    """The user is one of this mémoire's markers (first, second or third)."""
    return is_trainer(user) and MarkerAssignment.objects.filter(memoire=memoire, marker=user).exists()
