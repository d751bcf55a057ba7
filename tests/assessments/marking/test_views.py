"""The double marking through its pages: assigning markers, the grid's draft and confirmed
submission, bad input kept on the form, blind screens and copies, the reconciliation page, the
publication queue and what the learner sees before and after the release."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from assessments.marking import services
from assessments.marking.models import AgreedMark, MarkerAssignment
from assessments.memoire.enums import MemoireState
from assessments.memoire.flows import TUTOR_MAY_NOT_MARK
from assessments.rubrics.forms import UNKNOWN_CRITERION
from assessments.rubrics.models import Grid, GridScore
from tests.assessments.marking.factories import grade, marking_at, scheme
from tests.assessments.memoire.factories import memoire_at
from tests.factories import TrainerFactory

pytestmark = pytest.mark.django_db
S = MemoireState
#: A mark out of 20 on a page (« 12,5/20 »), not a date (« 01/12/2026 »).
MARK = re.compile(r"\d/20(?!\d)")


@pytest.fixture
def written(programme):
    return scheme(programme)


def _scores(rubric, value, justification=""):
    data = {}
    for c in rubric.criteria.all():
        data[f"score_{c.pk}"] = value
        data[f"justification_{c.pk}"] = justification
    return data


def test_the_team_assigns_markers_from_the_memoire_page(client, enrolment, pedagogical, written):
    memoire = memoire_at(enrolment, S.FINAL_SUBMITTED, team=pedagogical)
    first, second = TrainerFactory(), TrainerFactory()
    client.force_login(pedagogical)
    assert f"/memoires/{memoire.pk}/correcteurs/" in client.get(f"/memoires/{memoire.pk}/").content.decode()
    response = client.post(
        f"/memoires/{memoire.pk}/correcteurs/", {"first": first.pk, "second": second.pk}, follow=True
    )
    assert "Les correcteur·rices sont désigné·es." in response.content.decode()
    assert MarkerAssignment.objects.filter(memoire=memoire).count() == 2


def test_the_tutor_refusal_is_shown_next_to_the_field(client, enrolment, pedagogical, trainer, written):
    memoire = memoire_at(enrolment, S.FINAL_SUBMITTED, team=pedagogical, tutor=trainer)
    client.force_login(pedagogical)
    response = client.post(
        f"/memoires/{memoire.pk}/correcteurs/", {"first": trainer.pk, "second": TrainerFactory().pk}
    )
    assert response.status_code == 400
    assert TUTOR_MAY_NOT_MARK.replace("'", "&#x27;") in response.content.decode()
    assert not MarkerAssignment.objects.filter(memoire=memoire).exists()


def test_a_draft_is_kept_then_submitted_after_confirmation(client, enrolment, pedagogical, written):
    memoire, first, _ = marking_at(enrolment, team=pedagogical)
    rubric = written.written_rubric
    client.force_login(first)
    data = {**_scores(rubric, "12,5"), "comment": "Bon travail.", "action": "save"}
    assert client.post(f"/memoires/{memoire.pk}/grille/", data).status_code == 302
    page = client.get(f"/memoires/{memoire.pk}/grille/").content.decode()
    assert 'value="12,5"' in page or 'value="12.50"' in page or 'value="12,50"' in page
    response = client.post(f"/memoires/{memoire.pk}/grille/", {**data, "action": "submit"})
    assert response.status_code == 302 and response["Location"].endswith("/grille/remettre/")
    confirm = client.get(response["Location"]).content.decode()
    assert "Note pondérée" in confirm and "12,5/20" in confirm
    grid = MarkerAssignment.objects.get(memoire=memoire, marker=first).grid
    assert grid.submitted_at is None  # nothing sealed before the confirmation
    client.post(f"/memoires/{memoire.pk}/grille/remettre/")
    grid.refresh_from_db()
    assert grid.submitted_at is not None and str(grid.mark.normalize()) == "12.5"


def test_an_out_of_range_mark_is_refused_and_what_was_typed_stays(client, enrolment, pedagogical, written):
    memoire, first, _ = marking_at(enrolment, team=pedagogical)
    client.force_login(first)
    data = {**_scores(written.written_rubric, "14"), "comment": "Mon appréciation en cours."}
    bad = written.written_rubric.criteria.first()
    data[f"score_{bad.pk}"] = "25"
    response = client.post(f"/memoires/{memoire.pk}/grille/", {**data, "action": "save"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "La note va de 0 à 20." in body
    assert "Mon appréciation en cours." in body and 'value="25"' in body
    assert not GridScore.objects.exists()


def test_a_crafted_criterion_is_refused(client, enrolment, pedagogical, written):
    memoire, first, _ = marking_at(enrolment, team=pedagogical)
    client.force_login(first)
    data = {**_scores(written.written_rubric, "14"), "score_999999": "20", "action": "save"}
    response = client.post(f"/memoires/{memoire.pk}/grille/", data)
    assert response.status_code == 400
    assert UNKNOWN_CRITERION.replace("'", "&#x27;") in response.content.decode()
    assert not GridScore.objects.exists()


def test_a_submission_missing_a_criterion_is_refused_on_the_form(client, enrolment, pedagogical, written):
    memoire, first, _ = marking_at(enrolment, team=pedagogical)
    client.force_login(first)
    data = _scores(written.written_rubric, "14")
    data[f"score_{written.written_rubric.criteria.first().pk}"] = ""
    response = client.post(f"/memoires/{memoire.pk}/grille/", {**data, "action": "submit"})
    assert response.status_code == 400
    assert "Notez ce critère (de 0 à 20) avant de remettre la grille." in response.content.decode()


def test_no_rubric_says_so(client, enrolment, pedagogical, programme):
    scheme(programme, written_rubric=None)
    memoire, first, _ = marking_at(enrolment, team=pedagogical)
    client.force_login(first)
    assert (
        services.NO_RUBRIC.replace("'", "&#x27;")
        in client.get(f"/memoires/{memoire.pk}/grille/").content.decode()
    )


def test_after_both_grids_each_marker_sees_the_other(client, enrolment, pedagogical, written):
    memoire, first, second = marking_at(enrolment, team=pedagogical)
    grade(memoire, first, 12, comment="Appréciation du premier.")
    client.force_login(first)
    assert "Appréciation du second." not in client.get(f"/memoires/{memoire.pk}/grille/").content.decode()
    grade(memoire, second, 13, comment="Appréciation du second.")
    assert "Appréciation du second." in client.get(f"/memoires/{memoire.pk}/grille/").content.decode()


def test_blind_marking_hides_the_name_on_screens_and_in_the_copy(client, enrolment, pedagogical, written):
    services.blind_marking_set(cohort=enrolment.cohort, blind=True, by=pedagogical)
    memoire, first, _ = marking_at(enrolment, team=pedagogical)
    name = enrolment.user.display_name
    client.force_login(first)
    for url in ("/formation/corrections/", f"/memoires/{memoire.pk}/grille/"):
        body = client.get(url).content.decode()
        assert f"M{memoire.pk:04d}" in body
        assert name not in body and enrolment.cohort.name not in body
    response = client.get(f"/memoires/{memoire.pk}/copie/")
    assert f'filename="memoire-M{memoire.pk:04d}.pdf"' in response["Content-Disposition"]
    data = response.content
    assert len(PdfReader(io.BytesIO(data)).pages) == 15
    assert enrolment.user.last_name.encode() not in data
    client.force_login(pedagogical)
    assert name in client.get(f"/memoires/{memoire.pk}/correcteurs/").content.decode()


def test_the_team_sets_blind_marking_for_a_cohort(client, cohort, pedagogical):
    client.force_login(pedagogical)
    response = client.post(
        f"/gestion/memoires/correction-anonyme/{cohort.pk}/", {"blind_marking": "on"}, follow=True
    )
    assert "Correction anonyme activée" in response.content.decode()
    assert cohort.marking_options.blind_marking is True


def test_the_reconciliation_page_shows_both_grids_and_needs_a_confirmation(
    client, enrolment, pedagogical, written
):
    memoire, first, second = marking_at(enrolment, team=pedagogical)
    grade(memoire, first, 8, comment="Trop descriptif.")
    grade(memoire, second, 12, comment="Analyse pertinente.")
    client.force_login(second)
    url = f"/memoires/{memoire.pk}/conciliation/"
    page = client.get(url).content.decode()
    assert "Trop descriptif." in page and "Analyse pertinente." in page
    assert "s&#x27;écartent de 4 points" in page
    data = {**_scores(written.written_rubric, "10", "Accord."), "action": "submit"}
    response = client.post(url, data)
    assert response.status_code == 400 and "Cochez la case" in response.content.decode()
    assert 'value="10"' in response.content.decode()
    unjustified = {**_scores(written.written_rubric, "10"), "action": "submit", "confirm": "on"}
    assert client.post(url, unjustified).status_code == 400
    assert client.post(url, {**data, "confirm": "on"}).status_code == 302
    memoire.refresh_from_db()
    assert memoire.state == S.MARKED and memoire.agreed_mark.rule == "reconciled"
    assert Grid.objects.filter(assignment__memoire=memoire, submitted_at__isnull=False).count() == 2


def test_the_learner_sees_nothing_before_the_release_and_the_mark_after(
    client, enrolment, pedagogical, trainer, written
):
    """Nor does the tutor, on the mémoire's page: the marking's steps are the team's until released."""
    memoire, first, second = marking_at(enrolment, team=pedagogical, tutor=trainer)
    grade(memoire, first, 8, comment="Commentaire secret du premier.")
    grade(memoire, second, 12)
    for user, urls in (
        (enrolment.user, ("/parcours/memoire/", f"/memoires/{memoire.pk}/")),
        (trainer, (f"/memoires/{memoire.pk}/",)),
    ):
        client.force_login(user)
        for url in urls:
            body = client.get(url).content.decode()
            assert "Conciliation" not in body and "écartent" not in body
            assert "Commentaire secret" not in body and not MARK.search(body)
            assert "En correction" in body
    client.force_login(pedagogical)
    assert "Conciliation ouverte" in client.get(f"/memoires/{memoire.pk}/").content.decode()
    client.force_login(enrolment.user)
    services.reconciliation_submit(
        memoire=memoire,
        scores={c.pk: ("10", "Accord.") for c in written.written_rubric.criteria.all()},
        by=first,
    )
    assert not MARK.search(client.get("/parcours/memoire/").content.decode())
    services.mark_release(memoire=memoire, by=pedagogical)
    body = client.get("/parcours/memoire/").content.decode()
    assert "10/20" in body
    assert "Note conciliée critère par critère" in body
    assert "Commentaire secret du premier." in body


def test_the_publication_queue_filters_and_releases(client, cohort, pedagogical, written):
    from tests.factories import EnrolmentFactory

    ready, first, second = marking_at(EnrolmentFactory(cohort=cohort), team=pedagogical)
    grade(ready, first, 12)
    grade(ready, second, 13)
    waiting, _, _ = marking_at(EnrolmentFactory(cohort=cohort), team=pedagogical)
    client.force_login(pedagogical)
    body = client.get("/gestion/memoires/publication/", {"state": S.MARKED}).content.decode()
    assert ready.enrolment.user.display_name in body
    assert waiting.enrolment.user.display_name not in body
    assert "12,5/20" in body
    confirm = client.get(f"/memoires/{ready.pk}/publier/").content.decode()
    assert "Confirmer la publication" in confirm
    client.post(f"/memoires/{ready.pk}/publier/")
    assert AgreedMark.objects.get(memoire=ready).released_at is not None
    empty = client.get("/gestion/memoires/publication/", {"state": S.MARKED}).content.decode()
    assert "Aucun mémoire en correction" in empty


def test_the_tutor_reads_a_reconciliation_as_en_correction_on_mes_tutores(
    client, enrolment, pedagogical, written
):
    """« Mes tutorés » shows the marking as the learner reads it until the release: neither the
    reconciliation nor a mark waiting for release."""
    tutor = TrainerFactory()
    memoire, first, second = marking_at(enrolment, team=pedagogical, tutor=tutor)
    grade(memoire, first, 8)
    grade(memoire, second, 12)
    memoire.refresh_from_db()
    assert memoire.state == S.RECONCILIATION
    client.force_login(tutor)
    body = client.get("/formation/tutores/").content.decode()
    assert S.MARKING.label in body
    assert S.RECONCILIATION.label not in body
