"""Role × URL matrix of the double marking's pages: anonymous, the learner, another learner, the
tutor, marker 1, marker 2, another trainer, the third marker, ARS staff of the region and of another
region, and the team. A trainer who does not mark a mémoire gets a 404 for it; learners and ARS staff
a 403 on every marking page; marker 2 a 403 on marker 1's sealed grid."""

import pytest
from django.core.cache import cache
from django.db import transaction

from assessments.marking import services
from tests.assessments.marking.factories import grade, marking_at, scheme
from tests.assessments.rubrics.factories import scores_all
from tests.factories import (
    ArsStaffFactory,
    CohortFactory,
    EnrolmentFactory,
    PedagogicalFactory,
    RegionFactory,
    TrainerFactory,
    build_programme,
)

ROLES = [
    "anonymous",
    "learner",
    "other_learner",
    "tutor",
    "marker1",
    "marker2",
    "other_trainer",
    "third",
    "ars_region",
    "ars_other_region",
    "pedagogical",
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Three mémoires of one cohort marked by the same two markers: one being marked (marker 1's
    grid submitted, marker 2's a draft), one in reconciliation with a third marker, one marked and
    waiting for release. Built once for the whole matrix."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def _build_world():
    programme = build_programme(lessons_per_module=1)
    written = scheme(programme)
    bretagne = RegionFactory(name="Bretagne", slug="bretagne")
    occitanie = RegionFactory(name="Occitanie", slug="occitanie")
    cohort = CohortFactory(programme=programme, region=bretagne)
    team, tutor = PedagogicalFactory(), TrainerFactory()
    marker1, marker2, third = TrainerFactory(), TrainerFactory(), TrainerFactory()
    enrolment = EnrolmentFactory(cohort=cohort)
    other = EnrolmentFactory(cohort=CohortFactory(programme=programme, region=occitanie))

    def at_marking(e):
        return marking_at(e, team=team, first=marker1, second=marker2, tutor=tutor)[0]

    marking = at_marking(enrolment)
    first_grid = grade(marking, marker1, 12)
    services.marker_grid_save(memoire=marking, scores=scores_all(written.written_rubric, 11), by=marker2)
    reconciling = at_marking(EnrolmentFactory(cohort=cohort))
    grade(reconciling, marker1, 8)
    grade(reconciling, marker2, 12)
    services.third_marker_name(memoire=reconciling, marker=third, by=team)
    marked = at_marking(other)
    grade(marked, marker1, 12)
    grade(marked, marker2, 13)
    users = {
        "anonymous": None,
        "learner": enrolment.user,
        "other_learner": other.user,
        "tutor": tutor,
        "marker1": marker1,
        "marker2": marker2,
        "other_trainer": TrainerFactory(),
        "third": third,
        "ars_region": ArsStaffFactory(regions=[bretagne]),
        "ars_other_region": ArsStaffFactory(regions=[occitanie]),
        "pedagogical": team,
    }
    return {
        "users": users,
        "marking": marking.pk,
        "grid": first_grid.pk,
        "reconciling": reconciling.pk,
        "marked": marked.pk,
        "cohort": cohort.pk,
    }


LOGIN = 302
# fmt: off
#                        anon   lrn  other tutor  m1   m2  trnr2 third  ars  ars2 team
MATRIX = {
    ("get", "mine"):          (LOGIN, 403, 403, 200, 200, 200, 200, 200, 403, 403, 403),
    ("get", "publication"):   (LOGIN, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200),
    ("get", "release_cohort"): (LOGIN, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200),
    ("get", "blind_marking"): (LOGIN, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200),
    ("get", "markers"):       (LOGIN, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200),
    ("get", "grid"):          (LOGIN, 403, 403, 404, 200, 200, 404, 404, 403, 403, 403),
    ("get", "grid_submit"):   (LOGIN, 403, 403, 404, 302, 200, 404, 404, 403, 403, 403),
    ("get", "grid_detail"):   (LOGIN, 403, 403, 404, 200, 403, 404, 404, 403, 403, 200),
    ("get", "copy"):          (LOGIN, 403, 403, 404, 200, 200, 404, 404, 403, 403, 200),
    ("get", "reconciliation"): (LOGIN, 403, 403, 404, 200, 200, 404, 200, 403, 403, 200),
    ("get", "third_marker"):  (LOGIN, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200),
    ("get", "release"):       (LOGIN, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200),
    # Releasing a mémoire still in reconciliation is refused (400) for the team.
    ("post", "release_early"): (LOGIN, 403, 403, 403, 403, 403, 403, 403, 403, 403, 400),
    # A crafted criterion id: marker 2's grid refuses it (400); marker 1's grid is sealed (400 too).
    ("post", "grid"):         (LOGIN, 403, 403, 404, 400, 400, 404, 404, 403, 403, 403),
}
# fmt: on


def _url(world, name):
    m, r, d, g, c = world["marking"], world["reconciling"], world["marked"], world["grid"], world["cohort"]
    return {
        "mine": "/formation/corrections/",
        "publication": "/gestion/memoires/publication/",
        "release_cohort": f"/gestion/memoires/publication/promotion/{c}/",
        "blind_marking": f"/gestion/memoires/correction-anonyme/{c}/",
        "markers": f"/memoires/{m}/correcteurs/",
        "grid": f"/memoires/{m}/grille/",
        "grid_submit": f"/memoires/{m}/grille/remettre/",
        "grid_detail": f"/memoires/{m}/grilles/{g}/",
        "copy": f"/memoires/{m}/copie/",
        "reconciliation": f"/memoires/{r}/conciliation/",
        "third_marker": f"/memoires/{r}/conciliation/tiers/",
        "release": f"/memoires/{d}/publier/",
        "release_early": f"/memoires/{r}/publier/",
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
    """Each role gets exactly the expected status on each marking URL."""
    cache.clear()
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    data = {"action": "save", "score_999999": "12"} if method == "post" else {}
    response = getattr(client, method)(_url(world, name), data)
    assert response.status_code == expected
    if expected == LOGIN and user is None:
        assert "/comptes/" in response["Location"]


def test_the_sealed_grid_refusal_is_explained_in_french(db, client, world):
    """Marker 2 opening marker 1's grid by URL reads why, and sees no mark."""
    client.force_login(world["users"]["marker2"])
    response = client.get(_url(world, "grid_detail"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Cette grille est scellée" in body
    assert "12/20" not in body


def test_marker2s_own_grid_page_shows_nothing_of_marker1s(db, client, world):
    client.force_login(world["users"]["marker2"])
    body = client.get(_url(world, "grid")).content.decode()
    assert "L'autre grille" not in body
    assert f"/grilles/{world['grid']}/" not in body


def test_the_copy_is_a_sandboxed_download(db, client, world):
    client.force_login(world["users"]["marker1"])
    response = client.get(_url(world, "copy"))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
