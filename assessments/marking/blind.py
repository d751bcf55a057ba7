"""Blind copies: the final version given to markers of a cohort that marks blind, under a code
instead of the author's name (file name `memoire-M0042.pdf`), its document information and XMP
metadata removed. The file was checked by the upload gate when the learner submitted it (no active
content, not encrypted, bounded pages); the copy is rewritten page by page with pypdf."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from assessments.memoire.models import Memoire

#: Document information keys that may carry the author's name; none is copied.
INFO_KEYS = ("/Author", "/Creator", "/Producer", "/Title", "/Subject", "/Keywords")


def blind_code(memoire: Memoire) -> str:
    """The code markers see instead of the learner's name: « M0042 »."""
    return f"M{memoire.pk:04d}"


def blind_file_name(memoire: Memoire) -> str:
    return f"memoire-{blind_code(memoire)}.pdf"


def blind_copy(data: bytes) -> bytes:
    """The PDF `data` with its pages only: no document information (Author, Creator, Producer,
    Title…), no XMP /Metadata stream, no page-level metadata."""
    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter()
    for page in reader.pages:
        added = writer.add_page(page)
        if "/Metadata" in added:
            del added[NameObject("/Metadata")]
        if "/PieceInfo" in added:
            del added[NameObject("/PieceInfo")]
    root = writer._root_object
    for key in ("/Metadata", "/PieceInfo", "/Names", "/Outlines", "/OpenAction"):
        if key in root:
            del root[NameObject(key)]
    writer._info = None
    writer.metadata = None
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
