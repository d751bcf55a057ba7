"""Workbooks built byte by byte for the enrolment import's bad-input tests and bench: a sheet of a
million rows is written as it is generated, never held. No Django here, so the bench can build them."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable


def sheet_workbook(rows_xml: Iterable[bytes], *, dimension: str | None = None) -> bytes:
    """A minimal workbook whose first sheet's XML is written from `rows_xml` as it comes, so a
    sheet of a million rows is built without holding it."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relationships = "http://schemas.openxmlformats.org/package/2006/relationships"
    officedocument = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{relationships}"><Relationship Id="rId1" '
            f'Type="{officedocument}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{officedocument}"><sheets>'
            '<sheet name="Feuille1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{relationships}"><Relationship Id="rId1" '
            f'Type="{officedocument}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'<worksheet xmlns="{main}">'.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for chunk in rows_xml:
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


HEADER_ROW_XML = (
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>Nom</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>Pr\xc3\xa9nom</t></is></c>'
    b'<c r="C1" t="inlineStr"><is><t>E-mail</t></is></c></row>'
)


def learner_row_xml(number: int) -> bytes:
    return (
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>Nom%d</t></is></c>'
        b'<c r="B%d" t="inlineStr"><is><t>P</t></is></c>'
        b'<c r="C%d" t="inlineStr"><is><t>p%d@example.fr</t></is></c></row>'
    ) % (number, number, number, number, number, number)
