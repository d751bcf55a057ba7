"""A missing Chromium skips the browser tests on a developer's machine but fails them in CI."""

import pytest

from tests.browser.conftest import require_chromium

MISSING = "/nonexistent/chromium"


def test_missing_chromium_fails_when_ci_requires_services(monkeypatch):
    """With CI_REQUIRE_SERVICES set, a missing Chromium is a failure, not a skip."""
    monkeypatch.setenv("CI_REQUIRE_SERVICES", "1")
    with pytest.raises(pytest.fail.Exception, match="required in CI"):
        require_chromium(MISSING)


def test_missing_chromium_skips_outside_ci(monkeypatch):
    """Without CI_REQUIRE_SERVICES, a missing Chromium skips the browser tests."""
    monkeypatch.delenv("CI_REQUIRE_SERVICES", raising=False)
    with pytest.raises(pytest.skip.Exception, match="Chromium not found"):
        require_chromium(MISSING)
