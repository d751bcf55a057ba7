"""The sections of the grouped « À corriger », each read from its room's selector: how many items
wait, and the oldest first with their due date and how long they have waited. Two queries per
section, whatever the number of items."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet

from assessments.deliverables import permissions as deliverable_permissions
from assessments.deliverables import selectors as deliverable_selectors
from assessments.marking import selectors as marking_selectors
from assessments.memoire import selectors as memoire_selectors
from lms.permissions import is_trainer

#: How many items each section lists; the count always covers them all.
SECTION_LIMIT = 20


@dataclass(frozen=True)
class QueueItem:
    learner: str
    cohort: str
    what: str
    since: datetime
    url_name: str
    url_arg: int
    due_on: date | None = None
    late: bool = False


@dataclass(frozen=True)
class QueueSection:
    key: str
    title: str
    empty: str
    count: int
    items: list[QueueItem]
    more_url_name: str = ""

    @property
    def oldest(self) -> datetime | None:
        return self.items[0].since if self.items else None


def _section(key, title, empty, rows: QuerySet, to_item, more_url_name: str = "") -> QueueSection:
    items = [to_item(row) for row in rows[:SECTION_LIMIT]]
    return QueueSection(key, title, empty, rows.count(), items, more_url_name)


def _deliverable_item(submission) -> QueueItem:
    deliverable = submission.deliverable
    return QueueItem(
        learner=submission.enrolment.user.display_name,
        cohort=submission.enrolment.cohort.name,
        what=f"{deliverable.title} (version {submission.version}) — {deliverable.module.title}",
        since=submission.submitted_at,
        url_name="deliverables:review",
        url_arg=submission.pk,
        due_on=submission.due_on,
        late=submission.is_late,
    )


def _draft_item(draft) -> QueueItem:
    enrolment = draft.memoire.enrolment
    return QueueItem(
        learner=enrolment.user.display_name,
        cohort=enrolment.cohort.name,
        what=f"Brouillon {draft.version} du mémoire",
        since=draft.uploaded_at,
        url_name="memoire:draft",
        url_arg=draft.pk,
    )


def _marking_item(assignment) -> QueueItem:
    memoire = assignment.memoire
    final = getattr(memoire, "final", None)
    started = assignment.grid_id is not None
    return QueueItem(
        learner=memoire.enrolment.user.display_name,
        cohort=memoire.enrolment.cohort.name,
        what=f"{assignment.get_role_display()} — grille {'commencée' if started else 'à remplir'}",
        since=final.submitted_at if final is not None else assignment.assigned_at,
        url_name="memoire:detail",
        url_arg=memoire.pk,
    )


def _reconciliation_item(assignment) -> QueueItem:
    memoire = assignment.memoire
    return QueueItem(
        learner=memoire.enrolment.user.display_name,
        cohort=memoire.enrolment.cohort.name,
        what=f"Conciliation des notes ({assignment.get_role_display().lower()})",
        since=memoire.updated_at,
        url_name="memoire:detail",
        url_arg=memoire.pk,
    )


def grouped_queue(*, user) -> list[QueueSection]:
    """What waits for this user, by kind: the deliverables they review (trainers and the team);
    for trainers, also their tutees' drafts without a comment, the mémoires they mark and the
    reconciliations they take part in."""
    sections = []
    if deliverable_permissions.can_review_deliverables(user):
        sections.append(
            _section(
                "productions",
                "Productions écrites à corriger",
                "Aucune production écrite n'attend votre décision. Les dépôts des modules et promotions "
                "que l'équipe pédagogique vous confie apparaîtront ici.",
                deliverable_selectors.review_queue(user=user),
                _deliverable_item,
                more_url_name="deliverables:queue",
            )
        )
    if is_trainer(user):
        sections += [
            _section(
                "brouillons",
                "Brouillons de mémoire à commenter",
                "Aucun brouillon de vos tutoré·es n'attend de commentaire.",
                memoire_selectors.uncommented_drafts(tutor=user),
                _draft_item,
                more_url_name="memoire:tutees",
            ),
            _section(
                "correction",
                "Mémoires à corriger",
                "Aucun mémoire ne vous est confié en correction pour l'instant.",
                marking_selectors.marking_to_do(marker=user),
                _marking_item,
            ),
            _section(
                "conciliation",
                "Conciliations des notes",
                "Aucune conciliation de notes ne vous attend.",
                marking_selectors.reconciliations_for(marker=user),
                _reconciliation_item,
            ),
        ]
    return sections
