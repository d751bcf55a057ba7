"""The text of a stored file, for the comparison: PDF through pypdf, DOCX and ODT by reading the
document's XML from the zip. Every file here already passed the upload gate (encrypted, malformed
or active PDFs, zip bombs and macros were refused), and the reading is still bounded: pages,
seconds, decompressed bytes and words.
"""

from __future__ import annotations

import io
import time
import zipfile

from defusedxml import ElementTree
from pypdf import PdfReader

#: At most this many pages are read (a mémoire has 20, a deliverable at most 200).
MAX_PAGES = 300
#: The reading of a PDF stops after this many seconds (what was read is kept).
MAX_SECONDS = 60.0
#: At most this many bytes of a document's XML are decompressed.
MAX_XML_BYTES = 30 * 1024 * 1024
#: At most this many characters of text are kept (about 150 pages of prose).
MAX_CHARS = 600_000

W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
ODF_SPACES = frozenset({f"{TEXT_NS}s", f"{TEXT_NS}tab", f"{TEXT_NS}line-break"})


class ExtractionError(Exception):
    """The file's text could not be read; the message says why, in French."""


def _clip(text: str) -> str:
    return text[:MAX_CHARS]


def pdf_text(data: bytes, *, max_pages: int = MAX_PAGES, max_seconds: float = MAX_SECONDS) -> str:
    """The text of a PDF's pages, in order, within `max_pages` pages and about `max_seconds`."""
    deadline = time.monotonic() + max_seconds
    try:
        reader = PdfReader(io.BytesIO(data))
        parts = []
        size = 0
        for number, page in enumerate(reader.pages):
            if number >= max_pages or time.monotonic() > deadline or size > MAX_CHARS:
                break
            text = page.extract_text() or ""
            parts.append(text)
            size += len(text)
    except Exception as exc:  # pypdf raises many kinds of errors on damaged content
        raise ExtractionError("le texte du PDF n'a pas pu être lu.") from exc
    return _clip("\n".join(parts))


def _xml_part(data: bytes, name: str) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo(name)
            if info.file_size > MAX_XML_BYTES:
                raise ExtractionError("le texte du document est trop long pour être comparé.")
            with archive.open(info) as part:
                content = part.read(MAX_XML_BYTES + 1)
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError) as exc:
        raise ExtractionError("le document n'a pas pu être ouvert.") from exc
    if len(content) > MAX_XML_BYTES:
        raise ExtractionError("le texte du document est trop long pour être comparé.")
    return content


def _parsed(content: bytes):
    try:
        return ElementTree.fromstring(content)
    except Exception as exc:  # defusedxml refuses entities and DTDs; expat refuses broken XML
        raise ExtractionError("le contenu du document n'a pas pu être lu.") from exc


def docx_text(data: bytes) -> str:
    """The text of a DOCX's body (`word/document.xml`), a line per paragraph."""
    root = _parsed(_xml_part(data, "word/document.xml"))
    lines = []
    for paragraph in root.iter(f"{W_NS}p"):
        pieces = []
        for node in paragraph.iter():
            if node.tag == f"{W_NS}t" and node.text:
                pieces.append(node.text)
            elif node.tag in (f"{W_NS}tab", f"{W_NS}br"):
                pieces.append(" ")
        lines.append("".join(pieces))
    return _clip("\n".join(lines))


def odt_text(data: bytes) -> str:
    """The text of an ODT's body (`content.xml`), a line per paragraph or heading."""
    root = _parsed(_xml_part(data, "content.xml"))
    lines = []
    for node in root.iter():
        if node.tag in (f"{TEXT_NS}p", f"{TEXT_NS}h"):
            lines.append(" ".join("".join(_odf_pieces(node)).split()))
    return _clip("\n".join(lines))


def _odf_pieces(node):
    """A paragraph's text with its spacing elements (text:s, text:tab, text:line-break) as spaces."""
    if node.tag in ODF_SPACES:
        yield " "
    elif node.text:
        yield node.text
    for child in node:
        yield from _odf_pieces(child)
        if child.tail:
            yield child.tail


def file_text(data: bytes, *, content_type: str, name: str = "") -> str:
    """The text of a file the gate accepted, by its type (PDF, DOCX, ODT)."""
    lowered = name.lower()
    if content_type == "application/pdf" or lowered.endswith(".pdf"):
        return pdf_text(data)
    if "wordprocessingml" in content_type or lowered.endswith(".docx"):
        return docx_text(data)
    if "opendocument.text" in content_type or lowered.endswith(".odt"):
        return odt_text(data)
    raise ExtractionError("ce type de fichier n'est pas comparé (PDF, DOCX ou ODT seulement).")
