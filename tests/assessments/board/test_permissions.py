"""Role × URL matrix of the team's board, its exports, the tutor and reviewer assignment screens
and the grouped « À corriger »: the learner, another learner, a learner enrolled nowhere, the
tutor, a marker, another trainer, ARS staff of the region and of another region, the team and
anonymous visitors."""

import pytest
from django.core.cache import cache
from django.db import transaction

from assessments.memoire.enums import MemoireState
from tests.assessments.board.helpers import assign_markers, move_to
from tests.assessments.deliverables.factories import AssignmentFactory
from tests.assessments.memoire.factories import memoire_at
from tests.factories import (
    ArsStaffFactory,
    CohortFactory,
    EnrolmentFactory,
    PedagogicalFactory,
    RegionFactory,
    TrainerFactory,
    UserFactory,
    build_programme,
    modules_of,
)

ROLES = [
    "anonymous",
    "learner",
    "other_learner",
    "not_enrolled",
    "tutor",
    "marker",
    "other_trainer",
    "ars_region",
    "ars_other_region",
    "pedagogical",
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def _build_world():
    programme = build_programme(lessons_per_module=1)
    bretagne = RegionFactory(name="Bretagne", slug="bretagne")
    occitanie = RegionFactory(name="Occitanie", slug="occitanie")
    cohort = CohortFactory(programme=programme, region=bretagne)
    enrolment = EnrolmentFactory(cohort=cohort)
    other = EnrolmentFactory(cohort=CohortFactory(programme=programme, region=occitanie))
    team = PedagogicalFactory()
    tutor, marker = TrainerFactory(), TrainerFactory()
    memoire = memoire_at(enrolment, MemoireState.FINAL_SUBMITTED, tutor=tutor, team=team)
    move_to(memoire, MemoireState.MARKING)
    assign_markers(memoire, marker, TrainerFactory(), by=team)
    memoire_at(other, MemoireState.SUBJECT_APPROVED, team=team)
    assignment = AssignmentFactory(module=modules_of(programme)[0], cohort=cohort, trainer=marker)
    users = {
        "anonymous": None,
        "learner": enrolment.user,
        "other_learner": other.user,
        "not_enrolled": UserFactory(),
        "tutor": tutor,
        "marker": marker,
        "other_trainer": TrainerFactory(),
        "ars_region": ArsStaffFactory(regions=[bretagne]),
        "ars_other_region": ArsStaffFactory(regions=[occitanie]),
        "pedagogical": team,
    }
    return {"users": users, "assignment": assignment}


LOGIN = 302
TEAM_ONLY = (LOGIN, 403, 403, 403, 403, 403, 403, 403, 403, 200)
#                      anon   learner other  notenr tutor  marker trainer2 ars  ars2  team
MATRIX = {
    ("get", "board"): TEAM_ONLY,
    ("get", "export_csv"): TEAM_ONLY,
    ("get", "export_xlsx"): TEAM_ONLY,
    ("get", "tutors"): TEAM_ONLY,
    ("get", "reviewers"): TEAM_ONLY,
    ("get", "reviewer_remove"): TEAM_ONLY,
    ("get", "missing_reviewer_remove"): (LOGIN, 403, 403, 403, 403, 403, 403, 403, 403, 404),
    ("get", "grouped"): (LOGIN, 403, 403, 403, 200, 200, 200, 403, 403, 200),
    ("get", "deliverables_queue"): (LOGIN, 403, 403, 403, 200, 200, 200, 403, 403, 200),
    # An empty POST: the team is told to choose (302 back to the page); nobody else reaches it.
    ("post", "tutors"): (LOGIN, 403, 403, 403, 403, 403, 403, 403, 403, 302),
    ("post", "reviewers"): (LOGIN, 403, 403, 403, 403, 403, 403, 403, 403, 400),
}


def _url(world, name):
    assignment = world["assignment"].pk
    return {
        "board": "/gestion/memoires/",
        "export_csv": "/gestion/memoires/export.csv",
        "export_xlsx": "/gestion/memoires/export.xlsx",
        "tutors": "/gestion/memoires/tuteurs/",
        "reviewers": "/gestion/correcteurs/",
        "reviewer_remove": f"/gestion/correcteurs/{assignment}/retirer/",
        "missing_reviewer_remove": "/gestion/correcteurs/999999/retirer/",
        "grouped": "/gestion/a-corriger/",
        "deliverables_queue": "/gestion/a-corriger/productions/",
    }[name]


CASES = [
    (method, name, role, expected)
    for (method, name), statuses in MATRIX.items()
    for role, expected in zip(ROLES, statuses, strict=True)
]


@pytest.mark.parametrize(
    ("method", "name", "role", "expected"), CASES, ids=[f"{m}-{n}-{r}" for m, n, r, _ in CASES]
)
def test_role_url_matrix(db, client, world, method, name, role, expected):
    """Each role gets exactly the expected status on each URL."""
    cache.clear()
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(_url(world, name))
    assert response.status_code == expected
    if expected == LOGIN and user is None:
        assert "/comptes/" in response["Location"]


def test_exports_never_reach_ars_staff(db, client, world):
    """ARS staff of the region get a 403 on both exports, whose rows hold titles and marks."""
    client.force_login(world["users"]["ars_region"])
    for fmt in ("csv", "xlsx"):
        assert client.get(f"/gestion/memoires/export.{fmt}").status_code == 403
