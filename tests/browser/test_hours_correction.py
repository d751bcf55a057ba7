"""ARS staff correct a ledger entry in a real browser: bad input first, then an adjustment that
is confirmed and shows in the learner's totals; axe on each step."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from courses.enums import HoursSource, Modality
from courses.hours.models import HoursEntry
from tests.browser.conftest import assert_no_serious_violations
from tests.factories import ArsStaffFactory

pytestmark = pytest.mark.browser


def test_ars_staff_correct_an_entry_of_the_ledger(
    page, live_server, sign_in, browser_enrolment, browser_modules
):
    """From the cohort to the learner's ledger, « Corriger », an absurd figure refused, then −1 h
    with a reason, confirmed: the entry's total and the learner's organisation hours drop by 1 h."""
    enrolment = browser_enrolment
    staff = ArsStaffFactory(regions=[enrolment.cohort.region])
    HoursEntry.objects.create(
        enrolment=enrolment,
        modality=Modality.ORGANISATION,
        source=HoursSource.DECLARATION,
        module=browser_modules[0],
        hours=Decimal("7.5"),
        occurred_on=datetime.date(2026, 10, 1),
        recorded_by=staff,
    )
    sign_in(staff)

    page.goto(f"{live_server.url}/gestion/promotions/{enrolment.cohort_id}/")
    page.get_by_role("link", name=enrolment.user.last_name).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(enrolment.user.last_name)
    page.get_by_role("link", name="Corriger").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Corriger une ligne")
    # The two kinds of correction are real, visible, keyboard-usable radio buttons.
    expect(page.get_by_role("radio", name="Ajuster les heures")).to_be_checked()
    expect(page.get_by_role("radio", name="Annuler la ligne")).not_to_be_checked()
    assert_no_serious_violations(page, label="correction")

    page.get_by_label("Heures à ajouter ou à retirer").fill("30")
    page.get_by_role("button", name="Vérifier la correction").click()
    expect(page.get_by_text("Une correction porte sur 24 h au plus")).to_be_visible()
    expect(page.get_by_text("Indiquez le motif de la correction.")).to_be_visible()
    assert_no_serious_violations(page, label="correction en erreur")
    assert HoursEntry.objects.count() == 1

    page.get_by_label("Heures à ajouter ou à retirer").fill("-1")
    page.get_by_label("Motif de la correction").fill("Déclaration saisie deux fois pour la même réunion.")
    page.get_by_role("button", name="Vérifier la correction").click()
    expect(page.get_by_text("Le total de la ligne passera de 7,5 h à 6,5 h.")).to_be_visible()
    assert HoursEntry.objects.count() == 1
    page.get_by_role("button", name="Confirmer la correction").click()
    expect(page.get_by_text("La correction est ajoutée au relevé d'heures.")).to_be_visible()
    assert_no_serious_violations(page, label="relevé après correction")
    correction = HoursEntry.objects.get(source=HoursSource.CORRECTION)
    assert (correction.hours, correction.recorded_by_id) == (Decimal("-1"), staff.pk)
    totals = page.locator("tr", has=page.get_by_role("rowheader", name="Au sein de l'organisation"))
    expect(totals).to_contain_text("6,5 h")
