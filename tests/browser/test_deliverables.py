"""Written deliverables in a real browser: the learner submits (a renamed executable refused,
then a PDF), the assigned trainer asks for a revision from « À corriger », the learner sees the
decision; axe on each page."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import expect

from assessments.deliverables.models import Submission, SubmissionStatus
from tests.assessments.deliverables.factories import AssignmentFactory, DeliverableFactory
from tests.browser.conftest import assert_no_serious_violations
from tests.factories import TrainerFactory
from tests.uploads_samples import EXE, pdf_bytes

pytestmark = pytest.mark.browser


def test_learner_submits_and_trainer_asks_for_a_revision(
    page, live_server, sign_in, browser_modules, browser_enrolment, tmp_path
):
    """From the first deposit to the revision the learner reads on their page."""
    deliverable = DeliverableFactory(module=browser_modules[0], title="Diagnostic local de santé")
    trainer = TrainerFactory()
    AssignmentFactory(module=deliverable.module, cohort=browser_enrolment.cohort, trainer=trainer)
    fake = tmp_path / "diagnostic.pdf"
    fake.write_bytes(EXE)
    real = tmp_path / "diagnostic-v1.pdf"
    real.write_bytes(pdf_bytes())

    sign_in(browser_enrolment.user)
    page.goto("/parcours/productions/")
    expect(page.get_by_role("heading", name="Diagnostic local de santé")).to_be_visible()
    assert_no_serious_violations(page, label="mes productions")
    page.get_by_role("link", name="Déposer « Diagnostic local de santé »").click()
    assert_no_serious_violations(page, label="formulaire de dépôt")
    page.locator("#id_file").set_input_files(str(fake))
    page.get_by_role("button", name="Déposer").click()
    expect(page.get_by_text("programme exécutable")).to_be_visible()
    assert_no_serious_violations(page, label="dépôt refusé")
    assert not Submission.objects.exists()
    page.locator("#id_file").set_input_files(str(real))
    page.get_by_label("Commentaire").fill("Première version.")
    page.get_by_role("button", name="Déposer").click()
    expect(page.get_by_text("Version 1 de « Diagnostic local de santé » déposée")).to_be_visible()

    sign_in(trainer)
    page.goto("/gestion/a-corriger/")
    expect(page.get_by_role("heading", name="Productions écrites à corriger 1")).to_be_visible()
    page.get_by_role("link", name="Voir la liste complète : productions écrites à corriger").click()
    expect(page.locator("#productions-a-corriger")).to_contain_text("Diagnostic local de santé")
    assert_no_serious_violations(page, label="à corriger")
    page.locator("#productions-a-corriger").get_by_role("link").first.click()
    assert_no_serious_violations(page, label="page de correction")
    page.get_by_role("radio", name="Demander une révision").check()
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text("Écrivez votre retour")).to_be_visible()
    page.get_by_role("textbox", name="Retour à l'apprenant·e").fill("Ajoutez les indicateurs de suivi.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text("Rien à corriger pour l'instant.")).to_be_visible()
    assert Submission.objects.get().status == SubmissionStatus.REVISION
    assert [m.to for m in mail.outbox if "révision" in m.subject] == [[browser_enrolment.user.email]]

    sign_in(browser_enrolment.user)
    page.goto("/parcours/productions/")
    expect(page.get_by_text("Ajoutez les indicateurs de suivi.").first).to_be_visible()
    assert_no_serious_violations(page, label="révision demandée")
    page.goto("/mon-espace/")
    expect(page.get_by_text("Révision demandée").first).to_be_visible()
    assert_no_serious_violations(page, label="tableau de bord")
