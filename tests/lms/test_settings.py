import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )


def test_production_settings_pass_deploy_checks():
    """With the documented variables set, `check --deploy` reports no warning at all."""
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        SECRET_KEY="x" * 20 + "a-long-random-production-secret-key-0123456789",
        ALLOWED_HOSTS="cls.example.fr",
        REDIS_URL="redis://127.0.0.1:6379/0",
        SITE_BASE_URL="https://cls.example.fr",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _without(*names):
    return {k: v for k, v in os.environ.items() if k not in names}


def test_wsgi_defaults_to_production_settings():
    """`gunicorn lms.wsgi` with no DJANGO_SETTINGS_MODULE runs production settings, not dev."""
    code = (
        "import lms.wsgi; from django.conf import settings; "
        "print(settings.SETTINGS_MODULE, settings.DEBUG, settings.SESSION_COOKIE_SECURE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        env={
            **_without("DJANGO_SETTINGS_MODULE", "DEBUG"),
            "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
            "ALLOWED_HOSTS": "cls.example.fr",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "SITE_BASE_URL": "https://cls.example.fr",
        },
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["lms.settings.production", "False", "True"]


def test_manage_py_defaults_to_dev_settings():
    """`manage.py` with no DJANGO_SETTINGS_MODULE runs the development settings."""
    code = "from django.conf import settings; print(settings.SETTINGS_MODULE)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        env=_without("DJANGO_SETTINGS_MODULE"),
        timeout=120,
    )
    assert result.stdout.split() == ["lms.settings.dev"], result.stderr


def test_importing_the_celery_app_chooses_no_settings_module():
    """Importing `lms` (and its Celery app) leaves DJANGO_SETTINGS_MODULE to the entry point."""
    code = "import os, lms; print(os.environ.get('DJANGO_SETTINGS_MODULE', 'unset'))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        env=_without("DJANGO_SETTINGS_MODULE"),
        timeout=120,
    )
    assert result.stdout.split() == ["unset"], result.stderr


def test_production_refuses_to_start_without_redis_url():
    """Production settings refuse a missing REDIS_URL: rate limits and daily jobs need Redis."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        env={
            **_without("REDIS_URL"),
            "DJANGO_SETTINGS_MODULE": "lms.settings.production",
            "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
            "ALLOWED_HOSTS": "cls.example.fr",
        },
        timeout=120,
    )
    assert result.returncode != 0
    assert "REDIS_URL must be set in production" in result.stderr


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "lms.settings.production",
    "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
    "ALLOWED_HOSTS": "cls.example.fr",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


@pytest.mark.parametrize("value", [None, "", "http://cls.example.fr", "cls.example.fr", "https://"])
def test_production_refuses_to_start_without_an_https_site_base_url(value):
    """Production refuses a missing, plain-http or host-less SITE_BASE_URL (invitation links carry a
    password key) instead of falling back to the development address."""
    env = {**_without("SITE_BASE_URL", "WAGTAILADMIN_BASE_URL"), **PRODUCTION_ENV}
    if value is not None:
        env["SITE_BASE_URL"] = value
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SITE_BASE_URL must be set in production to the site's public https:// address" in result.stderr


def test_production_links_and_admin_base_url_follow_site_base_url():
    """With SITE_BASE_URL=https://…, email links and Wagtail's admin base URL use it (trailing slash
    dropped), whatever WAGTAILADMIN_BASE_URL says."""
    code = "from django.conf import settings as s; print(s.SITE_BASE_URL, s.WAGTAILADMIN_BASE_URL)"
    env = {
        **os.environ,
        **PRODUCTION_ENV,
        "SITE_BASE_URL": "https://cls.example.fr/",
        "WAGTAILADMIN_BASE_URL": "http://127.0.0.1:8000",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.stdout.split() == ["https://cls.example.fr", "https://cls.example.fr"], result.stderr


def test_production_refuses_to_start_without_secret_key():
    """Production settings refuse a missing SECRET_KEY rather than fall back to a dev key."""
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        env={**env, "DJANGO_SETTINGS_MODULE": "lms.settings.production"},
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_celery_runs_in_process_without_redis():
    """Without REDIS_URL, tasks run in-process; with it, Redis is broker and result backend."""
    code = "from django.conf import settings as s; print(s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL)"
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    local = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        env={**env, "DJANGO_SETTINGS_MODULE": "lms.settings.dev"},
        timeout=120,
    )
    assert local.stdout.split() == ["True", "memory://"], local.stderr
    remote = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
            "REDIS_URL": "redis://127.0.0.1:6379/3",
        },
        timeout=120,
    )
    assert remote.stdout.split() == ["False", "redis://127.0.0.1:6379/3"], remote.stderr


def test_every_beat_job_names_a_registered_task():
    """Each periodic job in CELERY_BEAT_SCHEDULE names a task the worker knows."""
    from django.conf import settings

    from lms.celery import app

    app.loader.import_default_modules()
    for job in settings.CELERY_BEAT_SCHEDULE.values():
        assert job["task"] in app.tasks, job["task"]
