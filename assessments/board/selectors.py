"""Reads of the team's board: the mémoire rows of `memoire.selectors.board_rows` with each
mémoire's markers and its written mark once released. A fixed number of queries per page or
export chunk, whatever the number of rows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import QuerySet

from assessments.marking.selectors import markers_prefetch
from assessments.memoire import selectors as memoire_selectors
from assessments.memoire.enums import MemoireState
from courses.cohorts.models import Enrolment

EXPORT_CHUNK = 1000


@dataclass(frozen=True)
class BoardRow:
    enrolment: Enrolment
    state: MemoireState
    markers: tuple[str, ...]
    released_mark: Decimal | None
    last_change: datetime

    @property
    def memoire(self):
        return getattr(self.enrolment, "memoire", None)


def board_queryset(**filters) -> QuerySet[Enrolment]:
    """`memoire.selectors.board_rows(**filters)` with the markers and the agreed mark joined."""
    return (
        memoire_selectors.board_rows(**filters)
        .select_related("memoire__agreed_mark")
        .prefetch_related(markers_prefetch("memoire__marker_assignments"))
    )


def board_row(enrolment: Enrolment) -> BoardRow:
    """One enrolment as the board shows it; the mark only once the team released it."""
    memoire = getattr(enrolment, "memoire", None)
    if memoire is None:
        return BoardRow(enrolment, MemoireState.NOT_STARTED, (), None, enrolment.created_at)
    agreed = getattr(memoire, "agreed_mark", None)
    released = agreed.mark if agreed is not None and agreed.released_at is not None else None
    markers = tuple(a.marker.display_name for a in memoire.marker_assignments.all())
    return BoardRow(enrolment, MemoireState(memoire.state), markers, released, memoire.updated_at)


def board_rows(enrolments: Iterable[Enrolment]) -> list[BoardRow]:
    return [board_row(enrolment) for enrolment in enrolments]


def board_export_rows(**filters) -> Iterator[BoardRow]:
    """Every row the filters select, read in chunks (one query per chunk and relation)."""
    for enrolment in board_queryset(**filters).iterator(chunk_size=EXPORT_CHUNK):
        yield board_row(enrolment)
