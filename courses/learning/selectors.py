"""Reads of the learning path. Every function here runs a fixed number of queries, whatever the
number of modules, lessons or ledger entries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Sum

from assessments.checks import selectors as checks_selectors
from assessments.checks.models import KnowledgeCheckAttempt
from courses.catalogue.models import LessonPage, ModulePage, ProgrammePage
from courses.catalogue.selectors import LESSON_LIST_FIELDS, programme_lessons, programme_modules
from courses.cohorts import permissions as cohorts_permissions
from courses.cohorts.models import Enrolment
from courses.cohorts.selectors import chosen_option_ids, enrolment_for_page
from courses.enums import OPTIONS_TO_CHOOSE, ZERO, Modality, ModuleKind
from courses.hours.models import HoursEntry
from courses.hours.selectors import hours_breakdown, uncounted_entries
from courses.learning.models import LessonActivity, LessonCompletion
from lms import permissions


@dataclass
class ModuleProgress:
    module: ModulePage
    followed: bool
    lessons: list[LessonPage] = field(default_factory=list)
    completed_ids: set[int] = field(default_factory=set)

    @property
    def lessons_total(self) -> int:
        return len(self.lessons)

    @property
    def lessons_done(self) -> int:
        return sum(1 for lesson in self.lessons if lesson.pk in self.completed_ids)

    @property
    def percent(self) -> int:
        return round(100 * self.lessons_done / self.lessons_total) if self.lessons else 0

    @property
    def is_complete(self) -> bool:
        return bool(self.lessons) and self.lessons_done == self.lessons_total

    @property
    def next_lesson(self) -> LessonPage | None:
        return next((lesson for lesson in self.lessons if lesson.pk not in self.completed_ids), None)


@dataclass
class ModalityLine:
    modality: str
    label: str
    credited: Decimal  # counted toward the target
    target: Decimal
    not_counted: Decimal = ZERO  # credited but not countable (e.g. no Qualiopi)
    over_cap: Decimal = ZERO  # presential hours beyond the cap

    @property
    def remaining(self) -> Decimal:
        return max(self.target - self.credited, ZERO)

    @property
    def percent(self) -> int:
        if not self.target:
            return 0
        return min(100, round(100 * self.credited / self.target))


@dataclass
class LearnerProgress:
    enrolment: Enrolment
    modules: list[ModuleProgress]
    chosen_ids: set[int]
    hours: list[ModalityLine]
    seconds_spent: int
    resume_lesson: LessonPage | None
    uncounted: list = field(default_factory=list)
    presential_cap: Decimal = Decimal(72)

    @property
    def options_chosen(self) -> bool:
        return len(self.chosen_ids) == OPTIONS_TO_CHOOSE

    @property
    def followed_modules(self) -> list[ModuleProgress]:
        return [m for m in self.modules if m.followed]

    @property
    def modules_done(self) -> int:
        return sum(1 for m in self.followed_modules if m.is_complete)

    @property
    def target_total(self) -> Decimal:
        return sum((line.target for line in self.hours), ZERO)

    @property
    def credited_total(self) -> Decimal:
        return sum((min(line.credited, line.target) for line in self.hours), ZERO)


def lessons_by_module(modules: list[ModulePage], lessons: list[LessonPage]) -> dict[int, list[LessonPage]]:
    """Each module's lessons, by tree path (a lesson's parent path is its module's path)."""
    by_path = {m.path: m.pk for m in modules}
    grouped: dict[int, list[LessonPage]] = {m.pk: [] for m in modules}
    for lesson in lessons:
        module_id = by_path.get(lesson.path[: len(lesson.path) - ModulePage.steplen])
        if module_id is not None:
            grouped[module_id].append(lesson)
    return grouped


def learner_progress(*, enrolment: Enrolment) -> LearnerProgress:
    """Everything the learner's dashboard shows, in a fixed number of queries."""
    modules = list(programme_modules(programme=enrolment.programme))
    lessons = programme_lessons(programme=enrolment.programme)
    grouped = lessons_by_module(modules, lessons)
    chosen = chosen_option_ids(enrolment=enrolment)
    completed = set(LessonCompletion.objects.filter(enrolment=enrolment).values_list("lesson_id", flat=True))
    progress = [
        ModuleProgress(
            module=m,
            followed=cohorts_permissions.can_follow_module(enrolment, m, chosen),
            lessons=grouped[m.pk],
            completed_ids=completed,
        )
        for m in modules
    ]
    breakdown = hours_breakdown(enrolment=enrolment)
    followed = [p.module for p in progress if p.followed]
    hours = [
        ModalityLine(
            modality=m.value,
            label=m.label,
            credited=breakdown.counted[m],
            target=sum((mod.hours_for(m) for mod in followed), ZERO),
            not_counted=breakdown.not_counted[m],
            over_cap=breakdown.over_cap if m == Modality.PRESENTIAL else ZERO,
        )
        for m in Modality
    ]
    uncounted = uncounted_entries(enrolment=enrolment) if any(breakdown.not_counted.values()) else []
    activity = LessonActivity.objects.filter(enrolment=enrolment).aggregate(
        seconds=Sum("seconds"),
        last=Max("last_beat_at"),
    )
    return LearnerProgress(
        enrolment=enrolment,
        modules=progress,
        chosen_ids=chosen,
        hours=hours,
        seconds_spent=activity["seconds"] or 0,
        resume_lesson=_resume_lesson(enrolment, progress, lessons, completed),
        uncounted=uncounted,
        presential_cap=enrolment.programme.presential_cap,
    )


def _resume_lesson(enrolment, progress, lessons, completed) -> LessonPage | None:
    """The lesson last worked on if unfinished; once it is finished, the next unfinished lesson of
    its module; otherwise the first unfinished lesson of a followed module."""
    followed_lesson_ids = {lesson.pk for p in progress if p.followed for lesson in p.lessons}
    last = (
        LessonActivity.objects.filter(enrolment=enrolment, lesson_id__in=followed_lesson_ids)
        .order_by("-last_beat_at")
        .values_list("lesson_id", flat=True)
        .first()
    )
    by_id = {lesson.pk: lesson for lesson in lessons}
    if last is not None and last not in completed:
        return by_id.get(last)
    if last is not None:
        module_lessons = next(p.lessons for p in progress if any(lesson.pk == last for lesson in p.lessons))
        after = module_lessons[[lesson.pk for lesson in module_lessons].index(last) + 1 :]
        carry_on = next((lesson for lesson in after if lesson.pk not in completed), None)
        if carry_on is not None:
            return carry_on
    for p in progress:
        if p.followed and p.next_lesson is not None:
            return p.next_lesson
    return None


def module_page_state(*, module: ModulePage, user) -> dict:
    lessons = list(LessonPage.objects.live().child_of(module).only(*LESSON_LIST_FIELDS).order_by("path"))
    state: dict = {"lessons": lessons, "enrolment": None, "followed": False, "completed_ids": set()}
    enrolment = enrolment_for_page(user=user, page=module) if permissions.is_learner(user) else None
    if enrolment is None:
        return state
    chosen = chosen_option_ids(enrolment=enrolment)
    completed = set(
        LessonCompletion.objects.filter(
            enrolment=enrolment, lesson__in=[lesson.pk for lesson in lessons]
        ).values_list("lesson_id", flat=True)
    )
    progress = ModuleProgress(
        module=module,
        followed=cohorts_permissions.can_follow_module(enrolment, module, chosen),
        lessons=lessons,
        completed_ids=completed,
    )
    state.update(enrolment=enrolment, followed=progress.followed, completed_ids=completed, progress=progress)
    return state


def lesson_page_state(*, lesson: LessonPage, user) -> dict:

    module = ModulePage.objects.get(path=lesson.path[: -ModulePage.steplen])
    siblings = list(LessonPage.objects.live().child_of(module).only(*LESSON_LIST_FIELDS).order_by("path"))
    index = next((i for i, s in enumerate(siblings) if s.pk == lesson.pk), 0)
    state: dict = {
        "module": module,
        "previous_lesson": siblings[index - 1] if index > 0 else None,
        "next_lesson": siblings[index + 1] if index + 1 < len(siblings) else None,
        "lesson_position": index + 1,
        "lesson_count": len(siblings),
        "enrolment": None,
        "followed": False,
        "completed": False,
        "last_attempt": None,
        "recent_attempts": [],
        "seconds_spent": 0,
    }
    enrolment = enrolment_for_page(user=user, page=lesson) if permissions.is_learner(user) else None
    if enrolment is None:
        return state
    chosen = chosen_option_ids(enrolment=enrolment)
    attempts = checks_selectors.recent_attempts(enrolment=enrolment, lesson=lesson)
    state.update(
        enrolment=enrolment,
        followed=cohorts_permissions.can_follow_module(enrolment, module, chosen),
        completed=LessonCompletion.objects.filter(enrolment=enrolment, lesson=lesson).exists(),
        recent_attempts=attempts,
        last_attempt=attempts[0] if attempts else None,
        seconds_spent=LessonActivity.objects.filter(enrolment=enrolment, lesson=lesson).aggregate(
            s=Sum("seconds")
        )["s"]
        or 0,
    )
    return state


def optional_modules(*, programme: ProgrammePage):
    return programme_modules(programme=programme).filter(kind=ModuleKind.OPTIONAL)


def started_module_ids(*, enrolment: Enrolment, modules: list[ModulePage]) -> set[int]:
    """Modules among `modules` in which the learner has any activity, completion, knowledge-check
    attempt (a quiz sent with JavaScript off leaves no heartbeat) or hours."""

    started = set(
        HoursEntry.objects.filter(enrolment=enrolment, module__in=modules).values_list("module_id", flat=True)
    )
    touched_lessons = (
        set(LessonActivity.objects.filter(enrolment=enrolment).values_list("lesson__path", flat=True))
        | set(LessonCompletion.objects.filter(enrolment=enrolment).values_list("lesson__path", flat=True))
        | set(
            KnowledgeCheckAttempt.objects.filter(enrolment=enrolment).values_list("lesson__path", flat=True)
        )
    )
    for module in modules:
        if any(path.startswith(module.path) for path in touched_lessons):
            started.add(module.pk)
    return started
