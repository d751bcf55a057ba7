"""The attendance sheet of one half-day as a PDF (reportlab): who was there, for how long, and the
signatures drawn on screen, with empty boxes for those who sign on paper. A signature is drawn only
if its pixels are within the signature upload policy's limit."""

from __future__ import annotations

import io
import warnings
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from PIL import Image as PillowImage
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from courses.attendance.models import Signature
from courses.attendance.selectors import Sheet, half_day_label
from courses.attendance.services import SIGNATURE_POLICY
from lms.text import hours_text

SIGNATURE_BOX = (4.5 * cm, 1.4 * cm)
# Signatures stored before the upload gate may be of any size: one above the gate's pixel limit
# is not decoded at all (a decompression bomb costs seconds and hundreds of Mo per sheet).
SIGNATURE_NOT_DRAWN = "Signée à l'écran (image hors format, non reproduite)"


def _hours(value) -> str:
    return hours_text(value) + " h"


def _signature_pixels(png: bytes) -> int | None:
    """Width × height read from the image's header only (no pixel decoded); None if unreadable."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PillowImage.DecompressionBombWarning)
            with PillowImage.open(io.BytesIO(png)) as header:
                width, height = header.size
    except PillowImage.DecompressionBombError:
        return SIGNATURE_POLICY.max_image_pixels + 1
    except Exception:  # noqa: BLE001 — Pillow raises many kinds of errors on a damaged file
        return None
    return width * height


def _signature_cell(png: bytes | None, style):
    if not png:
        return ""
    pixels = _signature_pixels(png)
    if pixels is None:
        return ""
    if pixels > SIGNATURE_POLICY.max_image_pixels:
        return Paragraph(SIGNATURE_NOT_DRAWN, style)
    try:
        image = Image(io.BytesIO(png))
    except Exception:
        return ""
    width, height = SIGNATURE_BOX
    ratio = min(width / image.imageWidth, height / image.imageHeight)
    image.drawWidth, image.drawHeight = image.imageWidth * ratio, image.imageHeight * ratio
    return image


def attendance_sheet_pdf(*, sheet: Sheet) -> bytes:
    """The sheet as PDF bytes: session, module, provider and its Qualiopi number, place, date and
    half-day in the region's zone, one row per listed learner, then the trainers."""
    session = sheet.session
    zone = ZoneInfo(session.region.timezone)
    styles = getSampleStyleSheet()
    small = styles["BodyText"]
    signatures = {
        s.signer_id: bytes(s.image_png)
        for s in Signature.objects.filter(session=session, day=sheet.day, half_day=sheet.half_day).only(
            "signer_id", "image_png"
        )
    }
    trainers = list(session.trainers.order_by("last_name", "first_name"))
    provider = session.provider
    place = "À distance" if session.is_remote else session.place
    if session.is_remote and session.place:
        place = f"À distance — {session.place}"
    start = session.starts_at.astimezone(zone)
    end = session.ends_at.astimezone(zone)

    def para(text: str, style=small):
        return Paragraph(escape(text), style)

    story = [
        para("Feuille d'émargement", styles["Title"]),
        para(session.title, styles["Heading2"]),
        para(f"Module : {session.module.title}"),
        para(
            f"Organisme : {provider.name} — n° Qualiopi : {provider.qualiopi_number or 'aucun'}"
            + ("" if provider.is_certified_on(sheet.day) else " (certificat non valide à cette date)")
        ),
        para(f"Lieu : {place}"),
        para(
            f"Demi-journée : {sheet.day:%d/%m/%Y}, {half_day_label(sheet.half_day)} "
            f"— session du {start:%d/%m/%Y %H:%M} au {end:%d/%m/%Y %H:%M} ({session.region.name}, "
            f"{session.region.timezone})"
        ),
        para(f"Durée de la demi-journée : {_hours(sheet.half_day_hours)}"),
        Spacer(1, 0.4 * cm),
    ]
    confirmed = sheet.confirmed
    if confirmed is not None:
        story.append(
            para(
                f"Confirmée le {confirmed.confirmed_at.astimezone(zone):%d/%m/%Y à %H:%M} "
                f"par {confirmed.confirmed_by.display_name if confirmed.confirmed_by else '—'}"
            )
        )
        story.append(Spacer(1, 0.3 * cm))

    table_style = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3e3fd")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
    )
    rows = [["Apprenant·e", "Statut", "Heures", "Signature"]]
    for row in sheet.rows:
        attendance = row.attendance
        rows.append(
            [
                para(f"{row.user.last_name} {row.user.first_name}".strip() or row.user.email),
                attendance.get_status_display() if attendance else "Non saisi",
                _hours(attendance.hours) if attendance else "",
                _signature_cell(signatures.get(row.user.pk), small),
            ]
        )
    if not sheet.rows:
        rows.append([para("Aucun·e apprenant·e invité·e pour cette demi-journée."), "", "", ""])
    widths = [6.5 * cm, 3.5 * cm, 2 * cm, 5 * cm]
    learners = Table(rows, colWidths=widths, rowHeights=[None] + [1.6 * cm] * (len(rows) - 1), repeatRows=1)
    learners.setStyle(table_style)
    story += [learners, Spacer(1, 0.6 * cm), para("Formateur·rices", styles["Heading3"])]
    trainer_rows = [["Formateur·rice", "Signature"]]
    trainer_rows += [[para(t.display_name), _signature_cell(signatures.get(t.pk), small)] for t in trainers]
    if not trainers:
        trainer_rows.append([para("Aucun·e formateur·rice désigné·e"), ""])
    trainer_table = Table(
        trainer_rows, colWidths=[8 * cm, 5 * cm], rowHeights=[None] + [1.6 * cm] * (len(trainer_rows) - 1)
    )
    trainer_table.setStyle(table_style)
    story.append(trainer_table)

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"Émargement — {session.title} — {sheet.day:%d/%m/%Y} {half_day_label(sheet.half_day)}",
        author="EHESP — DE Coordinateur CLS",
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
    )
    document.build(story)
    return buffer.getvalue()
