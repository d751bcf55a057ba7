"""The similarity pages: the role × URL matrix (the learner, another learner, a learner enrolled
nowhere, the tutor, a marker, another trainer, ARS staff of the region and of another region, the
team, anonymous visitors), then what each page shows and refuses."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import transaction

from assessments.marking.models import MarkerAssignment, MarkerRole
from assessments.memoire.models import MemoireEvent
from assessments.similarity import services
from assessments.similarity.models import FlagState, ReportStatus, SimilarityReport
from tests.assessments.similarity.factories import final_with_text, prose
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
    "marker",
    "other_trainer",
    "ars_region",
    "ars_other_region",
    "pedagogical",
]
COPIED = prose(300, seed=21) + " <script>alert('copie')</script> " + prose(40, seed=22)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The learner's mémoire copying a paragraph of another learner's (flag open), with a tutor and
    a marker; one user per role. Built once for the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def _build_world():
    programme = build_programme(lessons_per_module=1)
    bretagne = RegionFactory(name="Bretagne", slug="bretagne")
    occitanie = RegionFactory(name="Occitanie", slug="occitanie")
    enrolment = EnrolmentFactory(
        cohort=CohortFactory(programme=programme, region=bretagne, name="Bretagne 2026")
    )
    other = EnrolmentFactory(
        cohort=CohortFactory(programme=programme, region=occitanie, name="Occitanie 2025"),
        user=UserFactory(first_name="Odile", last_name="Autrement"),
    )
    team = PedagogicalFactory()
    tutor = TrainerFactory()
    marker = TrainerFactory()
    other_memoire = final_with_text(other, COPIED, team=team)
    services.similarity_check_run(memoire_id=other_memoire.pk)
    memoire = final_with_text(enrolment, prose(400, seed=23) + " " + COPIED, team=team, tutor=tutor)
    report = services.similarity_check_run(memoire_id=memoire.pk)
    assert report.flag == FlagState.OPEN
    MarkerAssignment.objects.create(memoire=memoire, marker=marker, role=MarkerRole.FIRST, assigned_by=team)
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
    return {"users": users, "memoire": memoire, "other_memoire": other_memoire}


LOGIN = 302
#                    anon   learner other  notenr tutor  marker trainer2 ars  ars2  team
MATRIX = {
    ("get", "flags"): (LOGIN, 403, 403, 403, 403, 403, 403, 403, 403, 200),
    ("get", "report"): (LOGIN, 403, 404, 404, 403, 200, 404, 404, 404, 200),
    ("get", "other_report"): (LOGIN, 404, 403, 404, 404, 404, 404, 404, 404, 200),
    ("get", "clear"): (LOGIN, 403, 404, 404, 403, 403, 404, 404, 404, 200),
    ("get", "confirm"): (LOGIN, 403, 404, 404, 403, 403, 404, 404, 404, 200),
    # An empty motive is refused (400) for the team; nobody else reaches the decision.
    ("post", "clear"): (LOGIN, 403, 404, 404, 403, 403, 404, 404, 404, 400),
    ("post", "confirm"): (LOGIN, 403, 404, 404, 403, 403, 404, 404, 404, 400),
    # The check is done, not failed: the team is sent back to the report with why (302).
    ("post", "rerun"): (LOGIN, 403, 404, 404, 403, 403, 404, 404, 404, 302),
}


def _url(world, name):
    memoire, other = world["memoire"].pk, world["other_memoire"].pk
    return {
        "flags": "/gestion/similarite/",
        "report": f"/memoires/{memoire}/similarite/",
        "other_report": f"/memoires/{other}/similarite/",
        "clear": f"/memoires/{memoire}/similarite/lever/",
        "confirm": f"/memoires/{memoire}/similarite/confirmer/",
        "rerun": f"/memoires/{memoire}/similarite/relancer/",
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
    """Each role gets exactly the expected status on each similarity URL."""
    cache.clear()
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(_url(world, name), {"comment": ""} if method == "post" else {})
    assert response.status_code == expected
    if expected == LOGIN and user is None:
        assert "/comptes/" in response["Location"]
    assert SimilarityReport.objects.get(memoire=world["memoire"]).flag == FlagState.OPEN


def test_the_rerun_page_refuses_a_get(db, client, world):
    """Re-running is a POST (a button), never a link a crawler could follow."""
    client.force_login(world["users"]["pedagogical"])
    assert client.get(_url(world, "rerun")).status_code == 405


def test_markers_see_passages_side_by_side_without_other_names(db, client, world):
    """The marker reads the share and the passages, the copied words marked, the document's own
    markup escaped, the other source named by kind, cohort and year only."""
    client.force_login(world["users"]["marker"])
    page = client.get(_url(world, "report")).content.decode()
    assert "Passages concordants" in page and "<mark>" in page
    assert "Mémoire (version finale) — Occitanie 2025, " in page
    assert "Autrement" not in page and world["users"]["learner"].last_name not in page
    assert "&lt;script&gt;alert(&#x27;copie&#x27;)&lt;/script&gt;" in page
    assert "<script>alert" not in page


def test_the_team_sees_names_and_the_decision_buttons(db, client, world):
    """The team's report names the other document's author and offers to clear or confirm."""
    client.force_login(world["users"]["pedagogical"])
    page = client.get(_url(world, "report")).content.decode()
    assert "Odile Autrement" in page
    assert "Lever l'alerte" in page and "Confirmer l'alerte" in page


def test_an_empty_motive_is_refused_with_its_message(db, client, world):
    """No motive: the form says what to write, and nothing is decided nor logged."""
    client.force_login(world["users"]["pedagogical"])
    events = MemoireEvent.objects.count()
    response = client.post(_url(world, "clear"), {"comment": "   "})
    assert response.status_code == 400
    assert "Écrivez le motif de la décision" in response.content.decode()
    assert MemoireEvent.objects.count() == events


def test_the_team_clears_the_flag_through_the_confirmation_page(db, client, world):
    """The confirmation page's POST with a motive clears the flag and logs it; the screen of
    flags no longer lists it."""
    client.force_login(world["users"]["pedagogical"])
    flags = client.get("/gestion/similarite/").content.decode()
    assert world["users"]["learner"].display_name in flags
    response = client.post(_url(world, "clear"), {"comment": "Citations référencées, guillemets présents."})
    assert response.status_code == 302 and response["Location"] == _url(world, "report")
    report = SimilarityReport.objects.get(memoire=world["memoire"])
    assert report.flag == FlagState.CLEARED and report.decision_comment.startswith("Citations")
    assert "Aucune alerte à examiner" in client.get("/gestion/similarite/").content.decode()
    decided = client.get("/gestion/similarite/", {"vue": "decidees"}).content.decode()
    assert world["users"]["learner"].display_name in decided


def test_the_memoire_page_links_the_report_for_those_who_may_read_it(db, client, world):
    """The team sees the summary and the link on the mémoire's page; the learner and the tutor do
    not."""
    link = "Voir le rapport de similarité"
    client.force_login(world["users"]["pedagogical"])
    assert link in client.get(f"/memoires/{world['memoire'].pk}/").content.decode()
    for role in ("learner", "tutor"):
        client.force_login(world["users"][role])
        assert link not in client.get(f"/memoires/{world['memoire'].pk}/").content.decode()


def test_a_failed_check_is_rerun_from_the_screen(db, client, world, django_capture_on_commit_callbacks):
    """The failed view lists the check; its button re-runs it, and the report is done."""
    memoire = world["other_memoire"]
    SimilarityReport.objects.filter(memoire=memoire).update(status=ReportStatus.FAILED, reason="Illisible.")
    client.force_login(world["users"]["pedagogical"])
    page = client.get("/gestion/similarite/", {"vue": "echecs"}).content.decode()
    assert "Relancer" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/memoires/{memoire.pk}/similarite/relancer/")
    assert response.status_code == 302
    assert SimilarityReport.objects.get(memoire=memoire).status == ReportStatus.DONE


def test_each_view_of_the_screen_has_an_empty_state(db, client):
    """With no report at all, every view says what it would hold."""
    SimilarityReport.objects.all().delete()  # the module's world, within this test's savepoint
    client.force_login(PedagogicalFactory())
    for queue, text in [
        ("a-examiner", "Aucune alerte à examiner"),
        ("echecs", "Aucune vérification échouée"),
        ("en-cours", "Aucune vérification en cours"),
        ("decidees", "Aucune alerte décidée"),
    ]:
        assert text in client.get("/gestion/similarite/", {"vue": queue}).content.decode()
