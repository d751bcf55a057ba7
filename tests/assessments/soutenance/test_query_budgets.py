"""The soutenance's list pages run a fixed number of queries, whatever the number of juries,
slots, bookings and PVs."""

from __future__ import annotations

import pytest

from assessments.soutenance import services
from tests.assessments.soutenance.factories import jury_of, memoire_released, oral_scheme, slot_of
from tests.factories import EnrolmentFactory, TrainerFactory

pytestmark = pytest.mark.django_db

HEARINGS_QUERIES = 5
JURIES_QUERIES = 7
COHORT_QUERIES = 8


def _booked_world(cohort, team, trainer, size):
    """`size` juries where `trainer` sits, each with two slots, one of them booked."""
    for number in range(size):
        jury = jury_of(
            cohort,
            president=trainer if number % 2 else None,
            members=[TrainerFactory(), trainer] if not number % 2 else None,
            team=team,
            name=f"Jury {number}",
        )
        slot = slot_of(jury, days=10 + number, team=team)
        slot_of(jury, days=30 + number, team=team)
        memoire = memoire_released(EnrolmentFactory(cohort=cohort), 12, team=team)
        services.soutenance_book(memoire=memoire, slot=slot, by=memoire.enrolment.user)


@pytest.mark.parametrize("size", [2, 8])
def test_my_hearings(client, programme, cohort, pedagogical, trainer, size, django_assert_max_num_queries):
    """« Mes soutenances » stays within its budget at both sizes and lists every soutenance."""
    oral_scheme(programme)
    _booked_world(cohort, pedagogical, trainer, size)
    client.force_login(trainer)
    with django_assert_max_num_queries(HEARINGS_QUERIES):
        response = client.get("/formation/soutenances/")
    assert response.status_code == 200
    assert response.content.decode().count("/formation/soutenances/") - 1 >= size


@pytest.mark.parametrize("size", [2, 8])
def test_team_juries(client, programme, cohort, pedagogical, trainer, size, django_assert_max_num_queries):
    """The team's list of juries stays within its budget at both sizes."""
    oral_scheme(programme)
    _booked_world(cohort, pedagogical, trainer, size)
    client.force_login(pedagogical)
    with django_assert_max_num_queries(JURIES_QUERIES):
        response = client.get("/gestion/soutenances/")
    assert response.status_code == 200 and f"Jury {size - 1}" in response.content.decode()


@pytest.mark.parametrize("size", [2, 8])
def test_team_cohort_soutenances(
    client, programme, cohort, pedagogical, trainer, size, django_assert_max_num_queries
):
    """The cohort's soutenances (bookings and PVs) stay within their budget at both sizes."""
    oral_scheme(programme)
    _booked_world(cohort, pedagogical, trainer, size)
    client.force_login(pedagogical)
    with django_assert_max_num_queries(COHORT_QUERIES):
        response = client.get(f"/gestion/soutenances/promotions/{cohort.pk}/")
    assert response.status_code == 200
    assert response.content.decode().count("/formation/soutenances/") >= size
