"""Providers and sessions in a real browser: the team registers a certified provider, ARS staff
schedule a session with it for their cohort, the learner finds it and downloads the .ics; axe on
each page."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from courses.sessions.models import PresentialSession
from tests.browser.conftest import assert_no_serious_violations
from tests.factories import ArsStaffFactory, PedagogicalFactory, RegionFactory

pytestmark = pytest.mark.browser


def test_provider_session_and_learner_calendar(page, live_server, sign_in, browser_enrolment, tmp_path):
    """From a certified provider to a session in the learner's calendar and agenda file."""
    region = browser_enrolment.cohort.region
    RegionFactory(name="Occitanie", slug="occitanie")
    day = datetime.date.today() + datetime.timedelta(days=14)

    sign_in(PedagogicalFactory())
    page.goto(live_server.url + "/gestion/organismes/")
    expect(page.get_by_text("Aucun organisme de formation enregistré")).to_be_visible()
    assert_no_serious_violations(page, label="organismes vides")
    page.get_by_role("link", name="Nouvel organisme").click()
    page.locator("#id_name").fill("IREPS Bretagne")
    page.locator("#id_siret").fill("73282932000075")
    page.locator("#id_qualiopi_number").fill("QUA-2025-042")
    page.locator("#id_qualiopi_valid_from").fill("2025-01-01")
    page.locator("#id_qualiopi_valid_until").fill("2029-12-31")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Ce numéro SIRET n'est pas valide")).to_be_visible()
    assert_no_serious_violations(page, label="organisme en erreur")
    page.locator("#id_siret").fill("73282932000074")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("L'organisme « IREPS Bretagne » est enregistré.")).to_be_visible()
    expect(page.locator("td .fr-badge--success")).to_have_text("Valide")
    assert_no_serious_violations(page, label="liste des organismes")

    sign_in(ArsStaffFactory(regions=[region]))
    page.goto(live_server.url + "/gestion/sessions/")
    expect(page.get_by_text("Aucune session programmée")).to_be_visible()
    assert_no_serious_violations(page, label="sessions vides")
    page.get_by_role("link", name="Programmer une session").click()
    assert "Occitanie" not in page.locator("#id_region").inner_text()
    page.locator("#id_provider").select_option(label="IREPS Bretagne")
    page.locator("#id_title").fill("Animer la gouvernance d'un CLS")
    page.locator("#id_place").fill("ARS Bretagne, 6 place des Colombes, Rennes")
    page.locator("#id_starts_local").fill(f"{day:%Y-%m-%d}T17:00")
    page.locator("#id_ends_local").fill(f"{day:%Y-%m-%d}T09:00")
    page.locator("#id_hours").fill("7")
    page.locator("label", has_text="Bretagne 2026 (Bretagne)").click()
    expect(page.get_by_label("Bretagne 2026 (Bretagne)")).to_be_checked()
    assert_no_serious_violations(page, label="formulaire de session")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("La fin de la session doit suivre son début.")).to_be_visible()
    assert_no_serious_violations(page, label="session en erreur")
    assert not PresentialSession.objects.exists()
    page.locator("#id_starts_local").fill(f"{day:%Y-%m-%d}T09:00")
    page.locator("#id_ends_local").fill(f"{day:%Y-%m-%d}T17:00")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="Animer la gouvernance d'un CLS")).to_be_visible()
    expect(page.get_by_text("Heures non comptées")).to_have_count(0)
    assert_no_serious_violations(page, label="détail de la session")

    sign_in(browser_enrolment.user)
    page.goto(live_server.url + "/parcours/sessions/")
    expect(page.get_by_role("link", name="Animer la gouvernance d'un CLS", exact=True)).to_be_visible()
    expect(page.get_by_text("Heures comptées")).to_be_visible()
    expect(page.get_by_text("à 09:00")).to_be_visible()
    assert_no_serious_violations(page, label="calendrier de l'apprenant·e")
    page.get_by_role("link", name="Animer la gouvernance d'un CLS", exact=True).click()
    assert_no_serious_violations(page, label="session côté apprenant·e")
    with page.expect_download() as info:
        page.get_by_role("link", name="Ajouter à mon agenda (.ics)").click()
    path = tmp_path / "session.ics"
    info.value.save_as(path)
    content = path.read_bytes().decode("utf-8")
    assert content.startswith("BEGIN:VCALENDAR\r\n")
    assert "SUMMARY:Animer la gouvernance d'un CLS" in content
    session = PresentialSession.objects.get()
    assert f"DTSTART:{session.starts_at:%Y%m%dT%H%M%S}Z" in content
