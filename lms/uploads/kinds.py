"""The kinds of file the platform accepts, each with its content type, its extensions and its name
for messages. A kind is always judged from the file's bytes; the extensions only have to agree."""

from __future__ import annotations

from django.db import models


class Kind(models.TextChoices):
    PDF = "pdf", "PDF"
    PNG = "png", "image PNG"
    JPEG = "jpeg", "image JPEG"
    WEBP = "webp", "image WebP"
    GIF = "gif", "image GIF"
    DOCX = "docx", "document Word (DOCX)"
    ODT = "odt", "document OpenDocument (ODT)"
    XLSX = "xlsx", "classeur Excel (XLSX)"
    CSV = "csv", "fichier CSV"


CONTENT_TYPES: dict[Kind, str] = {
    Kind.PDF: "application/pdf",
    Kind.PNG: "image/png",
    Kind.JPEG: "image/jpeg",
    Kind.WEBP: "image/webp",
    Kind.GIF: "image/gif",
    Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Kind.ODT: "application/vnd.oasis.opendocument.text",
    Kind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Kind.CSV: "text/csv",
}

#: The extensions a file of each kind may carry; the first one is the one it is stored with.
EXTENSIONS: dict[Kind, tuple[str, ...]] = {
    Kind.PDF: (".pdf",),
    Kind.PNG: (".png",),
    Kind.JPEG: (".jpg", ".jpeg"),
    Kind.WEBP: (".webp",),
    Kind.GIF: (".gif",),
    Kind.DOCX: (".docx",),
    Kind.ODT: (".odt",),
    Kind.XLSX: (".xlsx",),
    Kind.CSV: (".csv",),
}

#: Each kind as a French noun phrase, for « c'est … » and « ce fichier est … ».
DESCRIBED: dict[Kind, str] = {
    Kind.PDF: "un PDF",
    Kind.PNG: "une image PNG",
    Kind.JPEG: "une image JPEG",
    Kind.WEBP: "une image WebP",
    Kind.GIF: "une image GIF",
    Kind.DOCX: "un document Word (DOCX)",
    Kind.ODT: "un document OpenDocument (ODT)",
    Kind.XLSX: "un classeur Excel (XLSX)",
    Kind.CSV: "un fichier CSV",
}
_SHORT = {Kind.WEBP: "WebP"}

IMAGE_KINDS = frozenset({Kind.PNG, Kind.JPEG, Kind.WEBP, Kind.GIF})
ARCHIVE_KINDS = frozenset({Kind.DOCX, Kind.ODT, Kind.XLSX})


def kinds_label(kinds) -> str:
    """« PDF, PNG ou DOCX »: the accepted kinds as a French list, in a stable order."""
    names = [_SHORT.get(kind, kind.value.upper()) for kind in Kind if kind in kinds]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} ou {names[-1]}"


def accept_attribute(kinds) -> str:
    """The HTML `accept` attribute of a file input for these kinds (a hint; the gate decides)."""
    kinds = [kind for kind in Kind if kind in kinds]
    return ",".join([ext for kind in kinds for ext in EXTENSIONS[kind]] + [CONTENT_TYPES[k] for k in kinds])
