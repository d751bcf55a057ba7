"""Files joined to forum posts: images and PDFs, judged by their bytes and never by their name.

An image must be a PNG, JPEG, WebP or GIF that Pillow opens and verifies; a PDF must start with
``%PDF-``, be parsed by pypdf, be neither encrypted nor longer than MAX_PDF_PAGES pages. Every
refusal names the file, in French, for the member who chose it.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from .enums import AttachmentKind

MAX_FILES = 3
MAX_BYTES = 5 * 1024 * 1024
MAX_PDF_PAGES = 50
MAX_IMAGE_PIXELS = 40_000_000  # 40 megapixels: far above any screenshot or photo, below a decompression bomb
ACCEPTED = "une image PNG, JPEG, WebP ou GIF, ou un PDF"
ACCEPT_ATTRIBUTE = ".png,.jpg,.jpeg,.webp,.gif,.pdf,image/png,image/jpeg,image/webp,image/gif,application/pdf"

#: Pillow's format name → the content type the file is served with.
IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}
IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".webp", ".gif"}
PDF_EXTENSIONS = {".pdf"}
EXECUTABLE_HEADS = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed attachment_check, with what to store about it."""

    upload: UploadedFile
    original_name: str
    kind: str
    content_type: str
    size: int


def human_size(size: int) -> str:
    """A size as members read it: « 200 octets », « 61,9 Ko », « 6,0 Mo »."""
    if size < 1024:
        return f"{size} octet{'s' if size > 1 else ''}"
    value, unit = (size / 1024, "Ko") if size < 1024 * 1024 else (size / (1024 * 1024), "Mo")
    return f"{value:.1f} {unit}".replace(".", ",")


def clean_name(name: str) -> str:
    """The file's own name without any folder, control character or excess length; kept for display
    and for the Content-Disposition header, never used as a storage path."""
    name = PurePath((name or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if len(name) > 200:
        stem, suffix = PurePath(name).stem, PurePath(name).suffix[:20]
        name = stem[: 200 - len(suffix)] + suffix
    return name or "fichier"


def _sniff(head: bytes) -> str | None:
    """The format announced by the first bytes: a Pillow format name, "PDF", or None."""
    if head.startswith(b"%PDF-"):
        return "PDF"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    return None


def _refuse(name: str, why: str) -> ValidationError:
    return ValidationError(f"« {name} » : {why}", code="attachment")


def _check_image(name: str, content: bytes, announced: str) -> str:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(content)) as image:
            fmt = image.format
            width, height = image.size
            image.verify()
    except Exception as exc:  # noqa: BLE001 — Pillow raises many kinds of errors on a damaged file
        raise _refuse(name, "cette image est endommagée ou illisible : elle est refusée.") from exc
    if fmt != announced:
        raise _refuse(name, f"le contenu ne correspond pas à une image {announced} : le fichier est refusé.")
    if width * height > MAX_IMAGE_PIXELS:
        raise _refuse(name, f"cette image est trop grande ({width} × {height} pixels) : réduisez-la.")
    return IMAGE_FORMATS[fmt]


def _check_pdf(name: str, content: bytes) -> None:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(content))
        encrypted = reader.is_encrypted
        pages = None if encrypted else len(reader.pages)
    except Exception as exc:  # noqa: BLE001 — pypdf raises many kinds of errors on a damaged file
        raise _refuse(name, "ce PDF est endommagé ou illisible : il est refusé.") from exc
    if encrypted:
        raise _refuse(name, "ce PDF est protégé par un mot de passe : joignez une version non protégée.")
    if pages > MAX_PDF_PAGES:
        raise _refuse(name, f"ce PDF compte {pages} pages : {MAX_PDF_PAGES} au plus.")


def attachment_check(upload: UploadedFile) -> CheckedFile:
    """Check one upload by its size and its bytes; returns what to store, or raises a
    ValidationError whose message names the file. The upload is left rewound."""
    name = clean_name(upload.name)
    suffix = PurePath(name).suffix.lower()
    if upload.size > MAX_BYTES:
        raise _refuse(name, f"le fichier pèse {human_size(upload.size)} : 5 Mo au plus par fichier.")
    if upload.size == 0:
        raise _refuse(name, "le fichier est vide.")
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    announced = _sniff(content[:16])
    if announced is None:
        why = (
            "c'est un programme exécutable, pas un document : il est refusé."
            if content.startswith(EXECUTABLE_HEADS)
            else f"ce n'est ni une image ni un PDF. Joignez {ACCEPTED}."
        )
        if suffix in PDF_EXTENSIONS | IMAGE_EXTENSIONS:
            why = f"malgré son extension {suffix}, {why}"
        raise _refuse(name, why)
    if announced == "PDF":
        if suffix not in PDF_EXTENSIONS:
            raise _refuse(name, "ce fichier est un PDF : son nom doit finir par .pdf.")
        _check_pdf(name, content)
        return CheckedFile(upload, name, AttachmentKind.PDF, "application/pdf", upload.size)
    if suffix not in IMAGE_EXTENSIONS:
        raise _refuse(name, "ce fichier est une image : son nom doit finir par .png, .jpg, .webp ou .gif.")
    content_type = _check_image(name, content, announced)
    return CheckedFile(upload, name, AttachmentKind.IMAGE, content_type, upload.size)


def attachments_check(uploads) -> list[CheckedFile]:
    """Check the files of one post: at most MAX_FILES, each through attachment_check. Raises one
    ValidationError listing every refused file, so the member fixes them all at once."""
    uploads = list(uploads or ())
    if len(uploads) > MAX_FILES:
        raise ValidationError(
            f"Joignez au plus {MAX_FILES} fichiers à un message (vous en avez choisi {len(uploads)}).",
            code="attachment",
        )
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(attachment_check(upload))
        except ValidationError as exc:
            errors.extend(exc.error_list)
    if errors:
        raise ValidationError(errors)
    return checked
