"""The marker's list and the team's publication queue run a fixed number of queries, whatever the
number of mémoires, markers and grids; so do the grid and reconciliation pages."""

from __future__ import annotations

import pytest

from assessments.marking import services
from tests.assessments.marking.factories import grade, marking_at, scheme
from tests.factories import EnrolmentFactory, TrainerFactory

pytestmark = pytest.mark.django_db

MINE_QUERIES = 5
PUBLICATION_QUERIES = 10
GRID_QUERIES = 9
RECONCILIATION_QUERIES = 12


def _world(cohort, team, marker, size):
    """`size` mémoires marked by `marker`: to mark, in reconciliation, marked (one each in turn)."""
    for number in range(size):
        other = TrainerFactory()
        memoire, _, _ = marking_at(EnrolmentFactory(cohort=cohort), team=team, first=marker, second=other)
        if number % 3 == 1:
            grade(memoire, marker, 8)
            grade(memoire, other, 12)
        elif number % 3 == 2:
            grade(memoire, marker, 12)
            grade(memoire, other, 13)


@pytest.mark.parametrize("size", [3, 12])
def test_marker_list(client, cohort, pedagogical, programme, size, django_assert_max_num_queries):
    scheme(programme)
    services.blind_marking_set(cohort=cohort, blind=True, by=pedagogical)
    marker = TrainerFactory()
    _world(cohort, pedagogical, marker, size)
    client.force_login(marker)
    with django_assert_max_num_queries(MINE_QUERIES):
        assert client.get("/formation/corrections/").status_code == 200


@pytest.mark.parametrize("size", [3, 12])
def test_publication_queue(client, cohort, pedagogical, programme, size, django_assert_max_num_queries):
    scheme(programme)
    _world(cohort, pedagogical, TrainerFactory(), size)
    client.force_login(pedagogical)
    with django_assert_max_num_queries(PUBLICATION_QUERIES):
        assert client.get("/gestion/memoires/publication/").status_code == 200
    with django_assert_max_num_queries(PUBLICATION_QUERIES):
        assert (
            client.get("/gestion/memoires/publication/", {"cohort": cohort.pk, "state": "marked"}).status_code
            == 200
        )


@pytest.mark.parametrize("criteria", [2, 12])
def test_grid_and_reconciliation_pages(
    client, enrolment, pedagogical, programme, criteria, django_assert_max_num_queries
):
    from tests.assessments.rubrics.factories import rubric

    scheme(programme, written_rubric=rubric(criteria=[(f"Critère {i}", 1 + i % 3) for i in range(criteria)]))
    memoire, first, second = marking_at(enrolment, team=pedagogical)
    client.force_login(first)
    client.get(f"/memoires/{memoire.pk}/grille/")  # starts the grid
    with django_assert_max_num_queries(GRID_QUERIES):
        assert client.get(f"/memoires/{memoire.pk}/grille/").status_code == 200
    grade(memoire, first, 8)
    grade(memoire, second, 12)
    with django_assert_max_num_queries(RECONCILIATION_QUERIES):
        assert client.get(f"/memoires/{memoire.pk}/conciliation/").status_code == 200
