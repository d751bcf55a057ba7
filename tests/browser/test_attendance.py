"""Attendance in a real browser: a trainer calls a morning (present, partial, absent) and signs on
the canvas, ARS staff confirm, the learner's dashboard shows the presential hours; axe on each page."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from courses.attendance.models import Attendance, Signature
from courses.attendance.services import SIGNATURE_CANVAS
from courses.cohorts.models import Enrolment
from courses.hours.models import HoursEntry
from courses.sessions.models import PresentialSession, TrainingProvider
from tests.browser.conftest import assert_no_serious_violations
from tests.factories import ArsStaffFactory, EnrolmentFactory, TrainerFactory, UserFactory

pytestmark = pytest.mark.browser

UTC = datetime.UTC


def _learner(cohort, first_name, last_name):
    enrolment = EnrolmentFactory(cohort=cohort, user=UserFactory(first_name=first_name, last_name=last_name))
    Enrolment.objects.filter(pk=enrolment.pk).update(created_at=datetime.datetime(2026, 9, 1, tzinfo=UTC))
    return enrolment


def test_trainer_marks_staff_confirm_learner_sees_hours(
    page, context, sign_in, browser_cohort, browser_modules
):
    """The attendance journey from the call to the learner's presential hours."""
    cohort = browser_cohort
    provider = TrainingProvider.objects.create(
        name="Organisme Armor",
        siret="12345678900011",
        qualiopi_number="QUA-2024-0042",
        qualiopi_valid_from=datetime.date(2024, 1, 1),
        qualiopi_valid_until=datetime.date(2027, 12, 31),
    )
    trainer = TrainerFactory(first_name="Hélène", last_name="Formatrice")
    session = PresentialSession.objects.create(
        module=browser_modules[0],
        provider=provider,
        region=cohort.region,
        title="Séminaire régional CLS",
        place="Rennes",
        starts_at=datetime.datetime(2026, 10, 5, 7, 0, tzinfo=UTC),
        ends_at=datetime.datetime(2026, 10, 5, 15, 0, tzinfo=UTC),
        hours=Decimal(7),
    )
    session.cohorts.set([cohort])
    session.trainers.set([trainer])
    present = _learner(cohort, "Élodie", "Lefèvre")
    partial = _learner(cohort, "Yann", "Le Goff")
    absent = _learner(cohort, "Anne", "Kerjean")

    sign_in(trainer)
    page.goto(f"/gestion/sessions/{session.pk}/presences/")
    expect(page.get_by_role("heading", name="Émargement — Séminaire régional CLS")).to_be_visible()
    assert_no_serious_violations(page, label="demi-journées de la session")
    page.get_by_role("link", name="Feuille du 5 octobre (matin)").click()
    assert_no_serious_violations(page, label="feuille d'émargement")
    page.get_by_label("Statut de Lefèvre Élodie").select_option("present")
    page.get_by_label("Statut de Le Goff Yann").select_option("partial")
    page.get_by_label("Heures suivies par Le Goff Yann (présence partielle)").fill("4")
    page.get_by_label("Statut de Kerjean Anne").select_option("absent")
    page.get_by_role("button", name="Enregistrer l'appel").click()
    expect(page.get_by_text("plus que la demi-journée")).to_be_visible()
    assert_no_serious_violations(page, label="feuille en erreur")
    assert not Attendance.objects.exists()
    page.get_by_label("Heures suivies par Le Goff Yann (présence partielle)").fill("1,5")
    page.get_by_role("button", name="Enregistrer l'appel").click()
    expect(page.get_by_text("Appel enregistré : 3 statut(s) mis à jour.")).to_be_visible()

    page.get_by_role("link", name="Signer la feuille").click()
    assert_no_serious_violations(page, label="signature")
    pad = page.locator("canvas[data-signature-pad]")
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 40)
    page.mouse.down()
    page.mouse.move(box["x"] + 120, box["y"] + 90, steps=8)
    page.mouse.move(box["x"] + 220, box["y"] + 50, steps=8)
    page.mouse.up()
    page.get_by_role("button", name="Valider ma signature").click()
    expect(page.get_by_text("Votre signature est enregistrée")).to_be_visible()
    stored = bytes(Signature.objects.get(signer=trainer).image_png)
    with Image.open(io.BytesIO(stored)) as drawn:
        assert (drawn.format, drawn.size) == ("PNG", SIGNATURE_CANVAS)  # the pad's drawing, re-encoded

    live = PresentialSession.objects.create(
        module=browser_modules[1],
        provider=provider,
        region=cohort.region,
        title="Atelier en cours",
        place="Brest",
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        ends_at=timezone.now() + datetime.timedelta(hours=2),
        hours=Decimal(3),
    )
    live.trainers.set([trainer])
    page.goto(f"/gestion/sessions/{live.pk}/presences/qr/")
    expect(page.locator("#qr-emargement svg")).to_be_visible()
    expect(page.locator("#code-emargement")).to_have_text(re.compile(r"^\d{6}$"))
    assert_no_serious_violations(page, label="QR code d'émargement")

    context.clear_cookies()
    sign_in(ArsStaffFactory(regions=[cohort.region]))
    page.goto(f"/gestion/sessions/{session.pk}/presences/2026-10-05/am/")
    page.get_by_role("link", name="Confirmer la demi-journée").click()
    expect(
        page.get_by_role("heading", name="Confirmer la demi-journée du lundi 5 octobre 2026 (matin) ?")
    ).to_be_visible()
    assert_no_serious_violations(page, label="confirmation")
    page.get_by_role("button", name="Confirmer et créditer les heures").click()
    expect(page.get_by_text("Demi-journée confirmée : 2 présence(s) créditée(s)")).to_be_visible()
    assert_no_serious_violations(page, label="feuille confirmée")
    assert HoursEntry.objects.filter(enrolment=present).get().hours == Decimal("3.50")
    assert not HoursEntry.objects.filter(enrolment=absent).exists()

    context.clear_cookies()
    sign_in(partial.user)
    page.goto("/mon-espace/")
    expect(page.locator("#tableau-heures tr[data-modality=presential]")).to_contain_text("1,5 h")
    assert_no_serious_violations(page, label="tableau de bord de l'apprenant·e")
    page.goto(f"/parcours/emargement/{session.pk}/")
    expect(page.get_by_text("Présence partielle")).to_be_visible()
    assert_no_serious_violations(page, label="émargement de l'apprenant·e")
    page.goto(f"/parcours/emargement/{session.pk}/code/")
    assert_no_serious_violations(page, label="saisie du code")
