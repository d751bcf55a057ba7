"""The text of the files the platform holds: PDF (reportlab), DOCX and ODT built here, and what
cannot be read."""

from __future__ import annotations

import io
import zipfile

import pytest

from assessments.similarity import extraction
from assessments.similarity.extraction import ExtractionError, file_text
from assessments.similarity.fingerprints import text_words
from tests.assessments.similarity.factories import docx_text_bytes, prose, text_pdf_bytes
from tests.uploads_samples import odt_bytes, odt_content, pdf_bytes

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"


def test_pdf_text_is_read_in_page_order():
    """Every word of a 15-page PDF comes back, in order."""
    text = prose(600, seed=1)
    assert text_words(file_text(text_pdf_bytes(text), content_type="application/pdf")) == text_words(text)


def test_pdf_reading_stops_at_the_page_bound():
    """Only the first `max_pages` pages are read."""
    read = extraction.pdf_text(pdf_bytes(5, text="Séminaire"), max_pages=2)
    assert "page 1" in read and "page 2" in read and "page 3" not in read


def test_docx_paragraphs_are_read():
    """A DOCX's paragraphs come back, one per line, with their accents."""
    data = docx_text_bytes(["Le diagnostic local de santé.", "Les élus & les habitants."])
    assert file_text(data, content_type=DOCX) == "Le diagnostic local de santé.\nLes élus & les habitants."


def test_odt_paragraphs_and_spacing_elements_are_read():
    """An ODT's paragraphs and headings come back; a tab between two words separates them."""
    body = "<text:h>Le contexte</text:h><text:p>Premier<text:tab/>axe <text:span>du CLS</text:span></text:p>"
    data = odt_bytes({"content.xml": odt_content(body)})
    assert file_text(data, content_type=ODT) == "Le contexte\nPremier axe du CLS"


def test_a_document_xml_over_the_bound_is_refused(monkeypatch):
    """A document whose XML exceeds the bound is not read (the gate checked bombs; this bounds us)."""
    monkeypatch.setattr(extraction, "MAX_XML_BYTES", 100)
    with pytest.raises(ExtractionError, match="trop long"):
        file_text(docx_text_bytes([prose(100, seed=2)]), content_type=DOCX)


def test_xml_entities_are_refused():
    """A DOCX whose XML declares entities (billion laughs) is refused, not expanded."""
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", bomb)
    with pytest.raises(ExtractionError):
        file_text(buffer.getvalue(), content_type=DOCX)


def test_damaged_files_raise_a_french_reason():
    """A damaged PDF or a zip without a document body is an ExtractionError with a French reason."""
    with pytest.raises(ExtractionError, match="PDF"):
        file_text(b"%PDF-1.7 garbage", content_type="application/pdf")
    with pytest.raises(ExtractionError, match="ouvert"):
        file_text(b"PK\x03\x04 not a zip", content_type=DOCX)
    with pytest.raises(ExtractionError, match="type de fichier"):
        file_text(b"GIF89a", content_type="image/gif")
