"""Reads of double marking for the other rooms' lists: each mémoire's markers, a trainer's
mémoires to mark and their reconciliations. Each runs a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from assessments.marking.models import MarkerAssignment
from assessments.memoire.enums import MemoireState


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
