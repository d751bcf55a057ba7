"""The board's rows as spreadsheets: CSV streamed row by row, XLSX written by openpyxl's
write-only mode. Both follow the cohort progress exports (courses.tracking.exports): French CSV
(UTF-8 with BOM, semicolons, decimal commas, dd/mm/yyyy), text never read as a formula, dates in
the cohort's region."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from django.utils import timezone
from openpyxl import Workbook

from assessments.board.selectors import BoardRow
from courses.tracking.exports import cohort_timezone, csv_text, xlsx_write_only_cell

HEADERS = (
    "Nom",
    "Prénom",
    "E-mail",
    "Promotion",
    "Région",
    "Étape",
    "Titre du sujet",
    "Type de mémoire",
    "CLS concerné",
    "Tuteur·rice",
    "Correcteur·rices",
    "Note écrite publiée (/20)",
    "Dernier changement",
)
SHEET_TITLE = "Mémoires"


def _values(row: BoardRow) -> list:
    enrolment, memoire = row.enrolment, row.memoire
    user, cohort = enrolment.user, enrolment.cohort
    tutor = memoire.tutor.display_name if memoire is not None and memoire.tutor_id else ""
    return [
        user.last_name,
        user.first_name,
        user.email,
        cohort.name,
        cohort.region.name,
        row.state.label,
        memoire.title if memoire is not None else "",
        memoire.get_kind_display() if memoire is not None and memoire.kind else "",
        memoire.cls_name if memoire is not None else "",
        tutor,
        ", ".join(row.markers),
        row.released_mark,
        timezone.localtime(row.last_change, cohort_timezone(cohort)).date(),
    ]


class _Echo:
    """A file-like object whose write returns the line, for csv.writer inside a generator."""

    def write(self, value: str) -> str:
        return value


def board_csv(rows: Iterable[BoardRow]) -> Iterator[bytes]:
    """The rows as CSV, yielded line by line (the first with the UTF-8 byte order mark)."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield writer.writerow(HEADERS).encode("utf-8-sig")
    for row in rows:
        yield writer.writerow([csv_text(value) for value in _values(row)]).encode("utf-8")


def board_xlsx(rows: Iterable[BoardRow]) -> bytes:
    """The rows as an Excel workbook written in openpyxl's write-only mode (memory stays flat):
    bold frozen header, marks as numbers, dates as dates, text always text."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    sheet.freeze_panes = "A2"
    sheet.append([xlsx_write_only_cell(sheet, header, bold=True) for header in HEADERS])
    for row in rows:
        sheet.append([xlsx_write_only_cell(sheet, value) for value in _values(row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
