from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from courses import services
from courses.models import HoursEntry, LessonActivity
from tests.factories import lessons_of


def _morning():
    """Nine o'clock today in the site's zone, so that offsets of a few hours stay on the same day."""
    return timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)


def test_first_beat_opens_the_day_and_later_beats_add_time(enrolment, modules):
    """The first beat opens a record; a beat 30 s later adds 30 s."""
    lesson = lessons_of(modules[0])[0]
    start = _morning()
    assert services.heartbeat_record(enrolment=enrolment, lesson=lesson, now=start)
    assert services.heartbeat_record(enrolment=enrolment, lesson=lesson, now=start + timedelta(seconds=30))
    activity = LessonActivity.objects.get()
    assert (activity.seconds, activity.beats) == (30, 2)


def test_flood_of_beats_is_ignored(enrolment, modules):
    """Beats closer than the minimum interval are ignored and add nothing."""
    lesson = lessons_of(modules[0])[0]
    start = _morning()
    services.heartbeat_record(enrolment=enrolment, lesson=lesson, now=start)
    results = [
        services.heartbeat_record(enrolment=enrolment, lesson=lesson, now=start + timedelta(seconds=s))
        for s in range(1, 20)
    ]
    assert not any(results)
    assert LessonActivity.objects.get().seconds == 0


def test_a_long_gap_adds_at_most_the_cap(enrolment, modules, settings):
    """A tab left open for hours adds at most the per-beat cap."""
    lesson = lessons_of(modules[0])[0]
    start = _morning()
    services.heartbeat_record(enrolment=enrolment, lesson=lesson, now=start)
    services.heartbeat_record(enrolment=enrolment, lesson=lesson, now=start + timedelta(hours=3))
    assert LessonActivity.objects.get().seconds == settings.HEARTBEAT_MAX_CREDIT_SECONDS


def test_time_spent_is_never_credited_as_hours(enrolment, modules):
    """Heartbeats never write to the hours ledger."""
    lesson = lessons_of(modules[0])[0]
    services.heartbeat_record(enrolment=enrolment, lesson=lesson)
    assert not HoursEntry.objects.exists()


def test_heartbeat_on_unfollowed_module_is_refused(enrolment_with_options, modules):
    """Time is not logged on an option the learner does not follow."""
    with pytest.raises(ValidationError):
        services.heartbeat_record(enrolment=enrolment_with_options, lesson=lessons_of(modules[4])[0])
    assert not LessonActivity.objects.exists()


def test_daily_cap_applies_to_all_lessons_together(enrolment, modules, settings):
    """Beats spread over several lessons cannot log more than the daily cap in total."""
    settings.HEARTBEAT_MAX_SECONDS_PER_DAY = 200
    lessons = lessons_of(modules[0])[:2] + lessons_of(modules[1])[:1]
    start = _morning()
    for lesson in lessons:
        services.heartbeat_record(enrolment=enrolment, lesson=lesson, now=start)
    for step in range(1, 5):
        for lesson in lessons:
            services.heartbeat_record(enrolment=enrolment, lesson=lesson, now=start + timedelta(minutes=step))
    seconds = sorted(LessonActivity.objects.filter(enrolment=enrolment).values_list("seconds", flat=True))
    assert sum(seconds) == 200
    assert seconds == [60, 60, 80]
