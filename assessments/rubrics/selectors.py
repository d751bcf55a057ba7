"""Reads of the rubrics room: the marking scheme in force for a programme (its defaults when the
team has not written one) and a grid with its scores."""

from __future__ import annotations

from assessments.rubrics.models import Grid, MarkingScheme


def scheme_for(*, programme) -> MarkingScheme:
    """The programme's marking scheme, or an unsaved one with the defaults (pass mark 10, threshold
    3, half-point rounding, written 60 / oral 40, similarity 25 %, the tutor neither marks nor
    presides). One query."""
    scheme = (
        MarkingScheme.objects.select_related("written_rubric", "oral_rubric")
        .filter(programme=programme)
        .first()
    )
    return scheme or MarkingScheme(programme=programme)


def grid_with_scores(*, grid_id: int) -> Grid | None:
    return (
        Grid.objects.select_related("rubric", "author").prefetch_related("scores").filter(pk=grid_id).first()
    )
