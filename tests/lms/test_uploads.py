"""The upload gate (lms.uploads): every bad input of issue 7 refused with a French message naming
the file, bombs refused fast with bounded memory, good files accepted and what is stored."""

from __future__ import annotations

import fcntl
import io
import os
import resource
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from forum.attachments import checks as attachments
from lms.uploads import (
    Kind,
    UploadPolicy,
    UploadRefused,
    clean_name,
    gate,
    image_reencode,
    pdf,
    upload_check,
    upload_response,
    upload_storage_name,
)
from tests import uploads_samples as samples
from tests.factories import UserFactory

EVERYTHING = UploadPolicy(
    label="le fichier",
    kinds=frozenset(Kind),
    max_bytes=5 * 1024 * 1024,
    max_pdf_pages=50,
    max_rows=100,
)


def refusal(name: str, content: bytes, policy: UploadPolicy = EVERYTHING) -> str:
    with pytest.raises(UploadRefused) as caught:
        upload_check(name=name, data=content, policy=policy)
    [message] = caught.value.messages
    return message


def peak_rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


# --- Names ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\rapport.pdf", "rapport.pdf"),
        ("rapport\x00.exe.pdf", "rapport.exe.pdf"),
        ("rap\x07port\x1b[31m\u202e.pdf", "rapport[31m.pdf"),
    ],
    ids=["dot-dot-slash", "backslashes", "nul", "control-chars"],
)
def test_names_are_cleaned_and_kept_as_data(given, kept):
    """`../`, NUL, control and bidi characters never survive in the kept name; the stored name
    is made by the server and holds nothing of it."""
    checked = upload_check(name=given, data=samples.pdf_bytes(), policy=EVERYTHING)
    assert checked.original_name == kept
    stored = upload_storage_name(folder="evidence", checked=checked)
    assert stored.startswith("evidence/") and stored.endswith(".pdf") and ".." not in stored
    assert kept.removesuffix(".pdf") not in stored


def test_three_hundred_character_name_is_cut_to_200_keeping_the_extension():
    """A 300-character name is accepted, cut to 200 characters, extension kept."""
    checked = upload_check(name="a" * 300 + ".pdf", data=samples.pdf_bytes(), policy=EVERYTHING)
    assert len(checked.original_name) == 200 and checked.original_name.endswith(".pdf")
    assert clean_name("") == clean_name("..") == clean_name("../") == "fichier"


# --- Type by content, extension agreeing ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("vide.pdf", b"", "« vide.pdf » : le fichier est vide."),
        (
            "rapport.pdf.exe",
            samples.EXE,
            "« rapport.pdf.exe » : c'est un programme exécutable, pas un document : il est refusé.",
        ),
        (
            "rapport.pdf.exe",
            samples.pdf_bytes(),
            "« rapport.pdf.exe » : ce fichier est un PDF : son nom doit finir par .pdf.",
        ),
        (
            "logo.svg",
            samples.SVG_SCRIPT,
            "« logo.svg » : c'est une image SVG, qui peut contenir du code : elle est refusée.",
        ),
        (
            "logo.png",
            samples.SVG_SCRIPT,
            "« logo.png » : malgré son extension .png, c'est une image SVG, qui peut contenir du code",
        ),
        (
            "attestation.pdf",
            samples.HTML,
            "« attestation.pdf » : malgré son extension .pdf, c'est une page web (HTML), pas un document",
        ),
        ("programme.pdf", samples.ELF, "« programme.pdf » : malgré son extension .pdf, c'est un programme"),
        (
            "photo.jpg",
            samples.png_bytes(),
            "« photo.jpg » : ce fichier est une image PNG : son nom doit finir",
        ),
    ],
    ids=[
        "empty",
        "pdf-exe",
        "pdf-named-pdf-exe",
        "svg-script",
        "svg-as-png",
        "html-as-pdf",
        "elf",
        "png-as-jpg",
    ],
)
def test_bad_kinds_are_refused_by_content(name, content, expected):
    """Each file is judged by its bytes; the message names the file and says what it is."""
    assert refusal(name, content).startswith(expected)


def test_kind_outside_the_policy_says_what_is_accepted():
    """A real DOCX where only PDFs are accepted: the message says so, in the policy's words."""
    only_pdf = UploadPolicy(label="le document d'accord", kinds=frozenset({Kind.PDF}), max_bytes=1024 * 1024)
    assert refusal("accord.docx", samples.docx_bytes(), only_pdf) == (
        "« accord.docx » : c'est un document Word (DOCX), or le document d'accord doit être un fichier PDF."
    )


def test_size_limit_is_checked_before_reading_an_upload():
    """An upload above the limit is refused from its announced size, in Mo."""
    big = SimpleUploadedFile("gros.pdf", b"%PDF-1.7\n" + b"0" * (6 * 1024 * 1024))
    assert refusal("gros.pdf", big) == "« gros.pdf » : le fichier pèse 6,0 Mo : la limite est de 5 Mo."


@pytest.mark.parametrize(
    ("max_bytes", "size", "expected"),
    [
        (200 * 1024, 200 * 1024 + 1, "le fichier pèse 200,1 Ko : la limite est de 200 Ko."),
        (2 * 1024 * 1024, 2 * 1024 * 1024 + 1, "le fichier pèse 2,1 Mo : la limite est de 2 Mo."),
        (204_850, 204_851, "le fichier pèse 200,1 Ko : la limite est de 200,0 Ko."),
    ],
    ids=["one-byte-over-200-ko", "one-byte-over-2-mo", "limit-between-tenths"],
)
def test_size_just_over_the_limit_never_reads_as_the_limit(max_bytes, size, expected):
    """A file one byte over its limit shows a size that reads above the limit, in Ko as in Mo."""
    policy = UploadPolicy(label="la signature", kinds=frozenset({Kind.PNG}), max_bytes=max_bytes)
    assert refusal("s.png", samples.png_bytes((4, 4)) + b"0" * size, policy).endswith(expected)


# --- PDFs ------------------------------------------------------------------------------------------


def test_real_pdf_is_accepted_with_its_pages_and_bytes():
    """A PDF made by reportlab is accepted byte for byte, with its page count."""
    content = samples.pdf_bytes(3)
    checked = upload_check(name="cr.pdf", data=io.BytesIO(content), policy=EVERYTHING)
    assert (checked.kind, checked.pages, checked.content, checked.extension) == (Kind.PDF, 3, content, ".pdf")


def test_a_page_listed_twenty_times_counts_once():
    """The page count walks the page tree and counts distinct page objects: one page referenced
    twenty times in /Kids (with a /Count of 20) is a one-page PDF."""
    checked = upload_check(name="m.pdf", data=samples.repeated_page_pdf_bytes(20), policy=EVERYTHING)
    assert checked.pages == 1


def test_a_lying_page_count_is_not_trusted():
    """A page tree whose /Count claims 15 pages over 3 real ones is counted as 3."""
    assert upload_check(name="m.pdf", data=samples.lying_count_pdf_bytes(3, 15), policy=EVERYTHING).pages == 3


def test_a_page_listed_many_times_cannot_pass_the_page_limit_by_repetition():
    """A page limit is judged on distinct pages: 60 references to one page pass a 50-page limit as
    one page, so they cannot inflate a count either way."""
    assert upload_check(name="m.pdf", data=samples.repeated_page_pdf_bytes(60), policy=EVERYTHING).pages == 1


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (samples.javascript_pdf_bytes, "ce PDF contient du contenu actif (JavaScript"),
        (samples.launch_pdf_bytes, "ce PDF contient du contenu actif"),
        (samples.embedded_file_pdf_bytes, "ce PDF contient du contenu actif"),
        (samples.encrypted_pdf_bytes, "ce PDF est protégé par un mot de passe"),
        (samples.corrupt_pdf_bytes, "ce PDF est endommagé ou illisible"),
        (samples.polyglot_pdf_bytes, "ce fichier commence comme un PDF mais contient autre chose"),
    ],
    ids=["javascript", "launch", "embedded-file", "encrypted", "corrupt", "pdf-html-polyglot"],
)
def test_hostile_pdfs_are_refused(build, expected):
    """Active content, encryption, damage and a PDF that is also a web page are refused."""
    assert refusal("piece.pdf", build()).startswith(f"« piece.pdf » : {expected}")


@pytest.mark.parametrize("action", ["/SubmitForm", "/GoToE", "/GoToR", "/ImportData", "/Sound", "/Movie"])
def test_pdf_actions_that_send_fetch_or_play_are_refused(action):
    """Open actions that send form data, open another (possibly remote) file, import data or play
    media are active content, refused as JavaScript is."""
    assert refusal("piece.pdf", samples.action_pdf_bytes(action)).startswith(
        "« piece.pdf » : ce PDF contient du contenu actif (JavaScript"
    )


def test_active_names_inside_picture_bytes_are_not_active_content():
    """Names of actions that happen to occur in a picture's binary bytes (a photograph's JPEG data
    holds any byte sequence) are not content: the PDF is accepted."""
    content = samples.binary_stream_pdf_bytes(b"\xff\xd8\xff\xe0\x91/JS\x02\x8f/Launch\x00\xff\xd9")
    assert b"/JS\x02" in content
    assert upload_check(name="photo.pdf", data=content, policy=EVERYTHING).pages == 1


def test_thousand_page_pdf_is_refused_quickly():
    """A 1,000-page PDF is refused for its page count within a few seconds."""
    content = samples.pdf_bytes(1000)
    started = time.monotonic()
    assert refusal("annexes.pdf", content) == "« annexes.pdf » : ce PDF compte 1000 pages : 50 au plus."
    assert time.monotonic() - started < 10


# --- Images ----------------------------------------------------------------------------------------


def test_png_with_html_appended_is_accepted_re_encoded_without_it():
    """A PNG followed by a web page is accepted, but what is stored is the re-encoded image only."""
    checked = upload_check(name="photo.png", data=samples.png_with_html_bytes(), policy=EVERYTHING)
    assert b"<script" not in checked.content and b"<html" not in checked.content
    assert checked.content.endswith(b"IEND\xaeB`\x82")
    with Image.open(io.BytesIO(checked.content)) as image:
        assert image.size == (16, 12)


def test_image_bomb_is_refused_before_decoding():
    """A 13,000 × 13,000 PNG of ~160 KB is refused from its header, fast and without decoding."""
    content = samples.png_bomb_bytes()
    before, started = peak_rss_kb(), time.monotonic()
    message = refusal("signature.png", content)
    assert message.startswith("« signature.png » : cette image est trop grande")
    assert time.monotonic() - started < 1
    assert peak_rss_kb() - before < 50 * 1024


def test_image_above_the_policy_pixels_is_refused_with_its_size():
    """Below Pillow's own ceiling, the policy's limit applies, with the dimensions in the message."""
    small = UploadPolicy(
        label="la signature", kinds=frozenset({Kind.PNG}), max_bytes=1024**2, max_image_pixels=1_000_000
    )
    assert refusal("s.png", samples.png_bytes((2000, 1000)), small) == (
        "« s.png » : cette image est trop grande (2\u00a0000 × 1\u00a0000 pixels) : "
        "1 million de pixels au plus. Réduisez-la puis réessayez."
    )


def test_pixel_limit_below_a_million_reads_in_pixels_with_the_policy_advice():
    """A limit of 360,000 pixels reads « 360 000 pixels » (not « 0 millions »), and the policy's own
    advice closes the message, for an image over the limit as for a bomb Pillow will not open."""
    pad = UploadPolicy(
        label="la signature",
        kinds=frozenset({Kind.PNG}),
        max_bytes=1024**2,
        max_image_pixels=360_000,
        image_advice="Signez à nouveau dans le cadre.",
    )
    assert refusal("s.png", samples.png_bytes((1000, 1000)), pad) == (
        "« s.png » : cette image est trop grande (1\u00a0000 × 1\u00a0000 pixels) : "
        "360\u00a0000 pixels au plus. Signez à nouveau dans le cadre."
    )
    assert refusal("s.png", samples.png_bomb_bytes(), pad) == (
        "« s.png » : cette image est trop grande : 360\u00a0000 pixels au plus. "
        "Signez à nouveau dans le cadre."
    )


def test_image_reencode_fits_the_box_and_drops_metadata():
    """image_reencode fits into the box (aspect kept) and keeps no text chunk."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    buffer = io.BytesIO()
    Image.new("RGB", (800, 400), "blue").save(buffer, "PNG", pnginfo=info)
    out = image_reencode(buffer.getvalue(), max_pixels=40_000_000, box=(400, 400))
    with Image.open(io.BytesIO(out)) as image:
        assert image.size == (400, 200) and not image.text
    with pytest.raises(UploadRefused):
        image_reencode(samples.png_bomb_bytes(), max_pixels=40_000_000, box=(400, 400))


# --- Office documents ------------------------------------------------------------------------------


def test_real_office_documents_are_accepted():
    """A DOCX, an ODT and an XLSX of the right structure are accepted byte for byte."""
    for name, content, kind in (
        ("cr.docx", samples.docx_bytes(), Kind.DOCX),
        ("cr.odt", samples.odt_bytes(), Kind.ODT),
        ("liste.xlsx", samples.xlsx_bytes(), Kind.XLSX),
    ):
        checked = upload_check(name=name, data=content, policy=EVERYTHING)
        assert (checked.kind, checked.content) == (kind, content)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("cr.docx", samples.docx_with_html_and_macro_bytes(), "ce document contient des macros"),
        ("cr.docx", samples.docx_bytes({"word/page.html": samples.HTML}), "élément étranger au format DOCX"),
        ("cr.docx", samples.docx_bytes({"word/activeX/activeX1.bin": b"x"}), "contrôle ActiveX"),
        (
            "cr.odt",
            samples.odt_bytes({"Basic/Standard/Module1.xml": "<x/>"}),
            "ce document contient des macros",
        ),
        (
            "cr.odt",
            samples.odt_bytes({"Scripts/python/run.py": "import os"}),
            "ce document contient des macros",
        ),
        ("cr.odt", samples.odt_bytes({"evil.js": "alert(1)"}), "élément étranger au format ODT"),
        (
            "liste.xlsx",
            samples.xlsx_bytes(150),
            "ce classeur compte 150 lignes sous la ligne d'en-tête d'une feuille : 100 au plus.",
        ),
    ],
    ids=[
        "docx-html-and-macro",
        "docx-html",
        "docx-activex",
        "odt-basic",
        "odt-scripts",
        "odt-js",
        "xlsx-rows",
    ],
)
def test_hostile_office_documents_are_refused(name, content, expected):
    """Macros, foreign entries and too many rows are refused, the message naming the file."""
    message = refusal(name, content)
    assert message.startswith(f"« {name} » : ") and expected in message


def test_docx_with_an_ordinary_hyperlink_is_accepted():
    """A DOCX whose document links to a web page and an e-mail address (external hyperlink
    relationships, as Word writes them) is accepted byte for byte."""
    content = samples.docx_hyperlink_bytes()
    checked = upload_check(name="cr.docx", data=content, policy=EVERYTHING)
    assert (checked.kind, checked.content) == (Kind.DOCX, content)


@pytest.mark.parametrize(
    ("name", "build", "expected"),
    [
        (
            "cr.docx",
            samples.follina_docx_bytes,
            "ce document contient un objet incorporé ou lié (OLE) : il est refusé. "
            "Enregistrez-le de nouveau sans cet objet (ou en PDF), puis réessayez.",
        ),
        (
            "cr.docx",
            samples.remote_template_docx_bytes,
            "ce document contient un modèle attaché, chargé à son ouverture : il est refusé. "
            "Enregistrez-le de nouveau sans modèle attaché (ou en PDF), puis réessayez.",
        ),
        (
            "cr.docx",
            samples.altchunk_docx_bytes,
            "ce document contient une partie déclarée comme page web, script ou objet actif "
            "(« text/html ») : il est refusé. Enregistrez-le de nouveau depuis votre traitement "
            "de texte (ou en PDF), puis réessayez.",
        ),
        (
            "cr.docx",
            samples.dde_docx_bytes,
            "ce document contient un champ qui lance une commande ou va chercher un contenu extérieur "
            "(DDEAUTO) : il est refusé. Enregistrez-le de nouveau sans ce champ (ou en PDF), puis réessayez.",
        ),
        (
            "cr.odt",
            samples.odt_external_object_bytes,
            "ce document contient un contenu chargé depuis l'extérieur à son ouverture : il est refusé. "
            "Enregistrez-le de nouveau sans contenu lié (insérez-le au lieu de le lier) ou en PDF, "
            "puis réessayez.",
        ),
        ("cr.odt", samples.odt_macro_event_bytes, "ce document contient des macros"),
        ("cr.odt", samples.odt_html_manifest_bytes, "(« text/html ») : il est refusé."),
        (
            "liste.xlsx",
            samples.xlsx_external_link_bytes,
            "ce document contient des liaisons vers des données externes : il est refusé. "
            "Enregistrez-le de nouveau sans liaisons (copiez les valeurs dans un nouveau classeur) "
            "ou en PDF, puis réessayez.",
        ),
    ],
    ids=[
        "docx-follina-ole",
        "docx-remote-template",
        "docx-altchunk-html",
        "docx-dde-field",
        "odt-external-object",
        "odt-macro-event",
        "odt-html-part",
        "xlsx-external-link",
    ],
)
def test_office_documents_that_act_when_opened_are_refused(name, build, expected):
    """Relationships, content types, manifests and parts that fetch, run or render something when
    the document opens (OLE, remote template, altChunk HTML, DDE, ODF external objects and macro
    events, workbook links) are refused, the message naming the file and saying what to do."""
    message = refusal(name, build())
    assert message.startswith(f"« {name} » : ") and expected in message


@pytest.mark.parametrize(
    ("kind", "target", "mode", "expected"),
    [
        ("attachedTemplate", "modele.dotm", None, "un modèle attaché"),
        ("frame", "http://evil.example/cadre.html", "External", "un cadre qui affiche une autre page"),
        ("subDocument", "file:///C:/partage/chapitre.docx", "External", "un sous-document lié"),
        ("control", "activeX/activeX1.xml", None, "un contrôle ActiveX"),
        ("package", "embeddings/objet.xlsx", None, "un objet incorporé ou lié (OLE)"),
        ("vbaProject", "vbaProject.xml", None, "des macros"),
        ("image", "\\\\evil.example\\partage\\logo.png", "External", "un contenu chargé depuis l'extérieur"),
        ("hyperlink", "ms-msdt:/id PCWDiagnostic", "External", "un lien d'un type inhabituel (« ms-msdt: »)"),
        ("hyperlink", "search-ms:query=facture", "External", "un lien d'un type inhabituel (« search-ms: »)"),
    ],
    ids=[
        "template-internal",
        "frame",
        "subdocument",
        "control",
        "package",
        "vba",
        "linked-picture-unc",
        "hyperlink-ms-msdt",
        "hyperlink-search-ms",
    ],
)
def test_risky_relationships_are_refused_whatever_their_target(kind, target, mode, expected):
    """A risky relationship type is refused even inside the package, an external target is refused
    unless it is a web or e-mail hyperlink."""
    rels = samples.relationships_xml(("styles", "styles.xml", None), (kind, target, mode))
    content = samples.docx_bytes({"word/_rels/document.xml.rels": rels})
    assert refusal("cr.docx", content).startswith(f"« cr.docx » : ce document contient {expected}")


def test_office_xml_with_a_doctype_is_refused_without_expanding_it():
    """A part declaring a DOCTYPE (the door to entity expansion and external entities) is refused."""
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">&c;</Relationships>'
    )
    message = refusal("cr.docx", samples.docx_bytes({"word/_rels/document.xml.rels": laughs}))
    assert message == (
        "« cr.docx » : ce document contient une déclaration XML inhabituelle (DOCTYPE) : il est refusé. "
        "Enregistrez-le de nouveau depuis votre traitement de texte (ou en PDF), puis réessayez."
    )


def test_odt_zip_bomb_is_refused_fast_with_little_memory():
    """An ODT whose `mimetype` inflates to 200 MB (about 200 KB on disk) is refused from its
    directory in well under a second, and the process grows by less than 20 MB."""
    content = samples.odt_bomb_bytes()
    assert len(content) < 1024 * 1024
    before, started = peak_rss_kb(), time.monotonic()
    assert "bombe de décompression" in refusal("justificatif.odt", content)
    assert time.monotonic() - started < 1
    assert peak_rss_kb() - before < 20 * 1024


def test_lying_zip_header_cannot_escape_the_count():
    """An entry declared as 100 bytes that inflates to 50 MB is refused without inflating it."""
    content = samples.lying_odt_bytes()
    before, started = peak_rss_kb(), time.monotonic()
    message = refusal("justificatif.odt", content)
    assert message.startswith("« justificatif.odt » : ce document")
    assert time.monotonic() - started < 1
    assert peak_rss_kb() - before < 20 * 1024


# --- CSV -------------------------------------------------------------------------------------------


def test_csv_is_text_and_rows_are_bounded():
    """A CSV in Windows-1252 is accepted; one with NUL bytes or too many lines is refused."""
    text = "Nom;Prénom\r\nDurand;Élise\r\n".encode("cp1252")
    assert upload_check(name="liste.csv", data=text, policy=EVERYTHING).kind == Kind.CSV
    assert "ce format n'est pas accepté" in refusal("liste.csv", b"Nom;\x00\x01")
    assert "ce fichier compte 201 lignes sous la ligne d'en-tête : 100 au plus" in refusal(
        "liste.csv", b"a;b\n" * 202
    )


def test_csv_and_workbook_both_allow_max_rows_below_the_header():
    """`max_rows` counts the lines below the header, for a CSV file as for a workbook: the header and
    100 lines pass, one more line is refused with the same words."""
    csv_lines = ["Nom;Prénom;E-mail", *(f"Nom{n};Prénom;personne{n}@example.org" for n in range(100))]
    assert (
        upload_check(name="l.csv", data="\r\n".join(csv_lines).encode(), policy=EVERYTHING).kind == Kind.CSV
    )
    assert upload_check(name="l.xlsx", data=samples.xlsx_bytes(100), policy=EVERYTHING).kind == Kind.XLSX
    csv_lines.append("Durand;Élise;elise@example.org")
    assert refusal("l.csv", "\r\n".join(csv_lines).encode()) == (
        "« l.csv » : ce fichier compte 101 lignes sous la ligne d'en-tête : 100 au plus. "
        "Découpez-le puis réessayez."
    )
    assert refusal("l.xlsx", samples.xlsx_bytes(101)) == (
        "« l.xlsx » : ce classeur compte 101 lignes sous la ligne d'en-tête d'une feuille : 100 au plus. "
        "Découpez-le puis réessayez."
    )


def test_utf16_csv_is_decoded_then_checked_as_text():
    """Excel's « Texte Unicode » export (UTF-16 with its byte order mark) is accepted as CSV with its
    text decoded; decoded markup or control characters are refused as in any other CSV."""
    text = "Nom\tPrénom\r\nDurand\tÉlise\r\n"
    for codec in ("utf-16-le", "utf-16-be"):
        content = "\ufeff".encode(codec) + text.encode(codec)
        checked = upload_check(name="export.csv", data=content, policy=EVERYTHING)
        assert (checked.kind, checked.text, checked.content) == (Kind.CSV, text, content)
    assert "c'est une page web" in refusal(
        "export.csv", "<html><script>alert(1)</script></html>".encode("utf-16")
    )
    assert "ce format n'est pas accepté" in refusal("export.csv", "Nom\x01;Prénom".encode("utf-16"))
    lines = "\r\n".join(["Nom;Prénom", *("Durand;Élise" for _ in range(101))])
    assert "ce fichier compte 101 lignes" in refusal("export.csv", ("\ufeff" + lines).encode("utf-16-le"))


# --- Serving ---------------------------------------------------------------------------------------


def test_upload_response_is_a_sandboxed_download():
    """Served files are downloads, never sniffed, sandboxed, under the cleaned original name."""
    response = upload_response(
        file=io.BytesIO(b"%PDF-"), filename="CR comité.pdf", content_type="application/pdf"
    )
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"


# --- Checks that cannot tie up the server ----------------------------------------------------------


@pytest.fixture
def probes(monkeypatch, tmp_path):
    """The PDF probe's machine-wide slots in a directory of this test's own (other test runs on the
    machine use the shared one), and every probe child started, recorded without replacing it."""
    monkeypatch.setattr(pdf, "SLOTS_DIR", tmp_path / "slots")
    started = []
    real_run = pdf.subprocess.run

    def run(*args, **kwargs):
        started.append(args[0])
        return real_run(*args, **kwargs)

    monkeypatch.setattr(pdf.subprocess, "run", run)
    return started


def probe_children() -> int:
    """How many PDF probe children of this process are running now, read from /proc."""
    count = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == os.getpid() and b"pdf_probe.py" in cmdline:
            count += 1
    return count


def hold_machine_slots(directory) -> list[int]:
    """Take every machine-wide probe slot, as other web processes busy with PDFs would."""
    directory.mkdir(exist_ok=True)
    held = []
    for number in range(pdf.MACHINE_SLOTS):
        descriptor = os.open(directory / f"slot-{number}", os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.append(descriptor)
    return held


def test_pdf_of_450000_chained_objects_is_refused_before_any_probe(probes):
    """A 4 Mo PDF of 450,000 chained objects in an object stream (7 s and 500 Mo in the probe) is
    refused from a count of its bytes, in well under a second, without starting a probe."""
    content = samples.chained_objects_pdf_bytes()
    assert len(content) < 5 * 1024 * 1024
    started = time.monotonic()
    message = refusal("forum.pdf", content)
    assert time.monotonic() - started < 0.5
    assert message == (
        "« forum.pdf » : ce PDF déclare 450\u00a0010 objets, bien plus qu'un document de 50 pages n'en "
        "demande : enregistrez-le à nouveau (« Imprimer en PDF ») ou allégez-le, puis réessayez."
    )
    assert probes == []


@pytest.mark.parametrize(
    ("pages", "policy_pages", "quality", "picture"),
    [(50, 50, 70, (400, 300)), (300, 300, 50, (200, 150))],
    ids=["50-pages-forum", "300-pages-wagtail-documents"],
)
def test_real_pdfs_with_pictures_pass_the_probe_limits(probes, pages, policy_pages, quality, picture):
    """A 50-page PDF with a photograph per page (about 4 Mo) and a 300-page one, the Wagtail
    documents' limit, pass the object count and the probe's lowered memory and CPU limits."""
    content = samples.pictures_pdf_bytes(pages, picture=picture, quality=quality)
    policy = replace(EVERYTHING, max_bytes=20 * 1024 * 1024, max_pdf_pages=policy_pages)
    checked = upload_check(name="visite.pdf", data=content, policy=policy)
    assert (checked.pages, checked.content) == (pages, content) and len(probes) == 1


def test_probes_at_once_are_bounded_per_process(probes):
    """Six PDFs checked at once from six threads: at most PROCESS_SLOTS probe children run at the
    same time (counted in /proc), and every PDF still gets its verdict."""
    content = samples.pdf_bytes(300)
    results, seen, done = [], [], threading.Event()

    def watch():
        while not done.is_set():
            seen.append(probe_children())
            time.sleep(0.005)

    def check():
        results.append(
            upload_check(name="cr.pdf", data=content, policy=replace(EVERYTHING, max_pdf_pages=300)).pages
        )

    watcher = threading.Thread(target=watch)
    watcher.start()
    workers = [threading.Thread(target=check) for _ in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    done.set()
    watcher.join()
    assert results == [300] * 6 and len(probes) == 6
    assert max(seen) == pdf.PROCESS_SLOTS


def test_no_free_probe_slot_on_the_machine_refuses_with_a_busy_message(probes, monkeypatch, tmp_path):
    """When other processes hold every machine-wide probe slot, a PDF is refused after SLOT_WAIT
    with « réessayez dans une minute », no probe started; once a slot frees, it is checked."""
    monkeypatch.setattr(pdf, "SLOT_WAIT", 0.3)
    held = hold_machine_slots(tmp_path / "slots")
    started = time.monotonic()
    assert refusal("cr.pdf", samples.pdf_bytes()) == (
        "« cr.pdf » : le service de vérification des fichiers est occupé : réessayez dans une minute."
    )
    assert 0.3 <= time.monotonic() - started < 1 and probes == []
    os.close(held.pop())
    assert upload_check(name="cr.pdf", data=samples.pdf_bytes(), policy=EVERYTHING).pages == 1
    for descriptor in held:
        os.close(descriptor)


def test_files_of_one_request_share_one_deadline(probes, monkeypatch, tmp_path):
    """The forum checks a post's three PDFs within CHECK_SECONDS in all: with every probe slot
    taken, the first file waits until the deadline, the others are refused unchecked, and the
    request answers after about CHECK_SECONDS instead of three times SLOT_WAIT."""
    monkeypatch.setattr(attachments, "CHECK_SECONDS", 0.5)
    held = hold_machine_slots(tmp_path / "slots")
    files = [SimpleUploadedFile(f"cr{n}.pdf", samples.pdf_bytes()) for n in range(3)]
    started = time.monotonic()
    with pytest.raises(ValidationError) as caught:
        attachments.attachments_check(files, user=None)
    assert 0.5 <= time.monotonic() - started < 1.5 and probes == []
    late = (
        "le temps de vérification de cet envoi est écoulé : envoyez moins de fichiers à la fois, "
        "ou des fichiers plus légers, puis réessayez."
    )
    assert caught.value.messages == [
        "« cr0.pdf » : le service de vérification des fichiers est occupé : réessayez dans une minute.",
        f"« cr1.pdf » : {late}",
        f"« cr2.pdf » : {late}",
    ]
    for descriptor in held:
        os.close(descriptor)


@pytest.mark.django_db
def test_refused_files_past_the_limit_are_refused_unchecked(probes):
    """After REFUSED_LIMIT refused files in REFUSED_PERIOD, a person's next file, even a good one,
    is refused before any check with a French « wait » message; another person is not affected."""
    cache.clear()
    mallory, alice = UserFactory(), UserFactory()
    for number in range(gate.REFUSED_LIMIT):
        with pytest.raises(UploadRefused):
            upload_check(name=f"p{number}.pdf", data=samples.EXE, policy=EVERYTHING, user=mallory)
    with pytest.raises(UploadRefused) as caught:
        upload_check(name="cr.pdf", data=samples.pdf_bytes(), policy=EVERYTHING, user=mallory)
    assert caught.value.messages == [
        "« cr.pdf » n'a pas été vérifié : trop de fichiers ont été refusés en peu de temps. "
        "Attendez 10 minutes avant d'en envoyer d'autres."
    ]
    assert probes == []
    assert upload_check(name="cr.pdf", data=samples.pdf_bytes(), policy=EVERYTHING, user=alice).pages == 1
    cache.clear()
