"""Browser tests: Debian Chromium driven by Playwright against pytest-django's live server.

Every test here uses ``live_server``, hence a transactional database: the data is built inside each
test (``browser_programme``), never with the module-scoped ``programme`` fixture of
``tests/conftest.py`` (it holds a transaction open, which the live server thread would wait on).
The database is flushed after each transactional test, which also removes the rows Wagtail's
migrations create (root page, locale, root collection): ``browser_programme`` recreates them
before building, and they are put back after each module for the tests that run after these.
``serialized_rollback`` is not used: it costs seconds a run and leaves the database empty after the
last test.

Playwright's sync API runs an asyncio event loop in the test thread, so Django's ORM calls made
from the test (factories, assertions, pytest-django's flush) need ``DJANGO_ALLOW_ASYNC_UNSAFE``.
It is set only while a browser module runs (``_async_unsafe_allowed``), not at import: set for
the whole session it leaks into subprocesses of other tests (``manage.py check --deploy`` then
fails with async.E001 in tests/lms/test_settings.py).
"""

from __future__ import annotations

import os
import shutil

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from tests.factories import (
    PASSWORD,
    CohortFactory,
    EnrolmentFactory,
    RegionFactory,
    build_programme,
    ensure_wagtail_base_rows,
    modules_of,
)

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def _async_unsafe_allowed():
    """DJANGO_ALLOW_ASYNC_UNSAFE=true while this module's browser is alive, restored after."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE", "true"))
        yield


def require_chromium(path: str = CHROMIUM) -> None:
    """Return if Chromium is installed at `path`; otherwise skip the browser tests on a developer's
    machine, and fail them in CI (CI_REQUIRE_SERVICES), where a missing browser must not pass."""
    if shutil.which(path) or os.path.exists(path):
        return
    message = f"Chromium not found at {path} (apt-get install -y chromium)"
    if os.environ.get("CI_REQUIRE_SERVICES"):
        pytest.fail(f"{message}: the browser tests are required in CI", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser(_async_unsafe_allowed):
    """Debian's Chromium (never a downloaded one), started once per test module."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module", autouse=True)
def _wagtail_base_rows_restored(_async_unsafe_allowed, django_db_blocker):
    """After the flush that ends the module's last test, put back the rows Wagtail's migrations
    create (root page, locale, root collection), so that the tests pytest-django runs after the
    transactional ones (those not requesting ``db``, e.g. tests/bench, which build a programme in
    a module-scoped fixture) find the database as migrations left it. Module-scoped because
    pytest-django's own autouse helper flushes after any function-scoped fixture of ours."""
    yield
    with django_db_blocker.unblock():
        ensure_wagtail_base_rows()


@pytest.fixture(autouse=True)
def _browser_db(_async_unsafe_allowed, live_server):
    """Every browser test runs against the live server; the cache (rate limits, heartbeats, Wagtail
    site root paths) is cleared so that tests do not see each other's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    yield page
    page.close()


@pytest.fixture
def browser_programme():
    """Home → programme → 7 modules with lessons (tests/factories.build_programme), in this test."""
    ensure_wagtail_base_rows()
    return build_programme()


@pytest.fixture
def browser_modules(browser_programme):
    return modules_of(browser_programme)


@pytest.fixture
def browser_cohort(browser_programme):
    region = RegionFactory(name="Bretagne", slug="bretagne")
    return CohortFactory(programme=browser_programme, region=region, name="Bretagne 2026")


@pytest.fixture
def browser_enrolment(browser_cohort):
    return EnrolmentFactory(cohort=browser_cohort)


@pytest.fixture
def sign_in(context, live_server):
    """Sign a user in by giving the browser a session cookie (fast path; the journey test signs in
    through the real login form instead)."""

    def _sign_in(user):
        client = Client()
        client.force_login(user)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        return user

    return _sign_in


_AXE = None
BLOCKING_IMPACTS = ("serious", "critical")


def serious_violations(page) -> list[dict]:
    """Run axe-core on the page as it is now; return the « serious » and « critical » violations."""
    global _AXE
    from axe_playwright_python.sync_playwright import Axe

    if _AXE is None:
        _AXE = Axe()
    violations = _AXE.run(page).response["violations"]
    if os.environ.get("AXE_REPORT_ALL"):
        for v in violations:
            print(f"[axe] {page.url} {v['id']} [{v['impact']}] {v['help']} ({len(v['nodes'])} nodes)")
    return [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]


def describe_violations(violations: list[dict], where: str) -> str:
    """One line per rule: id, impact, help text, and the CSS targets of the offending nodes."""
    lines = [f"axe: {len(violations)} serious/critical violation(s) on {where}"]
    for v in violations:
        targets = ", ".join(" ".join(map(str, node["target"])) for node in v["nodes"])
        lines.append(f"  - {v['id']} [{v['impact']}] {v['help']} — {targets}")
    return "\n".join(lines)


def assert_no_serious_violations(page, *, label: str | None = None) -> None:
    """Fail, listing id/impact/help/targets, if axe finds a serious or critical violation."""
    violations = serious_violations(page)
    if violations:
        pytest.fail(describe_violations(violations, label or page.url), pytrace=False)


__all__ = ["PASSWORD", "assert_no_serious_violations", "describe_violations", "serious_violations"]
