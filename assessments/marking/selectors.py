"""Reads of the double marking: a trainer's queue (mémoires to mark, reconciliations to do, with
their waiting time), a mémoire's markers and grids, the team's publication queue, and the released
mark the learner sees."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from assessments.marking.blind import blind_code
from assessments.marking.models import AgreedMark, CohortMarkingOptions, MarkerAssignment, MarkerRole
from assessments.memoire.enums import MemoireState
from assessments.memoire.models import Memoire, MemoireEvent
from assessments.rubrics.models import GridScore

#: The states the publication queue lists.
PUBLICATION_STATES = (MemoireState.MARKING, MemoireState.RECONCILIATION, MemoireState.MARKED)


class QueueKind:
    MARK = "mark"
    RECONCILE = "reconcile"


@dataclass(frozen=True)
class QueueItem:
    """One thing a trainer has to do on a mémoire: mark it, or reconcile its marks."""

    kind: str
    memoire: Memoire
    role: str
    since: datetime
    url: str
    #: The learner's name, or a code (« M0042 ») when the cohort marks blind.
    who: str
    cohort: str
    draft_started: bool

    @property
    def label(self) -> str:
        return "Mémoire à corriger" if self.kind == QueueKind.MARK else "Conciliation à faire"

    @property
    def waiting_days(self) -> int:
        return (timezone.now() - self.since).days


def blind_cohort_ids(cohort_ids) -> set[int]:
    return set(
        CohortMarkingOptions.objects.filter(cohort_id__in=cohort_ids, blind_marking=True).values_list(
            "cohort_id", flat=True
        )
    )


def is_blind(memoire: Memoire) -> bool:
    """The mémoire's cohort marks blind."""
    return CohortMarkingOptions.objects.filter(
        cohort_id=memoire.enrolment.cohort_id, blind_marking=True
    ).exists()


def _opened_at():
    return Subquery(
        MemoireEvent.objects.filter(memoire=OuterRef("memoire"), transition="open_reconciliation")
        .order_by("-at", "-pk")
        .values("at")[:1]
    )


def marking_queue_for(*, trainer) -> list[QueueItem]:
    """What `trainer` has to do in the double marking, oldest first: the mémoires to mark (first
    or second marker, grid not yet submitted, since the assignment) and the reconciliations open
    on mémoires they mark (since the reconciliation opened). Three queries, whatever the number."""
    assignments = list(
        MarkerAssignment.objects.filter(marker=trainer)
        .filter(
            Q(
                memoire__state=MemoireState.MARKING,
                role__in=[MarkerRole.FIRST, MarkerRole.SECOND],
            )
            & (Q(grid__isnull=True) | Q(grid__submitted_at__isnull=True))
            | Q(memoire__state=MemoireState.RECONCILIATION)
        )
        .select_related("memoire__enrolment__user", "memoire__enrolment__cohort")
        .annotate(opened_at=_opened_at())
        .order_by("assigned_at", "pk")
    )
    blind = blind_cohort_ids({a.memoire.enrolment.cohort_id for a in assignments})
    items = []
    for a in assignments:
        memoire = a.memoire
        hidden = memoire.enrolment.cohort_id in blind
        reconcile = memoire.state == MemoireState.RECONCILIATION
        items.append(
            QueueItem(
                kind=QueueKind.RECONCILE if reconcile else QueueKind.MARK,
                memoire=memoire,
                role=a.role,
                since=(a.opened_at or a.assigned_at) if reconcile else a.assigned_at,
                url=reverse("marking:reconciliation" if reconcile else "marking:grid", args=[memoire.pk]),
                who=blind_code(memoire) if hidden else memoire.enrolment.user.display_name,
                cohort="" if hidden else memoire.enrolment.cohort.name,
                draft_started=(a.reconciliation_grid_id if reconcile else a.grid_id) is not None,
            )
        )
    items.sort(key=lambda item: item.since)
    return items


def assignments_of(*, memoire: Memoire) -> list[MarkerAssignment]:
    """The mémoire's markers with their grids and scores (first, second, third). Two queries."""
    return list(
        MarkerAssignment.objects.filter(memoire=memoire)
        .select_related("marker", "grid", "reconciliation_grid")
        .prefetch_related(
            Prefetch("grid__scores", queryset=GridScore.objects.order_by("position", "pk")),
        )
        .order_by("role")
    )


def agreed_mark_of(*, memoire: Memoire) -> AgreedMark | None:
    return AgreedMark.objects.select_related("grid").filter(memoire=memoire).first()


def publication_rows(*, cohorts, state: str | None = None) -> QuerySet[Memoire]:
    """The mémoires of these cohorts being marked, reconciled or waiting for release, the ones
    waiting longest first, with their agreed mark (if any)."""
    rows = Memoire.objects.filter(enrolment__cohort__in=cohorts, state__in=PUBLICATION_STATES)
    if state:
        rows = rows.filter(state=state)
    return rows.select_related("enrolment__user", "enrolment__cohort", "agreed_mark").order_by(
        "updated_at", "pk"
    )


def released_mark_for(*, memoire: Memoire) -> dict | None:
    """What the learner reads once the mark is released: the agreed mark, the rule applied, the
    markers' general comments, and the per-criterion scores of the agreed grid when reconciled.
    None before the release. Three queries at most."""
    agreed = agreed_mark_of(memoire=memoire)
    if agreed is None or agreed.released_at is None:
        return None
    comments = [
        a.grid.comment
        for a in MarkerAssignment.objects.filter(
            memoire=memoire, role__in=[MarkerRole.FIRST, MarkerRole.SECOND], grid__isnull=False
        )
        .select_related("grid")
        .order_by("role")
        if a.grid.comment
    ]
    if agreed.grid is not None:
        agreed.grid.scores_list = list(agreed.grid.scores.all())
    return {"agreed": agreed, "comments": comments}


def markers_prefetch(lookup: str = "marker_assignments") -> Prefetch:
    """Prefetch each mémoire's marker assignments, in role order, with the markers; `lookup` is the
    path to them from the rows being listed (`memoire__marker_assignments` from enrolments)."""
    return Prefetch(lookup, queryset=MarkerAssignment.objects.select_related("marker").order_by("role"))


def marking_to_do(*, marker) -> QuerySet[MarkerAssignment]:
    """The mémoires in marking this trainer was assigned and whose grid they have not submitted
    yet (missing or still a draft), the longest waiting first (since the final version)."""
    return (
        MarkerAssignment.objects.filter(marker=marker, memoire__state=MemoireState.MARKING)
        .filter(Q(grid__isnull=True) | Q(grid__submitted_at__isnull=True))
        .select_related("memoire__enrolment__user", "memoire__enrolment__cohort", "memoire__final", "grid")
        .order_by("memoire__final__submitted_at", "assigned_at", "pk")
    )


def reconciliations_for(*, marker) -> QuerySet[MarkerAssignment]:
    """This trainer's assignments on mémoires whose reconciliation is open, the longest waiting
    first (since the mémoire entered reconciliation)."""
    return (
        MarkerAssignment.objects.filter(marker=marker, memoire__state=MemoireState.RECONCILIATION)
        .select_related("memoire__enrolment__user", "memoire__enrolment__cohort")
        .order_by("memoire__updated_at", "pk")
    )
