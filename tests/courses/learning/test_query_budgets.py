"""Query budgets of the learner's pages, measured at two data sizes: the count must not grow."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.enums import HoursSource, Modality
from courses.hours.models import HoursEntry
from courses.learning import services as learning_services
from courses.learning.models import LessonActivity
from tests.factories import (
    CohortFactory,
    EnrolmentFactory,
    RegionFactory,
    build_programme,
    lessons_of,
    modules_of,
)

# Wagtail routing alone takes about 10 queries on module and lesson pages (site, one per tree
# level, aliases, view restrictions); the rest is ours and fixed.
#: The dashboard's 15: 12 of its own, 3 for the written deliverables section (chosen options,
#: deliverables with their due dates, the learner's versions), whatever their number.
#: + 1 for « Mon mémoire » (memoire_state_for, one query): 16.
BUDGETS = {"dashboard": 16, "module": 16, "lesson": 20}


def _world(lessons_per_module: int, ledger_rows: int, options: int = 3):
    programme = build_programme(
        lessons_per_module=lessons_per_module,
        options=tuple((f"Option {i}", "6", "4", "6") for i in range(options)),
    )
    enrolment = EnrolmentFactory(cohort=CohortFactory(programme=programme, region=RegionFactory()))
    modules = modules_of(programme)
    learning_services.options_choose(enrolment=enrolment, modules=modules[5:7])
    lessons = lessons_of(modules[0])
    learning_services.lesson_complete(enrolment=enrolment, lesson=lessons[0])
    HoursEntry.objects.bulk_create(
        HoursEntry(
            enrolment=enrolment,
            modality=Modality.PRESENTIAL,
            source=HoursSource.ATTENDANCE,
            module=modules[i % 4],
            hours=Decimal("0.5"),
            occurred_on=datetime.date(2026, 10, 1),
            recorded_by=enrolment.user,
        )
        for i in range(ledger_rows)
    )
    LessonActivity.objects.bulk_create(
        LessonActivity(enrolment=enrolment, lesson=lesson, day=datetime.date(2026, 10, d), seconds=60)
        for lesson in lessons[:3]
        for d in range(1, 1 + min(ledger_rows, 28))
    )
    return {
        "user": enrolment.user,
        "dashboard": "/mon-espace/",
        "module": modules[0].url,
        "lesson": lessons[1].url,
    }


def _count(client, user, url):
    cache.clear()
    client.force_login(user)
    client.get(url)  # warm per-process caches (site root paths), as a running server has them
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("page", sorted(BUDGETS))
def test_learner_page_query_count_is_flat(client, page):
    """The dashboard, a module page and a lesson page run the same number of queries, within the
    budget, for 7 modules of 2 lessons and 5 ledger rows as for 12 modules of 8 lessons and 400 rows."""
    small = _world(lessons_per_module=2, ledger_rows=5)
    large = _world(lessons_per_module=8, ledger_rows=400, options=8)
    small_count = _count(client, small["user"], small[page])
    large_count = _count(client, large["user"], large[page])
    assert small_count == large_count, (small_count, large_count)
    assert large_count <= BUDGETS[page], large_count
