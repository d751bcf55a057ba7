"""Reads of the learning path. Every function here runs a fixed number of queries, whatever the
number of modules, lessons or ledger entries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Sum

from lms import permissions

from .enums import OPTIONS_TO_CHOOSE, Modality, ModuleKind
from .models import (
    ElectiveChoice,
    Enrolment,
    HoursEntry,
    LessonActivity,
    LessonCompletion,
    LessonPage,
    ModulePage,
    ProgrammePage,
)

ZERO = Decimal(0)
LESSON_LIST_FIELDS = ("id", "title", "slug", "path", "depth", "url_path", "duration_hours", "live")


def enrolment_for_user(*, user) -> Enrolment | None:
    """The learner's current enrolment (the most recent), with cohort, region and programme."""
    if not permissions.is_learner(user):
        return None
    return (
        Enrolment.objects.filter(user=user)
        .select_related("cohort__region", "programme")
        .order_by("-created_at")
        .first()
    )


def enrolment_for_page(*, user, page) -> Enrolment | None:
    """The user's enrolment in the programme that holds `page`, if any."""
    if not (user and user.is_authenticated):
        return None
    # Kept on the user object for the request: the permission check and the page context share it.
    if not hasattr(user, "_lms_enrolments"):
        user._lms_enrolments = list(
            Enrolment.objects.filter(user=user).select_related("programme", "cohort__region")
        )
    for enrolment in user._lms_enrolments:
        if page.path.startswith(enrolment.programme.path):
            return enrolment
    return None


def programme_modules(*, programme: ProgrammePage):
    return ModulePage.objects.live().child_of(programme).order_by("number", "title")


def programme_lessons(*, programme: ProgrammePage) -> list[LessonPage]:
    return list(LessonPage.objects.live().descendant_of(programme).only(*LESSON_LIST_FIELDS).order_by("path"))


def chosen_option_ids(*, enrolment: Enrolment) -> set[int]:
    return set(ElectiveChoice.objects.filter(enrolment=enrolment).values_list("module_id", flat=True))


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


def hours_totals(*, enrolment: Enrolment) -> dict[str, Decimal]:
    """Hours counted toward the target per modality, summed by the database in one query:
    entries that cannot count (e.g. no valid Qualiopi certification) are left out, and presential
    hours are capped at the programme's ceiling (72 h by default)."""
    return hours_breakdown(enrolment=enrolment).counted


@dataclass
class HoursBreakdown:
    credited: dict[str, Decimal]  # every ledger entry
    counted: dict[str, Decimal]  # what counts toward the target
    not_counted: dict[str, Decimal]  # entries that cannot count, by modality
    over_cap: Decimal  # presential hours beyond the cap


def counted_hours(
    *, credited_countable: dict[str, Decimal], cap: Decimal
) -> tuple[dict[str, Decimal], Decimal]:
    """Apply the presential cap to the countable hours; returns the counted hours and the excess."""
    counted = dict(credited_countable)
    presential = counted.get(Modality.PRESENTIAL, ZERO)
    over = max(presential - cap, ZERO)
    counted[Modality.PRESENTIAL] = presential - over
    return counted, over


def hours_breakdown(*, enrolment: Enrolment) -> HoursBreakdown:
    rows = (
        HoursEntry.objects.filter(enrolment=enrolment)
        .values("modality", "counts_toward_target")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    credited = {m: ZERO for m in Modality}
    countable = {m: ZERO for m in Modality}
    for row in rows:
        credited[row["modality"]] += row["total"] or ZERO
        if row["counts_toward_target"]:
            countable[row["modality"]] += row["total"] or ZERO
    counted, over = counted_hours(credited_countable=countable, cap=enrolment.programme.presential_cap)
    not_counted = {m: credited[m] - countable[m] for m in Modality}
    return HoursBreakdown(credited=credited, counted=counted, not_counted=not_counted, over_cap=over)


def uncounted_entries(*, enrolment: Enrolment, limit: int = 50):
    """Ledger entries that do not count toward the target, with their reason (one query)."""
    return list(
        HoursEntry.objects.filter(enrolment=enrolment, counts_toward_target=False)
        .select_related("module")
        .order_by("-occurred_on")[:limit]
    )


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
            followed=permissions.can_follow_module(enrolment, m, chosen),
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
        followed=permissions.can_follow_module(enrolment, module, chosen),
        lessons=lessons,
        completed_ids=completed,
    )
    state.update(enrolment=enrolment, followed=progress.followed, completed_ids=completed, progress=progress)
    return state


def lesson_page_state(*, lesson: LessonPage, user) -> dict:
    from assessments import services as assessment_services

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
    attempts = assessment_services.recent_attempts(enrolment=enrolment, lesson=lesson)
    state.update(
        enrolment=enrolment,
        followed=permissions.can_follow_module(enrolment, module, chosen),
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
    from assessments.models import KnowledgeCheckAttempt

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


def cohort_rows_managed(*, user):
    """The cohorts the user manages, with learner counts, eligible counts and region (one query)."""
    from django.db.models import Count, Q

    return (
        permissions.cohorts_managed_by(user)
        .select_related("region")
        .annotate(
            learners=Count("enrolments"),
            eligible=Count(
                "enrolments",
                filter=Q(
                    enrolments__ars_agreement_on__isnull=False,
                    enrolments__employer_agreement_on__isnull=False,
                ),
            ),
        )
        .order_by("closed_at", "region__name", "-start_date")
    )
