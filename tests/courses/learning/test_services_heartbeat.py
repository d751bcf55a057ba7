from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from courses.hours.models import HoursEntry
from courses.learning import services as learning_services
from courses.learning.models import LessonActivity
from tests.factories import lessons_of


def _morning():
    """Nine o'clock today in the site's zone, so that offsets of a few hours stay on the same day."""
    return timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)


def test_first_beat_opens_the_day_and_later_beats_add_time(enrolment, modules):
    """The first beat opens a record; a beat 30 s later adds 30 s."""
    lesson = lessons_of(modules[0])[0]
    start = _morning()
    assert learning_services.heartbeat_record(enrolment=enrolment, lesson=lesson, now=start)
    assert learning_services.heartbeat_record(
        enrolment=enrolment, lesson=lesson, now=start + timedelta(seconds=30)
    )
    activity = LessonActivity.objects.get()
    assert (activity.seconds, activity.beats) == (30, 2)


def test_flood_of_beats_is_ignored(enrolment, modules):
    """Beats closer than the minimum interval are ignored and add nothing."""
    lesson = lessons_of(modules[0])[0]
    start = _morning()
    learning_services.heartbeat_record(enrolment=enrolment, lesson=lesson, now=start)
    results = [
        learning_services.heartbeat_record(
            enrolment=enrolment, lesson=lesson, now=start + timedelta(seconds=s)
        )
        for s in range(1, 20)
    ]
    assert not any(results)
    assert LessonActivity.objects.get().seconds == 0


def test_a_long_gap_adds_at_most_the_cap(enrolment, modules, settings):
    """A tab left open for hours adds at most the per-beat cap."""
    lesson = lessons_of(modules[0])[0]
    start = _morning()
    learning_services.heartbeat_record(enrolment=enrolment, lesson=lesson, now=start)
    learning_services.heartbeat_record(enrolment=enrolment, lesson=lesson, now=start + timedelta(hours=3))
    assert LessonActivity.objects.get().seconds == settings.HEARTBEAT_MAX_CREDIT_SECONDS


def test_time_spent_is_never_credited_as_hours(enrolment, modules):
    """Heartbeats never write to the hours ledger."""
    lesson = lessons_of(modules[0])[0]
    learning_services.heartbeat_record(enrolment=enrolment, lesson=lesson)
    assert not HoursEntry.objects.exists()


def test_heartbeat_on_unfollowed_module_is_refused(enrolment_with_options, modules):
    """Time is not logged on an option the learner does not follow."""
    with pytest.raises(ValidationError):
        learning_services.heartbeat_record(enrolment=enrolment_with_options, lesson=lessons_of(modules[4])[0])
    assert not LessonActivity.objects.exists()


def test_daily_cap_applies_to_all_lessons_together(enrolment, modules, settings):
    """Beats spread over several lessons for five minutes cannot log more than the daily cap in total."""
    settings.HEARTBEAT_MAX_SECONDS_PER_DAY = 200
    lessons = lessons_of(modules[0])[:2] + lessons_of(modules[1])[:1]
    start = _morning()
    for step in range(0, 11):
        lesson = lessons[step % len(lessons)]
        learning_services.heartbeat_record(
            enrolment=enrolment, lesson=lesson, now=start + timedelta(seconds=30 * step)
        )
    seconds = LessonActivity.objects.filter(enrolment=enrolment).values_list("seconds", flat=True)
    assert sum(seconds) == 200


def _beat_in_turn(enrolment, lessons, *, every: int, until: int) -> int:
    """Beat on `lessons` in turn, one beat every `every` seconds from 0 to `until`; the total logged."""
    start = _morning()
    for index, offset in enumerate(range(0, until + 1, every)):
        learning_services.heartbeat_record(
            enrolment=enrolment, lesson=lessons[index % len(lessons)], now=start + timedelta(seconds=offset)
        )
    return sum(LessonActivity.objects.filter(enrolment=enrolment).values_list("seconds", flat=True))


def test_three_tabs_on_three_lessons_log_the_real_time_once(enrolment, modules):
    """Three tabs open on three lessons, each beating every 30 s (one beat every 10 s in all) for
    10 minutes: at most the 600 s that passed are logged, not three times as much."""
    lessons = lessons_of(modules[0])[:2] + lessons_of(modules[1])[:1]
    logged = _beat_in_turn(enrolment, lessons, every=10, until=600)
    assert 540 <= logged <= 600


def test_beating_on_seven_lessons_in_turn_cannot_inflate_the_log(enrolment, modules):
    """The reported case: seven lessons beaten in turn, one beat every 3 s for 154 s, had logged
    961 s; at most the 154 s that passed are logged."""
    lessons = [lesson for module in modules[:4] for lesson in lessons_of(module)][:7]
    assert len(lessons) == 7
    logged = _beat_in_turn(enrolment, lessons, every=3, until=154)
    assert 100 <= logged <= 154


def test_a_second_tab_on_another_lesson_adds_nothing_more(enrolment, modules):
    """A beat on another lesson 10 s after a counted one on the first is ignored; the next counted beat,
    wherever it comes from, adds only the time since the last one."""
    first, second = lessons_of(modules[0])[:2]
    start = _morning()
    assert learning_services.heartbeat_record(enrolment=enrolment, lesson=first, now=start)
    assert learning_services.heartbeat_record(
        enrolment=enrolment, lesson=second, now=start + timedelta(seconds=5)
    )
    assert learning_services.heartbeat_record(
        enrolment=enrolment, lesson=first, now=start + timedelta(seconds=30)
    )
    assert not learning_services.heartbeat_record(
        enrolment=enrolment, lesson=second, now=start + timedelta(seconds=40)
    )
    assert learning_services.heartbeat_record(
        enrolment=enrolment, lesson=second, now=start + timedelta(seconds=60)
    )
    logged = dict(LessonActivity.objects.values_list("lesson_id", "seconds"))
    assert logged == {first.pk: 25, second.pk: 30}
