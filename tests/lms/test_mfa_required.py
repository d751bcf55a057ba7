"""Two-factor authentication: offered to everyone, required for staff roles (ARS staff, trainers,
the pedagogical team, superusers) when MFA_REQUIRED_FOR_STAFF is on, as it is in production."""

import os
import subprocess
import sys

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    PASSWORD,
    ArsStaffFactory,
    PedagogicalFactory,
    TrainerFactory,
    UserFactory,
)
from tests.mfa import totp_activate, totp_code

pytestmark = pytest.mark.django_db

REQUIRED_PAGE = "/comptes/double-authentification-requise/"
STAFF_FACTORIES = {
    "ars_staff": ArsStaffFactory,
    "trainer": TrainerFactory,
    "pedagogical": PedagogicalFactory,
    "superuser": lambda: UserFactory(is_superuser=True, is_staff=True),
}


@pytest.fixture(autouse=True)
def _required(settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("role", sorted(STAFF_FACTORIES))
@pytest.mark.parametrize("path", ["/mon-espace/", "/cms/", "/gestion/", "/cms/pages/"])
def test_staff_without_authenticator_are_sent_to_the_explanation(client, role, path):
    """A signed-in staff member without an authenticator app is sent to the page explaining the
    requirement, from the site and from the Wagtail admin alike."""
    client.force_login(STAFF_FACTORIES[role]())

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == REQUIRED_PAGE


def test_the_explanation_is_in_french_and_leads_to_the_setup(client):
    """The page says why (the role), what an authenticator app is, the four steps, and links to
    the setup; it offers signing out."""
    client.force_login(TrainerFactory())

    response = client.get(REQUIRED_PAGE)

    assert response.status_code == 200
    content = response.content.decode().replace("&#x27;", "'")
    assert "Activez la double authentification pour continuer" in content
    assert "« Formateur·rice »" in content
    assert "Qu'est-ce qu'une application d'authentification ?" in content
    assert "scannez le code QR" in content
    assert "codes de récupération" in content
    assert f'href="{reverse("mfa_activate_totp")}"' in content
    assert f'action="{reverse("account_logout")}"' in content


@pytest.mark.parametrize(
    "url_name", ["mfa_index", "mfa_activate_totp", "account_reauthenticate", "account_logout"]
)
def test_the_setup_and_signing_out_stay_open(client, url_name):
    """The setup pages (with the reauthentication they may ask for) and signing out stay open."""
    client.force_login(ArsStaffFactory())

    response = client.get(reverse(url_name))

    assert response.status_code in (200, 302)  # activation first asks to re-enter the password
    assert response.get("Location", "") != REQUIRED_PAGE


def test_static_files_stay_open(client):
    """The layout's static files are served to a staff member held on the explanation page."""
    client.force_login(ArsStaffFactory())

    response = client.get(f"{django_settings.STATIC_URL}css/lms.css")

    assert response.status_code == 200


def test_activating_the_app_opens_the_platform(client):
    """Once the code of the new authenticator app is entered, /cms/ and « Mon espace » open."""
    member = PedagogicalFactory()
    client.force_login(member)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert client.get("/cms/").status_code == 200
    assert client.get("/mon-espace/").status_code == 200
    assert client.get(REQUIRED_PAGE)["Location"] == reverse("lms:my_space")


def test_staff_with_authenticator_pass_and_it_is_asked_once(client):
    """A staff member with TOTP passes; the database is asked once a session, not on every page."""
    member = ArsStaffFactory()
    totp_activate(member)
    client.force_login(member)

    assert client.get("/mon-espace/").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/mon-espace/").status_code == 200

    assert not [q for q in queries.captured_queries if "mfa_authenticator" in q["sql"]]


def test_deactivating_the_app_sends_back_to_the_setup(client):
    """A staff member who deactivates their app is held on the explanation page again."""
    member = TrainerFactory()
    totp_activate(member)
    client.force_login(member)
    assert client.get("/mon-espace/").status_code == 200
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    client.post(reverse("mfa_deactivate_totp"))

    assert not Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()
    assert client.get("/mon-espace/")["Location"] == REQUIRED_PAGE


def test_learners_are_offered_but_not_required(client, learner):
    """A learner without an authenticator app uses the platform; « Mon espace » offers the app."""
    client.force_login(learner)

    response = client.get("/mon-espace/")

    assert response.status_code == 200
    assert f'href="{reverse("mfa_index")}"' in response.content.decode()
    assert client.get(REQUIRED_PAGE)["Location"] == reverse("lms:my_space")


def test_not_required_when_the_setting_is_off(client, settings):
    """With MFA_REQUIRED_FOR_STAFF off (development, tests), staff are not held."""
    settings.MFA_REQUIRED_FOR_STAFF = False
    client.force_login(PedagogicalFactory())

    assert client.get("/cms/").status_code == 200


def test_staff_spaces_offer_two_factor_authentication(client):
    """The staff « Mon espace » pages link to the two-factor page as well."""
    member = PedagogicalFactory()
    totp_activate(member)
    client.force_login(member)

    content = client.get("/mon-espace/").content.decode()

    assert f'href="{reverse("mfa_index")}"' in content


def test_activation_page_explains_each_step(client):
    """The activation page says what an authenticator app is, to scan, to enter the code, and that
    recovery codes follow."""
    client.force_login(UserFactory())
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    content = client.get(reverse("mfa_activate_totp")).content.decode().replace("&#x27;", "'")

    assert "application d'authentification" in content
    assert "Scannez le code QR" in content
    assert "Saisissez le code à 6 chiffres" in content
    assert "codes de récupération" in content


def test_production_requires_mfa_for_staff_by_default():
    """Production settings turn the requirement on unless MFA_REQUIRED_FOR_STAFF says otherwise."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
        "REDIS_URL": "redis://127.0.0.1:6379/3",
        "SITE_BASE_URL": "https://cls.example.org",
    }
    env.pop("MFA_REQUIRED_FOR_STAFF", None)
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.MFA_REQUIRED_FOR_STAFF)"
    )

    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)

    assert result.stdout.split() == ["True"]
