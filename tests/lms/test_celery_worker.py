"""A real Celery worker against Redis runs a task queued by the project's own Celery app."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis

BASE_DIR = Path(__file__).resolve().parents[2]


def _redis_url() -> str:
    """REDIS_URL, which must answer; without it the test is skipped, except in CI."""
    url = os.environ.get("REDIS_URL")
    if not url:
        if os.environ.get("CI_REQUIRE_SERVICES"):
            pytest.fail("REDIS_URL is required in CI (CI_REQUIRE_SERVICES is set)")
        pytest.skip("REDIS_URL is not set (CI always runs this test)")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.fail(f"REDIS_URL is set but Redis does not answer at {url}")
    return url


@pytest.fixture
def project_app_sends_to_redis(monkeypatch):
    """The project's app (lms.celery.app), as the web process uses it with REDIS_URL: the test
    settings run tasks in-process, so only that switch is turned off here."""
    url = _redis_url()
    from lms.celery import app

    assert app.conf.broker_url == url and app.conf.result_backend == url
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    return app


@pytest.mark.worker
def test_worker_sends_queued_email(tmp_path, project_app_sends_to_redis):
    """An email task queued by the application is picked up by a real worker process, which sends it."""
    from lms.tasks import send_email

    app = project_app_sends_to_redis
    assert send_email.app is app
    url = app.conf.broker_url
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DEBUG": "false",
        "REDIS_URL": url,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "lms",
            "worker",
            "-Q",
            queue,
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        result = send_email.apply_async(
            queue=queue,
            kwargs={"subject": "Test du worker", "body": "Bonjour", "to": ["apprenant@exemple.fr"]},
        )
        assert result.get(timeout=60) == 1
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0].decode(errors="replace")
    sent = list(tmp_path.iterdir())
    assert len(sent) == 1, output
    assert "Subject: Test du worker" in sent[0].read_text()
