"""Reads of written deliverables: a learner's deliverables with their status and history, the
reviewers' queue, and the statuses staff see (never the files). Each runs a fixed number of
queries whatever the number of deliverables and versions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from assessments.deliverables import permissions as deliverable_permissions
from assessments.deliverables.models import (
    Deliverable,
    DeliverableDueDate,
    Review,
    ReviewerAssignment,
    Submission,
    SubmissionStatus,
)
from courses.catalogue import selectors as catalogue_selectors
from courses.cohorts import permissions as cohorts_permissions
from courses.cohorts import selectors as cohorts_selectors
from courses.cohorts.models import Enrolment

#: What a learner's deliverable shows before any version.
NOT_SUBMITTED = "not_submitted"
STATUS_LABELS = {NOT_SUBMITTED: "À déposer", **dict(SubmissionStatus.choices)}
STATUS_BADGES = {
    NOT_SUBMITTED: "fr-badge--new",
    SubmissionStatus.SUBMITTED: "fr-badge--info",
    SubmissionStatus.ACCEPTED: "fr-badge--success",
    SubmissionStatus.REVISION: "fr-badge--warning",
}


@dataclass
class DeliverableState:
    deliverable: Deliverable
    due_on: date | None
    versions: list[Submission] = field(default_factory=list)

    @property
    def latest(self) -> Submission | None:
        return self.versions[0] if self.versions else None

    @property
    def status(self) -> str:
        return self.latest.status if self.latest else NOT_SUBMITTED

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def badge(self) -> str:
        return STATUS_BADGES[self.status]


@dataclass
class ModuleDeliverables:
    module: object
    items: list[DeliverableState]


def learner_deliverables(*, enrolment: Enrolment, with_history: bool = True) -> list[ModuleDeliverables]:
    """The deliverables of the modules the learner follows, grouped by module, each with its due
    date for the learner's cohort and its versions (newest first, with their reviews)."""
    chosen = cohorts_selectors.chosen_option_ids(enrolment=enrolment)
    modules = [
        m
        for m in catalogue_selectors.programme_modules(programme=enrolment.programme)
        if cohorts_permissions.can_follow_module(enrolment, m, chosen)
    ]
    deliverables = list(
        Deliverable.objects.filter(module__in=modules).order_by("module__path", "title", "pk")
    )
    due = dict(
        DeliverableDueDate.objects.filter(
            deliverable__in=deliverables, cohort_id=enrolment.cohort_id
        ).values_list("deliverable_id", "due_on")
    )
    submissions = Submission.objects.filter(enrolment=enrolment, deliverable__in=deliverables).order_by(
        "-version"
    )
    if with_history:
        submissions = submissions.select_related("review")
    else:
        submissions = submissions.only("pk", "deliverable_id", "version", "status", "is_late", "submitted_at")
    versions: dict[int, list[Submission]] = {}
    for submission in submissions:
        versions.setdefault(submission.deliverable_id, []).append(submission)
    by_module: dict[int, list[DeliverableState]] = {}
    for deliverable in deliverables:
        by_module.setdefault(deliverable.module_id, []).append(
            DeliverableState(deliverable, due.get(deliverable.pk), versions.get(deliverable.pk, []))
        )
    return [ModuleDeliverables(m, by_module[m.pk]) for m in modules if m.pk in by_module]


def unseen_reviews(*, enrolment: Enrolment) -> list[Review]:
    """Decisions the learner has not seen yet: the in-site notification."""
    return list(
        Review.objects.filter(submission__enrolment=enrolment, seen_by_learner_at__isnull=True)
        .select_related("submission__deliverable")
        .order_by("reviewed_at")
    )


def review_queue(*, user) -> QuerySet[Submission]:
    """« À corriger »: the latest version of each deliverable waiting for a decision, among those
    the user reviews, oldest first, each with its cohort's due date (`due_on`, None when unset)."""
    newer = Submission.objects.filter(
        deliverable=OuterRef("deliverable"), enrolment=OuterRef("enrolment"), version__gt=OuterRef("version")
    )
    due_on = DeliverableDueDate.objects.filter(
        deliverable=OuterRef("deliverable"), cohort=OuterRef("enrolment__cohort")
    ).values("due_on")[:1]
    return (
        deliverable_permissions.submissions_reviewable_by(user)
        .filter(status=SubmissionStatus.SUBMITTED)
        .exclude(Exists(newer))
        .annotate(due_on=Subquery(due_on))
        .select_related("deliverable__module", "enrolment__user", "enrolment__cohort")
        .order_by("submitted_at", "pk")
    )


def reviewer_assignments(*, cohort=None) -> QuerySet[ReviewerAssignment]:
    """Who reviews which module for which cohort (all cohorts, or one), by cohort then module."""
    rows = ReviewerAssignment.objects.select_related("module", "cohort__region", "trainer")
    if cohort is not None:
        rows = rows.filter(cohort=cohort)
    return rows.order_by("cohort__name", "module__path", "trainer__last_name", "trainer__first_name", "pk")


def submission_history(*, submission: Submission) -> list[Submission]:
    """Every version of the same deliverable by the same learner, newest first, with reviews."""
    return list(
        Submission.objects.filter(
            deliverable_id=submission.deliverable_id, enrolment_id=submission.enrolment_id
        )
        .select_related("review__reviewer")
        .order_by("-version")
    )
