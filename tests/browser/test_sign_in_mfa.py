"""Signing in to the Wagtail admin in a real browser: /cms/ leads to allauth's sign-in, then to
the second factor (a wrong code refused in French), then to the admin; a staff member without an
authenticator app is held on the explanation page and sets one up. axe on each page."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_serious_violations
from tests.factories import PASSWORD, PedagogicalFactory, TrainerFactory
from tests.mfa import totp_activate, totp_code

pytestmark = pytest.mark.browser


def sign_in_with_password(page, user) -> None:
    form = page.locator('main form[action*="login"]')
    form.locator("input[name=login]").fill(user.email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()


def test_team_member_with_totp_signs_in_to_the_admin_through_allauth(page, live_server):
    """/cms/ → allauth's sign-in → the second factor (a wrong code refused, in French) → the
    Wagtail admin; the password alone opens nothing."""
    member = PedagogicalFactory(email="claire.team@exemple.fr")
    secret = totp_activate(member)

    page.goto(f"{live_server.url}/cms/")
    expect(page).to_have_url(re.compile(r"/comptes/login/\?next=/cms/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    assert_no_serious_violations(page, label="connexion")

    sign_in_with_password(page, member)
    expect(page).to_have_url(re.compile(r"/comptes/2fa/authenticate/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Authentification à deux facteurs")
    assert_no_serious_violations(page, label="second facteur")
    # The password alone opens no session: the admin sends back to the pending second factor.
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    page.goto(f"{live_server.url}/cms/")
    expect(page).to_have_url(re.compile(r"/comptes/2fa/authenticate/$"))

    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_text("Code incorrect.")).to_be_visible()
    assert_no_serious_violations(page, label="second facteur en erreur")

    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Connexion").click()
    expect(page).to_have_url(re.compile(r"/cms/$"))
    expect(page.locator("body")).to_contain_text(member.first_name)
    expect(page.locator("main")).to_be_visible()


def test_staff_without_authenticator_set_it_up_before_reaching_the_admin(page, live_server, settings):
    """With the requirement on, a trainer signing in lands on the explanation, follows it to the
    activation (password confirmed, QR code and secret shown), enters the code, keeps the recovery
    codes, then reaches « Mon espace »."""
    settings.MFA_REQUIRED_FOR_STAFF = True
    trainer = TrainerFactory(email="formatrice@exemple.fr")

    page.goto(f"{live_server.url}/comptes/login/")
    sign_in_with_password(page, trainer)
    expect(page).to_have_url(re.compile(r"/comptes/double-authentification-requise/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Activez la double authentification pour continuer"
    )
    assert_no_serious_violations(page, label="double authentification requise")
    page.goto(f"{live_server.url}/cms/")
    expect(page).to_have_url(re.compile(r"/comptes/double-authentification-requise/$"))

    page.get_by_role("link", name="Configurer mon application d'authentification").click()
    if "/reauthenticate/" in page.url:
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.locator("main button[type=submit]").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Activer l'application d'authentification")
    assert_no_serious_violations(page, label="activation")
    secret = page.locator("#authenticator_secret").input_value()

    page.get_by_label("Code de l'authentificateur").fill("123")
    page.get_by_role("button", name="Activer").click()
    expect(page.locator(".fr-error-text, .fr-alert--error").first).to_be_visible()
    assert not Authenticator.objects.filter(user=trainer).exists()

    page.get_by_label("Code de l'authentificateur").fill(totp_code(secret))
    page.get_by_role("button", name="Activer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Codes de récupération")
    page.goto(f"{live_server.url}/mon-espace/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mon espace")
