"""`make bench`: seed the bench database, serve it with gunicorn, load the learner pages, the forum
pages (space list, a space, the 1,000-post thread's first and last pages, and the trainers'
unanswered questions), the staff pages of the 500-learner cohort, the trainer's « À corriger » and
the team's board of that cohort's 500 mémoires, then time a 1,000-line bulk import, a procès-verbal
PDF and a similarity check against 1,000 documents in-process.

The bench never touches the developer's database: it uses bench/data/bench.sqlite3, or the
PostgreSQL database named by BENCH_DATABASE_URL (created if missing), and hands that URL to
every process it starts as DATABASE_URL. Everything talks to 127.0.0.1 only; every loop is
bounded in count and in time; the gunicorn it starts is always stopped, by its own pid.

Options (flags win over environment variables):
  --learners N     BENCH_LEARNERS     learners in the data set (default 2000)
  --requests N     BENCH_REQUESTS     measured requests per page (default 300)
  --concurrency N  BENCH_CONCURRENCY  concurrent clients (default 8)
  --staff-requests N     BENCH_STAFF_REQUESTS     measured requests per staff page (default 60)
  --staff-concurrency N  BENCH_STAFF_CONCURRENCY  concurrent clients on staff pages (default 4)
  --reseed                            drop the bench database and build it again
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import math
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "bench"
DATA_DIR = BENCH_DIR / "data"
RESULTS = BENCH_DIR / "RESULTS.md"
SETTINGS = "bench.settings"

WORKERS = 2
THREADS = 4
PAGE_TIME_LIMIT = 120.0  # seconds: a page's measurement stops there, whatever is left
REQUEST_TIMEOUT = 30.0
READY_TIMEOUT = 60.0
SESSION_SAMPLE = 200
IMPORT_LINES = 1000
#: How many earlier documents the similarity check is timed against.
SIMILARITY_DOCUMENTS = 1000
IMPORT_HEADER = "Nom;Prénom;E-mail;Employeur;Fonction;Date accord ARS;Date accord employeur"


@dataclass
class PageResult:
    name: str
    path: str
    requested: int
    concurrency: int = 0
    staff: bool = False  # signed in as the bench ARS staff of the large cohort's region
    trainer: bool = False  # signed in as the bench trainer (bench.seed.forum_trainer)
    team: bool = False  # signed in as the bench member of the pedagogical team
    latencies_ms: list[float] = field(default_factory=list, repr=False)
    statuses: Counter = field(default_factory=Counter)
    wall_s: float = 0.0
    aborted: bool = False
    queries: int | None = None
    queries_cold: int | None = None
    inprocess_status: int | None = None
    inprocess_error: str = ""

    @property
    def done(self) -> int:
        return len(self.latencies_ms)

    @property
    def errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status != 200)

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        return ordered[max(0, math.ceil(q * len(ordered)) - 1)]

    @property
    def throughput(self) -> float:
        return self.done / self.wall_s if self.wall_s else 0.0

    def row(self) -> dict:
        return {
            "page": f"{self.name} `{self.path}`",
            "p50": self.percentile(0.50),
            "p95": self.percentile(0.95),
            "max": max(self.latencies_ms, default=float("nan")),
            "rps": self.throughput,
            "errors": self.errors,
            "done": self.done,
            "requested": self.requested,
            "concurrency": self.concurrency,
            "staff": self.staff,
            "trainer": self.trainer,
            "team": self.team,
            "aborted": self.aborted,
            "statuses": {str(k): v for k, v in self.statuses.items()},
            "queries": self.queries,
            "queries_cold": self.queries_cold,
            "inprocess_status": self.inprocess_status,
            "inprocess_error": self.inprocess_error,
        }


# --- Options and the bench database -------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    env = os.environ
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=int(env.get("BENCH_LEARNERS", 2000)))
    parser.add_argument("--requests", type=int, default=int(env.get("BENCH_REQUESTS", 300)))
    parser.add_argument("--concurrency", type=int, default=int(env.get("BENCH_CONCURRENCY", 8)))
    parser.add_argument("--staff-requests", type=int, default=int(env.get("BENCH_STAFF_REQUESTS", 60)))
    parser.add_argument("--staff-concurrency", type=int, default=int(env.get("BENCH_STAFF_CONCURRENCY", 4)))
    parser.add_argument("--reseed", action="store_true", help="drop and rebuild the bench database")
    args = parser.parse_args(argv)
    for name in ("learners", "requests", "concurrency", "staff_requests", "staff_concurrency"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    return args


def bench_database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL", "").strip()
    if url:
        host = urlsplit(url).hostname
        if host not in {"127.0.0.1", "localhost", "::1", None, ""}:
            raise SystemExit(f"BENCH_DATABASE_URL must point at this machine, not {host}.")
        return url
    return f"sqlite:///{DATA_DIR / 'bench.sqlite3'}"


def is_postgres(url: str) -> bool:
    return urlsplit(url).scheme in {"postgres", "postgresql", "pgsql", "postgis"}


def masked(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def _pg_admin(url: str):
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name:
        raise SystemExit("BENCH_DATABASE_URL must name a database, e.g. …/cls_bench.")
    conn = psycopg.connect(
        dbname="postgres",
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        autocommit=True,
        connect_timeout=10,
    )
    return conn, name


def database_prepare(url: str, *, reseed: bool) -> None:
    """Create the bench database if missing; drop it first when `reseed`."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    if not is_postgres(url):
        path = Path(urlsplit(url).path)
        if reseed:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    from psycopg import sql

    conn, name = _pg_admin(url)
    with conn:
        if reseed:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"  created PostgreSQL database {name}")


# --- Seeding, sessions, pages (in-process Django) -----------------------------------------------


def django_setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    if str(BASE_DIR) not in sys.path:
        sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def seed_step(args: argparse.Namespace, engine_key: str) -> dict:
    from django.core.management import call_command

    from bench import seed as bench_seed

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrate_s = time.perf_counter() - started
    existing = bench_seed.bench_learners().count()
    meta_path = DATA_DIR / f"seed-{engine_key}.json"
    if existing >= args.learners:
        previous = json.loads(meta_path.read_text()) if meta_path.exists() else {}
        print(f"  seed: skipped, {existing} bench learners already there (--reseed to rebuild)")
        # A bench database built before the forum was seeded gets its forum now (once).
        forum = bench_seed.forum_seed(programme=bench_seed.content_ensure())
        if forum.created:
            print(f"  seed forum: {forum.rows} in {sum(forum.timings.values()):.1f} s")
        bench_seed.memoires_seed()
        return {"skipped": True, "learners": existing, "migrate_s": migrate_s, "previous": previous}
    stats = bench_seed.seed(learners=args.learners)
    bench_seed.memoires_seed()
    total = time.perf_counter() - started
    meta = {
        "skipped": False,
        "learners": stats.total,
        "created": stats.created,
        "seconds": total,
        "migrate_s": migrate_s,
        "timings": stats.timings,
        "rows": stats.rows,
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
    }
    meta_path.write_text(json.dumps(meta, indent=2))
    print(f"  migrate: {migrate_s:.1f} s")
    for step, seconds in stats.timings.items():
        print(f"  seed {step}: {seconds:.1f} s")
    print(f"  seed rows: {stats.rows}")
    print(f"  seed total (migrate included): {total:.1f} s")
    return meta


def sessions_create(sample: int) -> list[tuple[int, str]]:
    """Signed-in sessions for a random sample of bench learners, written straight to the session
    store (no HTTP login): (user id, session key) pairs."""
    from importlib import import_module

    from django.conf import settings
    from django.db import transaction

    from bench.seed import bench_learners

    store = import_module(settings.SESSION_ENGINE).SessionStore
    store.clear_expired()
    ids = list(bench_learners().filter(enrolments__isnull=False).values_list("pk", flat=True))
    chosen = random.Random(7).sample(ids, k=min(sample, len(ids)))
    with transaction.atomic():
        return [(user.pk, session_create(user)) for user in bench_learners().filter(pk__in=chosen)]


def session_create(user) -> str:
    """A signed-in session for `user` in the session store; its key."""
    from importlib import import_module

    from django.conf import settings

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.set_expiry(3600)
    session.create()
    return session.session_key


def staff_session_create() -> tuple[dict, int, str]:
    """The large cohort, and a signed-in session for the bench ARS staff of its region:
    (cohort facts, staff user id, session key)."""
    from bench.seed import large_cohort, staff_of

    cohort = large_cohort()
    staff = staff_of(cohort)
    cohort_info = {
        "id": cohort.pk,
        "name": cohort.name,
        "region": cohort.region.name,
        "learners": cohort.enrolments.count(),
        "capacity": cohort.capacity,
        "staff": staff.email,
    }
    return cohort_info, staff.pk, session_create(staff)


def trainer_session_create() -> tuple[int, str]:
    """A signed-in session for the bench trainer: (user id, session key)."""
    from bench.seed import forum_trainer

    trainer = forum_trainer()
    return trainer.pk, session_create(trainer)


def team_session_create() -> tuple[int, str]:
    """A signed-in session for the bench member of the pedagogical team: (user id, session key)."""
    from bench.seed import pedagogical_user

    team = pedagogical_user()
    return team.pk, session_create(team)


def assessment_pages_pick(cohort_id: int) -> list[tuple[str, str, str]]:
    """(name, path, who) of the measured assessment pages: the trainer's grouped « À corriger »
    (tutees' drafts, mémoires to mark, reconciliations) and the team's mémoire board of the large
    cohort (500 mémoires, first page of 50)."""
    from django.urls import reverse

    return [
        ("trainer « À corriger »", reverse("queue:grouped"), "trainer"),
        ("team mémoire board, 500 mémoires", f"{reverse('board:memoires')}?cohort={cohort_id}", "team"),
    ]


def assessment_timings() -> dict:
    """In-process timings: one PV PDF (reportlab, with a drawn signature), and the similarity check
    of a 20-page mémoire (8,000 words) against 1,000 earlier documents (seeded once)."""
    import io
    from decimal import Decimal

    from PIL import Image, ImageDraw

    from assessments.similarity.bench import seed_documents, time_check
    from assessments.similarity.models import IndexedDocument
    from assessments.soutenance.pdf import pv_pdf

    image = Image.new("RGB", (400, 120), "white")
    ImageDraw.Draw(image).line([(20, 90), (120, 30), (220, 95), (380, 25)], fill="black", width=4)
    png = io.BytesIO()
    image.save(png, "PNG")
    now = datetime.datetime.now(datetime.UTC)
    started = time.perf_counter()
    runs = 5
    for _ in range(runs):
        pdf = pv_pdf(
            learner="Camille Le Goff",
            title="Installer un conseil local de santé mentale dans un CLS rural",
            cohort="Promotion banc d'essai 500",
            held_at=now,
            zone="Europe/Paris",
            president="Président·e du jury",
            members=["Membre du jury 1", "Membre du jury 2"],
            written_mark=Decimal("13.5"),
            oral_mark=Decimal("15"),
            final_mark=Decimal("14"),
            written_weight=60,
            oral_weight=40,
            result="admitted",
            corrections="",
            new_deadline=None,
            signature_png=png.getvalue(),
            signed_at=now,
        )
    pv_s = (time.perf_counter() - started) / runs
    existing = IndexedDocument.objects.filter(kind="submission").count()
    if existing < SIMILARITY_DOCUMENTS:
        seeding = time.perf_counter()
        seed_documents(SIMILARITY_DOCUMENTS - existing)
        print(
            f"  similarity: {SIMILARITY_DOCUMENTS - existing} documents seeded "
            f"in {time.perf_counter() - seeding:.1f} s"
        )
    documents = IndexedDocument.objects.count()
    return {"pv_pdf_s": pv_s, "pv_pdf_bytes": len(pdf), "similarity_s": time_check(), "documents": documents}


def forum_pages_pick() -> list[tuple[str, str, bool]]:
    """(name, path, as the trainer) of the measured forum pages: the space list and the general
    space for a learner, the long thread's first and last pages (a core module's space, which
    every learner reads), and the unanswered questions for the bench trainer."""
    from django.urls import reverse

    from bench.seed import long_thread
    from forum.enums import SpaceKind
    from forum.threads.models import Space
    from forum.threads.views import POSTS_PER_PAGE

    general = Space.objects.filter(kind=SpaceKind.GENERAL).order_by("pk").first()
    thread = long_thread()
    posts = thread.posts.count()
    url = reverse("forum:thread_detail", kwargs={"slug": thread.space.slug, "thread_id": thread.pk})
    last = max(1, math.ceil(posts / POSTS_PER_PAGE))
    return [
        ("forum space list", reverse("forum:space_list"), False),
        ("forum space", reverse("forum:space_detail", kwargs={"slug": general.slug}), False),
        (f"thread of {posts:,} posts, first page", url, False),
        (f"thread of {posts:,} posts, last page", f"{url}?page={last}", False),
        ("unanswered questions (trainer)", reverse("forum:animation_unanswered"), True),
    ]


def pages_pick() -> list[tuple[str, str]]:
    """(name, path) of the measured pages: a core module and its first lesson, which every
    learner follows."""
    from courses.catalogue.models import LessonPage, ModulePage, ProgrammePage
    from courses.enums import ModuleKind

    programme = ProgrammePage.objects.live().order_by("pk").first()
    module = (
        ModulePage.objects.live()
        .child_of(programme)
        .filter(kind=ModuleKind.CORE)
        .order_by("number", "title")
        .first()
    )
    lesson = LessonPage.objects.live().child_of(module).order_by("path").first()
    return [
        ("bare view", "/bench/bare/"),
        ("learner dashboard", "/mon-espace/"),
        ("module page", urlsplit(module.url).path),
        ("lesson page", urlsplit(lesson.url).path),
    ]


def staff_pages_pick(cohort_id: int) -> list[tuple[str, str]]:
    """(name, path) of the large cohort's progress page and its two exports."""
    from django.urls import reverse

    return [
        ("cohort progress", reverse("staff:cohort_detail", kwargs={"cohort_id": cohort_id})),
        ("CSV export", reverse("staff:cohort_export", kwargs={"cohort_id": cohort_id, "fmt": "csv"})),
        ("XLSX export", reverse("staff:cohort_export", kwargs={"cohort_id": cohort_id, "fmt": "xlsx"})),
    ]


def queries_count(result: PageResult, user_id: int) -> None:
    """Render the page in-process for one user and count its queries (the second render,
    caches warm, and the first one)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from lms.models import User

    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(pk=user_id))
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(result.path)
        counts.append(len(ctx.captured_queries))
    result.queries_cold, result.queries = counts
    result.inprocess_status = response.status_code
    exc_info = getattr(response, "exc_info", None)
    if exc_info:
        result.inprocess_error = f"{exc_info[0].__name__}: {exc_info[1]}"[:300]


def import_content(stamp: str, lines: int = IMPORT_LINES) -> bytes:
    """A semicolon CSV as ARS staff export it from their spreadsheet: `lines` new learners,
    emails unique to `stamp`."""
    from bench.seed import FIRST_NAMES, LAST_NAMES

    rng = random.Random(stamp)
    employers = ["Mairie de Rennes", "CCAS de Cayenne", "Communauté d'agglomération du Pays Basque"]
    jobs = ["Coordinateur·rice CLS", "Chargé·e de mission santé", "Animateur·rice territorial·e"]
    rows = [IMPORT_HEADER]
    for i in range(lines):
        ars = datetime.date(2025, 6, 2) + datetime.timedelta(days=rng.randint(0, 60))
        employer = ars + datetime.timedelta(days=rng.randint(0, 20))
        rows.append(
            ";".join(
                [
                    rng.choice(LAST_NAMES),
                    rng.choice(FIRST_NAMES),
                    f"bench-import-{stamp}-{i:04d}@exemple.fr",
                    rng.choice(employers),
                    rng.choice(jobs),
                    ars.strftime("%d/%m/%Y"),
                    employer.strftime("%d/%m/%Y"),
                ]
            )
        )
    return ("\r\n".join(rows) + "\r\n").encode("utf-8")


def import_time(cohort_info: dict, lines: int = IMPORT_LINES) -> dict:
    """Time a bulk import of `lines` new learners into a fresh cohort of the large cohort's
    region, as its bench ARS staff, in-process: (a) enrolment_import_create, reading and storing
    the file, (b) enrolment_import_confirm, creating the accounts and enrolments up to the commit,
    the invitations only queued (the on-commit callbacks are held back, not run), then (c) the
    invitations: the held callbacks run, which with no REDIS_URL (Celery eager) sends them
    in-process to the locmem email backend, and otherwise queues them to the broker. So (b) is the
    import itself, and (c) what the worker would do. Names are stamped with the time, so a re-run
    never collides."""
    from django.conf import settings
    from django.core import mail
    from django.db import connection, transaction
    from django.test.utils import override_settings

    from bench.seed import staff_of
    from courses.cohorts import services as cohorts_services
    from courses.cohorts.models import Cohort

    large = Cohort.objects.select_related("region").get(pk=cohort_info["id"])
    staff = staff_of(large)
    stamp = datetime.datetime.now().strftime("%Y%m%d%H%M%S")
    cohort = Cohort.objects.create(
        programme_id=large.programme_id,
        region=large.region,
        name=f"Promotion import banc d'essai {stamp}",
        start_date=large.start_date,
        end_date=large.end_date,
        capacity=lines,
    )
    content = import_content(stamp, lines)
    out = {
        "lines": lines,
        "bytes": len(content),
        "cohort": cohort.name,
        "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    }
    queries = [0]

    def counted(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    try:
        with connection.execute_wrapper(counted):
            started = time.perf_counter()
            batch = cohorts_services.enrolment_import_create(
                cohort=cohort, filename="inscriptions-banc-d-essai.csv", content=content, by=staff
            )
            out["create_s"] = time.perf_counter() - started
            out["create_queries"] = queries[0]
            out["line_errors"] = sum(1 for row in batch.rows if row["errors"])
            queries[0] = 0
            started = time.perf_counter()
            with transaction.atomic():
                start = len(connection.run_on_commit)
                result = cohorts_services.enrolment_import_confirm(batch=batch, by=staff)
                held = invitations_hold(connection, start)
            out["result"] = {key: value for key, value in result.items() if key != "lines"}
            out["confirm_s"] = time.perf_counter() - started
            out["confirm_queries"] = queries[0]
            queries[0] = 0
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                mail.outbox = []
                started = time.perf_counter()
                for callback in held:
                    callback()
                out["send_s"] = time.perf_counter() - started
                out["emails"] = len(mail.outbox)
                mail.outbox = []
            out["send_queries"] = queries[0]
        out["total_s"] = out["create_s"] + out["confirm_s"] + out["send_s"]
        out["enrolled"] = cohort.enrolments.count()
    except Exception as exc:  # reported, not raised: the page figures are still worth writing
        out["error"] = f"{type(exc).__name__}: {exc}"[:300]
    return out


def invitations_hold(connection, start: int) -> list:
    """Take the on-commit callbacks registered in the current transaction since there were `start`
    of them (the invitation tasks queued by the import) off the connection, so that the commit
    does not run them; the caller runs them later, timed apart. Call it inside an atomic block."""
    held = [callback for _, callback, _ in connection.run_on_commit[start:]]
    del connection.run_on_commit[start:]
    return held


def database_summary() -> dict:
    from django.db import connection

    from bench.seed import bench_learners
    from courses.hours.models import HoursEntry
    from courses.learning.models import LessonActivity, LessonCompletion
    from forum.animation import selectors as animation
    from forum.threads.models import Post, Space, Thread

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            import sqlite3

            version = f"SQLite {sqlite3.sqlite_version}"
    return {
        "engine": version,
        "vendor": connection.vendor,
        "learners": bench_learners().count(),
        "ledger_rows": HoursEntry.objects.count(),
        "completions": LessonCompletion.objects.count(),
        "activity_rows": LessonActivity.objects.count(),
        "forum_spaces": Space.objects.count(),
        "forum_threads": Thread.objects.count(),
        "forum_posts": Post.objects.count(),
        "forum_waiting": animation.unanswered_threads(spaces=list(Space.objects.all())).count(),
    }


# --- gunicorn and the load --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_start(url: str, port: int, log_path: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "PYTHONUNBUFFERED": "1",
        "DEBUG": "false",
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "lms.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--chdir",
        str(BASE_DIR),
        "--workers",
        str(WORKERS),
        "--threads",
        str(THREADS),
        "--worker-class",
        "gthread",
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
        "--log-level",
        "warning",
    ]
    log = log_path.open("wb")
    try:
        return subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    finally:
        log.close()


def server_wait(proc: subprocess.Popen, port: int, log_path: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({proc.returncode}):\n{log_tail(log_path)}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bench/bare/")
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn not ready after {READY_TIMEOUT:.0f} s:\n{log_tail(log_path)}")


def server_stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


def log_tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def load(
    *,
    port: int,
    path: str,
    cookies: list[str],
    requests: int,
    concurrency: int,
    time_limit: float = PAGE_TIME_LIMIT,
    result: PageResult | None = None,
) -> PageResult:
    """`requests` GETs of `path` from `concurrency` keep-alive clients, each request with the
    session of a random learner; stops at `time_limit` seconds whatever is left."""
    from django.conf import settings

    result = result or PageResult(name=path, path=path, requested=requests)
    lock = threading.Lock()
    issued = 0
    deadline = time.monotonic() + time_limit
    cookie_name = settings.SESSION_COOKIE_NAME

    def client(seed: int) -> list[tuple[float, int | str]]:
        nonlocal issued
        rng = random.Random(seed)
        conn: http.client.HTTPConnection | None = None
        out = []
        while time.monotonic() < deadline:
            with lock:
                if issued >= requests:
                    break
                issued += 1
            headers = {"Cookie": f"{cookie_name}={rng.choice(cookies)}"}
            started = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                status: int | str = response.status
                if response.will_close:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException) as exc:
                status = type(exc).__name__
                if conn is not None:
                    conn.close()
                conn = None
            out.append(((time.perf_counter() - started) * 1000, status))
        if conn is not None:
            conn.close()
        return out

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        batches = list(pool.map(client, range(concurrency)))
    result.wall_s = time.perf_counter() - started
    for batch in batches:
        for latency, status in batch:
            result.latencies_ms.append(latency)
            result.statuses[status] += 1
    result.aborted = result.done < requests
    return result


# --- Report -----------------------------------------------------------------------------------


def fmt(value, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.{digits}f}"


def table(rows: list[dict]) -> str:
    lines = [
        "| page | p50 ms | p95 ms | max ms | req/s | errors | queries |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        errors = f"{r['errors']}/{r['done']}"
        if r["errors"]:
            errors += (
                " (" + ", ".join(f"{k}×{v}" for k, v in sorted(r["statuses"].items()) if k != "200") + ")"
            )
        if r["aborted"]:
            errors += f" — stopped at {PAGE_TIME_LIMIT:.0f} s"
        queries = "–" if r["queries"] is None else str(r["queries"])
        if r["queries_cold"] is not None and r["queries_cold"] != r["queries"]:
            queries += f" (cold {r['queries_cold']})"
        lines.append(
            f"| {r['page']} | {fmt(r['p50'])} | {fmt(r['p95'])} | {fmt(r['max'])} "
            f"| {fmt(r['rps'])} | {errors} | {queries} |"
        )
    return "\n".join(lines)


def command_used(args: argparse.Namespace, argv: list[str]) -> str:
    env_names = [
        "BENCH_DATABASE_URL",
        "BENCH_LEARNERS",
        "BENCH_REQUESTS",
        "BENCH_CONCURRENCY",
        "BENCH_STAFF_REQUESTS",
        "BENCH_STAFF_CONCURRENCY",
    ]
    prefix = " ".join(
        f"{n}={masked(os.environ[n]) if n == 'BENCH_DATABASE_URL' else os.environ[n]}"
        for n in env_names
        if os.environ.get(n)
    )
    if os.environ.get("MAKELEVEL"):
        command = "make bench" + (f" BENCH_ARGS='{' '.join(argv)}'" if argv else "")
    else:
        command = " ".join([".venv/bin/python -m bench.run", *argv]).strip()
    return f"cd /work/main && {prefix + ' ' if prefix else ''}{command}"


def forum_data(machine: dict) -> str:
    """The forum's part of the report's data line (nothing for a run made before it was seeded)."""
    if not machine.get("forum_threads"):
        return ""
    return (
        f"; forum: {machine['forum_spaces']} spaces, {machine['forum_threads']} threads "
        f"({machine['forum_waiting']} waiting for a trainer), {machine['forum_posts']} posts"
    )


def trainer_load_line(run: dict) -> str:
    if not any(r.get("trainer") for r in run["rows"]):
        return ""
    return "; the unanswered questions page is loaded with the session of the bench trainer"


def staff_load_line(run: dict) -> str:
    cohort = run.get("cohort")
    if not cohort:
        return ""
    return (
        f"; the staff pages (progress of « {cohort['name']} », {cohort['region']}, "
        f"{cohort['learners']} learners, {cohort['capacity']} places, and its CSV and XLSX exports) "
        f"are heavier: {run['staff_requests']} requests each at {run['staff_concurrency']} "
        "concurrent clients after one warm-up request per client, all with the session of the "
        f"region's bench ARS staff ({cohort['staff']})"
    )


def import_lines(imported: dict | None) -> list[str]:
    """The bulk import's paragraph of the report (nothing when the run did not time one)."""
    if not imported:
        return []
    head = (
        f"Bulk import of {imported['lines']:,} lines ({imported['bytes'] / 1024:.0f} KiB semicolon CSV, "
        f"fresh cohort « {imported['cohort']} », {imported['lines']} places), in-process as the ARS staff"
    )
    if imported.get("error"):
        return [head + f": failed — `{imported['error']}`", ""]
    invitations = (
        f"{imported['emails']} invitations sent in-process by the eager Celery task to the locmem backend"
        if imported["eager"]
        else "invitations queued to the Celery broker (REDIS_URL set), not sent"
    )
    result = imported["result"]
    queries = imported["create_queries"] + imported["confirm_queries"] + imported["send_queries"]
    return [
        head + ":",
        "",
        "| step | seconds | queries |",
        "|---|---:|---:|",
        f"| read + store (`enrolment_import_create`, {imported['line_errors']} line(s) in error) "
        f"| {imported['create_s']:.2f} | {imported['create_queries']} |",
        f"| confirm (`enrolment_import_confirm` up to its commit: {result['created']} accounts created, "
        f"{result['existing']} existing, {result['skipped']} skipped; invitations only queued) "
        f"| {imported['confirm_s']:.2f} | {imported['confirm_queries']} |",
        f"| invitations ({invitations}) | {imported['send_s']:.2f} | {imported['send_queries']} |",
        f"| total | {imported['total_s']:.2f} | {queries} |",
        "",
    ]


def report_write(run: dict) -> str:
    rows = run["rows"]
    bare = next((r for r in rows if r["page"].startswith("bare view")), None)
    machine = run["machine"]
    seed = run["seed"]
    if seed.get("skipped"):
        previous = seed.get("previous") or {}
        seed_line = (
            f"skipped this run ({seed['learners']} learners already in the bench database; "
            f"migrate check {seed['migrate_s']:.1f} s)"
        )
        if previous.get("seconds"):
            seed_line += (
                f"; the seeding that built it took {previous['seconds']:.1f} s on {previous.get('date', '?')}"
            )
    else:
        seed_line = f"{seed['seconds']:.1f} s (migrate {seed['migrate_s']:.1f} s), " + ", ".join(
            f"{k} {v:.1f} s" for k, v in seed["timings"].items()
        )
    ratios = []
    if bare and bare["p50"] and not math.isnan(bare["p50"]):
        for r in rows:
            if r is not bare and not math.isnan(r["p50"]):
                ratios.append(f"{r['page'].split(' `')[0]} ×{r['p50'] / bare['p50']:.1f}")
    out = [
        "# Bench results",
        "",
        f"- date: {run['date']}",
        f"- machine: {machine['nproc']} CPUs ({machine['platform']}), "
        f"Python {machine['python']}; 1-min load average {machine['loadavg'][0]} before the "
        f"load, {machine['loadavg'][1]} after "
        "(anything else running on the machine shows up in the figures)",
        f"- database: {machine['engine']}",
        f"- server: gunicorn {machine['gunicorn']}, {WORKERS} workers × {THREADS} threads "
        f"(gthread), settings `{SETTINGS}` (DEBUG off), on 127.0.0.1",
        f"- load: {run['concurrency']} concurrent keep-alive clients (a thread pool on the same "
        f"machine), {run['requests']} requests per page after a short warm-up, each request with "
        f"the session of a random learner among {run['sessions']} signed-in bench learners"
        + trainer_load_line(run)
        + staff_load_line(run),
        f"- data: {machine['learners']} learners, {machine['ledger_rows']} ledger rows "
        f"(HoursEntry), {machine['completions']} lesson completions, "
        f"{machine['activity_rows']} lesson-activity rows" + forum_data(machine),
        f"- seed: {seed_line}",
        f"- bench run time: {run['elapsed_s']:.0f} s",
        "",
        table(rows),
        "",
        *import_lines(run.get("import")),
        *assessment_lines(run.get("assessments")),
        "Command:",
        "",
        "```",
        run["command"],
        "```",
        "",
        "## How to read it",
        "",
        "Latencies are measured by the client, from sending the request to reading the whole "
        "response, so they include queueing when the clients outnumber the server's 8 threads "
        "on 2 processes; req/s is completed requests over the wall time of that page's run. "
        "The bare view goes through the whole middleware stack (request size limit, "
        "Content-Security-Policy, sessions, authentication, session lifetimes, allauth, "
        "two-factor requirement, Wagtail redirects), which loads the session and the signed-in "
        "user as every page does (its 2 queries; before the session lifetimes of issue 7 it ran "
        "none), but renders no template: it is "
        "the floor of what this server can do on this machine, so read each page as a ratio "
        "to it rather than in absolute milliseconds — here, at the median: "
        + (", ".join(ratios) if ratios else "no ratio available")
        + ". The queries column is counted in-process with django.test.Client for one learner, "
        "for the bench trainer on the unanswered questions page and « À corriger », "
        "for the bench member of the pedagogical team on the mémoire board, "
        "or for the ARS staff on the staff pages "
        "(the second render, caches warm; the first when it differs); it should not grow with "
        "the number of learners or ledger rows, nor with the cohort's size on the staff pages, "
        "nor with the number of threads and posts on the forum pages. "
        "The bulk import is timed in-process, without the server, after the load. "
        "Any status other than 200 counts as an error. "
        "The client threads share the 2 CPUs with gunicorn and the database, so absolute "
        "figures are pessimistic; compare runs made on the same machine and engine.",
    ]
    failures = [r for r in rows if r["inprocess_error"] or (r["inprocess_status"] not in (None, 200))]
    if failures:
        out += ["", "## Errors seen", ""]
        for r in failures:
            out.append(
                f"- {r['page']}: in-process status {r['inprocess_status']}"
                + (f" — `{r['inprocess_error']}`" if r["inprocess_error"] else "")
            )
    other = run.get("other")
    if other:
        out += [
            "",
            f"## The other engine's last run ({other['machine']['engine']}, {other['date']})",
            "",
            f"{other['machine']['learners']} learners, {other['machine']['ledger_rows']} ledger "
            f"rows{forum_data(other['machine'])}, {other['concurrency']} clients, "
            f"{other['requests']} requests per page.",
            "",
            table(other["rows"]),
            "",
            *import_lines(other.get("import")),
            "```",
            other["command"],
            "```",
        ]
    text = "\n".join(out) + "\n"
    RESULTS.write_text(text)
    return text


def assessment_lines(assessed: dict | None) -> list[str]:
    if not assessed:
        return []
    return [
        f"In-process, after the load: one procès-verbal PDF (reportlab, drawn signature) takes "
        f"**{assessed['pv_pdf_s'] * 1000:.0f} ms** ({assessed['pv_pdf_bytes']:,} bytes, mean of 5); "
        f"the similarity check of a 20-page mémoire (8,000 words) against "
        f"{assessed['documents']:,} indexed documents takes **{assessed['similarity_s'] * 1000:.0f} ms** "
        "(fingerprinting and comparison, best of 3).",
        "",
    ]


# --- Main -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that `finally` stops gunicorn
    began = time.perf_counter()
    url = bench_database_url()
    engine_key = "postgresql" if is_postgres(url) else "sqlite"
    print(f"bench database: {masked(url)}")
    database_prepare(url, reseed=args.reseed)
    django_setup(url)

    print("seeding…")
    seed_meta = seed_step(args, engine_key)
    sessions = sessions_create(SESSION_SAMPLE)
    if not sessions:
        raise SystemExit("No enrolled bench learner to sign in.")
    cookies = [key for _, key in sessions]
    cohort_info, staff_id, staff_cookie = staff_session_create()
    trainer_id, trainer_cookie = trainer_session_create()
    team_id, team_cookie = team_session_create()
    if cohort_info["learners"] == 0:
        print(f"  warning: « {cohort_info['name']} » has no learner; run with --reseed to fill it")
    pages = pages_pick()
    results = [
        PageResult(name=name, path=path, requested=args.requests, concurrency=args.concurrency)
        for name, path in pages
    ]
    results += [
        PageResult(
            name=name, path=path, requested=args.requests, concurrency=args.concurrency, trainer=trainer
        )
        for name, path, trainer in forum_pages_pick()
    ]
    results += [
        PageResult(
            name=f"{name}, {cohort_info['learners']} learners" if name == "cohort progress" else name,
            path=path,
            requested=args.staff_requests,
            concurrency=args.staff_concurrency,
            staff=True,
        )
        for name, path in staff_pages_pick(cohort_info["id"])
    ]
    results += [
        PageResult(
            name=name,
            path=path,
            requested=args.requests,
            concurrency=args.concurrency,
            trainer=who == "trainer",
            team=who == "team",
        )
        for name, path, who in assessment_pages_pick(cohort_info["id"])
    ]
    print("counting queries in-process…")
    sample_user = sessions[0][0]
    for result in results:
        user_id = (
            staff_id
            if result.staff
            else trainer_id
            if result.trainer
            else team_id
            if result.team
            else sample_user
        )
        queries_count(result, user_id)
        print(
            f"  {result.path}: {result.queries} queries, status {result.inprocess_status}"
            + (f" ({result.inprocess_error})" if result.inprocess_error else "")
        )
    summary = database_summary()
    from django.db import connections

    connections.close_all()

    load_before = os.getloadavg()[0]
    port = free_port()
    log_path = DATA_DIR / "gunicorn.log"
    print(f"starting gunicorn on 127.0.0.1:{port} ({WORKERS} workers × {THREADS} threads)…")
    proc = server_start(url, port, log_path)
    try:
        server_wait(proc, port, log_path)
        for result in results:
            page_cookies = (
                [staff_cookie]
                if result.staff
                else [trainer_cookie]
                if result.trainer
                else [team_cookie]
                if result.team
                else cookies
            )
            # The staff pages are heavy: one warm-up request per client is enough.
            warmup = result.concurrency if result.staff else min(result.requested, 4 * result.concurrency)
            load(
                port=port,
                path=result.path,
                cookies=page_cookies,
                requests=warmup,
                concurrency=result.concurrency,
                time_limit=30,
            )
            print(
                f"  {result.name}: {result.requested} requests × {result.concurrency} clients…",
                flush=True,
            )
            load(
                port=port,
                path=result.path,
                cookies=page_cookies,
                requests=result.requested,
                concurrency=result.concurrency,
                result=result,
            )
    finally:
        server_stop(proc)
    load_after = os.getloadavg()[0]
    if any(r.errors for r in results):
        print("gunicorn log (tail):\n" + log_tail(log_path, 15))

    print(f"timing a bulk import of {IMPORT_LINES} lines in-process…", flush=True)
    imported = import_time(cohort_info)
    print(
        "  "
        + (
            imported.get("error")
            or (
                f"read + store {imported['create_s']:.2f} s, confirm {imported['confirm_s']:.2f} s, "
                f"invitations {imported['send_s']:.2f} s, total {imported['total_s']:.2f} s; "
                f"{imported['result']}, "
                f"{imported['emails']} emails"
            )
        )
    )

    print("timing a PV PDF and a similarity check in-process…", flush=True)
    assessed = assessment_timings()
    print(
        f"  PV PDF {assessed['pv_pdf_s'] * 1000:.0f} ms ({assessed['pv_pdf_bytes']:,} bytes); "
        f"similarity check of 8,000 words against {assessed['documents']:,} documents "
        f"{assessed['similarity_s'] * 1000:.0f} ms"
    )

    import gunicorn

    run = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {
            "nproc": os.cpu_count(),
            "platform": platform.platform(terse=True),
            "python": platform.python_version(),
            "gunicorn": gunicorn.__version__,
            **summary,
            "loadavg": [round(load_before, 1), round(load_after, 1)],
        },
        "concurrency": args.concurrency,
        "requests": args.requests,
        "staff_concurrency": args.staff_concurrency,
        "staff_requests": args.staff_requests,
        "cohort": cohort_info,
        "import": imported,
        "assessments": assessed,
        "sessions": len(cookies),
        "seed": seed_meta,
        "rows": [r.row() for r in results],
        "command": command_used(args, argv),
        "elapsed_s": time.perf_counter() - began,
    }
    (DATA_DIR / f"last-{engine_key}.json").write_text(json.dumps(run, indent=2, default=str))
    other_path = DATA_DIR / f"last-{'sqlite' if engine_key == 'postgresql' else 'postgresql'}.json"
    if other_path.exists():
        run["other"] = json.loads(other_path.read_text())
    report_write(run)
    print()
    print(table(run["rows"]))
    print(f"\nwritten {RESULTS.relative_to(BASE_DIR)} in {run['elapsed_s']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
