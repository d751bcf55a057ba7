"""Who marks which mémoire. A marker sees the final version (or its blind copy) and their own grid;
the other marker's grid only once both are submitted. The team assigns markers, names a third one,
sees every grid and releases the agreed mark. The learner sees the agreed mark, the rule applied
and the markers' general comments only once released. ARS staff never see any of it."""

from __future__ import annotations

from django.db.models import QuerySet

from assessments.marking.models import AgreedMark, MarkerAssignment, MarkerRole
from assessments.memoire.models import Memoire
from lms.permissions import is_learner, is_pedagogical_team, is_trainer

SEALED_GRID = (
    "Cette grille est scellée : vous la verrez quand les deux correcteur·rices auront remis la leur."
)


def marker_role(user, memoire: Memoire) -> str | None:
    """The user's role among this mémoire's markers, or None."""
    if not is_trainer(user):
        return None
    return (
        MarkerAssignment.objects.filter(memoire=memoire, marker=user).values_list("role", flat=True).first()
    )


def is_marker(user, memoire: Memoire) -> bool:
    """The user is one of this mémoire's markers (first, second or third)."""
    return is_trainer(user) and MarkerAssignment.objects.filter(memoire=memoire, marker=user).exists()


def is_first_or_second_marker(user, memoire: Memoire) -> bool:
    """The user fills one of the two independent grids of this mémoire."""
    return marker_role(user, memoire) in (MarkerRole.FIRST, MarkerRole.SECOND)


def can_assign_markers(user, memoire: Memoire | None = None) -> bool:
    """Assign markers, name a third one, set a cohort's blind marking: the pedagogical team."""
    return is_pedagogical_team(user)


def can_release(user, memoire: Memoire | None = None) -> bool:
    """Release the agreed mark to the learner: the pedagogical team."""
    return is_pedagogical_team(user)


def can_see_marking(user, memoire: Memoire) -> bool:
    """Open the marking screens of this mémoire (the final version, one's grid, the reconciliation)."""
    return is_pedagogical_team(user) or is_marker(user, memoire)


def memoires_marked_by(user) -> QuerySet[Memoire]:
    """The mémoires this user may open on the marking screens; URLs and lists go through it."""
    if is_pedagogical_team(user):
        return Memoire.objects.all()
    if is_trainer(user):
        return Memoire.objects.filter(marker_assignments__marker=user).distinct()
    return Memoire.objects.none()


def both_grids_submitted(memoire: Memoire) -> bool:
    return (
        MarkerAssignment.objects.filter(
            memoire=memoire, role__in=[MarkerRole.FIRST, MarkerRole.SECOND], grid__submitted_at__isnull=False
        ).count()
        == 2
    )


def can_see_grid(user, assignment: MarkerAssignment, *, both_submitted: bool) -> bool:
    """A marker's grid: its author always; the team once submitted; the mémoire's other markers
    only once both independent grids are submitted (sealed until then)."""
    if assignment.marker_id == getattr(user, "pk", None):
        return is_trainer(user)
    if is_pedagogical_team(user):
        return True
    return both_submitted and is_marker(user, assignment.memoire)


def is_blind_for(user, *, blind: bool) -> bool:
    """The user sees a code instead of the learner's name: a marker when the cohort marks blind."""
    return blind and not is_pedagogical_team(user)


def can_see_released_mark(user, memoire: Memoire, agreed: AgreedMark | None) -> bool:
    """The learner sees their agreed mark once the team has released it."""
    return (
        agreed is not None
        and agreed.released_at is not None
        and is_learner(user)
        and memoire.enrolment.user_id == user.pk
    )
