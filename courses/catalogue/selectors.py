"""Reads of the course tree: a programme's modules and lessons, and its path's hour bounds."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from courses.catalogue.models import LessonPage, ModulePage, ProgrammePage
from courses.enums import ZERO, Modality

LESSON_LIST_FIELDS = ("id", "title", "slug", "path", "depth", "url_path", "duration_hours", "live")


def programme_modules(*, programme: ProgrammePage):
    return ModulePage.objects.live().child_of(programme).order_by("number", "title")


def programme_lessons(*, programme: ProgrammePage) -> list[LessonPage]:
    return list(LessonPage.objects.live().descendant_of(programme).only(*LESSON_LIST_FIELDS).order_by("path"))


@dataclass
class HourBounds:
    core: dict[str, Decimal]
    core_total: Decimal
    minimum: Decimal
    maximum: Decimal


def programme_hour_summary(*, programme: ProgrammePage) -> HourBounds:
    modules = list(programme_modules(programme=programme))
    core = {m: sum((mod.hours_for(m) for mod in modules if not mod.is_optional), ZERO) for m in Modality}
    return HourBounds(
        core=core,
        core_total=sum(core.values(), ZERO),
        minimum=programme.hours_min,
        maximum=programme.hours_max,
    )
