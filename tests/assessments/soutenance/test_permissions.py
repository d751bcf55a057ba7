"""Role × URL matrix of the soutenance's pages: the learner, another learner, the mémoire's tutor,
the jury president, a jury member, another trainer, ARS staff of the region and of another region,
the team and anonymous visitors. Another learner's booking or PV is a 404; ARS staff see none."""

import pytest
from django.core.cache import cache
from django.db import transaction

from assessments.soutenance import services
from tests.assessments.soutenance.factories import (
    graded,
    jury_of,
    memoire_released,
    oral_scheme,
    signature_png,
    slot_of,
)
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
    "president",
    "member",
    "other_trainer",
    "ars_region",
    "ars_other_region",
    "pedagogical",
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The learner's soutenance held and its PV signed (a free slot left in the jury); another
    learner's, in another region, held and signed by another jury. Built once for the matrix."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def _held(enrolment, *, tutor, president, member, team):
    memoire = memoire_released(enrolment, 12, tutor=tutor, team=team)
    jury = jury_of(enrolment.cohort, president=president, members=[member], team=team)
    slot = slot_of(jury, team=team)
    free = slot_of(jury, days=20, team=team)
    booking = services.soutenance_book(memoire=memoire, slot=slot, by=enrolment.user)
    graded(memoire, jury)
    pv = services.pv_sign(memoire=memoire, by=president, result="admitted", signature_png=signature_png())
    return {"jury": jury, "slot": slot, "free": free, "booking": booking, "pv": pv}


def _build_world():
    programme = build_programme(lessons_per_module=1)
    oral_scheme(programme)
    bretagne = RegionFactory(name="Bretagne", slug="bretagne")
    occitanie = RegionFactory(name="Occitanie", slug="occitanie")
    cohort = CohortFactory(programme=programme, region=bretagne)
    enrolment = EnrolmentFactory(cohort=cohort)
    other = EnrolmentFactory(cohort=CohortFactory(programme=programme, region=occitanie))
    team = PedagogicalFactory()
    tutor, president, member = TrainerFactory(), TrainerFactory(), TrainerFactory()
    mine = _held(enrolment, tutor=tutor, president=president, member=member, team=team)
    theirs = _held(
        other, tutor=TrainerFactory(), president=TrainerFactory(), member=TrainerFactory(), team=team
    )
    users = {
        "anonymous": None,
        "learner": enrolment.user,
        "other_learner": other.user,
        "tutor": tutor,
        "president": president,
        "member": member,
        "other_trainer": TrainerFactory(),
        "ars_region": ArsStaffFactory(regions=[bretagne]),
        "ars_other_region": ArsStaffFactory(regions=[occitanie]),
        "pedagogical": team,
    }
    return {"users": users, "mine": mine, "theirs": theirs, "cohort": cohort}


LOGIN = 302
#                       anon  learn other tutor pres  memb  train ars   ars2  team
MATRIX = {
    ("get", "juries"): (LOGIN, 403, 403, 403, 403, 403, 403, 403, 403, 200),
    ("get", "jury_create"): (LOGIN, 403, 403, 403, 403, 403, 403, 403, 403, 200),
    ("get", "jury"): (LOGIN, 403, 403, 403, 403, 403, 403, 403, 403, 200),
    # The jury has a booking: its composition no longer changes (back to the jury's page).
    ("get", "jury_edit"): (LOGIN, 403, 403, 403, 403, 403, 403, 403, 403, 302),
    ("get", "slot_create"): (LOGIN, 403, 403, 403, 403, 403, 403, 403, 403, 200),
    ("get", "slot_edit_free"): (LOGIN, 403, 403, 403, 403, 403, 403, 403, 403, 200),
    ("get", "slot_edit_booked"): (LOGIN, 403, 403, 403, 403, 403, 403, 403, 403, 302),
    ("get", "cohort"): (LOGIN, 403, 403, 403, 403, 403, 403, 403, 403, 200),
    ("get", "hearings"): (LOGIN, 403, 403, 200, 200, 200, 200, 403, 403, 403),
    ("get", "hearing"): (LOGIN, 403, 404, 404, 200, 200, 404, 404, 404, 200),
    ("get", "other_hearing"): (LOGIN, 404, 403, 404, 404, 404, 404, 404, 404, 200),
    ("get", "pv"): (LOGIN, 403, 404, 404, 200, 403, 404, 404, 404, 403),
    ("get", "mine"): (LOGIN, 200, 200, 403, 403, 403, 403, 403, 403, 403),
    # The learner's PV is signed: booking is over (back to « Ma soutenance »).
    ("get", "book"): (LOGIN, 302, 404, 403, 403, 403, 403, 403, 403, 403),
    ("get", "ics"): (LOGIN, 200, 404, 404, 200, 200, 404, 404, 404, 200),
    ("get", "pv_file"): (LOGIN, 200, 404, 404, 200, 200, 404, 404, 404, 200),
    ("get", "other_pv_file"): (LOGIN, 404, 200, 404, 404, 404, 404, 404, 404, 200),
    ("post", "book"): (LOGIN, 302, 404, 403, 403, 403, 403, 403, 403, 403),
    # The president's PV is signed: a correction without reason nor signature is refused (400).
    ("post", "pv"): (LOGIN, 403, 404, 404, 400, 403, 404, 404, 404, 403),
    ("post", "hearing"): (LOGIN, 403, 404, 404, 400, 400, 404, 404, 404, 403),
}


def _url(world, name):
    mine, theirs = world["mine"], world["theirs"]
    return {
        "juries": "/gestion/soutenances/",
        "jury_create": "/gestion/soutenances/jurys/nouveau/",
        "jury": f"/gestion/soutenances/jurys/{mine['jury'].pk}/",
        "jury_edit": f"/gestion/soutenances/jurys/{mine['jury'].pk}/modifier/",
        "slot_create": f"/gestion/soutenances/jurys/{mine['jury'].pk}/creneaux/nouveau/",
        "slot_edit_free": f"/gestion/soutenances/creneaux/{mine['free'].pk}/modifier/",
        "slot_edit_booked": f"/gestion/soutenances/creneaux/{mine['slot'].pk}/modifier/",
        "cohort": f"/gestion/soutenances/promotions/{world['cohort'].pk}/",
        "hearings": "/formation/soutenances/",
        "hearing": f"/formation/soutenances/{mine['booking'].pk}/",
        "other_hearing": f"/formation/soutenances/{theirs['booking'].pk}/",
        "pv": f"/formation/soutenances/{mine['booking'].pk}/proces-verbal/",
        "mine": "/parcours/memoire/soutenance/",
        "book": f"/parcours/memoire/soutenance/creneaux/{mine['free'].pk}/",
        "ics": f"/soutenances/{mine['booking'].pk}/invitation.ics",
        "pv_file": f"/soutenances/proces-verbaux/{mine['pv'].pk}/",
        "other_pv_file": f"/soutenances/proces-verbaux/{theirs['pv'].pk}/",
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
    """Each role gets exactly the expected status on each soutenance URL."""
    cache.clear()
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    data = {"action": "submit"} if method == "post" else {}
    response = getattr(client, method)(_url(world, name), data)
    assert response.status_code == expected
    if expected == LOGIN and user is None:
        assert "/comptes/" in response["Location"]


def test_the_pv_download_is_the_stored_pdf_as_an_attachment(db, client, world):
    """The PV is served as stored at signing, as an attachment with nosniff and a sandbox policy."""
    client.force_login(world["users"]["learner"])
    response = client.get(_url(world, "pv_file"))
    assert response.content == bytes(world["mine"]["pv"].pdf)
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
