"""Who sees a mémoire's similarity report and decides its flag. The team sees every report and
decides; the mémoire's markers see its report, with the other documents named without their
authors; nobody else does: not the learner, not the tutor as such, not other trainers, never ARS
staff."""

from __future__ import annotations

from assessments.marking.permissions import is_marker
from assessments.memoire.models import Memoire
from assessments.memoire.permissions import can_view_memoire
from lms.permissions import is_pedagogical_team


def can_view_report(user, memoire: Memoire) -> bool:
    """Read the report: the share, the passages side by side."""
    return is_pedagogical_team(user) or is_marker(user, memoire)


def can_see_names(user) -> bool:
    """The report names the other documents' authors for the team only."""
    return is_pedagogical_team(user)


def can_decide_flag(user, memoire: Memoire) -> bool:
    """Clear or confirm a flag, re-run a failed check: the pedagogical team."""
    return is_pedagogical_team(user)


def can_see_flags(user) -> bool:
    return is_pedagogical_team(user)


def knows_of_memoire(user, memoire: Memoire) -> bool:
    """The user may open the mémoire itself (a refused report is then a 403, not a 404)."""
    return can_view_memoire(user, memoire)
