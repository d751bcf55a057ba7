"""The learner's writes: choosing options, completing a lesson (and its knowledge check), the
time log."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone

from assessments.checks import services as checks_services
from courses.catalogue.models import LessonPage, ModulePage
from courses.cohorts import permissions as cohorts_permissions
from courses.cohorts import selectors as cohorts_selectors
from courses.cohorts.models import ElectiveChoice, Enrolment
from courses.enums import OPTIONS_TO_CHOOSE, HoursSource, Modality
from courses.hours.models import HoursEntry
from courses.learning import selectors
from courses.learning.models import LessonActivity, LessonCompletion


@transaction.atomic
def options_choose(*, enrolment: Enrolment, modules: list[ModulePage]) -> list[ModulePage]:
    """Record exactly OPTIONS_TO_CHOOSE optional modules of the learner's programme, replacing the
    previous choice, unless the learner has already started one of the options chosen before."""
    modules = list({m.pk: m for m in modules}.values())
    if len(modules) != OPTIONS_TO_CHOOSE:
        raise ValidationError(
            f"Choisissez exactement {OPTIONS_TO_CHOOSE} modules d'approfondissement "
            f"({len(modules)} sélectionné{'s' if len(modules) > 1 else ''})."
        )
    allowed = {m.pk for m in selectors.optional_modules(programme=enrolment.programme)}
    for module in modules:
        if module.pk not in allowed:
            raise ValidationError(
                f"« {module.title} » n'est pas un module d'approfondissement de votre programme."
            )
    # Lock the enrolment row so that two concurrent choices cannot both pass the check.
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
    current = list(ModulePage.objects.filter(pk__in=cohorts_selectors.chosen_option_ids(enrolment=enrolment)))
    if {m.pk for m in current} == {m.pk for m in modules}:
        return modules
    started = selectors.started_module_ids(enrolment=enrolment, modules=current)
    if started:
        title = next(m.title for m in current if m.pk in started)
        raise ValidationError(
            f"Vous avez commencé le module « {title} » : vos options ne peuvent plus être "
            "modifiées. Écrivez à l'équipe pédagogique si votre situation l'exige."
        )
    ElectiveChoice.objects.filter(enrolment=enrolment).delete()
    ElectiveChoice.objects.bulk_create(ElectiveChoice(enrolment=enrolment, module=m) for m in modules)
    return modules


def followed_module_or_error(enrolment: Enrolment, lesson: LessonPage) -> ModulePage:
    """The module of `lesson`, if the learner follows it; a clear ValidationError otherwise.

    Locks the enrolment row first (call it inside a transaction), as options_choose does, so that
    a completion, an attempt or a heartbeat and a change of options cannot interleave."""
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
    if not lesson.path.startswith(enrolment.programme.path):
        raise ValidationError("Cette leçon n'appartient pas au programme que vous suivez.")
    module = ModulePage.objects.get(path=lesson.path[: -ModulePage.steplen])
    if not cohorts_permissions.can_follow_module(
        enrolment, module, cohorts_selectors.chosen_option_ids(enrolment=enrolment)
    ):
        raise ValidationError(
            f"Vous ne suivez pas le module « {module.title} » : choisissez-le parmi vos options "
            "pour en valider les leçons."
        )
    return module


@transaction.atomic
def lesson_complete(*, enrolment: Enrolment, lesson: LessonPage, passed_check: bool = False) -> bool:
    """Mark the lesson completed and credit its nominal duration as e-learning hours, once.

    A lesson ending with a knowledge check is completed only through a passed check
    (`passed_check=True`, given by knowledge_check_submit). Returns False when the lesson was
    already completed (nothing is credited twice)."""
    module = followed_module_or_error(enrolment, lesson)
    if lesson.knowledge_check is not None and not passed_check:
        raise ValidationError("Cette leçon se termine par un quiz : réussissez-le pour la valider.")
    if LessonCompletion.objects.filter(enrolment=enrolment, lesson=lesson).exists():
        return False
    now = timezone.now()
    try:
        with transaction.atomic():
            LessonCompletion.objects.create(enrolment=enrolment, lesson=lesson, completed_at=now)
            HoursEntry.objects.create(
                enrolment=enrolment,
                modality=Modality.ELEARNING,
                source=HoursSource.LESSON,
                module=module,
                lesson=lesson,
                hours=lesson.duration_hours,
                occurred_on=timezone.localdate(now),
                recorded_by=enrolment.user,
                recorded_at=now,
            )
    except IntegrityError:
        # A concurrent request completed the same lesson first: it was credited once.
        return False
    return True


@transaction.atomic
def heartbeat_record(*, enrolment: Enrolment, lesson: LessonPage, now: datetime | None = None) -> bool:
    """Log time spent on a followed lesson from one heartbeat.

    A learner has one clock, whatever the number of tabs and lessons open: a beat credits at most
    the time since the learner's last counted beat on any lesson, so time is counted once. Beats
    closer than HEARTBEAT_MIN_INTERVAL_SECONDS to that last beat are ignored (returns False), except
    the first beat on a lesson of the day, which opens its record with nothing credited; a beat
    adds at most HEARTBEAT_MAX_CREDIT_SECONDS, and the learner's lessons together at most
    HEARTBEAT_MAX_SECONDS_PER_DAY a day, so a flood, a tab left open or several tabs on several
    lessons cannot inflate the record."""
    # Locks the enrolment row: two beats of the same learner (two tabs) are counted one after the other.
    followed_module_or_error(enrolment, lesson)
    now = now or timezone.now()
    day = timezone.localdate(now)
    last_anywhere = LessonActivity.objects.filter(enrolment=enrolment).aggregate(last=Max("last_beat_at"))[
        "last"
    ]
    activity, created = LessonActivity.objects.select_for_update().get_or_create(
        enrolment=enrolment,
        lesson=lesson,
        day=day,
        defaults={"first_seen_at": now, "last_beat_at": now, "beats": 1},
    )
    if created:
        return True
    # The row existed, so last_anywhere (read after the lock) is at least its last beat.
    elapsed = (now - last_anywhere).total_seconds()
    if elapsed < settings.HEARTBEAT_MIN_INTERVAL_SECONDS:
        return False
    # The enrolment row is locked (followed_module_or_error): the day's total cannot move under us.
    spent_today = LessonActivity.objects.filter(enrolment=enrolment, day=day).aggregate(total=Sum("seconds"))[
        "total"
    ]
    room = max(settings.HEARTBEAT_MAX_SECONDS_PER_DAY - (spent_today or 0), 0)
    activity.seconds += int(min(elapsed, settings.HEARTBEAT_MAX_CREDIT_SECONDS, room))
    activity.beats += 1
    activity.last_beat_at = now
    activity.save(update_fields=["seconds", "beats", "last_beat_at"])
    return True


@transaction.atomic
def knowledge_check_submit(
    *, enrolment: Enrolment, lesson: LessonPage, data, seed: str | None = None, now: datetime | None = None
):
    """Grade a lesson's knowledge check (assessments.checks.services.attempt_record) and complete
    the lesson when it is passed. Lessons the learner does not follow are refused before anything
    is written; this also locks the enrolment, so two submissions at once cannot both slip in
    before a pause."""
    followed_module_or_error(enrolment, lesson)
    attempt = checks_services.attempt_record(
        enrolment=enrolment, lesson=lesson, data=data, seed=seed, now=now
    )
    if attempt.passed:
        lesson_complete(enrolment=enrolment, lesson=lesson, passed_check=True)
    return attempt
