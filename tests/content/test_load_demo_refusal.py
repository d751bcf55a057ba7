"""`manage.py load_demo` refuses to run outside development and test settings, and on a database
that holds accounts the demo did not make."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from wagtail.models import Page

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


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("real_accounts", "told"),
    [
        (1, "la base de données contient 1 compte qui n'a pas été créé par la démonstration"),
        (2, "la base de données contient 2 comptes qui n'ont pas été créés par la démonstration"),
    ],
)
def test_refused_on_a_database_with_real_accounts(real_accounts, told):
    """Allowed settings but a database holding accounts the demo did not make (next to a demo one):
    refused with a French message saying how many, and nothing created (no demo superuser, no page)."""
    User.objects.create_user(email="apprenante@demo.cls.fr", password="x")
    User.objects.create_superuser(email="admin@ehesp.fr", password="a-real-admin-password")
    if real_accounts == 2:
        User.objects.create_user(email="coordinatrice@ville-exemple.fr", password="x")
    before = (User.objects.count(), Page.objects.count())
    with pytest.raises(CommandError) as refused:
        call_command("load_demo", stdout=StringIO())
    assert told in str(refused.value)
    assert "ne se charge jamais sur une base qui contient de vrais comptes" in str(refused.value)
    assert (User.objects.count(), Page.objects.count()) == before
    assert not User.objects.filter(email="equipe.pedagogique@demo.cls.fr").exists()


def test_refused_by_manage_py_on_a_real_database_without_settings_module(tmp_path):
    """`DATABASE_URL=<a real database> manage.py load_demo`, without DJANGO_SETTINGS_MODULE (so with
    the development settings, which allow the demo): refused, and the database keeps its one account."""
    database = tmp_path / "real.sqlite3"
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = f"sqlite:///{database}"

    def manage(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
        )

    assert manage("migrate", "--verbosity=0").returncode == 0
    create = (
        "from lms.models import User; "
        "User.objects.create_superuser(email='admin@ehesp.fr', password='pw-0123456789')"
    )
    assert manage("shell", "-c", create).returncode == 0
    count = "from lms.models import User; print(sorted(User.objects.values_list('email', flat=True)))"
    result = manage("load_demo")
    assert result.returncode != 0
    assert "contient 1 compte qui n'a pas été créé par la démonstration" in result.stderr, result.stderr
    assert manage("shell", "-c", count).stdout.strip().splitlines()[-1] == "['admin@ehesp.fr']"
