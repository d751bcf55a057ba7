"""The pedagogical team's documents and images in the Wagtail admin go through the upload gate
(lms/uploads/wagtail_forms.py): single add, multiple upload, the chooser's upload tab and « replace
file » refuse hostile files with the gate's French message and store nothing; good files are stored
under a server-made name (images re-encoded); documents download as attachments with nosniff."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection, UploadedFile

from lms.uploads import UploadRefused, upload_check
from lms.uploads.wagtail_forms import document_policy, image_policy
from tests import uploads_samples as samples
from tests.factories import PedagogicalFactory

SERVER_NAME = r"[0-9a-f]{32}"

HOSTILE_DOCUMENTS = [
    ("programme.pdf", samples.javascript_pdf_bytes()),
    ("page.pdf", samples.HTML),
    ("modele.docx", samples.docx_with_html_and_macro_bytes()),
    ("compte-rendu.odt", samples.odt_bomb_bytes()),
]
HOSTILE_DOCUMENT_IDS = ["pdf-javascript", "html-renamed-pdf", "docx-macro", "odt-zip-bomb"]
HOSTILE_IMAGES = [("logo.svg", samples.SVG_SCRIPT), ("affiche.png", samples.png_bomb_bytes())]
HOSTILE_IMAGE_IDS = ["svg-script", "png-bomb-13000"]


@pytest.fixture(autouse=True)
def _files_on_disk(settings, tmp_path):
    """Files go to a scratch folder on disk, so that « nothing stored » can be seen, and Wagtail
    serves documents from a local path as in production."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def team_client(client, db):
    """A member of the pedagogical team (not a superuser), signed in; the role's Wagtail group
    is given on save (lms.services.pedagogical_group_ensure)."""
    client.force_login(PedagogicalFactory())
    return client


@pytest.fixture
def collection(db) -> int:
    return Collection.get_first_root_node().pk


def stored_files(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def gate_message(name: str, content: bytes, policy) -> str:
    """The French refusal the gate gives for this file, which the admin must show as is."""
    with pytest.raises(UploadRefused) as caught:
        upload_check(name=name, data=content, policy=policy)
    [message] = caught.value.messages
    return message


def page_text(response) -> str:
    return html.unescape(response.content.decode())


# --- Refused, nothing stored ----------------------------------------------------------------------


@pytest.mark.parametrize(("name", "content"), HOSTILE_DOCUMENTS, ids=HOSTILE_DOCUMENT_IDS)
def test_single_add_refuses_a_hostile_document(team_client, collection, tmp_path, name, content):
    """« Ajouter un document » shows the gate's French refusal; no document row, no file."""
    response = team_client.post(
        "/cms/documents/add/",
        {"title": "Support", "collection": collection, "file": samples.upload(name, content)},
    )
    assert response.status_code == 200
    assert gate_message(name, content, document_policy()) in page_text(response)
    assert not Document.objects.exists()
    assert stored_files(tmp_path) == []


@pytest.mark.parametrize(("name", "content"), HOSTILE_DOCUMENTS, ids=HOSTILE_DOCUMENT_IDS)
def test_multiple_upload_refuses_a_hostile_document(team_client, collection, tmp_path, name, content):
    """The multiple upload screen gets the gate's French refusal for the file (shown under it by
    the page's script); no document row, no pending upload, no file."""
    response = team_client.post(
        "/cms/documents/multiple/add/",
        {"collection": collection, "files[]": samples.upload(name, content)},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 200
    assert response.json() == {
        "success": False,
        "error_message": gate_message(name, content, document_policy()),
    }
    assert not Document.objects.exists() and not UploadedFile.objects.exists()
    assert stored_files(tmp_path) == []


@pytest.mark.parametrize(("name", "content"), HOSTILE_IMAGES, ids=HOSTILE_IMAGE_IDS)
def test_single_add_refuses_a_hostile_image(team_client, collection, tmp_path, name, content):
    """« Ajouter une image » refuses an SVG with a script and a 13,000 × 13,000 PNG bomb with the
    gate's French message (not Wagtail's, which decodes the header with Willow first)."""
    response = team_client.post(
        "/cms/images/add/",
        {"title": "Affiche", "collection": collection, "file": samples.upload(name, content)},
    )
    assert response.status_code == 200
    assert gate_message(name, content, image_policy()) in page_text(response)
    assert not Image.objects.exists()
    assert stored_files(tmp_path) == []


@pytest.mark.parametrize(("name", "content"), HOSTILE_IMAGES, ids=HOSTILE_IMAGE_IDS)
def test_multiple_upload_refuses_a_hostile_image(team_client, collection, tmp_path, name, content):
    """The images' multiple upload screen gets the gate's French refusal; nothing stored."""
    response = team_client.post(
        "/cms/images/multiple/add/",
        {"collection": collection, "files[]": samples.upload(name, content)},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.json() == {"success": False, "error_message": gate_message(name, content, image_policy())}
    assert not Image.objects.exists() and not UploadedFile.objects.exists()
    assert stored_files(tmp_path) == []


@pytest.mark.parametrize(
    ("url", "prefix", "name", "content", "policy", "model"),
    [
        (
            "/cms/documents/chooser/create/",
            "document-chooser-upload",
            "page.pdf",
            samples.HTML,
            document_policy,
            Document,
        ),
        (
            "/cms/images/chooser/create/",
            "image-chooser-upload",
            "logo.svg",
            samples.SVG_SCRIPT,
            image_policy,
            Image,
        ),
    ],
    ids=["documents", "images"],
)
def test_chooser_upload_tab_refuses_a_hostile_file(
    team_client, collection, tmp_path, url, prefix, name, content, policy, model
):
    """The chooser's « Téléverser » tab (from a page's editor) refuses with the gate's message."""
    response = team_client.post(
        url,
        {
            f"{prefix}-title": "Depuis l'éditeur",
            f"{prefix}-collection": collection,
            f"{prefix}-file": samples.upload(name, content),
        },
    )
    assert response.status_code == 200
    assert gate_message(name, content, policy()) in html.unescape(response.json()["htmlFragment"])
    assert not model.objects.exists()
    assert stored_files(tmp_path) == []


def test_replace_file_refuses_a_hostile_document_and_keeps_the_old_one(team_client, collection, tmp_path):
    """« Remplacer le fichier » on the edit screen refuses the PDF with JavaScript: the document
    keeps its file, and no other file is stored."""
    team_client.post(
        "/cms/documents/add/",
        {
            "title": "Guide",
            "collection": collection,
            "file": samples.upload("guide.pdf", samples.pdf_bytes()),
        },
    )
    document = Document.objects.get()
    before = stored_files(tmp_path)
    content = samples.javascript_pdf_bytes()
    response = team_client.post(
        f"/cms/documents/edit/{document.pk}/",
        {"title": "Guide", "collection": collection, "file": samples.upload("guide-v2.pdf", content)},
    )
    assert response.status_code == 200
    assert gate_message("guide-v2.pdf", content, document_policy()) in page_text(response)
    document.refresh_from_db()
    assert [f"{document.file.name}"] == before
    assert stored_files(tmp_path) == before


def test_replace_file_refuses_a_png_bomb_for_an_image(team_client, collection, tmp_path):
    """« Remplacer le fichier » of an image refuses the PNG bomb; the image keeps its file."""
    team_client.post(
        "/cms/images/add/",
        {"title": "Logo", "collection": collection, "file": samples.upload("logo.png", samples.png_bytes())},
    )
    image = Image.objects.get()
    before = stored_files(tmp_path)
    content = samples.png_bomb_bytes()
    response = team_client.post(
        f"/cms/images/{image.pk}/",
        {"title": "Logo", "collection": collection, "file": samples.upload("logo-v2.png", content)},
    )
    assert response.status_code == 200
    assert gate_message("logo-v2.png", content, image_policy()) in page_text(response)
    image.refresh_from_db()
    assert (image.width, image.height) == (16, 12)
    # The edit screen made renditions of the kept image (images/); no other original was stored.
    assert [name for name in stored_files(tmp_path) if not name.startswith("images/")] == before


def test_multiple_upload_keeps_no_raw_file_when_another_field_fails(team_client, collection, tmp_path):
    """A file that passes but comes with a bad field (a 300-character title) is refused with a
    message saying what to correct: Wagtail would otherwise keep the raw upload (not re-encoded,
    under the person's name) as a pending upload, outside the form."""
    response = team_client.post(
        "/cms/images/multiple/add/",
        {
            "title": "A" * 300,
            "collection": collection,
            "files[]": samples.upload("affiche.png", samples.png_with_html_bytes()),
        },
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    data = response.json()
    assert data["success"] is False
    assert data["error_message"].startswith("« affiche.png » n'a pas été enregistré (Titre : ")
    assert data["error_message"].endswith("Corrigez puis joignez le fichier à nouveau.")
    assert not Image.objects.exists() and not UploadedFile.objects.exists()
    assert stored_files(tmp_path) == []


# --- Accepted, stored as the gate hands it back ---------------------------------------------------


def test_single_add_stores_a_clean_pdf_under_a_server_made_name(team_client, collection, tmp_path):
    """A clean PDF is stored byte for byte under « documents/<random>.pdf »; the title keeps the
    team's wording and nothing of the person's file name reaches the storage path."""
    content = samples.pdf_bytes()
    response = team_client.post(
        "/cms/documents/add/",
        {
            "title": "Compte rendu du COPIL",
            "collection": collection,
            "file": samples.upload("compte rendu <COPIL>.pdf", content),
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.title == "Compte rendu du COPIL"
    assert re.fullmatch(rf"documents/{SERVER_NAME}\.pdf", document.file.name)
    assert stored_files(tmp_path) == [document.file.name]
    assert (tmp_path / document.file.name).read_bytes() == content


def test_multiple_upload_stores_a_clean_pdf_titled_by_its_original_name(team_client, collection, tmp_path):
    """Through the multiple upload screen the document is titled by the person's file name, as
    Wagtail does, and stored under a server-made name."""
    response = team_client.post(
        "/cms/documents/multiple/add/",
        {"collection": collection, "files[]": samples.upload("Guide CLS.pdf", samples.pdf_bytes())},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.json()["success"] is True
    document = Document.objects.get()
    assert document.title == "Guide CLS.pdf"
    assert re.fullmatch(rf"documents/{SERVER_NAME}\.pdf", document.file.name)
    assert stored_files(tmp_path) == [document.file.name]


def test_image_add_stores_the_re_encoded_image(team_client, collection, tmp_path):
    """A PNG carrying a web page after its end is stored re-encoded (pixels only) under
    « original_images/<random>.png », with its dimensions."""
    content = samples.png_with_html_bytes()
    response = team_client.post(
        "/cms/images/add/",
        {"title": "Affiche", "collection": collection, "file": samples.upload("affiche.png", content)},
    )
    assert response.status_code == 302
    image = Image.objects.get()
    assert re.fullmatch(rf"original_images/{SERVER_NAME}\.png", image.file.name)
    stored = (tmp_path / image.file.name).read_bytes()
    assert stored.startswith(b"\x89PNG") and b"<script>" not in stored and stored != content
    assert (image.width, image.height) == (16, 12)
    assert stored_files(tmp_path) == [image.file.name]


def test_multiple_upload_stores_a_re_encoded_image(team_client, collection, tmp_path):
    """The images' multiple upload screen stores the re-encoded image under a server-made name."""
    response = team_client.post(
        "/cms/images/multiple/add/",
        {"collection": collection, "files[]": samples.upload("affiche.png", samples.png_with_html_bytes())},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.json()["success"] is True
    image = Image.objects.get()
    assert image.title == "affiche.png"
    assert re.fullmatch(rf"original_images/{SERVER_NAME}\.png", image.file.name)
    assert b"<script>" not in (tmp_path / image.file.name).read_bytes()


def test_a_document_downloads_as_an_attachment_with_nosniff(team_client, collection):
    """Wagtail's serve view sends every document, PDFs included, as a download the browser must
    not sniff (WAGTAILDOCS_INLINE_CONTENT_TYPES is empty)."""
    team_client.post(
        "/cms/documents/add/",
        {
            "title": "Guide",
            "collection": collection,
            "file": samples.upload("guide.pdf", samples.pdf_bytes()),
        },
    )
    document = Document.objects.get()
    response = team_client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


def test_editing_without_a_new_file_keeps_the_stored_one(team_client, collection, tmp_path):
    """Renaming a document on its edit screen, with no file chosen, keeps the stored file as is."""
    team_client.post(
        "/cms/documents/add/",
        {
            "title": "Guide",
            "collection": collection,
            "file": samples.upload("guide.pdf", samples.pdf_bytes()),
        },
    )
    document = Document.objects.get()
    before = stored_files(tmp_path)
    response = team_client.post(
        f"/cms/documents/edit/{document.pk}/", {"title": "Guide 2026", "collection": collection}
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "Guide 2026" and [document.file.name] == before == stored_files(tmp_path)
