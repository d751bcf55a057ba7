"""The whole hours picture in a real browser: ARS staff create a cohort, import a Windows-1252
semicolon CSV with a bad line, schedule a session with a Qualiopi provider, take and confirm
attendance, validate a declaration; the learner then sees the three modalities credited and why
the hours of an uncertified provider do not count. axe on each page."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courses.attendance import services as attendance_services
from courses.attendance.models import Attendance, AttendanceStatus
from courses.cohorts.models import Enrolment
from courses.hours import services as hours_services
from courses.hours.models import HoursEntry
from courses.sessions.models import PresentialSession, TrainingProvider
from lms.templatetags.lms_tags import hours
from tests.browser.conftest import assert_no_serious_violations
from tests.factories import ArsStaffFactory, RegionFactory, lessons_of, modules_of

pytestmark = pytest.mark.browser

CSV = (
    "Nom;Prénom;E-mail;Employeur;Fonction;Date accord ARS;Date accord employeur\r\n"
    "Lefèvre;Élodie;elodie.lefevre@quimper.fr;Ville de Quimper;Coordinatrice CLS;02/05/2026;10/05/2026\r\n"
    "Le Goff;Yann;adresse-invalide;CC du Pays Bigouden;Chargé de mission;;\r\n"
).encode("cp1252")


def test_ars_staff_credit_three_modalities_and_learner_sees_why(
    page, context, live_server, sign_in, browser_programme, tmp_path
):
    """From an empty region to a learner's dashboard with e-learning, presential and organisation hours."""
    region = RegionFactory(name="Bretagne", slug="bretagne")
    modules = modules_of(browser_programme)
    TrainingProvider.objects.create(
        name="IREPS Bretagne",
        siret="73282932000074",
        qualiopi_number="QUA-2025-042",
        qualiopi_valid_from=datetime.date(2025, 1, 1),
        qualiopi_valid_until=datetime.date(2029, 12, 31),
    )
    uncertified = TrainingProvider.objects.create(name="Collectif sans label", siret="35600000000001")
    staff = ArsStaffFactory(regions=[region])
    sign_in(staff)

    # A cohort, then learners from a Windows-1252 spreadsheet with one bad line.
    page.goto(live_server.url + "/gestion/promotions/nouvelle/")
    page.get_by_label("Nom", exact=True).fill("Bretagne 2027")
    today = timezone.localdate()
    page.get_by_label("Début", exact=True).fill(f"{today - datetime.timedelta(days=30):%Y-%m-%d}")
    page.get_by_label("Fin", exact=True).fill(f"{today + datetime.timedelta(days=300):%Y-%m-%d}")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("link", name="Importer un tableur", exact=True).click()
    path = tmp_path / "apprenants.csv"
    path.write_bytes(CSV)
    page.get_by_label("Fichier des apprenant·es").set_input_files(str(path))
    page.get_by_role("button", name="Voir l'aperçu").click()
    expect(page.locator("tr[data-action=error]")).to_contain_text("Adresse e-mail invalide")
    assert_no_serious_violations(page, label="aperçu de l'import")
    page.get_by_role("button", name="Confirmer l'import de 1 ligne").click()
    expect(page.get_by_text("1 compte(s) créé(s)")).to_be_visible()
    enrolment = Enrolment.objects.get(user__email="elodie.lefevre@quimper.fr")
    assert not Enrolment.objects.filter(user__email__startswith="adresse").exists()

    # A session with the certified provider, happening now in the region's time zone.
    # The session starts within the current half-day (never before 00:00 or 13:00 local), so the
    # first sheet is the one happening now and the just-imported learner is on it.
    zone = ZoneInfo(region.timezone)
    now_local = timezone.now().astimezone(zone).replace(second=0, microsecond=0)
    slot_start = now_local.replace(hour=13 if now_local.hour >= 13 else 0, minute=0)
    start_local = max(slot_start, now_local - datetime.timedelta(hours=2))
    page.goto(live_server.url + "/gestion/sessions/nouvelle/")
    page.locator("#id_module").select_option(label=modules[0].title)
    page.locator("#id_provider").select_option(label="IREPS Bretagne")
    page.locator("#id_title").fill("Séminaire régional")
    page.locator("#id_place").fill("ARS Bretagne, Rennes")
    page.locator("#id_starts_local").fill(f"{start_local:%Y-%m-%dT%H:%M}")
    page.locator("#id_ends_local").fill(f"{now_local + datetime.timedelta(hours=1):%Y-%m-%dT%H:%M}")
    page.locator("#id_hours").fill("1")
    page.locator("label", has_text="Bretagne 2027").click()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="Séminaire régional")).to_be_visible()
    assert_no_serious_violations(page, label="session programmée")
    session = PresentialSession.objects.get(title="Séminaire régional")

    # Attendance of the current half-day, then confirmation.
    page.goto(live_server.url + f"/gestion/sessions/{session.pk}/presences/")
    page.get_by_role("link", name="Feuille du").first.click()
    page.get_by_label("Statut de Lefèvre Élodie").select_option("present")
    page.get_by_role("button", name="Enregistrer l'appel").click()
    expect(page.get_by_text("Appel enregistré")).to_be_visible()
    page.get_by_role("link", name="Confirmer la demi-journée").click()
    page.get_by_role("button", name="Confirmer et créditer les heures").click()
    expect(page.get_by_text("Demi-journée confirmée : 1 présence(s)")).to_be_visible()
    assert_no_serious_violations(page, label="feuille confirmée")
    presential = HoursEntry.objects.get(attendance__session=session).hours

    # Hours from an uncertified provider are recorded but cannot count.
    start = timezone.now() - datetime.timedelta(days=3)
    other = PresentialSession.objects.create(
        module=modules[1],
        provider=uncertified,
        region=region,
        title="Atelier local",
        place="Quimper",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        hours=Decimal(3),
    )
    other.cohorts.set([enrolment.cohort])
    record = Attendance.objects.create(
        session=other,
        enrolment=enrolment,
        day=timezone.localdate(start),
        half_day="am",
        status=AttendanceStatus.PRESENT,
        hours=Decimal(3),
        marked_by=staff,
        confirmed_by=staff,
        confirmed_at=timezone.now(),
    )
    attendance_services.attendance_credit(attendance=record, by=staff)

    # The learner's declaration, validated by staff.
    hours_services.declaration_submit(
        enrolment=enrolment,
        module=modules[0],
        occurred_on=today - datetime.timedelta(days=1),
        hours=Decimal("2.5"),
        description="Préparation du comité de pilotage du CLS",
        by=enrolment.user,
    )
    page.goto(live_server.url + "/gestion/declarations/")
    page.locator("#declarations-a-valider tr[data-status=submitted]").get_by_role("link").click()
    page.get_by_role("button", name="Valider la déclaration").click()
    expect(page.get_by_text("Déclaration validée : 2,5 h créditées")).to_be_visible()

    # The learner completes a lesson and reads the dashboard.
    context.clear_cookies()
    sign_in(enrolment.user)
    page.goto(live_server.url + lessons_of(modules[0])[0].url)
    page.get_by_role("button", name="J'ai terminé").click()
    page.goto(live_server.url + "/mon-espace/")
    expect(page.locator("#tableau-heures tr[data-modality=elearning]")).to_contain_text("2,5 h")
    expect(page.locator("#tableau-heures tr[data-modality=presential]")).to_contain_text(hours(presential))
    expect(page.locator("#tableau-heures tr[data-modality=organisation]")).to_contain_text("2,5 h")
    expect(page.locator("#heures-non-comptees")).to_contain_text(
        "L'organisme « Collectif sans label » n'avait pas de certification Qualiopi valide"
    )
    assert_no_serious_violations(page, label="tableau de bord de l'apprenant·e")
