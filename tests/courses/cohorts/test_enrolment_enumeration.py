"""Enrolling, one by one or by spreadsheet, tells ARS staff nothing about accounts they cannot see:
a staff account and a learner of another region's cohort read exactly the same."""

import re
from html import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.cohorts.models import Enrolment, EnrolmentImport
from courses.cohorts.services import ACCOUNT_NOT_ENROLLABLE, NOT_A_LEARNER
from lms.models import User
from tests.factories import CohortFactory, EnrolmentFactory, TrainerFactory

pytestmark = pytest.mark.django_db

HEADER = "Nom;Prénom;E-mail;Employeur;Fonction;Date accord ARS;Date accord employeur\r\n"
# What legitimately differs between two answers: the typed address, the CSRF token, script nonces
# and the import's own id.
VOLATILE = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'), 'name="csrfmiddlewaretoken" value=""'),
    (re.compile(r'nonce="[^"]*"'), 'nonce=""'),
    (re.compile(r"/importer/\d+/"), "/importer/N/"),
]


def _normalised(response, email: str) -> str:
    html = response.content.decode().replace(email, "ADDRESS")
    for pattern, replacement in VOLATILE:
        html = pattern.sub(replacement, html)
    return html


@pytest.fixture
def hidden(programme, region, other_region, ars_staff):
    """A cohort of the staff member's region, and two addresses they cannot see: a trainer's and a
    learner enrolled in another region's cohort."""
    cohort = CohortFactory(programme=programme, region=region, name="Bretagne 2026", capacity=5)
    elsewhere = EnrolmentFactory(
        cohort=CohortFactory(programme=programme, region=other_region, name="Occitanie 2026")
    )
    return {
        "cohort": cohort,
        "staff_email": TrainerFactory().email,
        "learner_email": elsewhere.user.email,
    }


def _enrol(client, cohort, email):
    return client.post(
        f"/gestion/promotions/{cohort.pk}/inscrire/",
        {"last_name": "Martin", "first_name": "Hélène", "email": email},
    )


def test_one_by_one_staff_account_and_other_region_learner_read_the_same(client, hidden, ars_staff):
    """ARS staff enrolling a trainer's address or another region's learner get byte-identical pages
    with the neutral message, and nothing is enrolled."""
    client.force_login(ars_staff)
    pages = []
    for email in (hidden["staff_email"], hidden["learner_email"]):
        response = _enrol(client, hidden["cohort"], email)
        assert response.status_code == 400
        pages.append(_normalised(response, email))
    assert escape(ACCOUNT_NOT_ENROLLABLE) in pages[0]
    assert pages[0] == pages[1]
    assert "Occitanie" not in pages[0]
    assert not Enrolment.objects.filter(cohort=hidden["cohort"]).exists()


def _upload(client, cohort, email):
    body = HEADER + f"Martin;Hélène;{email};;;;\r\n"
    return client.post(
        f"/gestion/promotions/{cohort.pk}/importer/",
        {"file": SimpleUploadedFile("apprenants.csv", body.encode("utf-8"))},
        follow=True,
    )


def test_import_staff_account_and_other_region_learner_read_the_same(client, hidden, ars_staff):
    """In an import's preview and after its confirmation, a trainer's address and another region's
    learner read byte-identically for ARS staff, with the neutral message; nothing is enrolled."""
    client.force_login(ars_staff)
    previews, outcomes = [], []
    for email in (hidden["staff_email"], hidden["learner_email"]):
        previews.append(_normalised(_upload(client, hidden["cohort"], email), email))
        batch = EnrolmentImport.objects.latest("pk")
        url = f"/gestion/promotions/{hidden['cohort'].pk}/importer/{batch.pk}/"
        client.post(url)
        outcomes.append(_normalised(client.get(url), email))
    assert escape(ACCOUNT_NOT_ENROLLABLE) in previews[0]
    assert previews[0] == previews[1]
    assert escape(ACCOUNT_NOT_ENROLLABLE) in outcomes[0]
    assert outcomes[0] == outcomes[1]
    assert not Enrolment.objects.filter(cohort=hidden["cohort"]).exists()


def test_pedagogical_team_keeps_precise_reasons(client, hidden, pedagogical):
    """The team, who sees every account, is told a staff account is not a learner and where the
    learner is enrolled."""
    client.force_login(pedagogical)
    staff_page = _enrol(client, hidden["cohort"], hidden["staff_email"]).content.decode()
    learner_page = _enrol(client, hidden["cohort"], hidden["learner_email"]).content.decode()
    assert escape(NOT_A_LEARNER) in staff_page
    assert "Déjà inscrit·e dans la promotion « Occitanie 2026 »" in learner_page
    assert User.objects.filter(email=hidden["staff_email"]).get().enrolments.count() == 0
