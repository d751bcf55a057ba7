"""The staff import page takes the spreadsheet through the upload gate: bomb-like, binary or
over-long files are refused with the French message on the page, quickly, and nothing is stored."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from courses.cohorts.models import EnrolmentImport
from tests.factories import CohortFactory
from tests.spreadsheet_samples import HEADER_ROW_XML, learner_row_xml, sheet_workbook

pytestmark = pytest.mark.django_db

FAR_ROW = b'<row r="1000000"><c r="A1000000" t="inlineStr"><is><t>x</t></is></c></row>'


@pytest.mark.parametrize(
    ("build", "name", "message"),
    [
        (
            lambda: sheet_workbook([HEADER_ROW_XML, learner_row_xml(2)], dimension="A1:C1000000"),
            "apprenants.xlsx",
            "Le fichier compte plus de 2\u00a0100 lignes sous la ligne d'en-tête : découpez-le en plusieurs",
        ),
        (
            lambda: sheet_workbook([HEADER_ROW_XML, learner_row_xml(2), FAR_ROW]),
            "apprenants.xlsx",
            "Le fichier compte plus de 2\u00a0100 lignes sous la ligne d'en-tête",
        ),
        (
            lambda: sheet_workbook([HEADER_ROW_XML, b"<row><c><v>1</v></c></row>" * 1_000_000]),
            "apprenants.xlsx",
            "bombe de décompression",
        ),
        (lambda: b"Nom;Pr\x00nom;E-mail\r\n", "apprenants.csv", "ce format n'est pas accepté"),
    ],
    ids=["million-rows-claimed", "row-one-million", "million-real-rows", "nul-byte"],
)
def test_bad_spreadsheet_is_refused_on_the_page(client, programme, region, ars_staff, build, name, message):
    """A workbook claiming or reaching a million rows, a CSV with a NUL byte: answered 400 within a
    second with the French message, and no import is stored."""
    cohort = CohortFactory(programme=programme, region=region)
    client.force_login(ars_staff)
    url = f"/gestion/promotions/{cohort.pk}/importer/"
    assert client.get(url).status_code == 200  # the page's first rendering is not what is timed
    upload = SimpleUploadedFile(name, build())
    started = time.monotonic()
    response = client.post(url, {"file": upload})
    assert time.monotonic() - started < 1
    assert response.status_code == 400
    assert escape(message) in response.content.decode()
    assert not EnrolmentImport.objects.exists()
