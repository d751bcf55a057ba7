"""Role × URL matrix of the mémoire's pages: the learner, another learner, a learner enrolled
nowhere, the tutor, another trainer, ARS staff of the region and of another region, the team and
anonymous visitors. Another learner's mémoire, or a file one may not see, is a 404."""

import pytest
from django.core.cache import cache
from django.db import transaction

from assessments.memoire import services
from assessments.memoire.enums import MemoireState
from tests.assessments.memoire.factories import memoire_at, pdf_upload
from tests.factories import (
    ArsStaffFactory,
    CohortFactory,
    EnrolmentFactory,
    PedagogicalFactory,
    RegionFactory,
    TrainerFactory,
    UserFactory,
    build_programme,
)

ROLES = [
    "anonymous",
    "learner",
    "other_learner",
    "not_enrolled",
    "tutor",
    "other_trainer",
    "ars_region",
    "ars_other_region",
    "pedagogical",
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The learner's mémoire with a draft and a final version with annexes; another learner's
    mémoire returned for rework; one user per role. Built once for the whole matrix."""
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
    tutor = TrainerFactory()
    memoire = memoire_at(enrolment, MemoireState.IN_PROGRESS, tutor=tutor, team=team, drafts=1)
    services.memoire_final_submit(
        memoire=memoire, file=pdf_upload(12), annexes=pdf_upload(3, "annexes.pdf"), by=enrolment.user
    )
    other_memoire = memoire_at(other, MemoireState.SUBJECT_RETURNED, team=team)
    users = {
        "anonymous": None,
        "learner": enrolment.user,
        "other_learner": other.user,
        "not_enrolled": UserFactory(),
        "tutor": tutor,
        "other_trainer": TrainerFactory(),
        "ars_region": ArsStaffFactory(regions=[bretagne]),
        "ars_other_region": ArsStaffFactory(regions=[occitanie]),
        "pedagogical": team,
    }
    return {"users": users, "memoire": memoire, "draft": memoire.drafts.get(), "other_memoire": other_memoire}


LOGIN = 302
#                  anon   learner other  notenr tutor  trainer2 ars   ars2  team
MATRIX = {
    ("get", "mine"): (LOGIN, 200, 200, 403, 403, 403, 403, 403, 403),
    ("get", "propose"): (LOGIN, 302, 200, 403, 403, 403, 403, 403, 403),
    ("get", "draft_upload"): (LOGIN, 302, 302, 403, 403, 403, 403, 403, 403),
    ("get", "final_submit"): (LOGIN, 302, 302, 403, 403, 403, 403, 403, 403),
    ("get", "board"): (LOGIN, 403, 403, 403, 403, 403, 403, 403, 200),
    ("get", "tutees"): (LOGIN, 403, 403, 403, 200, 200, 403, 403, 403),
    ("get", "detail"): (LOGIN, 200, 404, 404, 200, 404, 404, 404, 200),
    ("get", "other_detail"): (LOGIN, 404, 200, 404, 404, 404, 404, 404, 200),
    ("get", "approve"): (LOGIN, 403, 404, 404, 403, 404, 404, 404, 200),
    ("get", "return"): (LOGIN, 403, 404, 404, 403, 404, 404, 404, 200),
    ("get", "tutor"): (LOGIN, 403, 404, 404, 403, 404, 404, 404, 200),
    ("get", "draft"): (LOGIN, 200, 404, 404, 200, 404, 404, 404, 200),
    ("get", "draft_file"): (LOGIN, 200, 404, 404, 200, 404, 404, 404, 200),
    ("get", "final_file"): (LOGIN, 200, 404, 404, 200, 404, 404, 404, 200),
    ("get", "annexes_file"): (LOGIN, 200, 404, 404, 200, 404, 404, 404, 200),
    # Approving twice is refused (400) for the team; nobody else reaches the decision.
    ("post", "approve"): (LOGIN, 403, 404, 404, 403, 404, 404, 404, 400),
    # Commenting: the final version is in, so even the tutor is refused (400), the others never reach it.
    ("post", "draft"): (LOGIN, 403, 404, 404, 400, 404, 404, 404, 403),
}


def _url(world, name):
    memoire, draft, other = world["memoire"].pk, world["draft"].pk, world["other_memoire"].pk
    return {
        "mine": "/parcours/memoire/",
        "propose": "/parcours/memoire/sujet/",
        "draft_upload": "/parcours/memoire/brouillon/",
        "final_submit": "/parcours/memoire/version-finale/",
        "board": "/gestion/memoires/",
        "tutees": "/formation/tutores/",
        "detail": f"/memoires/{memoire}/",
        "other_detail": f"/memoires/{other}/",
        "approve": f"/memoires/{memoire}/approuver/",
        "return": f"/memoires/{memoire}/renvoyer/",
        "tutor": f"/memoires/{memoire}/tuteur/",
        "draft": f"/memoires/brouillons/{draft}/",
        "draft_file": f"/memoires/brouillons/{draft}/fichier/",
        "final_file": f"/memoires/{memoire}/version-finale/",
        "annexes_file": f"/memoires/{memoire}/annexes/",
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
    """Each role gets exactly the expected status on each mémoire URL."""
    cache.clear()
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    data = {"body": "Un avis sur la partie 2.", "comment": ""} if method == "post" else {}
    response = getattr(client, method)(_url(world, name), data)
    assert response.status_code == expected
    if expected == LOGIN and user is None:
        assert "/comptes/" in response["Location"]


def test_files_are_sandboxed_downloads(db, client, world):
    """The final version is served as an attachment, never rendered by the browser."""
    client.force_login(world["users"]["tutor"])
    response = client.get(_url(world, "final_file"))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
