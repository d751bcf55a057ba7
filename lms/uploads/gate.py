"""The upload gate: every file the platform takes goes through `upload_check` with a policy.

The kind is judged from the bytes, never from the name, and the name's extension must agree with
it. Each kind is then checked by what it is: PDFs parsed in a limited child process (lms.uploads.pdf),
images bounded and re-encoded (lms.uploads.images), office documents read with bounded
decompression and checked for macros and foreign entries (lms.uploads.archives), CSV decoded as
text. Any refusal is an UploadRefused whose French message names the file and says what to do.

Given the person uploading, the gate also counts their refused files in the cache: past
REFUSED_LIMIT in REFUSED_PERIOD seconds, their next files are refused before any check, so nobody
can keep the checks (PDF probes above all) busy by posting hostile files in a loop. Given a
deadline, the files of one request share one time budget.
"""

from __future__ import annotations

import re
import time
from pathlib import PurePath

from django.core.cache import cache

from .archives import archive_check, archive_kind
from .images import PILLOW_FORMATS, _reencode, image_size
from .kinds import ARCHIVE_KINDS, CONTENT_TYPES, DESCRIBED, EXTENSIONS, IMAGE_KINDS, Kind, kinds_label
from .names import clean_name, human_size, size_limit_label
from .pdf import OUT_OF_TIME, pdf_inspect
from .policies import CheckedUpload, Refusal, UploadPolicy, UploadRefused, rows_refusal

EXECUTABLE_HEADS = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
OLE_HEAD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MARKUP = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<\s*(!doctype\s+)?(\w+)", re.I | re.S)
_MARKUP_TEXT = re.compile(_MARKUP.pattern.decode(), re.I | re.S)
REFUSED_LIMIT = 20
REFUSED_PERIOD = 600
_IMAGE_HEADS = (
    (b"\x89PNG\r\n\x1a\n", Kind.PNG),
    (b"\xff\xd8\xff", Kind.JPEG),
    (b"GIF87a", Kind.GIF),
    (b"GIF89a", Kind.GIF),
)


def _read(data, max_bytes: int) -> tuple[bytes, int | None]:
    """At most max_bytes + 1 bytes of the upload (bytes or a file, left rewound); with the size
    the file announces when it is above the limit, so nothing of it is read."""
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data[: max_bytes + 1]), len(data) if len(data) > max_bytes else None
    size = getattr(data, "size", None)
    if size is not None and size > max_bytes:
        return b"", size
    if hasattr(data, "seek"):
        data.seek(0)
    content = data.read(max_bytes + 1)
    if hasattr(data, "seek"):
        data.seek(0)
    return content, None


def _accepted(policy: UploadPolicy) -> str:
    return f"un fichier {kinds_label(policy.kinds)}"


def _unknown(content: bytes, policy: UploadPolicy) -> str:
    """Why a file of no accepted kind is refused, in words that tell what it is."""
    head = content[:4096]
    if content.startswith(UTF16_BOMS):  # a web page saved as UTF-16 is still a web page
        head = content[2:8194].decode("utf-16-le" if content[0] == 0xFF else "utf-16-be", "ignore").encode()
    markup = _MARKUP.match(head)
    tag = markup.group(4).lower() if markup else b""
    if content.startswith(EXECUTABLE_HEADS):
        return "c'est un programme exécutable, pas un document : il est refusé."
    if tag == b"svg":
        return (
            f"c'est une image SVG, qui peut contenir du code : elle est refusée. Joignez {_accepted(policy)}."
        )
    if tag in (b"html", b"head", b"body", b"script", b"!doctype") or markup and b"html" in head.lower():
        return f"c'est une page web (HTML), pas un document : elle est refusée. Joignez {_accepted(policy)}."
    if content.startswith(OLE_HEAD):
        return (
            "c'est un document Office d'ancien format (.doc, .xls) ou protégé par un mot de passe : "
            f"enregistrez-le sans mot de passe comme {_accepted(policy)}."
        )
    if content.startswith(b"PK\x03\x04") or content.startswith(b"PK\x05\x06"):
        return f"c'est une archive qui n'est pas un document accepté. Joignez {_accepted(policy)}."
    return f"ce format n'est pas accepté. Joignez {_accepted(policy)}."


def _sniff(content: bytes, policy: UploadPolicy):
    """(kind, archive or None) judged from the bytes, or (None, None) for no kind of ours."""
    if content.startswith(b"%PDF-"):
        return Kind.PDF, None
    for head, kind in _IMAGE_HEADS:
        if content.startswith(head):
            return kind, None
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return Kind.WEBP, None
    if content.startswith(b"PK\x03\x04"):
        return archive_kind(content)
    if Kind.CSV in policy.kinds and _csv_text(content) is not None:
        return Kind.CSV, None
    return None, None


def _decoded(content: bytes) -> str | None:
    if content.startswith(UTF16_BOMS):
        encodings = ("utf-16",)
    elif content.startswith(EXECUTABLE_HEADS):
        return None
    else:
        encodings = ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            return content.decode(encoding).removeprefix("\ufeff")
        except UnicodeDecodeError:
            continue
    return None


def _csv_text(content: bytes) -> str | None:
    """The text of a CSV file (UTF-8, Windows-1252 as French Excel saves it, or UTF-16 with its
    byte order mark as Excel's « Texte Unicode » export), or None when it is not plain text (NUL,
    control characters, markup, a program), judged on the decoded text whatever the encoding."""
    text = _decoded(content)
    if text is None or _MARKUP_TEXT.match(text[:4096]):
        return None
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text):
        return None
    return text


def _check(content: bytes, original: str, policy: UploadPolicy, deadline: float | None) -> CheckedUpload:
    kind, archive = _sniff(content, policy)
    suffix = PurePath(original).suffix.lower()
    if kind is None:
        why = _unknown(content, policy)
        claimed = {ext for k in policy.kinds for ext in EXTENSIONS[k]}
        raise Refusal(f"malgré son extension {suffix}, {why}" if suffix in claimed else why)
    if kind not in policy.kinds:
        raise Refusal(f"c'est {DESCRIBED[kind]}, or {policy.label} doit être {_accepted(policy)}.")
    if suffix not in EXTENSIONS[kind]:
        ends = " ou ".join(EXTENSIONS[kind])
        raise Refusal(f"ce fichier est {DESCRIBED[kind]} : son nom doit finir par {ends}.")
    pages = text = None
    if kind == Kind.PDF:
        pages = pdf_inspect(content, max_pages=policy.max_pdf_pages, deadline=deadline)
    elif kind in IMAGE_KINDS:
        fmt, _, _ = image_size(content, max_pixels=policy.max_image_pixels, advice=policy.image_advice)
        if PILLOW_FORMATS.get(fmt) != kind:
            raise Refusal(f"le contenu ne correspond pas à {DESCRIBED[kind]} : le fichier est refusé.")
        content = _reencode(
            content,
            max_pixels=policy.max_image_pixels,
            box=policy.image_box,
            fmt=fmt,
            advice=policy.image_advice,
        )
    elif kind in ARCHIVE_KINDS:
        archive_check(archive, kind=kind, max_rows=policy.max_rows)
    elif kind == Kind.CSV:
        text = _csv_text(content)
        below_header = text.rstrip("\r\n").count("\n")  # lines after the first one
        if policy.max_rows is not None and below_header > policy.max_rows:
            raise rows_refusal(what="ce fichier", rows=below_header, max_rows=policy.max_rows)
    return CheckedUpload(
        kind=kind,
        content_type=CONTENT_TYPES[kind],
        original_name=original,
        extension=EXTENSIONS[kind][0],
        content=content,
        size=len(content),
        pages=pages,
        text=text,
    )


def _refused_key(user) -> str:
    return f"uploads:refused:{user.pk}"


def upload_check(
    *, name: str, data, policy: UploadPolicy, user=None, deadline: float | None = None
) -> CheckedUpload:
    """Check one upload (bytes or a file, left rewound) against `policy`: size, kind by content
    with an agreeing extension, then the kind's own checks. Returns what to store; raises
    UploadRefused, whose French message names the file, for anything else.

    `user`, the person uploading (every view that takes a file passes it): after REFUSED_LIMIT
    refused files in REFUSED_PERIOD seconds, their files are refused unchecked until the period
    ends. `deadline` (time.monotonic()), shared by the files of one request: past it, a file is
    refused unchecked, and a PDF's check stops at it."""
    original = clean_name(name)
    counted = user is not None and user.is_authenticated
    if counted and (cache.get(_refused_key(user)) or 0) >= REFUSED_LIMIT:
        raise UploadRefused(
            f"« {original} » n'a pas été vérifié : trop de fichiers ont été refusés en peu de temps. "
            f"Attendez {REFUSED_PERIOD // 60} minutes avant d'en envoyer d'autres."
        )
    try:
        if deadline is not None and time.monotonic() >= deadline:
            raise Refusal(OUT_OF_TIME, of_the_file=False)
        content, announced = _read(data, policy.max_bytes)
        size = announced if announced is not None else len(content)
        if size > policy.max_bytes:
            raise Refusal(
                f"le fichier pèse {human_size(size, above=policy.max_bytes)} : "
                f"la limite est de {size_limit_label(policy.max_bytes)}."
            )
        if not content:
            raise Refusal("le fichier est vide.")
        return _check(content, original, policy, deadline)
    except Refusal as refusal:
        if counted and refusal.of_the_file:
            _refused_count(user)
        raise UploadRefused(f"« {original} » : {refusal.why}") from refusal


def _refused_count(user) -> None:
    key = _refused_key(user)
    cache.add(key, 0, REFUSED_PERIOD)  # the period starts at the first refusal
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, REFUSED_PERIOD)
