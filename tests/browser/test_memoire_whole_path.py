"""The mémoire's whole path in a real browser, the eight steps of issue 9, axe on every page:
1. the learner proposes a subject; the team approves it and assigns a tutor (the two markers come
   with the final version, step 4);
2. the learner uploads a draft; the tutor comments on it;
3. a 9-page final version is refused, with its count; a 15-page one is accepted;
4. the team assigns two markers; marker 1 grades; marker 2 cannot see marker 1's grid; marker 2
   grades 4 points apart, and the reconciliation opens;
5. the markers agree a mark, and the team releases it;
6. the team composes a jury and opens a slot; the learner books it;
7. the jury grades; the president signs the PV on screen;
8. the learner sees the outcome and downloads the PV."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.marking.models import AgreedMark, MarkerAssignment
from assessments.memoire.enums import MemoireState
from assessments.memoire.models import Memoire, MemoireFinal
from assessments.soutenance.models import ProcesVerbal
from tests.assessments.marking.factories import scheme
from tests.assessments.soutenance.factories import oral_scheme
from tests.browser.conftest import assert_no_serious_violations
from tests.factories import PedagogicalFactory, TrainerFactory
from tests.uploads_samples import pdf_bytes

pytestmark = pytest.mark.browser


def _fill_grid(page, rubric, score: str, justification: str = "") -> None:
    for criterion in rubric.criteria.all():
        page.locator(f"#id_score_{criterion.pk}").fill(score)
        if justification:
            page.locator(f"#id_justification_{criterion.pk}").fill(justification)


def _draw(page):
    pad = page.locator("canvas[data-signature-pad]")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + 100)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 30 + step * 25, box["y"] + 100 - (step % 3) * 25)
    page.mouse.up()


def _grade(page, sign_in, member, learner, score):
    sign_in(member)
    page.goto("/formation/soutenances/")
    assert_no_serious_violations(page, label="mes soutenances")
    page.get_by_role("link", name=learner.display_name).or_(page.locator("table a").first).first.click()
    assert_no_serious_violations(page, label="soutenance (jury, avant déclaration)")
    page.locator("label[for='id_confirmed']").click()
    page.get_by_role("button", name="Déclarer").click()
    expect(page.get_by_text("Votre déclaration est enregistrée")).to_be_visible()
    assert_no_serious_violations(page, label="grille de soutenance")
    for field in page.locator("input[name^='score_']").all():
        field.fill(score)
    page.get_by_role("button", name="Remettre ma grille (définitif)").click()
    expect(page.get_by_text("Votre grille est remise : elle ne se modifie plus.")).to_be_visible()


def test_the_memoire_from_its_subject_to_the_signed_pv(
    page, sign_in, browser_enrolment, browser_programme, tmp_path
):
    # Steps 1 to 3: subject, tutor, draft and comment, the final version.
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

    # Steps 4 and 5: double marking, reconciliation, release.
    rubric = scheme(browser_programme).written_rubric
    memoire = Memoire.objects.get()
    marker1 = TrainerFactory(first_name="Inès", last_name="Lefort")
    marker2 = TrainerFactory(first_name="Paul", last_name="Garnier")

    # 1. The team assigns two markers from the mémoire's page.
    sign_in(team)
    page.goto(f"/memoires/{memoire.pk}/")
    page.get_by_role("link", name="Désigner les correcteur·rices").click()
    assert_no_serious_violations(page, label="désigner les correcteurs")
    page.locator("#id_first").select_option(label="Inès Lefort")
    page.locator("#id_second").select_option(label="Paul Garnier")
    page.get_by_role("button", name="Désigner ces correcteur·rices").click()
    expect(page.get_by_text("Les correcteur·rices sont désigné·es.")).to_be_visible()
    assert MarkerAssignment.objects.filter(memoire=memoire).count() == 2

    # 2. Marker 1 grades: a draft, then the confirmation, then sealed.
    sign_in(marker1)
    page.goto("/formation/corrections/")
    assert_no_serious_violations(page, label="mes corrections")
    page.get_by_role("link", name="Mémoire à corriger").click()
    assert_no_serious_violations(page, label="grille (marqueur 1)")
    _fill_grid(page, rubric, "8")
    page.get_by_label("Appréciation générale").fill("Analyse trop descriptive.")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Votre grille est enregistrée comme brouillon")).to_be_visible()
    page.get_by_role("button", name="Remettre la grille…").click()
    assert_no_serious_violations(page, label="confirmation de la remise")
    expect(page.get_by_text("Note pondérée : 8/20")).to_be_visible()
    page.get_by_role("button", name="Confirmer la remise").click()
    expect(page.get_by_text("Votre grille est remise et scellée.")).to_be_visible()
    grid1 = MarkerAssignment.objects.get(memoire=memoire, marker=marker1).grid

    # 3. Marker 2 cannot see marker 1's grid, by URL included.
    sign_in(marker2)
    page.goto(f"/memoires/{memoire.pk}/grilles/{grid1.pk}/")
    expect(page.get_by_text("Cette grille est scellée")).to_be_visible()
    assert_no_serious_violations(page, label="grille scellée (403)")
    assert "Analyse trop descriptive." not in page.content()

    # 4. Marker 2 grades 4 points apart: the reconciliation opens.
    page.goto("/formation/corrections/")
    page.get_by_role("link", name="Mémoire à corriger").click()
    _fill_grid(page, rubric, "12")
    page.get_by_label("Appréciation générale").fill("Analyse pertinente du diagnostic.")
    page.get_by_role("button", name="Remettre la grille…").click()
    page.get_by_role("button", name="Confirmer la remise").click()
    expect(page.get_by_text("la conciliation est ouverte")).to_be_visible()
    assert_no_serious_violations(page, label="conciliation")
    expect(page.get_by_text("Les deux notes s'écartent de 4 points, plus que le seuil de 3.")).to_be_visible()
    expect(page.get_by_text("Analyse trop descriptive.")).to_be_visible()
    assert Memoire.objects.get(pk=memoire.pk).state == MemoireState.RECONCILIATION

    # 5. The markers agree a mark, criterion by criterion, each justified.
    _fill_grid(page, rubric, "10", "Accord après échange entre correcteur·rices.")
    page.get_by_label("Je confirme la note conciliée").check(force=True)
    page.get_by_role("button", name="Remettre la note conciliée").click()
    expect(page.get_by_text("La note conciliée est retenue")).to_be_visible()
    assert AgreedMark.objects.get(memoire=memoire).mark == 10

    # Before the release the learner sees nothing of it.
    sign_in(learner)
    page.goto("/parcours/memoire/")
    expect(page.get_by_text("Votre mémoire est en correction.")).to_be_visible()
    assert "Note du mémoire écrit" not in page.content()

    # 6. The team releases it from the publication queue.
    sign_in(team)
    page.goto("/gestion/memoires/publication/")
    assert_no_serious_violations(page, label="publication des notes")
    page.get_by_role("link", name=f"Publier la note de {learner.display_name}").click()
    assert_no_serious_violations(page, label="confirmation de la publication")
    page.get_by_role("button", name="Confirmer la publication").click()
    expect(page.get_by_text("est publiée")).to_be_visible()

    # 7. The learner sees the mark, the rule and the markers' comments.
    sign_in(learner)
    page.goto("/parcours/memoire/")
    expect(page.get_by_text("10/20", exact=True).first).to_be_visible()
    expect(page.get_by_text("Note conciliée critère par critère", exact=False)).to_be_visible()
    expect(page.get_by_text("Analyse pertinente du diagnostic.")).to_be_visible()
    assert_no_serious_violations(page, label="mon mémoire (note publiée)")

    # Steps 6 to 8: the soutenance, the signed PV, the outcome.
    president = TrainerFactory(first_name="Claire", last_name="Morvan")
    member = TrainerFactory(first_name="Hervé", last_name="Le Du")
    oral_scheme(browser_programme)
    day = timezone.localdate() + datetime.timedelta(days=30)

    sign_in(team)
    page.goto("/gestion/soutenances/")
    assert_no_serious_violations(page, label="soutenances (équipe, vide)")
    page.get_by_role("link", name="Composer un jury").click()
    assert_no_serious_violations(page, label="composer un jury")
    page.locator("#id_cohort").select_option(label="Bretagne 2026")
    page.get_by_label("Nom du jury").fill("Jury de juin")
    page.locator("#id_president").select_option(label="Claire Morvan")
    page.locator("label", has_text="Hervé Le Du").click()
    page.get_by_role("button", name="Enregistrer le jury").click()
    expect(page.get_by_text("Le jury « Jury de juin » est enregistré.")).to_be_visible()
    assert_no_serious_violations(page, label="jury (sans créneau)")
    page.get_by_role("link", name="Ouvrir un créneau").click()
    assert_no_serious_violations(page, label="ouvrir un créneau")
    page.get_by_label("Début (heure de la région)").fill(f"{day:%Y-%m-%d}T14:00")
    page.get_by_label("Lieu").fill("EHESP Rennes — salle 12")
    page.get_by_label("Réservation modifiable jusqu'au", exact=False).fill(
        f"{day - datetime.timedelta(days=5):%Y-%m-%d}T18:00"
    )
    page.get_by_role("button", name="Enregistrer le créneau").click()
    expect(page.get_by_text("Le créneau est enregistré")).to_be_visible()
    assert_no_serious_violations(page, label="jury (avec créneau)")

    sign_in(learner)
    page.goto("/parcours/memoire/")
    page.get_by_role("link", name="Ma soutenance").click()
    assert_no_serious_violations(page, label="ma soutenance (créneaux)")
    page.get_by_role("link", name="Réserver", exact=False).first.click()
    assert_no_serious_violations(page, label="confirmer la réservation")
    page.get_by_role("button", name="Confirmer la réservation").click()
    expect(page.get_by_text("Votre soutenance est réservée")).to_be_visible()
    expect(page.get_by_text("14:00")).to_be_visible()
    assert_no_serious_violations(page, label="ma soutenance (réservée)")

    _grade(page, sign_in, member, learner, "13")
    _grade(page, sign_in, president, learner, "15")

    page.get_by_role("link", name="Établir et signer le procès-verbal").click()
    assert_no_serious_violations(page, label="procès-verbal (brouillon)")
    page.get_by_text("Admis·e", exact=True).click()
    page.get_by_role("button", name="Prévisualiser").click()
    expect(page.get_by_text("Aperçu du procès-verbal")).to_be_visible()
    assert_no_serious_violations(page, label="procès-verbal (aperçu)")
    _draw(page)
    page.get_by_role("button", name="Signer le procès-verbal").click()
    expect(page.get_by_text("Le procès-verbal est signé")).to_be_visible()
    assert_no_serious_violations(page, label="soutenance (PV signé)")
    assert Memoire.objects.get().state == MemoireState.ADMITTED
    pv = ProcesVerbal.objects.get()

    sign_in(learner)
    page.goto("/parcours/memoire/soutenance/")
    expect(page.get_by_text("Résultat : Admis·e")).to_be_visible()
    assert_no_serious_violations(page, label="ma soutenance (résultat)")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le procès-verbal (PDF)").click()
    assert Path(download.value.path()).read_bytes() == bytes(pv.pdf)
