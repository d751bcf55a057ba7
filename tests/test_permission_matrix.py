"""Role × URL matrix: the status each kind of visitor gets on every view of the platform."""

import pytest
from django.core.cache import cache
from django.db import transaction

from tests.factories import (
    ArsStaffFactory,
    CohortFactory,
    EnrolmentFactory,
    PedagogicalFactory,
    RegionFactory,
    TrainerFactory,
    UserFactory,
    build_programme,
    lessons_of,
    modules_of,
)

ROLES = [
    "anonymous",
    "learner",
    "learner_other_programme",
    "learner_not_enrolled",
    "ars_region",
    "ars_other_region",
    "trainer",
    "pedagogical",
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Two programmes, two regions and one user per role, built once for the whole matrix."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def _build_world():
    programme = build_programme()
    other_programme = build_programme()
    bretagne = RegionFactory(name="Bretagne", slug="bretagne")
    occitanie = RegionFactory(name="Occitanie", slug="occitanie")
    enrolment = EnrolmentFactory(cohort=CohortFactory(programme=programme, region=bretagne))
    other = EnrolmentFactory(cohort=CohortFactory(programme=other_programme, region=occitanie))
    modules = modules_of(programme)
    users = {
        "anonymous": None,
        "learner": enrolment.user,
        "learner_other_programme": other.user,
        "learner_not_enrolled": UserFactory(),
        "ars_region": ArsStaffFactory(regions=[bretagne]),
        "ars_other_region": ArsStaffFactory(regions=[occitanie]),
        "trainer": TrainerFactory(),
        "pedagogical": PedagogicalFactory(),
    }
    lesson, quiz_lesson = lessons_of(modules[0])
    return {
        "users": users,
        "programme": programme,
        "module": modules[0],
        "lesson": lesson,
        "quiz_lesson": quiz_lesson,
    }


def _status(client, world, role, method, url, data=None):
    cache.clear()
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url, data or {})
    return response.status_code


LOGIN = 302
#             anon learner other  notenr ars   ars2  trainer pedago
MATRIX = {
    ("get", "home"): [200, 200, 200, 200, 200, 200, 200, 200],
    ("get", "programme"): [200, 200, 200, 200, 200, 200, 200, 200],
    ("get", "module"): [200, 200, 200, 200, 200, 200, 200, 200],
    ("get", "lesson"): [LOGIN, 200, 403, 403, 200, 200, 200, 200],
    ("get", "my_space"): [LOGIN, 200, 200, 200, 200, 200, 200, 200],
    ("get", "options"): [LOGIN, 200, 200, 403, 403, 403, 403, 403],
    ("post", "complete"): [LOGIN, 302, 403, 403, 403, 403, 403, 403],
    # The learner's answers here do not carry the attempt of an opened page: refused (400), not stored.
    ("post", "quiz"): [LOGIN, 400, 403, 403, 403, 403, 403, 403],
    ("post", "heartbeat"): [LOGIN, 204, 403, 403, 403, 403, 403, 403],
    ("get", "glossary"): [200, 200, 200, 200, 200, 200, 200, 200],
    ("get", "resources"): [200, 200, 200, 200, 200, 200, 200, 200],
    ("get", "framework"): [200, 200, 200, 200, 200, 200, 200, 200],
    ("get", "cms"): [LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, 200],
    ("get", "cms_cohorts"): [LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, 200],
    # One sign-in path: the admin's own login and password reset only redirect to allauth's; a
    # signed-in person without access to the admin is told so (403) rather than sent round in a loop.
    ("get", "cms_login"): [302, 403, 403, 403, 403, 403, 403, 302],
    ("post", "cms_login"): [302, 403, 403, 403, 403, 403, 403, 302],
    ("post", "cms_password_reset"): [302, 302, 302, 302, 302, 302, 302, 302],
    ("get", "cms_account"): [LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, 200],
    ("get", "mfa_required"): [LOGIN, 302, 302, 302, 302, 302, 302, 302],  # required: off in tests
}


def _url(world, name):
    return {
        "home": "/",
        "programme": world["programme"].url,
        "module": world["module"].url,
        "lesson": world["lesson"].url,
        "my_space": "/mon-espace/",
        "options": "/parcours/options/",
        "complete": f"/parcours/lecons/{world['lesson'].pk}/terminer/",
        "quiz": f"/parcours/lecons/{world['quiz_lesson'].pk}/quiz/",
        "heartbeat": f"/parcours/lecons/{world['lesson'].pk}/activite/",
        "glossary": "/glossaire/",
        "resources": "/ressources/",
        "framework": "/referentiel/",
        "cms": "/cms/",
        "cms_cohorts": "/cms/snippets/courses/cohort/",
        "cms_login": "/cms/login/",
        "cms_password_reset": "/cms/password_reset/",
        "cms_account": "/cms/account/",
        "mfa_required": "/comptes/double-authentification-requise/",
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
    data = {"q0": "0", "q1": ["0", "1"]} if name == "quiz" else None
    assert _status(client, world, role, method, _url(world, name), data) == expected


def test_ars_space_lists_only_own_region_cohorts(db, client, world):
    """An ARS staff member's space lists the cohorts of their regions, not another region's."""
    client.force_login(world["users"]["ars_region"])
    html = client.get("/mon-espace/").content.decode()
    assert "Bretagne" in html and "Occitanie" not in html
