"""The upload gate: every file the platform takes goes through `upload_check` with a policy.

The kind is judged from the bytes, never from the name, and the name's extension must agree with
it. Each kind is then checked by what it is: PDFs parsed in a limited child process (lms.uploads.pdf),
images bounded and re-encoded (lms.uploads.images), office documents read with bounded
decompression and checked for macros and foreign entries (lms.uploads.archives), CSV decoded as
text. Any refusal is an UploadRefused whose French message names the file and says what to do.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from .archives import archive_check, archive_kind
from .images import PILLOW_FORMATS, _reencode, image_size
from .kinds import ARCHIVE_KINDS, CONTENT_TYPES, DESCRIBED, EXTENSIONS, IMAGE_KINDS, Kind, kinds_label
from .names import clean_name, human_size
from .pdf import pdf_inspect
from .policies import CheckedUpload, Refusal, UploadPolicy, UploadRefused

EXECUTABLE_HEADS = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")
OLE_HEAD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MARKUP = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<\s*(!doctype\s+)?(\w+)", re.I | re.S)
_IMAGE_HEADS = (
    (b"\x89PNG\r\n\x1a\n", Kind.PNG),
    (b"\xff\xd8\xff", Kind.JPEG),
    (b"GIF87a", Kind.GIF),
    (b"GIF89a", Kind.GIF),
)


def _size_limit(max_bytes: int) -> str:
    mega = 1024 * 1024
    return f"{max_bytes // mega} Mo" if max_bytes % mega == 0 else human_size(max_bytes)


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
    markup = _MARKUP.match(content[:4096])
    tag = markup.group(4).lower() if markup else b""
    if content.startswith(EXECUTABLE_HEADS):
        return "c'est un programme exécutable, pas un document : il est refusé."
    if tag == b"svg":
        return (
            f"c'est une image SVG, qui peut contenir du code : elle est refusée. Joignez {_accepted(policy)}."
        )
    if (
        tag in (b"html", b"head", b"body", b"script", b"!doctype")
        or markup
        and b"html" in content[:4096].lower()
    ):
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


def _csv_text(content: bytes) -> str | None:
    """The text of a CSV file (UTF-8, or Windows-1252 as French Excel saves it), or None when
    the bytes are not plain text (NUL, control characters, markup, a program)."""
    if b"\x00" in content or content.startswith(EXECUTABLE_HEADS) or _MARKUP.match(content[:4096]):
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text):
            return None
        return text
    return None


def _check(content: bytes, original: str, policy: UploadPolicy) -> CheckedUpload:
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
    pages = None
    if kind == Kind.PDF:
        pages = pdf_inspect(content, max_pages=policy.max_pdf_pages)
    elif kind in IMAGE_KINDS:
        fmt, _, _ = image_size(content)
        if PILLOW_FORMATS.get(fmt) != kind:
            raise Refusal(f"le contenu ne correspond pas à {DESCRIBED[kind]} : le fichier est refusé.")
        content = _reencode(content, max_pixels=policy.max_image_pixels, box=policy.image_box, fmt=fmt)
    elif kind in ARCHIVE_KINDS:
        archive_check(archive, kind=kind, max_rows=policy.max_rows)
    elif kind == Kind.CSV and policy.max_rows is not None:
        lines = _csv_text(content).strip("\r\n").count("\n") + 1
        if lines > policy.max_rows + 1:
            raise Refusal(
                f"ce fichier compte {lines} lignes : {policy.max_rows} au plus. Découpez-le puis réessayez."
            )
    return CheckedUpload(
        kind=kind,
        content_type=CONTENT_TYPES[kind],
        original_name=original,
        extension=EXTENSIONS[kind][0],
        content=content,
        size=len(content),
        pages=pages,
    )


def upload_check(*, name: str, data, policy: UploadPolicy) -> CheckedUpload:
    """Check one upload (bytes or a file, left rewound) against `policy`: size, kind by content
    with an agreeing extension, then the kind's own checks. Returns what to store; raises
    UploadRefused, whose French message names the file, for anything else."""
    original = clean_name(name)
    try:
        content, announced = _read(data, policy.max_bytes)
        size = announced if announced is not None else len(content)
        if size > policy.max_bytes:
            raise Refusal(f"le fichier pèse {human_size(size)} : {_size_limit(policy.max_bytes)} au plus.")
        if not content:
            raise Refusal("le fichier est vide.")
        return _check(content, original, policy)
    except Refusal as refusal:
        raise UploadRefused(f"« {original} » : {refusal.why}") from refusal
