"""In-organisation hours in a real browser: a learner declares hours with a PDF, ARS staff
validate them, the learner sees them credited on the dashboard; axe on each page."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from courses.hours.models import DeclarationStatus, HoursEntry, OrganisationDeclaration
from courses.learning import services as learning_services
from tests.browser.conftest import assert_no_serious_violations
from tests.factories import ArsStaffFactory, CohortFactory, EnrolmentFactory, RegionFactory
from tests.uploads_samples import pdf_bytes

pytestmark = pytest.mark.browser


def test_learner_declares_hours_and_ars_staff_validate_them(
    page, live_server, sign_in, browser_programme, browser_modules, tmp_path
):
    """From the declaration with its evidence to the hours credited in « Au sein de l'organisation »."""
    today = timezone.localdate()
    region = RegionFactory(name="Bretagne", slug="bretagne")
    cohort = CohortFactory(
        programme=browser_programme,
        region=region,
        name="Bretagne en cours",
        start_date=today - datetime.timedelta(days=60),
        end_date=today + datetime.timedelta(days=300),
    )
    enrolment = EnrolmentFactory(cohort=cohort)
    learning_services.options_choose(enrolment=enrolment, modules=browser_modules[5:7])
    staff = ArsStaffFactory(regions=[region])
    day = today - datetime.timedelta(days=3)
    fake = tmp_path / "compte-rendu.pdf"
    fake.write_bytes(b"MZ\x90\x00" + b"\x00" * 200)
    real = tmp_path / "releve-reunion.pdf"
    real.write_bytes(pdf_bytes())

    sign_in(enrolment.user)
    page.goto("/parcours/declarations/")
    expect(page.get_by_text("Vous n'avez encore déclaré aucune heure.")).to_be_visible()
    assert_no_serious_violations(page, label="déclarations vides")
    page.get_by_role("link", name="Déclarer des heures").first.click()
    assert_no_serious_violations(page, label="formulaire de déclaration")
    page.locator("#id_occurred_on").fill(day.isoformat())
    page.locator("#id_hours").fill("3,5")
    page.locator("#id_module").select_option(label="Santé mentale")
    page.get_by_label("Ce qui a été fait").fill("Animation du groupe de travail santé mentale du CLS.")
    page.locator("#id_evidence").set_input_files(str(fake))
    page.get_by_role("button", name="Envoyer la déclaration").click()
    expect(page.get_by_text("malgré son extension .pdf, c'est un programme exécutable")).to_be_visible()
    assert_no_serious_violations(page, label="formulaire en erreur")
    assert not OrganisationDeclaration.objects.exists()
    page.locator("#id_evidence").set_input_files(str(real))
    page.get_by_role("button", name="Envoyer la déclaration").click()
    expect(page.get_by_text("elle attend la validation de votre référent·e ARS")).to_be_visible()
    expect(page.locator("#mes-declarations tr[data-status=submitted]")).to_contain_text("3,5 h")
    assert_no_serious_violations(page, label="déclaration en attente")

    sign_in(staff)
    page.goto("/gestion/declarations/")
    row = page.locator("#declarations-a-valider tr[data-status=submitted]")
    expect(row).to_contain_text("Santé mentale")
    assert_no_serious_violations(page, label="file de validation")
    row.get_by_role("link").click()
    expect(page.get_by_role("heading", name=f"Déclaration de {enrolment.user.display_name}")).to_be_visible()
    assert_no_serious_violations(page, label="déclaration à examiner")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le justificatif").click()
    assert Path(download.value.path()).read_bytes() == real.read_bytes()
    page.get_by_role("button", name="Valider la déclaration").click()
    expect(page.get_by_text("Déclaration validée : 3,5 h créditées")).to_be_visible()
    expect(page.get_by_text("Aucune déclaration ne correspond à ces filtres.")).to_be_visible()
    assert_no_serious_violations(page, label="file vide après validation")
    assert OrganisationDeclaration.objects.get().status == DeclarationStatus.VALIDATED
    assert HoursEntry.objects.filter(declaration__isnull=False).count() == 1
    assert [m.to for m in mail.outbox if "sont validées" in m.subject] == [[enrolment.user.email]]

    sign_in(enrolment.user)
    page.goto("/mon-espace/")
    expect(page.locator("tr[data-modality=organisation] td").first).to_have_text("3,5 h")
    assert_no_serious_violations(page, label="tableau de bord")
    page.goto("/parcours/declarations/")
    expect(page.locator("#mes-declarations tr[data-status=validated]")).to_contain_text("Validée")
    assert_no_serious_violations(page, label="déclaration validée")
