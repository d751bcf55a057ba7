"""Races on PostgreSQL: two learners booking one slot at the same instant, each from its own
connection, leave exactly one booking; the other hears the slot was just taken (the partial unique
constraint on active bookings decides, and its IntegrityError becomes the French message)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from assessments.memoire.enums import MemoireState
from assessments.memoire.models import Memoire
from assessments.soutenance import services
from assessments.soutenance.models import Booking, ProcesVerbal
from assessments.soutenance.rules import SLOT_TAKEN
from tests.assessments.soutenance.factories import (
    graded,
    jury_of,
    memoire_released,
    oral_scheme,
    signature_png,
    slot_of,
)
from tests.courses.test_concurrency import _require_postgresql, race_free, race_held
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


def _two_learners_one_slot():
    cache.clear()
    ensure_wagtail_base_rows()
    programme = build_programme(core=1, lessons_per_module=1, options=())
    oral_scheme(programme)
    cohort = CohortFactory(programme=programme, region=RegionFactory())
    team = PedagogicalFactory()
    first = memoire_released(EnrolmentFactory(cohort=cohort), 12, team=team)
    second = memoire_released(EnrolmentFactory(cohort=cohort), 14, team=team)
    slot = slot_of(jury_of(cohort, team=team), team=team)
    return first, second, slot


def _book(memoire, slot):
    return lambda: services.soutenance_book(memoire=memoire, slot=slot, by=memoire.enrolment.user)


def test_two_learners_booking_one_slot_at_once_leave_one_booking():
    """Both click at the same instant, each on its own connection: one booking, one clear refusal."""
    first, second, slot = _two_learners_one_slot()
    racers = race_free(_book(first, slot), _book(second, slot))
    errors = [r.error for r in racers if r.error is not None]
    assert len(errors) == 1
    assert isinstance(errors[0], ValidationError) and errors[0].messages == [SLOT_TAKEN]
    booking = Booking.objects.get()
    assert booking.slot == slot
    states = dict(Memoire.objects.values_list("pk", "state"))
    loser = second if booking.memoire_id == first.pk else first
    assert states[booking.memoire_id] == MemoireState.SOUTENANCE_BOOKED
    assert states[loser.pk] == MemoireState.RELEASED


def test_the_second_booking_waits_on_the_first_and_is_refused_after_its_commit():
    """While the first booking's transaction is open, the second insert waits on the unique index,
    then gets the French message; the database keeps the first booking only."""
    first, second, slot = _two_learners_one_slot()
    holder, waiter = race_held(_book(first, slot), _book(second, slot), locked=Booking, statement="INSERT")
    assert holder.error is None
    assert isinstance(waiter.error, ValidationError) and waiter.error.messages == [SLOT_TAKEN]
    assert list(Booking.objects.values_list("memoire_id", flat=True)) == [first.pk]
    assert Memoire.objects.get(pk=second.pk).state == MemoireState.RELEASED


def test_postgresql_refuses_to_change_or_delete_a_signed_pv():
    """The trigger refuses an UPDATE or a DELETE of a signed PV, even in raw SQL."""
    first, _, slot = _two_learners_one_slot()
    services.soutenance_book(memoire=first, slot=slot, by=first.enrolment.user)
    jury = slot.jury
    graded(first, jury)
    president = jury.members.get(is_president=True).member
    pv = services.pv_sign(memoire=first, by=president, result="admitted", signature_png=signature_png())
    for sql in (
        "UPDATE assessments_procesverbal SET result = 'adjourned' WHERE id = %s",
        "DELETE FROM assessments_procesverbal WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="procès-verbal signé"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [pv.pk])
    assert ProcesVerbal.objects.get().result == "admitted"
