"""Writes of grids: start one, save it as a draft, submit it. A submitted grid is sealed. The
rooms that use grids (marking, soutenance) decide who may fill which grid and when; this room
checks the grid itself: its author, its criteria, its scores' range and that it is not sealed."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.rubrics.forms import UNKNOWN_CRITERION
from assessments.rubrics.grading import MARK_MAX, MARK_MIN, SCORE_STEP, weighted_mark
from assessments.rubrics.models import SEALED, Grid, GridScore, Rubric

MAX_COMMENT_CHARS = 5000


def grid_start(*, rubric: Rubric, author) -> Grid:
    if not rubric.criteria.exists():
        raise ValidationError(
            "Cette grille d'évaluation n'a aucun critère : l'équipe pédagogique doit la compléter."
        )
    return Grid.objects.create(rubric=rubric, author=author)


def _checked_score(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        score = Decimal(str(value))
    except Exception as exc:  # noqa: BLE001 — any unparsable value is a bad score
        raise ValidationError("Saisissez une note de 0 à 20, par exemple 12,5.") from exc
    if not score.is_finite() or not MARK_MIN <= score <= MARK_MAX:
        raise ValidationError("La note va de 0 à 20.")
    if score % SCORE_STEP:
        raise ValidationError("Notez par demi-points (12 ou 12,5).")
    return score


@transaction.atomic
def grid_save(
    *,
    grid: Grid,
    scores: dict[int, tuple[object, str]],
    comment: str = "",
    submit: bool = False,
    by,
    justification_required: bool = False,
    now=None,
) -> Grid:
    """Save `scores` ({criterion id: (score, justification)}) in `grid` as `by`, its author; with
    `submit`, every criterion must be scored and the grid is then sealed with its weighted mark.
    Raises PermissionDenied or ValidationError (in French) and writes nothing otherwise."""
    current = Grid.objects.select_for_update().get(pk=grid.pk)
    if current.author_id != by.pk:
        raise PermissionDenied("Seule la personne à qui cette grille est confiée la remplit.")
    if current.submitted_at is not None:
        raise ValidationError(SEALED)
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT_CHARS:
        raise ValidationError(f"L'appréciation compte au plus {MAX_COMMENT_CHARS} caractères.")
    criteria = {c.pk: c for c in current.rubric.criteria.all()}
    if any(int(key) not in criteria for key in scores):
        raise ValidationError(UNKNOWN_CRITERION)
    checked = {
        int(key): (_checked_score(score), (just or "").strip()) for key, (score, just) in scores.items()
    }
    if submit:
        missing = [c.label for pk, c in criteria.items() if checked.get(pk, (None, ""))[0] is None]
        if missing:
            raise ValidationError(
                f"Notez chaque critère avant de remettre la grille (manque : {', '.join(missing)})."
            )
        if justification_required:
            unjustified = [c.label for pk, c in criteria.items() if not checked[pk][1]]
            if unjustified:
                raise ValidationError(f"Justifiez chaque critère (manque : {', '.join(unjustified)}).")
    GridScore.objects.filter(grid=current).delete()
    GridScore.objects.bulk_create(
        GridScore(
            grid=current,
            criterion=criteria[pk],
            label=criteria[pk].label,
            weight=criteria[pk].weight,
            score=score,
            justification=just,
            position=criteria[pk].sort_order or 0,
        )
        for pk, (score, just) in checked.items()
        if score is not None
    )
    current.comment = comment
    if submit:
        current.mark = weighted_mark((checked[pk][0], c.weight) for pk, c in criteria.items())
        current.submitted_at = now or timezone.now()
    Grid.objects.filter(pk=current.pk).update(
        comment=current.comment, mark=current.mark, submitted_at=current.submitted_at
    )
    return current
