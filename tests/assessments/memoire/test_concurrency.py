"""Races on PostgreSQL: `memoire_transition` locks the mémoire's row, so two people acting on one
mémoire at once are serialised and the second is refused as out of order (the race helpers of
tests/courses/test_concurrency.py read in pg_stat_activity that the second waits on that lock)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from assessments.memoire import services
from assessments.memoire.enums import MemoireState
from assessments.memoire.models import Memoire, MemoireEvent
from tests.assessments.memoire.factories import SUBJECT
from tests.courses.test_concurrency import _require_postgresql, race_held
from tests.factories import (
    CohortFactory,
    EnrolmentFactory,
    PedagogicalFactory,
    RegionFactory,
    build_programme,
    ensure_wagtail_base_rows,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module", autouse=True)
def _wagtail_base_rows_restored(django_db_blocker):
    """Put back the rows Wagtail's migrations create after the flush that ends this module."""
    _require_postgresql()
    yield
    with django_db_blocker.unblock():
        ensure_wagtail_base_rows()


def test_a_subject_approved_by_two_people_at_once_is_approved_once():
    cache.clear()
    ensure_wagtail_base_rows()
    programme = build_programme(core=1, lessons_per_module=1, options=())
    enrolment = EnrolmentFactory(cohort=CohortFactory(programme=programme, region=RegionFactory()))
    memoire = services.memoire_subject_propose(enrolment=enrolment, by=enrolment.user, **SUBJECT)
    first, second = PedagogicalFactory(), PedagogicalFactory()
    holder, waiter = race_held(
        lambda: services.memoire_subject_approve(memoire=memoire, by=first),
        lambda: services.memoire_subject_approve(memoire=memoire, by=second),
        locked=Memoire,
    )
    assert holder.error is None
    assert isinstance(waiter.error, ValidationError)
    assert waiter.error.messages == ["Le sujet a déjà été approuvé."]
    assert Memoire.objects.get().state == MemoireState.SUBJECT_APPROVED
    assert list(MemoireEvent.objects.filter(transition="approve").values_list("by", flat=True)) == [first.pk]
