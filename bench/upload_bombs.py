"""Memory and time of the worst upload of each kind through the upload gate.

    .venv/bin/python -m bench.upload_bombs

Each case is built here, then checked by `lms.uploads.upload_check` in a fresh Python process,
so that its peak RSS is its own: the web process's cost (RUSAGE_SELF of that process) and, for
PDFs, the cost of the probe children it starts (RUSAGE_CHILDREN). Add a case by appending to
CASES: a label, a file name, a function building the bytes, and the policy to use (module:NAME of a
policy, or of a function returning one); or, for an upload whose parsing goes on after the gate (the
enrolment import), the reader (module:function, called with filename= and content=) that takes it
through the gate and beyond.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass

from tests import uploads_samples as samples
from tests.spreadsheet_samples import HEADER_ROW_XML, learner_row_xml, sheet_workbook


@dataclass(frozen=True)
class Case:
    label: str
    name: str
    build: Callable[[], bytes]
    policy: str  # "module:NAME" of an UploadPolicy
    reader: str | None = None  # "module:function" reading the file through the gate, instead of upload_check


def million_rows_xlsx(rows: int = 1_000_001) -> bytes:
    """A workbook of `rows` one-cell rows, as a spreadsheet writes it (openpyxl, write-only)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["Nom", "Prénom", "E-mail"])
    for number in range(rows - 1):
        sheet.append([number])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


FAR_ROW = b'<row r="1000000"><c r="A1000000" t="inlineStr"><is><t>x</t></is></c></row>'
IMPORT_READER = "courses.cohorts.imports:enrolment_rows_read"

CASES = [
    Case(
        "ODT zip bomb (mimetype → 200 MB)",
        "justificatif.odt",
        samples.odt_bomb_bytes,
        "courses.hours.services:EVIDENCE_POLICY",
    ),
    Case(
        "ODT zip bomb (mimetype → 4.5 GB)",
        "justificatif.odt",
        lambda: samples.odt_bomb_bytes(declared=4500 * 1024 * 1024),
        "courses.hours.services:EVIDENCE_POLICY",
    ),
    Case(
        "ODT lying header (100 B declared, 50 MB)",
        "justificatif.odt",
        samples.lying_odt_bytes,
        "courses.hours.services:EVIDENCE_POLICY",
    ),
    Case("PNG 13,000 × 13,000", "photo.png", samples.png_bomb_bytes, "forum.attachments.checks:FORUM_POLICY"),
    Case(
        "PDF of 1,000 pages",
        "annexes.pdf",
        lambda: samples.pdf_bytes(1000),
        "courses.cohorts.services:AGREEMENT_POLICY",
    ),
    Case(
        "PDF with JavaScript",
        "accord.pdf",
        samples.javascript_pdf_bytes,
        "courses.cohorts.services:AGREEMENT_POLICY",
    ),
    Case(
        "PDF of 450,000 chained objects (objstm)",
        "piece.pdf",
        samples.chained_objects_pdf_bytes,
        "forum.attachments.checks:FORUM_POLICY",
    ),
    Case(
        "PDF 50 pages, a photo each (accepted)",
        "visite.pdf",
        lambda: samples.pictures_pdf_bytes(50),
        "forum.attachments.checks:FORUM_POLICY",
    ),
    Case(
        "PDF 300 pages, a photo each (accepted)",
        "guide.pdf",
        lambda: samples.pictures_pdf_bytes(300, picture=(200, 150), quality=50),
        "lms.uploads.wagtail_forms:document_policy",
    ),
    Case(
        "PNG + HTML appended",
        "photo.png",
        samples.png_with_html_bytes,
        "forum.attachments.checks:FORUM_POLICY",
    ),
    Case(
        "DOCX external oleObject (Follina)",
        "justificatif.docx",
        samples.follina_docx_bytes,
        "courses.hours.services:EVIDENCE_POLICY",
    ),
    Case(
        "DOCX remote attached template (.dotm)",
        "justificatif.docx",
        samples.remote_template_docx_bytes,
        "courses.hours.services:EVIDENCE_POLICY",
    ),
    Case(
        "DOCX altChunk declared text/html",
        "justificatif.docx",
        samples.altchunk_docx_bytes,
        "courses.hours.services:EVIDENCE_POLICY",
    ),
    Case(
        "DOCX DDEAUTO field",
        "justificatif.docx",
        samples.dde_docx_bytes,
        "courses.hours.services:EVIDENCE_POLICY",
    ),
    Case(
        "ODT external object",
        "justificatif.odt",
        samples.odt_external_object_bytes,
        "courses.hours.services:EVIDENCE_POLICY",
    ),
    Case(
        "XLSX external link",
        "guide.xlsx",
        samples.xlsx_external_link_bytes,
        "lms.uploads.wagtail_forms:document_policy",
    ),
    Case(
        "PDF /SubmitForm open action",
        "accord.pdf",
        lambda: samples.action_pdf_bytes("/SubmitForm"),
        "courses.cohorts.services:AGREEMENT_POLICY",
    ),
    Case(
        "Signature PNG 13,000 × 13,000",
        "signature.png",
        samples.png_bomb_bytes,
        "courses.attendance.services:SIGNATURE_POLICY",
    ),
    Case(
        "Signature PNG 2,000 × 2,000",
        "signature.png",
        lambda: samples.png_bomb_bytes(2_000),
        "courses.attendance.services:SIGNATURE_POLICY",
    ),
    Case(
        "XLSX import, <dimension> claims 1,000,000 rows",
        "apprenants.xlsx",
        lambda: sheet_workbook([HEADER_ROW_XML, learner_row_xml(2)], dimension="A1:C1000000"),
        "courses.cohorts.imports:IMPORT_POLICY",
        IMPORT_READER,
    ),
    Case(
        "XLSX import, row 2 then row 1,000,000",
        "apprenants.xlsx",
        lambda: sheet_workbook([HEADER_ROW_XML, learner_row_xml(2), FAR_ROW]),
        "courses.cohorts.imports:IMPORT_POLICY",
        IMPORT_READER,
    ),
    Case(
        "XLSX import, 20,001 learner rows (320 KB)",
        "apprenants.xlsx",
        lambda: sheet_workbook([HEADER_ROW_XML, *(learner_row_xml(n) for n in range(2, 20_003))]),
        "courses.cohorts.imports:IMPORT_POLICY",
        IMPORT_READER,
    ),
    Case(
        "XLSX import, 1,000,001 rows (openpyxl)",
        "apprenants.xlsx",
        million_rows_xlsx,
        "courses.cohorts.imports:IMPORT_POLICY",
        IMPORT_READER,
    ),
    Case(
        "XLSX import, 1,000,001 bare rows (60 KB)",
        "apprenants.xlsx",
        lambda: sheet_workbook([HEADER_ROW_XML, b"<row><c><v>1</v></c></row>" * 1_000_000]),
        "courses.cohorts.imports:IMPORT_POLICY",
        IMPORT_READER,
    ),
]

_CHILD = r"""
import importlib, json, resource, sys, time
import django
django.setup()
from lms.uploads import UploadRefused, upload_check
module, attribute = sys.argv[2].split(":")
policy = getattr(importlib.import_module(module), attribute)
policy = policy() if callable(policy) else policy  # a policy made from settings (Wagtail documents)
reader = None
if len(sys.argv) > 3:
    module, attribute = sys.argv[3].split(":")
    reader = getattr(importlib.import_module(module), attribute)
content = sys.stdin.buffer.read()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
try:
    if reader is None:
        checked = upload_check(name=sys.argv[1], data=content, policy=policy)
        verdict = f"accepted ({checked.kind}, {checked.size} bytes stored)"
    else:
        verdict = f"accepted ({len(reader(filename=sys.argv[1], content=content))} rows)"
except UploadRefused as exc:
    verdict = "refused: " + exc.messages[0]
except Exception as exc:  # noqa: BLE001 — a reader's own refusal (ImportFileError), reported as such
    verdict = f"refused ({type(exc).__name__}): {exc}"
elapsed = time.perf_counter() - started
print(json.dumps({
    "verdict": verdict,
    "seconds": elapsed,
    "rss_before_kb": base,
    "self_peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "children_peak_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
}))
"""


def run(case: Case) -> dict:
    content = case.build()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "lms.settings.test"),
    }
    child = subprocess.run(
        [sys.executable, "-c", _CHILD, case.name, case.policy, *([case.reader] if case.reader else [])],
        input=content,
        capture_output=True,
        env=env,
        check=True,
    )
    return {"size": len(content), **json.loads(child.stdout.decode().strip().splitlines()[-1])}


def main() -> None:
    print(f"{'case':44} {'file':>9} {'time':>7} {'RSS self':>18} {'RSS probe':>10}  verdict")
    for case in CASES:
        result = run(case)
        growth = (result["self_peak_kb"] - result["rss_before_kb"]) / 1024
        probe = result["children_peak_kb"] / 1024
        print(
            f"{case.label:44} {result['size'] / 1024:7.0f} K {result['seconds']:6.2f}s "
            f"{result['self_peak_kb'] / 1024:6.0f} M (+{growth:4.0f} M) {probe:8.0f} M"
            f"  {result['verdict'][:110]}"
        )


if __name__ == "__main__":
    main()
