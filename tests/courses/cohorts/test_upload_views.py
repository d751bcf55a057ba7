"""Uploads through the real views: the agreement document (ARS staff) and the evidence of an
in-organisation declaration (learner). Hostile files show a French message naming the file and
store nothing, neither a row nor a file; a replaced agreement file is deleted after the commit."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from courses.cohorts.models import Enrolment
from courses.hours.models import OrganisationDeclaration
from tests import uploads_samples as samples
from tests.factories import CohortFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    ("accord.pdf", samples.javascript_pdf_bytes, "ce PDF contient du contenu actif"),
    ("accord.pdf", samples.polyglot_pdf_bytes, "commence comme un PDF mais contient autre chose"),
    ("accord.pdf", lambda: samples.HTML, "c&#x27;est une page web (HTML)"),
    ("accord.pdf.exe", lambda: samples.EXE, "c&#x27;est un programme exécutable"),
    ("accord.pdf", lambda: b"", "le fichier est vide."),
    ("accord.pdf", lambda: samples.pdf_bytes(1000), "ce PDF compte 1000 pages : 50 au plus."),
]
HOSTILE_IDS = ["javascript", "polyglot", "html-as-pdf", "pdf-exe", "empty", "1000-pages"]


def stored(folder: str) -> set[str]:
    found, folders = set(), [folder]
    while folders:
        current = folders.pop()
        try:
            subfolders, files = default_storage.listdir(current)
        except FileNotFoundError:
            continue
        folders += [f"{current}/{sub}" for sub in subfolders]
        found |= {f"{current}/{name}" for name in files}
    return found


@pytest.fixture
def enrolment(programme, region):
    cohort = CohortFactory(
        programme=programme, region=region, start_date=timezone.localdate() - datetime.timedelta(days=60)
    )
    return EnrolmentFactory(cohort=cohort)


def post_agreement(client, enrolment, name, content):
    return client.post(
        f"/gestion/inscriptions/{enrolment.pk}/",
        {
            "ars_agreement_on": "2026-01-05",
            "employer_agreement_on": "",
            "document": SimpleUploadedFile(name, content),
        },
    )


@pytest.mark.parametrize(("name", "build", "message"), HOSTILE, ids=HOSTILE_IDS)
def test_hostile_agreement_document_is_refused_and_nothing_stored(
    client, ars_staff, enrolment, name, build, message
):
    """A hostile agreement file: 400, the message naming the file, no date, no file written."""
    client.force_login(ars_staff)
    before = stored("agreements")
    response = post_agreement(client, enrolment, name, build())
    assert response.status_code == 400
    page = response.content.decode()
    assert f"« {name} » : " in page and message in page
    enrolment.refresh_from_db()
    assert not enrolment.agreement_document and enrolment.ars_agreement_on is None
    assert stored("agreements") == before


def test_agreement_is_stored_under_a_server_name_and_served_as_a_sandboxed_download(
    client, ars_staff, enrolment
):
    """The file is stored under a random name; the download carries its cleaned original name."""
    client.force_login(ars_staff)
    content = samples.pdf_bytes()
    assert post_agreement(client, enrolment, "../accord signé.pdf", content).status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.agreement_document_name == "accord signé.pdf"
    assert "accord" not in enrolment.agreement_document.name.removeprefix("agreements/")
    response = client.get(f"/gestion/inscriptions/{enrolment.pk}/accord.pdf")
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''accord%20sign%C3%A9.pdf"
    assert (
        response["X-Content-Type-Options"] == "nosniff" and response["Content-Security-Policy"] == "sandbox"
    )
    assert b"".join(response.streaming_content) == content


def test_replaced_agreement_file_is_deleted_after_commit(
    client, ars_staff, enrolment, django_capture_on_commit_callbacks
):
    """Replacing the document deletes the old file once the transaction commits, never before."""
    client.force_login(ars_staff)
    before = stored("agreements")
    post_agreement(client, enrolment, "v1.pdf", samples.pdf_bytes(text="v1"))
    enrolment.refresh_from_db()
    first = enrolment.agreement_document.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert post_agreement(client, enrolment, "v2.pdf", samples.pdf_bytes(text="v2")).status_code == 302
    assert default_storage.exists(first)
    for callback in callbacks:
        callback()
    enrolment.refresh_from_db()
    assert not default_storage.exists(first) and default_storage.exists(enrolment.agreement_document.name)
    assert stored("agreements") - before == {enrolment.agreement_document.name}


@pytest.mark.parametrize(
    ("name", "build", "message"),
    [
        ("cr.docx", samples.docx_with_html_and_macro_bytes, "ce document contient des macros"),
        ("cr.odt", samples.odt_bomb_bytes, "bombe de décompression"),
        ("cr.pdf", samples.javascript_pdf_bytes, "ce PDF contient du contenu actif"),
        ("cr.pdf", samples.polyglot_pdf_bytes, "commence comme un PDF mais contient autre chose"),
        ("logo.svg", lambda: samples.SVG_SCRIPT, "c&#x27;est une image SVG"),
        ("cr.pdf", samples.corrupt_pdf_bytes, "ce PDF est endommagé ou illisible"),
        ("cr.docx", samples.follina_docx_bytes, "ce document contient un objet incorporé ou lié (OLE)"),
        ("cr.docx", samples.remote_template_docx_bytes, "ce document contient un modèle attaché"),
        ("cr.docx", samples.altchunk_docx_bytes, "(« text/html ») : il est refusé"),
        ("cr.odt", samples.odt_external_object_bytes, "un contenu chargé depuis l&#x27;extérieur"),
    ],
    ids=[
        "docx-html-macro",
        "odt-bomb",
        "javascript",
        "polyglot",
        "svg",
        "corrupt",
        "docx-follina",
        "docx-remote-template",
        "docx-altchunk",
        "odt-external-object",
    ],
)
def test_hostile_evidence_is_refused_through_the_form(client, enrolment, programme, name, build, message):
    """A hostile evidence file: 400, the message naming the file, no declaration, no file."""
    module = programme.get_children().specific().first()
    client.force_login(enrolment.user)
    before = stored("evidence")
    response = client.post(
        "/parcours/declarations/nouvelle/",
        {
            "module": module.pk,
            "occurred_on": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
            "hours": "2",
            "description": "Réunion du comité de pilotage.",
            "evidence": SimpleUploadedFile(name, build()),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f"« {name} » : " in page and message in page
    assert not OrganisationDeclaration.objects.exists() and stored("evidence") == before


def test_evidence_png_with_html_is_stored_re_encoded(client, enrolment, programme):
    """A PNG with a web page appended is accepted, but the stored file is the image only."""
    module = programme.get_children().specific().first()
    client.force_login(enrolment.user)
    response = client.post(
        "/parcours/declarations/nouvelle/",
        {
            "module": module.pk,
            "occurred_on": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
            "hours": "2",
            "description": "Réunion du comité de pilotage.",
            "evidence": SimpleUploadedFile("photo.png", samples.png_with_html_bytes()),
        },
    )
    assert response.status_code == 302
    declaration = OrganisationDeclaration.objects.get()
    assert b"<script" not in declaration.evidence.read()
    assert (declaration.evidence_name, declaration.evidence_content_type) == ("photo.png", "image/png")
    assert Enrolment.objects.count() == 1
