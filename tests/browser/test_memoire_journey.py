"""The mémoire in a real browser, from the subject to the final version: the learner proposes, the
team approves and assigns a tutor from the board, the learner uploads a draft, the tutor comments
it, a 9-page final version is refused with its count and a 15-page one accepted; axe on each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from assessments.memoire.enums import MemoireState
from assessments.memoire.models import Memoire, MemoireFinal
from tests.browser.conftest import assert_no_serious_violations
from tests.factories import PedagogicalFactory, TrainerFactory
from tests.uploads_samples import pdf_bytes

pytestmark = pytest.mark.browser


def test_memoire_from_subject_to_final_version(page, sign_in, browser_enrolment, tmp_path):
    learner = browser_enrolment.user
    team = PedagogicalFactory()
    tutor = TrainerFactory(first_name="Julien", last_name="Marchand")
    draft_file = tmp_path / "plan.pdf"
    draft_file.write_bytes(pdf_bytes(3))
    short = tmp_path / "memoire-court.pdf"
    short.write_bytes(pdf_bytes(9))
    good = tmp_path / "memoire.pdf"
    good.write_bytes(pdf_bytes(15))

    sign_in(learner)
    page.goto("/mon-espace/")
    page.get_by_role("link", name="Mon mémoire").first.click()
    expect(page.get_by_text("Étape 1 sur 5")).to_be_visible()
    assert_no_serious_violations(page, label="mon mémoire (vide)")
    page.get_by_role("link", name="Proposer mon sujet").click()
    assert_no_serious_violations(page, label="formulaire du sujet")
    page.get_by_label("Titre du mémoire").fill("Installer un conseil local de santé mentale")
    page.locator("#id_kind").select_option(value="practice")
    page.get_by_label("Contrat local de santé (CLS) concerné").fill("CLS du Pays de Morlaix")
    page.get_by_label("Résumé du sujet").fill("Le terrain, la question et la démarche.")
    page.get_by_role("button", name="Proposer ce sujet").click()
    expect(page.get_by_text("Votre sujet attend l'avis de l'équipe pédagogique.")).to_be_visible()

    sign_in(team)
    page.goto("/gestion/memoires/")
    assert_no_serious_violations(page, label="tableau des mémoires")
    page.get_by_role("link", name=learner.display_name).click()
    assert_no_serious_violations(page, label="mémoire (équipe)")
    page.get_by_role("link", name="Approuver le sujet").click()
    assert_no_serious_violations(page, label="confirmation de l'approbation")
    page.get_by_role("button", name="Confirmer l'approbation").click()
    expect(page.get_by_text("Le sujet est approuvé.")).to_be_visible()
    page.get_by_role("link", name="Désigner un·e tuteur·rice").click()
    assert_no_serious_violations(page, label="désigner le tuteur")
    page.locator("#id_tutor").select_option(label="Julien Marchand")
    page.get_by_role("button", name="Désigner").click()
    expect(page.get_by_text("Tuteur·rice : Julien Marchand.")).to_be_visible()

    sign_in(learner)
    page.goto("/parcours/memoire/")
    page.get_by_role("link", name="Déposer un brouillon").click()
    assert_no_serious_violations(page, label="dépôt d'un brouillon")
    page.locator("#id_file").set_input_files(str(draft_file))
    page.get_by_label("Note pour votre tuteur·rice").fill("Mon plan détaillé.")
    page.get_by_role("button", name="Déposer le brouillon").click()
    expect(page.get_by_text("Votre brouillon (version 1) est déposé.")).to_be_visible()

    sign_in(tutor)
    page.goto("/formation/tutores/")
    assert_no_serious_violations(page, label="mes tutorés")
    page.get_by_role("link", name=learner.display_name).click()
    page.get_by_role("link", name="Version 1").click()
    assert_no_serious_violations(page, label="brouillon à commenter")
    page.get_by_label("Votre commentaire").fill("Plan clair ; étoffez la deuxième partie.")
    page.get_by_role("button", name="Enregistrer le commentaire").click()
    expect(page.get_by_text("Plan clair ; étoffez la deuxième partie.")).to_be_visible()

    sign_in(learner)
    page.goto("/parcours/memoire/")
    expect(page.get_by_text("1 commentaire du tuteur ou de la tutrice")).to_be_visible()
    page.get_by_role("link", name="Déposer la version finale").click()
    assert_no_serious_violations(page, label="dépôt de la version finale")
    page.locator("#id_file").set_input_files(str(short))
    page.get_by_label("Je dépose ma version finale").check(force=True)
    page.get_by_role("button", name="Déposer la version finale").click()
    expect(
        page.get_by_text("Votre mémoire compte 9 pages : il en faut entre 10 et 20 (annexes à part).")
    ).to_be_visible()
    assert_no_serious_violations(page, label="version finale refusée")
    assert not MemoireFinal.objects.exists()
    page.locator("#id_file").set_input_files(str(good))
    page.get_by_label("Je dépose ma version finale").check(force=True)
    page.get_by_role("button", name="Déposer la version finale").click()
    expect(page.get_by_text("Votre version finale (15 pages) est déposée.")).to_be_visible()
    expect(page.get_by_text("Étape 3 sur 5")).to_be_visible()
    assert_no_serious_violations(page, label="mon mémoire (version finale déposée)")
    assert Memoire.objects.get().state == MemoireState.FINAL_SUBMITTED
