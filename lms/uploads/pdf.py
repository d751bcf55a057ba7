"""PDFs are parsed by pypdf in a child process with resource limits and a wall-clock timeout.

Why a subprocess rather than a Celery worker: the check has to answer while the person waits on
the form (the refusal is a form error, nothing is stored), so a worker would only add a queue
round-trip and a broker dependency to every upload, and a worker process that a crafted PDF
exhausts would take other tasks down with it. A short-lived child with RLIMIT_AS, RLIMIT_CPU and
no file writes confines the damage to itself: the web process only waits (bounded by TIMEOUT)
and reads a few bytes of JSON. The child (lms/uploads/pdf_probe.py) starts with `python -I` and
imports pypdf only, about 0.1 s per PDF; it sets its limits itself, so no `preexec_fn` runs
between fork and exec in a threaded web process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .policies import Refusal

PROBE = Path(__file__).with_name("pdf_probe.py")
MEMORY_BYTES = 512 * 1024 * 1024
CPU_SECONDS = 10
TIMEOUT = 15


def pdf_inspect(content: bytes, *, max_pages: int) -> int:
    """The page count of a PDF that is neither encrypted, active (JavaScript, launch actions,
    embedded files, rich media, XFA, form submission, links to other files, data import, sound or
    movie), a polyglot, damaged, nor longer than `max_pages`; raises
    Refusal otherwise, also when the probe runs out of its time or memory."""
    complex_ = Refusal(
        "ce PDF est trop complexe pour être vérifié : enregistrez-le à nouveau (« Imprimer en PDF ») "
        "ou allégez-le, puis réessayez."
    )
    try:
        run = subprocess.run(
            [
                sys.executable,
                "-I",
                str(PROBE),
                str(max_pages),
                str(MEMORY_BYTES),
                str(CPU_SECONDS),
                str(len(content)),
            ],
            input=content,
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise complex_ from exc
    try:
        result = json.loads(run.stdout)
    except ValueError as exc:
        raise complex_ from exc
    if result.get("ok"):
        return int(result["pages"])
    reason = result.get("reason")
    if reason == "pages":
        raise Refusal(f"ce PDF compte {result['pages']} pages : {max_pages} au plus.")
    raise {
        "encrypted": Refusal("ce PDF est protégé par un mot de passe : déposez une version non protégée."),
        "active": Refusal(
            "ce PDF contient du contenu actif (JavaScript, lancement de programme, fichier joint, "
            "formulaire XFA ou qui s'envoie, lien vers un autre fichier, son ou vidéo) : "
            "enregistrez-le à nouveau avec « Imprimer en PDF » et réessayez."
        ),
        "polyglot": Refusal(
            "ce fichier commence comme un PDF mais contient autre chose (une page web, par exemple) : "
            "il est refusé."
        ),
        "corrupt": Refusal("ce PDF est endommagé ou illisible : il est refusé."),
    }.get(reason, complex_)
