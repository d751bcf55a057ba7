"""`manage.py load_demo` refuses to run outside development and test settings."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from lms.models import User

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
@override_settings(DEMO_DATA_ALLOWED=False)
def test_refused_when_settings_do_not_allow_demo_data():
    """Settings without DEMO_DATA_ALLOWED make the command fail with a French reason and create no account."""
    with pytest.raises(CommandError, match="jamais en production"):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.exists()


@pytest.mark.django_db
@override_settings(SETTINGS_MODULE="lms.settings.production")
def test_refused_under_production_settings_module_even_if_flag_copied():
    """The production settings module is refused even if DEMO_DATA_ALLOWED was copied into it."""
    with pytest.raises(CommandError, match="jamais en production"):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.exists()


def test_refused_by_manage_py_with_production_settings(tmp_path):
    """`manage.py load_demo` under production settings fails, says why and never opens the database."""
    database = tmp_path / "prod.sqlite3"
    result = subprocess.run(
        [sys.executable, "manage.py", "load_demo"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lms.settings.production",
            "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdef",
            "ALLOWED_HOSTS": "cls.example.fr",
            "SITE_BASE_URL": "https://cls.example.fr",
            "REDIS_URL": "redis://127.0.0.1:6379/3",
            "DATABASE_URL": f"sqlite:///{database}",
        },
    )
    assert result.returncode != 0
    assert "jamais en production" in result.stderr, result.stderr
    assert not database.exists()
