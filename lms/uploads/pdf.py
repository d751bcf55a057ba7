"""PDFs are parsed by pypdf in a child process with resource limits and a wall-clock timeout.

Why a subprocess rather than a Celery worker: the check has to answer while the person waits on
the form (the refusal is a form error, nothing is stored), so a worker would only add a queue
round-trip and a broker dependency to every upload, and a worker process that a crafted PDF
exhausts would take other tasks down with it. A short-lived child with RLIMIT_AS, RLIMIT_CPU and
no file writes confines the damage to itself: the web process only waits (bounded by TIMEOUT)
and reads a few bytes of JSON. The child (lms/uploads/pdf_probe.py) starts with `python -I` and
imports pypdf only, about 0.1 s per PDF; it sets its limits itself, so no `preexec_fn` runs
between fork and exec in a threaded web process.

Each child is bounded, but many at once would still take the machine, so:

- before a child starts, the raw bytes are counted (`declared_objects`): a PDF declaring more
  objects than OBJECTS_PER_PAGE × its policy's page limit + OBJECTS_BASE is refused at once. A
  page made by an office suite or a scanner needs a handful of objects (page, content, fonts,
  images), a tagged PDF a few dozen structure elements more; 200 per page leaves room for the
  heaviest real documents while a PDF of 450,000 chained objects (7 s and 500 MB in the child)
  costs the parent a count of its bytes (about 0.01 s for 5 Mo);
- at most PROCESS_SLOTS children per web process (a semaphore) and MACHINE_SLOTS per machine (lock
  files under the temporary directory, taken with non-blocking `flock`, which the kernel releases
  if the process dies): memory for probes stays below MACHINE_SLOTS × MEMORY_BYTES. A check that
  finds no free slot within SLOT_WAIT seconds is refused with a « busy, try again » message rather
  than queued;
- the caller may give a deadline (time.monotonic()) shared by all the files of one request: the
  wait for a slot and the child's timeout stop at it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from .names import figure
from .policies import Refusal

PROBE = Path(__file__).with_name("pdf_probe.py")
#: A 300-page PDF with a picture on every page peaks at about 40 Mo in the child.
MEMORY_BYTES = 256 * 1024 * 1024
CPU_SECONDS = 5
TIMEOUT = 10
OBJECTS_PER_PAGE = 200
OBJECTS_BASE = 10_000
PROCESS_SLOTS = 2
MACHINE_SLOTS = 4
SLOT_WAIT = 5.0
SLOTS_DIR = Path(tempfile.gettempdir()) / f"lms-pdf-probes-{os.getuid()}"

BUSY = "le service de vérification des fichiers est occupé : réessayez dans une minute."
OUT_OF_TIME = (
    "le temps de vérification de cet envoi est écoulé : envoyez moins de fichiers à la fois, "
    "ou des fichiers plus légers, puis réessayez."
)

_process_slots = threading.BoundedSemaphore(PROCESS_SLOTS)
_SIZE = re.compile(rb"/Size[ \t\r\n\f\x00]*(\d{1,12})")
_OBJSTM = re.compile(rb"/Type[ \t\r\n\f\x00]*/ObjStm(?![A-Za-z0-9])")
_OBJSTM_N = re.compile(rb"/N[ \t\r\n\f\x00]*(\d{1,12})(?![0-9]|[ \t\r\n\f\x00]+\d+[ \t\r\n\f\x00]+R)")


def declared_objects(content: bytes) -> int:
    """How many objects the raw bytes of a PDF declare, by the largest of three counts that need no
    parsing: the largest /Size of a trailer or cross-reference stream, the objects written in the
    file (`n g obj … endobj`: each holds « obj » twice, counted with bytes.count, which is much
    faster than a regular expression), and the objects announced (/N) by object streams, whose
    objects have no header of their own."""
    sizes = [int(size) for size in _SIZE.findall(content)]
    in_streams = 0
    for stream in _OBJSTM.finditer(content):
        # The /N of this object stream's dictionary: dictionaries are short, so it lies near /Type.
        window = content[max(stream.start() - 300, 0) : stream.end() + 300]
        in_streams += max((int(n) for n in _OBJSTM_N.findall(window)), default=0)
    return max([content.count(b"obj") // 2, in_streams, *sizes])


class _Slot:
    """One of MACHINE_SLOTS lock files, held from acquire() to release(); `running` and `peak`
    count the probes this process runs at once (for the operations page and the tests)."""

    running = 0
    peak = 0
    _lock = threading.Lock()

    @classmethod
    @contextlib.contextmanager
    def held(cls, *, until: float):
        if not _process_slots.acquire(timeout=max(until - time.monotonic(), 0)):
            raise Refusal(BUSY, of_the_file=False)
        try:
            with cls._machine_slot(until=until):
                with cls._lock:
                    cls.running += 1
                    cls.peak = max(cls.peak, cls.running)
                try:
                    yield
                finally:
                    with cls._lock:
                        cls.running -= 1
        finally:
            _process_slots.release()

    @staticmethod
    @contextlib.contextmanager
    def _machine_slot(*, until: float):
        SLOTS_DIR.mkdir(mode=0o700, exist_ok=True)
        while True:
            for number in range(MACHINE_SLOTS):
                descriptor = os.open(SLOTS_DIR / f"slot-{number}", os.O_RDWR | os.O_CREAT, 0o600)
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    os.close(descriptor)
                    continue
                try:
                    yield
                finally:
                    os.close(descriptor)  # closing the last descriptor releases the lock
                return
            if time.monotonic() >= until:
                raise Refusal(BUSY, of_the_file=False)
            time.sleep(0.05)


def probes_running() -> tuple[int, int]:
    """(probes running now, most at once since the process started) in this process."""
    return _Slot.running, _Slot.peak


def pdf_inspect(content: bytes, *, max_pages: int, deadline: float | None = None) -> int:
    """The page count of a PDF that is neither encrypted, active (JavaScript, launch actions,
    embedded files, rich media, XFA, form submission, links to other files, data import, sound or
    movie), a polyglot, damaged, longer than `max_pages`, nor declaring more objects than such a
    document needs; raises Refusal otherwise, also when the probe runs out of its time or memory,
    when no probe slot frees within SLOT_WAIT seconds, or when `deadline` (time.monotonic()) has
    passed before the verdict."""
    complex_ = Refusal(
        "ce PDF est trop complexe pour être vérifié : enregistrez-le à nouveau (« Imprimer en PDF ») "
        "ou allégez-le, puis réessayez."
    )
    most = OBJECTS_PER_PAGE * max_pages + OBJECTS_BASE
    if (declared := declared_objects(content)) > most:
        raise Refusal(
            f"ce PDF déclare {figure(declared)} objets, bien plus qu'un document de {max_pages} pages n'en "
            "demande : enregistrez-le à nouveau (« Imprimer en PDF ») ou allégez-le, puis réessayez."
        )
    now = time.monotonic()
    deadline = now + TIMEOUT + SLOT_WAIT if deadline is None else deadline
    if now >= deadline:
        raise Refusal(OUT_OF_TIME, of_the_file=False)
    with _Slot.held(until=min(now + SLOT_WAIT, deadline)):
        timeout = min(TIMEOUT, deadline - time.monotonic())
        if timeout <= 0:
            raise Refusal(OUT_OF_TIME, of_the_file=False)
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
                    str(most),
                ],
                input=content,
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            if timeout < TIMEOUT:  # the request's budget ran out, not the file's own time
                raise Refusal(OUT_OF_TIME, of_the_file=False) from exc
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
