"""The soutenance in a real browser: the team composes a jury and opens a slot (in the region's
time zone), the learner books it, each jury member declares no conflict of interest and grades,
the president previews the PV and signs it by drawing on the canvas, and the learner downloads the
signed PV; axe on each page."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.memoire.enums import MemoireState
from assessments.memoire.models import Memoire
from assessments.soutenance.models import ProcesVerbal
from tests.assessments.soutenance.factories import memoire_released, oral_scheme
from tests.browser.conftest import assert_no_serious_violations
from tests.factories import PedagogicalFactory, TrainerFactory

pytestmark = pytest.mark.browser


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


def test_soutenance_from_the_slot_to_the_signed_pv(page, sign_in, browser_enrolment, browser_programme):
    learner = browser_enrolment.user
    team = PedagogicalFactory()
    president = TrainerFactory(first_name="Claire", last_name="Morvan")
    member = TrainerFactory(first_name="Hervé", last_name="Le Du")
    oral_scheme(browser_programme)
    memoire_released(browser_enrolment, 14, team=team)
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
