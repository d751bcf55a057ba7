"""Reading the spreadsheets ARS staff use to enrol learners in bulk.

Pure parsing: no database, no models. The file goes through the upload gate first (IMPORT_POLICY:
XLSX or CSV judged by content, size, archive limits, rows), so openpyxl never opens a zip bomb. A
file-level problem (refused by the gate, missing columns, too many lines) raises `ImportFileError`;
a problem with one learner's row never raises, it is recorded on that row so the whole file can be
shown back with every error at once.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import openpyxl
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from lms.uploads import Kind, UploadPolicy, UploadRefused, figure, upload_check

MAX_BYTES: int = 2 * 1024 * 1024
MAX_ROWS: int = 2000
# Lines after the first one (the header, or a title above it): learners plus a few title or blank
# lines. Past this, the file is refused without reading further, whatever its learner lines. The
# gate's `max_rows` counts the same way (lines below the header line), so both refuse at one count.
MAX_LINES: int = MAX_ROWS + 100
IMPORT_POLICY = UploadPolicy(
    label="le fichier des apprenant·es",
    kinds=frozenset({Kind.XLSX, Kind.CSV}),
    max_bytes=MAX_BYTES,
    max_rows=MAX_LINES,
)
_NAME_MAX_LENGTH = 150
_ORGANISATION_MAX_LENGTH = 200
_EMAIL_MAX_LENGTH = 254
_CSV_DELIMITERS = (";", ",", "\t")
_UNREADABLE = (
    "Le fichier n'est pas un tableur XLSX lisible. "
    "Enregistrez-le depuis votre tableur au format .xlsx ou CSV, puis réessayez."
)
# Leading characters that make Excel or LibreOffice evaluate a cell (CSV injection).
_FORMULA_PREFIXES = ("=", "+", "-", "@")
# A "<" followed by what can open a tag, closed or not: enough for a browser to parse markup.
_HTML_TAG = re.compile(r"<\s*[a-zA-Z/!?]")
_INVISIBLE_CHARACTERS = "\u200b\u200c\u200d\u2060\ufeff"
_DATE_FORMATS = (
    re.compile(r"(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})"),
    re.compile(r"(?P<day>\d{1,2})-(?P<month>\d{1,2})-(?P<year>\d{4})"),
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"),
)


class ImportFileError(Exception):
    """The file as a whole cannot be imported; `str(exc)` is a French message for the user."""


@dataclass
class ImportRow:
    """One learner line of the file, with every problem found on it."""

    line: int
    last_name: str
    first_name: str
    email: str
    employer: str
    job_title: str
    ars_agreement_on: datetime.date | None
    employer_agreement_on: datetime.date | None
    errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        """True when nothing prevents enrolling this learner."""
        return not self.errors


@dataclass(frozen=True)
class _Column:
    attribute: str
    label: str
    synonyms: tuple[str, ...]
    required: bool = False


_COLUMNS = (
    _Column("last_name", "Nom", ("Nom", "Nom de famille"), required=True),
    _Column("first_name", "Prénom", ("Prénom",), required=True),
    _Column("email", "E-mail", ("E-mail", "Email", "Courriel", "Adresse e-mail"), required=True),
    _Column("employer", "Employeur", ("Employeur", "Collectivité", "Employeur (collectivité)")),
    _Column("job_title", "Fonction", ("Fonction", "Poste", "Intitulé du poste")),
    _Column("ars_agreement_on", "Date accord ARS", ("Date accord ARS", "Accord ARS", "Date de l'accord ARS")),
    _Column(
        "employer_agreement_on",
        "Date accord employeur",
        ("Date accord employeur", "Accord employeur", "Date de l'accord employeur"),
    ),
)
_DATE_NAMES = {
    # attribute: (name opening a sentence, name with its article)
    "ars_agreement_on": ("Date de l'accord ARS", "La date de l'accord ARS"),
    "employer_agreement_on": ("Date de l'accord employeur", "La date de l'accord employeur"),
}
_TEXT_RULES = {
    # attribute: (message when empty, or None if optional; maximum length; message when too long)
    "last_name": ("Le nom est obligatoire.", _NAME_MAX_LENGTH, "Le nom dépasse {} caractères."),
    "first_name": ("Le prénom est obligatoire.", _NAME_MAX_LENGTH, "Le prénom dépasse {} caractères."),
    "email": (
        "L'adresse e-mail est obligatoire.",
        _EMAIL_MAX_LENGTH,
        "L'adresse e-mail dépasse {} caractères.",
    ),
    "employer": (None, _ORGANISATION_MAX_LENGTH, "L'employeur dépasse {} caractères."),
    "job_title": (None, _ORGANISATION_MAX_LENGTH, "La fonction dépasse {} caractères."),
}


def enrolment_rows_read(*, filename: str, content: bytes | IO[bytes]) -> list[ImportRow]:
    """Read an enrolment spreadsheet (XLSX or CSV) into one `ImportRow` per learner line.

    The file first passes the upload gate with IMPORT_POLICY: its format is decided by the content
    (the name's extension must agree), its size, archive and row limits are checked before any
    parsing. Lines with nothing in any recognised column are skipped, and `ImportRow.line` is the
    row number the user sees in their spreadsheet. Rows come back in file order, each with its own
    French error messages; text values are stripped and formulas or HTML are never kept. Raises
    `ImportFileError` when the file itself is unusable: refused by the gate, a sheet claiming or
    reaching more than MAX_LINES lines after its first (reading stops there), empty, without
    learner lines, over MAX_ROWS learner lines, or missing one of the Nom, Prénom, E-mail columns.
    """
    try:
        checked = upload_check(name=filename, data=content, policy=IMPORT_POLICY)
    except UploadRefused as exc:
        raise ImportFileError(exc.messages[0]) from exc
    if checked.kind == Kind.XLSX:
        records = _xlsx_records(content=checked.content)
    else:
        records = _csv_records(text=checked.text)
    return _rows_from_records(records=records)


def _too_many_lines() -> ImportFileError:
    return ImportFileError(
        f"Le fichier compte plus de {figure(MAX_LINES)} lignes sous la ligne d'en-tête : découpez-le "
        f"en plusieurs fichiers de {figure(MAX_ROWS)} apprenant·es au plus."
    )


def _xlsx_records(*, content: bytes) -> Iterator[tuple[int, list[Any]]]:
    """Yield (row number, cell values) for every row of the workbook's first sheet, up to MAX_LINES."""
    # openpyxl fails on malformed workbooks with whatever its XML and zip layers raise; any
    # of them means the same thing to the user: this is not a workbook we can read.
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:
        raise ImportFileError(_UNREADABLE) from exc
    try:
        if not workbook.worksheets:
            raise ImportFileError("Le fichier est vide.")
        sheet = workbook.worksheets[0]
        # The sheet's own <dimension> is what it claims to hold: a claim beyond the limit is refused
        # unread. A smaller claim is not trusted either (some generators write a wrong one, and
        # rows would be silently dropped): reading goes on to the real last row, up to the limit.
        if (sheet.max_row or 0) > MAX_LINES + 1:
            raise _too_many_lines()
        sheet.reset_dimensions()
        try:
            # Rows skipped in the file (<row r="1000000"> after row 2) come back as empty rows, so
            # the row number, not the count of rows written, is what is bounded.
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number > MAX_LINES + 1:
                    raise _too_many_lines()
                yield number, list(values)
        except ImportFileError:
            raise
        except Exception as exc:
            raise ImportFileError(_UNREADABLE) from exc
    finally:
        workbook.close()


def _csv_records(*, text: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number, cells) for every record of CSV text, blank records included."""
    delimiter = _csv_delimiter(text=text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = 0
    try:
        # Counting records, not physical lines: a quoted cell spanning two lines is still one
        # spreadsheet row, and a blank line is an empty row the spreadsheet also numbers.
        for number, cells in enumerate(reader, start=1):
            if number > MAX_LINES + 1:
                raise _too_many_lines()
            yield number, cells
    except csv.Error as exc:
        raise ImportFileError(
            f"Le fichier CSV est mal formé vers la ligne {number + 1} "
            "(guillemet non refermé ?). Corrigez-le dans votre tableur puis réessayez."
        ) from exc


def _csv_delimiter(*, text: str) -> str:
    """The delimiter appearing most often, outside quotes, in the first non-blank line."""
    counts = dict.fromkeys(_CSV_DELIMITERS, 0)
    quoted = False
    line_has_content = False
    for character in text:
        if character == '"':
            quoted = not quoted
            line_has_content = True
        elif quoted:
            continue
        elif character in "\r\n":
            if line_has_content:
                break
            counts = dict.fromkeys(_CSV_DELIMITERS, 0)
        else:
            if character in counts:
                counts[character] += 1
            line_has_content = line_has_content or not character.isspace()
    return max(_CSV_DELIMITERS, key=lambda delimiter: counts[delimiter])


def _rows_from_records(*, records: Iterator[tuple[int, list[Any]]]) -> list[ImportRow]:
    """Find the header, then turn each learner record into a checked `ImportRow`."""
    header: dict[str, int] | None = None
    rows: list[ImportRow] = []
    first_line_of_email: dict[str, int] = {}
    for number, cells in records:
        if header is None:
            if any(_text(cell) for cell in cells):
                header = _header_columns(cells=cells)
            continue
        values = {attribute: cells[index] for attribute, index in header.items() if index < len(cells)}
        if not any(_text(value) for value in values.values()):
            continue
        if len(rows) == MAX_ROWS:
            raise ImportFileError(
                f"Le fichier contient plus de {figure(MAX_ROWS)} lignes d'apprenant·es : "
                "découpez-le en plusieurs fichiers."
            )
        row = _row_checked(line=number, values=values)
        if row.email:
            if row.email in first_line_of_email:
                row.errors.append(f"Cette adresse e-mail figure déjà ligne {first_line_of_email[row.email]}.")
            else:
                first_line_of_email[row.email] = number
        rows.append(row)
    if header is None:
        raise ImportFileError("Le fichier est vide.")
    if not rows:
        raise ImportFileError("Le fichier ne contient aucune ligne d'apprenant·e.")
    return rows


def _header_key(text: str) -> str:
    """Header text reduced to unaccented lower-case letters and digits."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c)).casefold()


_COLUMN_BY_KEY = {_header_key(synonym): column for column in _COLUMNS for synonym in column.synonyms}


def _header_columns(*, cells: list[Any]) -> dict[str, int]:
    """Map each recognised attribute to its column index; refuse missing or repeated columns."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        column = _COLUMN_BY_KEY.get(_header_key(_text(cell)))
        if column is None:
            continue
        if column.attribute in found:
            raise ImportFileError(
                f"La colonne « {column.label} » apparaît plusieurs fois dans la ligne d'en-tête : "
                "gardez-en une seule."
            )
        found[column.attribute] = index
    missing = [column.label for column in _COLUMNS if column.required and column.attribute not in found]
    if missing:
        required = ", ".join(column.label for column in _COLUMNS if column.required)
        optional = ", ".join(column.label for column in _COLUMNS if not column.required)
        plural = "s" if len(missing) > 1 else ""
        raise ImportFileError(
            f"Colonne{plural} obligatoire{plural} introuvable{plural} dans la ligne d'en-tête : "
            f"{', '.join(missing)}. En-têtes attendus : {required} (obligatoires) ; "
            f"{optional} (facultatifs)."
        )
    return found


def _text(value: Any) -> str:
    """A cell's value as stripped text, internal runs of spaces collapsed to one."""
    if value is None:
        return ""
    if isinstance(value, ArrayFormula | DataTableFormula):
        return "="  # an array or table formula: refused like any other formula
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).strip(_INVISIBLE_CHARACTERS).split()).strip(_INVISIBLE_CHARACTERS)


def _row_checked(*, line: int, values: dict[str, Any]) -> ImportRow:
    """Build the row for one learner record, collecting every problem instead of raising."""
    errors: list[str] = []
    texts: dict[str, str] = {}
    refused: set[str] = set()
    for column in _COLUMNS:
        text = _text(values.get(column.attribute))
        if text.startswith(_FORMULA_PREFIXES) or _HTML_TAG.search(text):
            errors.append(f"Colonne “{column.label}” : les formules et le HTML ne sont pas acceptés.")
            refused.add(column.attribute)
            text = ""
        texts[column.attribute] = text

    texts["email"] = texts["email"].lower()
    for attribute, (when_empty, max_length, when_too_long) in _TEXT_RULES.items():
        text = texts[attribute]
        if not text:
            if when_empty and attribute not in refused:
                errors.append(when_empty)
        elif len(text) > max_length:
            errors.append(when_too_long.format(max_length))
    if texts["email"] and len(texts["email"]) <= _EMAIL_MAX_LENGTH:
        try:
            validate_email(texts["email"])
        except ValidationError:
            errors.append(f"Adresse e-mail invalide : « {texts['email']} ».")

    dates: dict[str, datetime.date | None] = {}
    for attribute, (name, name_with_article) in _DATE_NAMES.items():
        on = None if attribute in refused else _date(values.get(attribute))
        if on is None and texts[attribute]:
            errors.append(f"{name} illisible : « {texts[attribute]} » (attendu JJ/MM/AAAA).")
        elif on is not None and on > timezone.localdate():
            errors.append(f"{name_with_article} ne peut pas être dans le futur.")
        dates[attribute] = on

    return ImportRow(
        line=line,
        last_name=texts["last_name"],
        first_name=texts["first_name"],
        email=texts["email"],
        employer=texts["employer"],
        job_title=texts["job_title"],
        ars_agreement_on=dates["ars_agreement_on"],
        employer_agreement_on=dates["employer_agreement_on"],
        errors=errors,
    )


def _date(value: Any) -> datetime.date | None:
    """The calendar date a cell holds, or None when it is empty or not a date."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        return None
    text = _text(value)
    for pattern in _DATE_FORMATS:
        match = pattern.fullmatch(text)
        if match:
            try:
                return datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
            except ValueError:
                return None
    return None
