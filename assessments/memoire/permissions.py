"""Who sees and acts on a mémoire. The learner sees their own; the tutor the mémoires they tutor;
the pedagogical team every mémoire. ARS staff never see a mémoire nor its files (data
minimisation: the cohort progress will show the state only)."""

from __future__ import annotations

from django.db.models import QuerySet

from assessments.memoire.enums import LEARNER_STATE, MemoireState
from assessments.memoire.models import Memoire, MemoireDraft
from lms.permissions import is_learner, is_pedagogical_team, is_trainer


def memoires_visible_to(user) -> QuerySet[Memoire]:
    """The mémoires this user may open, files included; lists and URLs both go through it."""
    if is_pedagogical_team(user):
        return Memoire.objects.all()
    if is_trainer(user):
        return Memoire.objects.filter(tutor=user)
    if is_learner(user):
        return Memoire.objects.filter(enrolment__user=user)
    return Memoire.objects.none()


def drafts_visible_to(user) -> QuerySet[MemoireDraft]:
    return MemoireDraft.objects.filter(memoire__in=memoires_visible_to(user))


def is_author(user, memoire: Memoire) -> bool:
    return is_learner(user) and memoire.enrolment.user_id == user.pk


def is_tutor(user, memoire: Memoire) -> bool:
    return is_trainer(user) and memoire.tutor_id is not None and memoire.tutor_id == user.pk


def can_view_memoire(user, memoire: Memoire) -> bool:
    """Open the mémoire, its drafts, comments and files."""
    return is_pedagogical_team(user) or is_author(user, memoire) or is_tutor(user, memoire)


def can_write_memoire(user, memoire: Memoire) -> bool:
    """Propose the subject, upload drafts and the final version: the author only."""
    return is_author(user, memoire)


def can_decide_subject(user, memoire: Memoire) -> bool:
    """Approve or return a subject, assign the tutor: the pedagogical team."""
    return is_pedagogical_team(user)


def can_comment_draft(user, memoire: Memoire) -> bool:
    """Comment on a draft: the mémoire's tutor only."""
    return is_tutor(user, memoire)


def can_decide_similarity(user, memoire: Memoire) -> bool:
    """Clear or confirm the similarity flag of a mémoire: the pedagogical team."""
    return is_pedagogical_team(user)


def can_see_board(user) -> bool:
    return is_pedagogical_team(user)


def state_shown_to(user, state: str) -> MemoireState:
    """The state as this user may read it: only the team sees a reconciliation or a mark waiting
    to be released; the learner, the tutor and ARS staff read « en correction » until the release."""
    return MemoireState(state if is_pedagogical_team(user) else LEARNER_STATE.get(state, state))
