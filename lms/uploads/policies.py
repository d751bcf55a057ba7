"""What an upload may be (a policy, declared next to the code that takes the file) and what the gate
hands back once a file passed (a CheckedUpload), or the refusal it raises."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from .kinds import Kind
from .names import figure


@dataclass(frozen=True)
class UploadPolicy:
    """The rules for one kind of upload. `label` names what the person uploads, for messages
    (« le justificatif »); `kinds` are judged by content, and the file's extension must agree."""

    label: str
    kinds: frozenset[Kind]
    max_bytes: int
    max_pdf_pages: int = 50
    max_image_pixels: int = 40_000_000
    image_box: tuple[int, int] | None = None
    #: What to do with an image above `max_image_pixels`, closing the refusal's message.
    image_advice: str = "Réduisez-la puis réessayez."
    #: Lines of a CSV file, or rows of each sheet of a workbook, below the header line (not counted).
    max_rows: int | None = None


@dataclass(frozen=True)
class CheckedUpload:
    """A file that passed the gate. `content` is what to store (images re-encoded, other kinds
    byte for byte; a CSV's text, decoded once, in `text`); `original_name` is cleaned and for
    display and Content-Disposition only; `extension` comes from the kind, never from the person's
    file name."""

    kind: Kind
    content_type: str
    original_name: str
    extension: str
    content: bytes
    size: int
    pages: int | None = None
    #: A CSV file's decoded text (UTF-8, Windows-1252 or UTF-16 with its byte order mark).
    text: str | None = None


class UploadRefused(ValidationError):
    """A file the gate refused; the message is French, names the file and says what to do."""

    def __init__(self, message: str):
        super().__init__(message, code="upload")


class Refusal(Exception):
    """Raised by the gate's checkers with the reason only; the gate adds the file's name.
    `of_the_file` is False when the file itself was not judged (the checks are busy, or the
    request's time ran out): such a refusal does not count against the person's limit."""

    def __init__(self, why: str, *, of_the_file: bool = True):
        super().__init__(why)
        self.why = why
        self.of_the_file = of_the_file


def rows_refusal(*, what: str, rows: int, max_rows: int, where: str = "") -> Refusal:
    """The refusal of a CSV file or a sheet holding more than `max_rows` lines below its header
    line (`where` says which header, for a workbook)."""
    return Refusal(
        f"{what} compte {figure(rows)} lignes sous la ligne d'en-tête{where} : {figure(max_rows)} au plus. "
        "Découpez-le puis réessayez."
    )
