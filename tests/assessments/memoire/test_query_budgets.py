"""The mémoire's list and dashboard pages run a fixed number of queries, whatever the number of
learners, tutees, drafts, comments and events."""

from __future__ import annotations

import pytest

from assessments.memoire.enums import MemoireState
from assessments.memoire.models import MemoireDraft, MemoireEvent
from tests.assessments.memoire.factories import memoire_at
from tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db
S = MemoireState
STATES = [S.NOT_STARTED, S.SUBJECT_PROPOSED, S.SUBJECT_APPROVED]

#: 9 before the board room, + 4: the region and tutor filter lists, the markers, the mémoires
#: awaiting a tutor.
BOARD_QUERIES = 13
TUTEES_QUERIES = 5
LEARNER_PAGE_QUERIES = 9
#: The detail page asks whether the viewer marks the mémoire (the similarity summary): one query.
DETAIL_QUERIES = 9


def _board_world(cohort, team, size):
    for number in range(size):
        enrolment = EnrolmentFactory(cohort=cohort)
        if number % 4:
            memoire_at(enrolment, STATES[number % 3], team=team)


def _drafts(memoire, learner, tutor, count):
    """`count` drafts with a comment each, written without the probe (the budget is about reads)."""
    for version in range(1, count + 1):
        draft = MemoireDraft.objects.create(
            memoire=memoire,
            version=version,
            file=f"memoires/d{version}.pdf",
            file_name="d.pdf",
            content_type="application/pdf",
        )
        draft.comments.create(author=tutor, body=f"Avis {version}")
        MemoireEvent.objects.create(
            memoire=memoire,
            transition="upload_draft",
            from_state=S.IN_PROGRESS,
            to_state=S.IN_PROGRESS,
            by=learner,
        )


@pytest.mark.parametrize("size", [4, 40])
def test_board(client, cohort, pedagogical, size, django_assert_max_num_queries):
    _board_world(cohort, pedagogical, size)
    client.force_login(pedagogical)
    with django_assert_max_num_queries(BOARD_QUERIES):
        assert client.get("/gestion/memoires/").status_code == 200
    with django_assert_max_num_queries(BOARD_QUERIES):
        assert (
            client.get("/gestion/memoires/", {"cohort": cohort.pk, "state": S.SUBJECT_PROPOSED}).status_code
            == 200
        )


@pytest.mark.parametrize("size", [1, 12])
def test_tutees(client, cohort, pedagogical, trainer, size, django_assert_max_num_queries):
    for _ in range(size):
        memoire = memoire_at(EnrolmentFactory(cohort=cohort), S.IN_PROGRESS, team=pedagogical, tutor=trainer)
        _drafts(memoire, memoire.enrolment.user, trainer, 2)
    client.force_login(trainer)
    with django_assert_max_num_queries(TUTEES_QUERIES):
        assert client.get("/formation/tutores/").status_code == 200


@pytest.mark.parametrize("drafts", [1, 15])
def test_learner_page_and_detail(
    client, enrolment, pedagogical, trainer, drafts, django_assert_max_num_queries
):
    memoire = memoire_at(enrolment, S.IN_PROGRESS, team=pedagogical, tutor=trainer)
    _drafts(memoire, enrolment.user, trainer, drafts)
    client.force_login(enrolment.user)
    with django_assert_max_num_queries(LEARNER_PAGE_QUERIES):
        assert client.get("/parcours/memoire/").status_code == 200
    client.force_login(trainer)
    with django_assert_max_num_queries(DETAIL_QUERIES):
        assert client.get(f"/memoires/{memoire.pk}/").status_code == 200
