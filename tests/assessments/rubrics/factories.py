"""Rubrics with weighted criteria, for the marking and soutenance tests."""

from __future__ import annotations

from assessments.rubrics.models import Rubric, RubricCriterion, RubricKind

WRITTEN_CRITERIA = [("Problématique", 2), ("Méthode", 1), ("Analyse", 2), ("Forme", 1)]
ORAL_CRITERIA = [("Présentation", 1), ("Réponses au jury", 1)]


def rubric(kind: str = RubricKind.WRITTEN, criteria=None, name: str | None = None) -> Rubric:
    criteria = criteria or (WRITTEN_CRITERIA if kind == RubricKind.WRITTEN else ORAL_CRITERIA)
    grid = Rubric.objects.create(name=name or f"Grille {kind}", kind=kind)
    for position, (label, weight) in enumerate(criteria):
        RubricCriterion.objects.create(
            rubric=grid, label=label, weight=weight, descriptors="Attendu : …", sort_order=position
        )
    return grid


def scores_all(rubric: Rubric, score, justification: str = "") -> dict[int, tuple[object, str]]:
    """The same score (and justification) for every criterion of `rubric`."""
    return {c.pk: (score, justification) for c in rubric.criteria.all()}
