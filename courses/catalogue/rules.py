"""Programme rules that hold whatever the data: pure functions, no database access."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations

from courses.enums import OPTIONS_TO_CHOOSE


@dataclass(frozen=True)
class OptionPairViolation:
    """A choice of optional modules whose programme total leaves the allowed hour range."""

    titles: tuple[str, ...]
    total: Decimal
    minimum: Decimal
    maximum: Decimal

    @property
    def message(self) -> str:
        names = " + ".join(f"« {title} »" for title in self.titles)
        if self.total < self.minimum:
            return (
                f"Le choix {names} donne un parcours de {_fmt(self.total)} h, "
                f"sous le minimum de {_fmt(self.minimum)} h."
            )
        return (
            f"Le choix {names} donne un parcours de {_fmt(self.total)} h, "
            f"au-delà du maximum de {_fmt(self.maximum)} h."
        )


def _fmt(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def option_pair_violations(
    *,
    core_total: Decimal,
    options: list[tuple[str, Decimal]],
    minimum: Decimal,
    maximum: Decimal,
) -> list[OptionPairViolation]:
    """Every choice of OPTIONS_TO_CHOOSE optional modules whose total (core modules plus the
    chosen options, all modalities) falls outside [minimum, maximum]; empty when all fit or
    when there are not yet enough optional modules to choose from."""
    violations = []
    for pair in combinations(options, OPTIONS_TO_CHOOSE):
        total = core_total + sum((hours for _, hours in pair), Decimal(0))
        if not minimum <= total <= maximum:
            violations.append(
                OptionPairViolation(
                    titles=tuple(title for title, _ in pair),
                    total=total,
                    minimum=minimum,
                    maximum=maximum,
                )
            )
    return violations
