"""File names: the person's name is cleaned and kept as data; storage names are made by the server."""

from __future__ import annotations

import math
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


def figure(number: int) -> str:
    """A whole number as French text writes it, thousands apart: « 360 000 » (no-break spaces, so
    a figure is never split across two lines)."""
    return f"{number:,}".replace(",", "\u00a0")


def human_size(size: int, *, above: int | None = None) -> str:
    """A size as people read it: « 200 octets », « 61,9 Ko », « 6,0 Mo ». Given `above`, a limit
    the size exceeds, the tenth is rounded up where rounding to the nearest would read at or below
    that limit, so a file one byte over 200 Ko reads « 200,1 Ko », never « 200,0 Ko »."""
    if size < 1024:
        return f"{figure(size)} octet{'s' if size > 1 else ''}"
    unit, name = (1024, "Ko") if size < 1024 * 1024 else (1024 * 1024, "Mo")
    value = round(size / unit, 1)
    if above is not None and value * unit <= above:
        value = math.ceil(size * 10 / unit) / 10
    return f"{value:.1f} {name}".replace(".", ",")


def size_limit_label(max_bytes: int) -> str:
    """A size limit as people read it: whole units without a decimal (« 200 Ko », « 5 Mo »), else
    the tenth rounded down, so the limit never reads above itself."""
    for unit, name in ((1024 * 1024, "Mo"), (1024, "Ko")):
        if max_bytes >= unit:
            if max_bytes % unit == 0:
                return f"{figure(max_bytes // unit)} {name}"
            return f"{math.floor(max_bytes * 10 / unit) / 10:.1f} {name}".replace(".", ",")
    return human_size(max_bytes)


def pixels_label(pixels: int) -> str:
    """A number of pixels as people read it: « 40 millions de pixels », « 1 million de pixels »,
    « 360 000 pixels »."""
    if pixels >= 1_000_000 and pixels % 1_000_000 == 0:
        millions = pixels // 1_000_000
        return f"{figure(millions)} million{'s' if millions > 1 else ''} de pixels"
    return f"{figure(pixels)} pixel{'s' if pixels > 1 else ''}"


def upload_storage_name(*, folder: str, checked) -> str:
    """« <folder>/<yyyy>/<uuid4 hex><ext> »: a random name made by the server, with the extension
    of the checked kind; nothing of the person's file name reaches the storage path."""
    return f"{folder.strip('/')}/{timezone.now():%Y}/{uuid.uuid4().hex}{checked.extension}"


def upload_store(*, storage, folder: str, checked) -> str:
    """Write a checked upload to `storage` under a fresh server-made name; returns that name."""
    from django.core.files.base import ContentFile

    return storage.save(upload_storage_name(folder=folder, checked=checked), ContentFile(checked.content))
