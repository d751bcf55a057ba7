"""The procès-verbal of a soutenance as a PDF (reportlab): learner, mémoire title, date, jury,
written, oral and final marks with their weights, the result, corrections and new deadline, and the
president's signature drawn on screen. Made once, at signing; the stored bytes are what is served."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from assessments.rubrics.grading import mark_text
from lms.text import single_line

SIGNATURE_BOX = (6 * cm, 2.2 * cm)


def _signature(png: bytes):
    image = Image(io.BytesIO(png))
    width, height = SIGNATURE_BOX
    ratio = min(width / image.imageWidth, height / image.imageHeight)
    image.drawWidth, image.drawHeight = image.imageWidth * ratio, image.imageHeight * ratio
    return image


def pv_pdf(
    *,
    learner: str,
    title: str,
    cohort: str,
    held_at: datetime.datetime,
    zone: str,
    president: str,
    members: list[str],
    written_mark: Decimal,
    oral_mark: Decimal,
    final_mark: Decimal,
    written_weight: int,
    oral_weight: int,
    result: str,
    corrections: str,
    new_deadline: datetime.date | None,
    signature_png: bytes,
    signed_at: datetime.datetime,
    supersedes_text: str = "",
) -> bytes:
    """The PV as PDF bytes. `signature_png` is the gate-checked, re-encoded image."""
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    local = ZoneInfo(zone)

    def para(text: str, style=body):
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    held = held_at.astimezone(local)
    signed = signed_at.astimezone(local)
    story = [
        para("Procès-verbal de soutenance", styles["Title"]),
        para(
            "Diplôme d'établissement « Coordinateur d'un contrat local de santé » — EHESP", styles["Heading3"]
        ),
        Spacer(1, 0.3 * cm),
    ]
    if supersedes_text:
        story += [para(supersedes_text, styles["Italic"]), Spacer(1, 0.2 * cm)]
    story += [
        para(f"Apprenant·e : {single_line(learner)}"),
        para(f"Promotion : {single_line(cohort)}"),
        para(f"Mémoire : « {single_line(title)} »"),
        para(f"Soutenance du {held:%d/%m/%Y à %H:%M} ({zone})"),
        Spacer(1, 0.3 * cm),
        para("Composition du jury", styles["Heading3"]),
        para(f"Président·e : {single_line(president)}"),
        *[para(f"Membre : {single_line(name)}") for name in members],
        Spacer(1, 0.3 * cm),
        para("Notes", styles["Heading3"]),
    ]
    table = Table(
        [
            ["", "Note sur 20", "Poids"],
            ["Mémoire écrit", mark_text(written_mark), str(written_weight)],
            ["Soutenance orale", mark_text(oral_mark), str(oral_weight)],
            ["Note finale", mark_text(final_mark), ""],
        ],
        colWidths=[6 * cm, 4 * cm, 3 * cm],
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3e3fd")),
                ("FONTNAME", (0, 3), (-1, 3), "Helvetica-Bold"),
            ]
        )
    )
    story += [
        table,
        Spacer(1, 0.3 * cm),
        para("Résultat", styles["Heading3"]),
        para(f"Décision du jury : {result}"),
    ]
    if corrections:
        story.append(para(f"Corrections demandées :\n{corrections}"))
    if new_deadline:
        story.append(para(f"Nouvelle échéance de remise : {new_deadline:%d/%m/%Y}"))
    story += [
        Spacer(1, 0.5 * cm),
        para(
            f"Signé à l'écran par {single_line(president)}, président·e du jury, "
            f"le {signed:%d/%m/%Y à %H:%M}."
        ),
        _signature(signature_png),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=single_line(f"Procès-verbal de soutenance — {learner}"),
        author="EHESP",
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
    )
    document.build(story)
    return buffer.getvalue()
