"""Real and hostile files for upload tests, built in memory (reportlab, pypdf, Pillow, zipfile).

Shared by the upload gate's tests and the tests of every view that takes a file."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject
from reportlab.pdfgen import canvas

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.domain)</script></svg>"
)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


# --- PDFs ------------------------------------------------------------------------------------------


def pdf_bytes(pages: int = 1, text: str = "Compte rendu du comité de pilotage") -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for number in range(pages):
        pdf.drawString(72, 720, f"{text} — page {number + 1}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def encrypted_pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret")
    return _written(writer)


def _open_action_pdf(action: dict[str, object]) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes()))
    entries = {NameObject(key): value for key, value in action.items()}
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(DictionaryObject(entries))
    return _written(writer)


def javascript_pdf_bytes() -> bytes:
    """A one-page PDF that runs JavaScript when opened (an /OpenAction of type /JavaScript)."""
    return _open_action_pdf(
        {"/S": NameObject("/JavaScript"), "/JS": TextStringObject("app.alert('ouvert');")}
    )


def launch_pdf_bytes() -> bytes:
    """A PDF whose open action launches a program."""
    return _open_action_pdf({"/S": NameObject("/Launch"), "/F": TextStringObject("calc.exe")})


def embedded_file_pdf_bytes() -> bytes:
    """A PDF carrying a file (an executable) as an attachment."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes()))
    writer.add_attachment("setup.exe", EXE)
    return _written(writer)


def polyglot_pdf_bytes() -> bytes:
    """Starts as a PDF, goes on as a web page with a script, and still ends with %%EOF."""
    return b"%PDF-1.4\n" + HTML + b"\n" + pdf_bytes()[9:]


def corrupt_pdf_bytes() -> bytes:
    """A PDF cut in its middle."""
    content = pdf_bytes(3)
    return content[: len(content) // 2]


# --- Images ----------------------------------------------------------------------------------------


def image_bytes(fmt: str = "PNG", size=(16, 12), color="teal") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt)
    return buffer.getvalue()


def png_bytes(size=(16, 12), color="teal") -> bytes:
    return image_bytes("PNG", size, color)


def png_with_html_bytes() -> bytes:
    """A real PNG followed, after its IEND chunk, by a web page with a script."""
    return png_bytes() + HTML


def png_bomb_bytes(side: int = 13_000) -> bytes:
    """A side × side black PNG that weighs about 160 KB and decodes to side² pixels (169 million
    for the default side, half a gigabyte once decoded in RGB)."""
    buffer = io.BytesIO()
    Image.new("L", (side, side), 0).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


# --- Office documents ------------------------------------------------------------------------------

_DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def _zip(entries: dict[str, bytes | str], *, stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            kind = zipfile.ZIP_STORED if name == stored_first else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=kind)
    return buffer.getvalue()


def docx_bytes(extra: dict[str, bytes | str] | None = None) -> bytes:
    return _zip(
        {
            "[Content_Types].xml": _DOCX_TYPES,
            "_rels/.rels": "<Relationships/>",
            "word/document.xml": "<w:document><w:body><w:p/></w:body></w:document>",
            "word/_rels/document.xml.rels": "<Relationships/>",
            "docProps/core.xml": "<cp:coreProperties/>",
            **(extra or {}),
        }
    )


def docx_with_html_and_macro_bytes() -> bytes:
    """A DOCX-shaped archive that also holds a web page and a VBA macro project."""
    return docx_bytes({"word/page.html": HTML, "word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 512})


def odt_bytes(extra: dict[str, bytes | str] | None = None) -> bytes:
    return _zip(
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "META-INF/manifest.xml": "<manifest:manifest/>",
            "content.xml": "<office:document-content/>",
            "styles.xml": "<office:document-styles/>",
            **(extra or {}),
        },
        stored_first="mimetype",
    )


def odt_bomb_bytes(declared: int = 200 * 1024 * 1024) -> bytes:
    """An ODT whose `mimetype` entry inflates to `declared` bytes of zeros (a zip bomb: about
    200 KB on disk for 200 MB). Written in chunks, so building it costs little memory too."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("mimetype")
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as entry:
            entry_chunk = b"\x00" * (1024 * 1024)
            for _ in range(declared // len(entry_chunk)):
                entry.write(entry_chunk)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def lying_odt_bytes(actual: int = 50 * 1024 * 1024) -> bytes:
    """An ODT whose content.xml is declared as 100 bytes (central directory and local header)
    while its data inflates to `actual` bytes: only counting what is decompressed catches it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        with archive.open("content.xml", "w") as entry:
            for _ in range(actual // (1024 * 1024)):
                entry.write(b" " * (1024 * 1024))
    content = bytearray(buffer.getvalue())
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = content.find(signature)
        while content[start + name_at : start + name_at + 11] != b"content.xml":
            start = content.find(signature, start + 1)
        content[start + size_at : start + size_at + 4] = (100).to_bytes(4, "little")
    return bytes(content)


def xlsx_bytes(rows: int = 3) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Nom", "Prénom", "E-mail"])
    for number in range(rows):
        sheet.append([f"Nom{number}", "Prénom", f"personne{number}@example.org"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
