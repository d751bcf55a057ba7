"""The arithmetic of marks, pure and in one place: a grid's weighted mark out of 20, the rounding
rule the team chose, whether two marks must be reconciled, and the final mark that combines the
written and oral marks. Decimal throughout, never float."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db import models

MARK_MAX = Decimal(20)
MARK_MIN = Decimal(0)
#: A criterion is scored out of 20 by steps of 0.5.
SCORE_STEP = Decimal("0.5")


class Rounding(models.TextChoices):
    HALF = "half", "au demi-point le plus proche (12,25 → 12,5 ; 12,74 → 12,5 ; 12,75 → 13)"
    TENTH = "tenth", "au dixième le plus proche (12,25 → 12,3)"
    HUNDREDTH = "hundredth", "au centième le plus proche (12,255 → 12,26)"


_QUANTUM = {Rounding.TENTH: Decimal("0.1"), Rounding.HUNDREDTH: Decimal("0.01")}


def round_mark(value: Decimal, rule: str) -> Decimal:
    """`value` rounded by `rule` (halves away from zero, the French school rule)."""
    value = Decimal(value)
    if rule == Rounding.HALF:
        return (value * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2
    return value.quantize(_QUANTUM[Rounding(rule)], rounding=ROUND_HALF_UP)


def weighted_mark(scores: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """The weighted mean of (score out of 20, weight) pairs, unrounded (to the hundredth kept exact
    by Decimal). Raises ValueError when the weights add up to zero."""
    pairs = [(Decimal(score), Decimal(weight)) for score, weight in scores]
    total_weight = sum((weight for _, weight in pairs), Decimal(0))
    if total_weight <= 0:
        raise ValueError("La grille n'a aucun critère pondéré.")
    return sum((score * weight for score, weight in pairs), Decimal(0)) / total_weight


def needs_reconciliation(
    first: Decimal, second: Decimal, *, threshold: Decimal, pass_mark: Decimal
) -> str | None:
    """Why two independent marks must be reconciled, in French, or None: they differ by more than
    the threshold, or one is at or above the pass mark and the other below."""
    first, second = Decimal(first), Decimal(second)
    gap = abs(first - second)
    if gap > Decimal(threshold):
        points = "points" if gap >= 2 else "point"
        return (
            f"Les deux notes s'écartent de {mark_text(gap)} {points}, "
            f"plus que le seuil de {mark_text(threshold)}."
        )
    if (first >= pass_mark) != (second >= pass_mark):
        return (
            "Une note est au-dessus et l'autre au-dessous de la note de validation "
            f"({mark_text(pass_mark)}/20)."
        )
    return None


def average_mark(first: Decimal, second: Decimal, *, rule: str) -> Decimal:
    """The agreed mark when no reconciliation is needed: the average, rounded by the team's rule
    (never the higher of the two)."""
    return round_mark((Decimal(first) + Decimal(second)) / 2, rule)


def final_mark(
    written: Decimal, oral: Decimal, *, written_weight: int, oral_weight: int, rule: str
) -> Decimal:
    """The final mark: the written and oral marks weighted as the team set, rounded by its rule."""
    return round_mark(weighted_mark([(written, written_weight), (oral, oral_weight)]), rule)


def mark_text(value: Decimal | None) -> str:
    """A mark the French way: « 12,5 », « 13 », « 12,25 »; « — » for none."""
    if value is None:
        return "—"
    value = Decimal(value).normalize()
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")
