"""Spreadsheet exports of the cohort progress rows (see courses.cohorts.progress), in CSV and XLSX.

Both formats neutralise formula injection: a text cell that a spreadsheet would read as a
formula (starting with =, +, -, @, a tab or a carriage return) comes out as plain text."""

from __future__ import annotations

import csv
import io
import re
import zoneinfo
from collections.abc import Iterable
from datetime import date, datetime, tzinfo
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from courses.cohorts.models import Cohort
from courses.enums import Modality
from courses.tracking.progress import CohortLearnerRow

HEADERS = (
    "Nom",
    "Prénom",
    "E-mail",
    "Employeur",
    "Fonction",
    "Accord ARS",
    "Accord employeur",
    "E-learning (h)",
    "Objectif e-learning (h)",
    "Présentiel (h)",
    "Objectif présentiel (h)",
    "Organisation (h)",
    "Objectif organisation (h)",
    "Modules terminés",
    "Modules suivis",
    "Dernière activité",
    "Statut",
)
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE_MAX = 31
DATE_FORMAT = "DD/MM/YYYY"
HOURS_FORMAT = "0.00"
MAX_COLUMN_WIDTH = 50


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def cohort_timezone(cohort: Cohort) -> tzinfo:
    """Dates are those of the cohort's region (Guyane and La Réunion are not on Paris time)."""
    try:
        return zoneinfo.ZoneInfo(cohort.region.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.get_current_timezone()


def _values(row: CohortLearnerRow, tz: tzinfo) -> list:
    """The row's cells, typed: str, date, Decimal or int (None when empty)."""
    enrolment = row.enrolment
    user = enrolment.user
    hours: list = []
    for modality in (Modality.ELEARNING, Modality.PRESENTIAL, Modality.ORGANISATION):
        hours += [row.hours[modality], row.targets[modality]]
    last = timezone.localtime(row.last_activity, tz).date() if row.last_activity else None
    return [
        user.last_name,
        user.first_name,
        user.email,
        enrolment.employer,
        enrolment.job_title,
        enrolment.ars_agreement_on,
        enrolment.employer_agreement_on,
        *hours,
        row.modules_done,
        row.modules_followed,
        last,
        row.status_text,
    ]


def csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}".replace(".", ",")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str):
        return f"'{value}" if is_formula_like(value) else value
    return str(value)


def cohort_progress_csv(*, cohort: Cohort, rows: Iterable[CohortLearnerRow]) -> bytes:
    """The rows as CSV for a French spreadsheet: UTF-8 with BOM, semicolons, decimal commas,
    dates as dd/mm/yyyy, formula-like text prefixed with an apostrophe."""
    tz = cohort_timezone(cohort)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([csv_text(value) for value in _values(row, tz)])
    return buffer.getvalue().encode("utf-8-sig")


def sheet_title(name: str) -> str:
    """A worksheet name Excel accepts: no []:*?/\\, no apostrophe at either end, 31 characters."""
    title = " ".join(SHEET_TITLE_FORBIDDEN.sub(" ", name or "").split()).strip("'")
    title = title[:SHEET_TITLE_MAX].strip().strip("'")
    return title or "Promotion"


def cohort_progress_xlsx(*, cohort: Cohort, rows: Iterable[CohortLearnerRow]) -> bytes:
    """The rows as an Excel workbook with one sheet named after the cohort: bold frozen header,
    hours as numbers, dates as dates, and text always stored as text, never as a formula."""
    tz = cohort_timezone(cohort)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(cohort.name)
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(header) for header in HEADERS]
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(_values(row, tz), start=1):
            if isinstance(value, str):
                # Control characters (pasted from another tool) make an invalid workbook.
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = sheet.cell(row=row_number, column=column, value=value)
            if isinstance(value, str):
                # openpyxl turns a string starting with "=" into a formula: force text, and mark
                # it so that Excel keeps it as text when the cell is edited.
                cell.data_type = "s"
                if is_formula_like(value):
                    cell.quotePrefix = True
            elif isinstance(value, date):
                cell.number_format = DATE_FORMAT
            elif isinstance(value, Decimal):
                cell.number_format = HOURS_FORMAT
            widths[column - 1] = max(widths[column - 1], _display_width(value))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, MAX_COLUMN_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_write_only_cell(sheet, value, *, bold: bool = False) -> WriteOnlyCell:
    """A cell for a write-only worksheet with the rules of `cohort_progress_xlsx`: text stripped of
    control characters and always stored as text (never a formula), dates and numbers typed."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, Decimal):
        cell.number_format = HOURS_FORMAT
    if bold:
        cell.font = Font(bold=True)
    return cell


def _display_width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, date | datetime):
        return 10
    return len(str(value))
