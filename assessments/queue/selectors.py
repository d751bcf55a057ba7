"""The sections of the grouped « À corriger », each read from its room's selector: how many items
wait, and the oldest first with their due date and how long they have waited. Two queries per
section, whatever the number of items."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.urls import reverse

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
    url_name: str = ""
    url_arg: int | None = None
    due_on: date | None = None
    late: bool = False
    #: A ready-made link (the marking room's items carry theirs).
    url: str = ""

    @property
    def href(self) -> str:
        return self.url or reverse(self.url_name, args=[self.url_arg])


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


def _marking_item(item) -> QueueItem:
    """From the marking room's queue item: the learner's name, or a code when the cohort marks
    blind, and the grid or reconciliation page."""
    return QueueItem(
        learner=item.who,
        cohort=item.cohort,
        what=f"{item.label} — grille {'commencée' if item.draft_started else 'à remplir'}",
        since=item.since,
        url=item.url,
    )


def _list_section(key, title, empty, items: list, to_item, more_url_name: str = "") -> QueueSection:
    return QueueSection(
        key, title, empty, len(items), [to_item(i) for i in items[:SECTION_LIMIT]], more_url_name
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
        marking = marking_selectors.marking_queue_for(trainer=user)
        sections += [
            _section(
                "brouillons",
                "Brouillons de mémoire à commenter",
                "Aucun brouillon de vos tutoré·es n'attend de commentaire.",
                memoire_selectors.uncommented_drafts(tutor=user),
                _draft_item,
                more_url_name="memoire:tutees",
            ),
            _list_section(
                "correction",
                "Mémoires à corriger",
                "Aucun mémoire ne vous est confié en correction pour l'instant.",
                [i for i in marking if i.kind == marking_selectors.QueueKind.MARK],
                _marking_item,
                more_url_name="marking:mine",
            ),
            _list_section(
                "conciliation",
                "Conciliations des notes",
                "Aucune conciliation de notes ne vous attend.",
                [i for i in marking if i.kind == marking_selectors.QueueKind.RECONCILE],
                _marking_item,
                more_url_name="marking:mine",
            ),
        ]
    return sections
