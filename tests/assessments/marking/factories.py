"""Mémoires at each marking step, made through the services (each step logged as in life)."""

from __future__ import annotations

from assessments.marking import services
from assessments.memoire.enums import MemoireState
from assessments.rubrics.models import MarkingScheme
from tests.assessments.memoire.factories import memoire_at
from tests.assessments.rubrics.factories import rubric, scores_all
from tests.factories import TrainerFactory


def scheme(programme, **fields) -> MarkingScheme:
    """The programme's marking scheme with a written rubric of four weighted criteria."""
    fields.setdefault("written_rubric", rubric())
    obj, _ = MarkingScheme.objects.update_or_create(programme=programme, defaults=fields)
    return obj


def marking_at(enrolment, *, team, first=None, second=None, tutor=None):
    """The enrolment's mémoire at MARKING with two markers (new trainers unless given)."""
    memoire = memoire_at(enrolment, MemoireState.FINAL_SUBMITTED, team=team, tutor=tutor)
    first, second = first or TrainerFactory(), second or TrainerFactory()
    services.markers_assign(memoire=memoire, first=first, second=second, by=team)
    memoire.refresh_from_db()
    return memoire, first, second


def grade(memoire, marker, score, *, comment: str = "Appréciation générale."):
    """`marker` gives `score` to every criterion and submits (so the grid's mark is `score`)."""
    grid = services.marker_grid(memoire=memoire, by=marker)
    services.marker_grid_save(
        memoire=memoire, scores=scores_all(grid.rubric, score), comment=comment, by=marker
    )
    return services.marker_grid_submit(memoire=memoire, by=marker)
