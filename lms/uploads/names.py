"""File names: the person's name is cleaned and kept as data; storage names are made by the server."""

from __future__ import annotations

import unicodedata
import uuid
from pathlib import PurePath

from django.utils import timezone

MAX_NAME_CHARS = 200


def clean_name(name: str) -> str:
    """The file's own name without any folder, NUL, control or format character, at most 200
    characters with its extension kept; for display and Content-Disposition, never a storage path."""
    name = unicodedata.normalize("NFC", PurePath((name or "").replace("\\", "/")).name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if len(name) > MAX_NAME_CHARS:
        stem, suffix = PurePath(name).stem, PurePath(name).suffix[:20]
        name = stem[: MAX_NAME_CHARS - len(suffix)] + suffix
    return "fichier" if not name.strip(". ") else name


def human_size(size: int) -> str:
    """A size as people read it: « 200 octets », « 61,9 Ko », « 6,0 Mo »."""
    if size < 1024:
        return f"{size} octet{'s' if size > 1 else ''}"
    value, unit = (size / 1024, "Ko") if size < 1024 * 1024 else (size / (1024 * 1024), "Mo")
    return f"{value:.1f} {unit}".replace(".", ",")


def upload_storage_name(*, folder: str, checked) -> str:
    """« <folder>/<yyyy>/<uuid4 hex><ext> »: a random name made by the server, with the extension
    of the checked kind; nothing of the person's file name reaches the storage path."""
    return f"{folder.strip('/')}/{timezone.now():%Y}/{uuid.uuid4().hex}{checked.extension}"


def upload_store(*, storage, folder: str, checked) -> str:
    """Write a checked upload to `storage` under a fresh server-made name; returns that name."""
    from django.core.files.base import ContentFile

    return storage.save(upload_storage_name(folder=folder, checked=checked), ContentFile(checked.content))
