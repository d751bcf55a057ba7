"""Who sees, submits and reviews written deliverables. ARS staff see statuses through the
selectors, never a file: no submission is visible to them here."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from assessments.deliverables.models import ReviewerAssignment, Submission
from lms.permissions import is_learner, is_pedagogical_team, is_trainer


def can_review_deliverables(user) -> bool:
    """Whether the user has the « À corriger » queue at all: trainers and the team."""
    return is_trainer(user) or is_pedagogical_team(user)


def can_assign_reviewers(user) -> bool:
    return is_pedagogical_team(user)


def submissions_reviewable_by(user) -> QuerySet[Submission]:
    """Submissions the user reviews: the team every one, a trainer those of the modules and
    cohorts they are assigned to."""
    if is_pedagogical_team(user):
        return Submission.objects.all()
    if is_trainer(user):
        assigned = ReviewerAssignment.objects.filter(
            trainer=user,
            module=OuterRef("deliverable__module"),
            cohort=OuterRef("enrolment__cohort"),
        )
        return Submission.objects.filter(Exists(assigned))
    return Submission.objects.none()


def submissions_visible_to(user) -> QuerySet[Submission]:
    """Submissions (and their files) the user may open: the learner's own, and the reviewers'."""
    if is_learner(user):
        return Submission.objects.filter(enrolment__user=user)
    return submissions_reviewable_by(user)


def can_review_submission(user, submission: Submission) -> bool:
    return submissions_reviewable_by(user).filter(pk=submission.pk).exists()
