"""A real Celery worker against Redis runs a task queued by the application."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from celery import Celery

BASE_DIR = Path(__file__).resolve().parents[2]


def _redis_url() -> str | None:
    """REDIS_URL when set (CI), else a local Redis if one answers; None otherwise."""
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI_REQUIRE_SERVICES"):
            pytest.fail(f"Redis is required in CI and does not answer at {url}")
        return None
    return url


@pytest.mark.worker
def test_worker_sends_queued_email(tmp_path):
    """An email task sent to Redis is picked up by a real worker process, which sends the email."""
    url = _redis_url()
    if url is None:
        pytest.skip("no Redis server answers on this machine (CI always runs this test)")
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
    # A client app of its own: the test settings make the project's app run tasks in-process.
    client = Celery("lms-test-client", broker=url, backend=url)
    try:
        result = client.send_task(
            "lms.tasks.send_email",
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
