"""ARS staff in a real browser: create a cohort, import a Windows-1252 CSV with a bad line,
confirm, record an agreement; axe on each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from courses.cohorts.models import Enrolment
from tests.browser.conftest import assert_no_serious_violations
from tests.factories import ArsStaffFactory, RegionFactory

pytestmark = pytest.mark.browser

CSV = (
    "Nom;Prénom;E-mail;Employeur;Fonction;Date accord ARS;Date accord employeur\r\n"
    "Lefèvre;Élodie;elodie.lefevre@quimper.fr;Ville de Quimper;Coordinatrice CLS;02/05/2026;10/05/2026\r\n"
    "Le Goff;Yann;pas-une-adresse;CC du Pays Bigouden;Chargé de mission;;\r\n"
    "Kerjean;Anne;anne.kerjean@brest.fr;Brest métropole;Coordinatrice;;\r\n"
).encode("cp1252")


def test_ars_staff_create_cohort_import_and_record_agreement(
    page, live_server, sign_in, browser_programme, tmp_path
):
    """The ARS journey of enrolment, from an empty region to learners with their agreement."""
    region = RegionFactory(name="Bretagne", slug="bretagne")
    RegionFactory(name="Occitanie", slug="occitanie")
    sign_in(ArsStaffFactory(regions=[region]))

    page.goto(live_server.url + "/mon-espace/")
    page.get_by_role("link", name="Gérer les promotions et les inscriptions").click()
    expect(page.get_by_text("Aucune promotion dans vos régions")).to_be_visible()
    assert_no_serious_violations(page, label="liste vide")
    page.get_by_role("link", name="Nouvelle promotion").first.click()
    assert "Occitanie" not in page.locator("#id_region").inner_text()
    page.get_by_label("Nom", exact=True).fill("Bretagne 2027")
    page.get_by_label("Début", exact=True).fill("2027-01-04")
    page.get_by_label("Fin", exact=True).fill("2026-12-17")
    page.locator("#id_capacity").fill("20")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("La date de fin doit suivre la date de début.")).to_be_visible()
    assert_no_serious_violations(page, label="formulaire en erreur")
    page.get_by_label("Fin", exact=True).fill("2027-12-17")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="Bretagne 2027")).to_be_visible()
    assert_no_serious_violations(page, label="promotion vide")

    page.get_by_role("link", name="Importer un tableur", exact=True).click()
    path = tmp_path / "apprenants.csv"
    path.write_bytes(CSV)
    page.get_by_label("Fichier des apprenant·es").set_input_files(str(path))
    page.get_by_role("button", name="Voir l'aperçu").click()
    expect(page.locator("tr[data-action=create]")).to_have_count(2)
    expect(page.locator("tr[data-action=error]")).to_contain_text("Adresse e-mail invalide")
    expect(page.get_by_text("Lefèvre Élodie")).to_be_visible()
    assert_no_serious_violations(page, label="aperçu de l'import")
    assert not Enrolment.objects.exists()
    page.get_by_role("button", name="Confirmer l'import de 2 lignes").click()
    expect(page.get_by_text("2 compte(s) créé(s)")).to_be_visible()
    expect(page.locator("table").last).to_contain_text("elodie.lefevre@quimper.fr")
    assert_no_serious_violations(page, label="progression de la promotion")

    page.get_by_role("link", name="Kerjean Anne").click()
    expect(page.get_by_text("Non éligible pour l'instant")).to_be_visible()
    page.get_by_label("Date de l'accord de l'ARS").fill("2026-10-01")
    page.get_by_label("Date de l'accord de l'employeur").fill("2026-10-03")
    page.get_by_role("button", name="Enregistrer l'accord").click()
    expect(page.get_by_text("Accord conjoint ARS + employeur enregistré")).to_be_visible()
    assert_no_serious_violations(page, label="fiche apprenant·e")
    assert Enrolment.objects.filter(user__email="anne.kerjean@brest.fr").get().is_eligible
