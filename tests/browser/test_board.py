"""The team's board and assignment screens and the trainer's grouped « À corriger » in a real
browser: filters and the export link, the bulk tutor assignment, adding and removing a reviewer
with its confirmation, and the grouped sections; axe on each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from assessments.deliverables.models import ReviewerAssignment
from assessments.memoire.enums import MemoireState
from assessments.memoire.models import Memoire
from tests.assessments.board.helpers import assign_markers, move_to
from tests.assessments.memoire.factories import memoire_at
from tests.browser.conftest import assert_no_serious_violations
from tests.factories import EnrolmentFactory, PedagogicalFactory, TrainerFactory, UserFactory

pytestmark = pytest.mark.browser
S = MemoireState


def test_team_board_and_assignment_screens(page, live_server, sign_in, browser_cohort, browser_modules):
    team = PedagogicalFactory()
    tutor = TrainerFactory(first_name="Julien", last_name="Marchand")
    reviewer = TrainerFactory(first_name="Inès", last_name="Robert")
    waiting = memoire_at(
        EnrolmentFactory(cohort=browser_cohort, user=UserFactory(first_name="Hélène", last_name="Bernard")),
        S.SUBJECT_APPROVED,
        team=team,
    )
    memoire_at(
        EnrolmentFactory(cohort=browser_cohort, user=UserFactory(first_name="Marc", last_name="Petit")),
        S.SUBJECT_PROPOSED,
        team=team,
    )

    sign_in(team)
    page.goto("/gestion/memoires/")
    assert_no_serious_violations(page, label="tableau des mémoires")
    page.locator("#id_state").select_option(value=S.SUBJECT_PROPOSED)
    page.get_by_label("Nom ou e-mail de l'apprenant·e").fill("petit")
    page.get_by_role("button", name="Filtrer").click()
    table = page.locator("#tableau-memoires")
    expect(table).to_contain_text("Marc Petit")
    expect(table).not_to_contain_text("Hélène Bernard")
    assert_no_serious_violations(page, label="tableau des mémoires filtré")
    export = page.get_by_role("link", name="Exporter (CSV) : les mémoires filtrés")
    href = export.get_attribute("href")
    assert "state=subject_proposed" in href and "q=petit" in href
    response = page.request.get(live_server.url + href)
    assert response.ok and "Petit" in response.text() and "Bernard" not in response.text()

    page.goto("/gestion/memoires/")
    page.get_by_role("link", name="Désigner les tuteur·rices").click()
    assert_no_serious_violations(page, label="désigner les tuteurs")
    page.get_by_label("Tuteur·rice de Hélène Bernard").select_option(label="Julien Marchand")
    page.get_by_role("button", name="Enregistrer les désignations").click()
    expect(page.get_by_text("1 mémoire confié à un·e tuteur·rice")).to_be_visible()
    expect(page.get_by_text("Aucun mémoire n'attend de tuteur·rice.")).to_be_visible()
    assert_no_serious_violations(page, label="tuteurs désignés")
    assert Memoire.objects.get(pk=waiting.pk).tutor == tutor

    page.goto("/gestion/correcteurs/")
    expect(page.get_by_text("Aucun·e correcteur·rice n'est désigné·e")).to_be_visible()
    assert_no_serious_violations(page, label="correcteurs (vide)")
    page.get_by_role("button", name="Désigner").click()
    expect(page.get_by_text("Choisissez le module.")).to_be_visible()
    assert_no_serious_violations(page, label="correcteur refusé")
    page.locator("#id_cohort").select_option(label=str(browser_cohort))
    page.locator("#id_module").select_option(label=f"{browser_modules[0].number}. {browser_modules[0].title}")
    page.locator("#id_trainer").select_option(label="Inès Robert")
    page.get_by_role("button", name="Désigner").click()
    expect(page.get_by_text("Inès Robert corrige désormais")).to_be_visible()
    expect(page.locator("#correcteurs")).to_contain_text("Inès Robert")
    assert_no_serious_violations(page, label="correcteurs")
    page.locator("#correcteurs").get_by_role("link", name="Retirer").click()
    expect(page.get_by_text("ne corrigera plus")).to_be_visible()
    assert_no_serious_violations(page, label="retirer un correcteur")
    assert ReviewerAssignment.objects.filter(trainer=reviewer).exists()
    page.get_by_role("button", name="Retirer ce·tte correcteur·rice").click()
    expect(page.get_by_text("Inès Robert ne corrige plus")).to_be_visible()
    assert not ReviewerAssignment.objects.exists()


def test_trainer_grouped_queue(page, sign_in, browser_cohort):
    team = PedagogicalFactory()
    trainer = TrainerFactory()
    memoire_at(
        EnrolmentFactory(cohort=browser_cohort, user=UserFactory(first_name="Théo", last_name="Tutoré")),
        S.IN_PROGRESS,
        tutor=trainer,
        team=team,
        drafts=1,
    )
    marked = memoire_at(
        EnrolmentFactory(cohort=browser_cohort, user=UserFactory(first_name="Mia", last_name="Marquée")),
        S.FINAL_SUBMITTED,
        team=team,
    )
    move_to(marked, S.MARKING)
    assign_markers(marked, trainer, TrainerFactory(), by=team)

    sign_in(trainer)
    page.goto("/mon-espace/")
    page.get_by_role("link", name="À corriger").first.click()
    expect(page.get_by_role("heading", name="Brouillons de mémoire à commenter 1")).to_be_visible()
    expect(page.get_by_role("heading", name="Mémoires à corriger 1")).to_be_visible()
    expect(page.get_by_text("Aucune production écrite n'attend votre décision.")).to_be_visible()
    assert_no_serious_violations(page, label="à corriger (regroupé)")
    page.get_by_role("link", name="Théo Tutoré — Brouillon 1 du mémoire").click()
    expect(page.get_by_role("button", name="Enregistrer le commentaire")).to_be_visible()
