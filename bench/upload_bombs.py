"""Memory and time of the worst upload of each kind through the upload gate.

    .venv/bin/python -m bench.upload_bombs

Each case is built here, then checked by `lms.uploads.upload_check` in a fresh Python process,
so that its peak RSS is its own: the web process's cost (RUSAGE_SELF of that process) and, for
PDFs, the cost of the probe children it starts (RUSAGE_CHILDREN). Add a case by appending to
CASES: a label, a file name, a function building the bytes, and the policy (module:NAME) to use.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass

from tests import uploads_samples as samples


@dataclass(frozen=True)
class Case:
    label: str
    name: str
    build: Callable[[], bytes]
    policy: str  # "module:NAME" of an UploadPolicy


CASES = [
    Case(
        "ODT zip bomb (mimetype → 200 MB)",
        "justificatif.odt",
        samples.odt_bomb_bytes,
        "courses.declarations:EVIDENCE_POLICY",
    ),
    Case(
        "ODT zip bomb (mimetype → 4.5 GB)",
        "justificatif.odt",
        lambda: samples.odt_bomb_bytes(declared=4500 * 1024 * 1024),
        "courses.declarations:EVIDENCE_POLICY",
    ),
    Case(
        "ODT lying header (100 B declared, 50 MB)",
        "justificatif.odt",
        samples.lying_odt_bytes,
        "courses.declarations:EVIDENCE_POLICY",
    ),
    Case("PNG 13,000 × 13,000", "photo.png", samples.png_bomb_bytes, "forum.attachments:FORUM_POLICY"),
    Case(
        "PDF of 1,000 pages",
        "annexes.pdf",
        lambda: samples.pdf_bytes(1000),
        "courses.services:AGREEMENT_POLICY",
    ),
    Case(
        "PDF with JavaScript", "accord.pdf", samples.javascript_pdf_bytes, "courses.services:AGREEMENT_POLICY"
    ),
    Case("PNG + HTML appended", "photo.png", samples.png_with_html_bytes, "forum.attachments:FORUM_POLICY"),
]

_CHILD = r"""
import importlib, json, resource, sys, time
import django
django.setup()
from lms.uploads import UploadRefused, upload_check
module, attribute = sys.argv[2].split(":")
policy = getattr(importlib.import_module(module), attribute)
content = sys.stdin.buffer.read()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
try:
    checked = upload_check(name=sys.argv[1], data=content, policy=policy)
    verdict = f"accepted ({checked.kind}, {checked.size} bytes stored)"
except UploadRefused as exc:
    verdict = "refused: " + exc.messages[0]
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
        [sys.executable, "-c", _CHILD, case.name, case.policy],
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
