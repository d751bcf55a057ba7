"""Accounts (django-allauth): signing in, password reset and change, two-factor pages, all in
French and in DSFR markup inside the site layout (templates/allauth/, account/, mfa/)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "un-nouveau-mot-de-passe-2026"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth counts failed sign-ins and reset requests in the cache: start each test clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user(db):
    return UserFactory(email="camille.martin@exemple.fr")


@pytest.fixture
def signed_in_client(client, user):
    client.force_login(user)
    return client


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def labelled_inputs_are_complete(html: str) -> list[str]:
    """The visible inputs of `html` without a <label for=…>: empty when all are labelled."""
    labels = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', html))
    missing = []
    for tag in re.findall(r"<(?:input|textarea|select)\b[^>]*>", html):
        if re.search(r'type="(hidden|submit|button)"', tag):
            continue
        match = re.search(r'\bid="([^"]+)"', tag)
        if not match or match.group(1) not in labels:
            missing.append(tag)
    return missing


def test_sign_in_with_email_and_password_lands_on_my_space(client, user):
    """Signing in with the account email and its password redirects to « Mon espace »."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("lms:my_space")
    assert is_signed_in(client)


def test_wrong_password_shows_a_french_error_and_does_not_sign_in(client, user):
    """A wrong password re-displays the form with a French DSFR error alert, signed out."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": "pas-le-bon"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "L’adresse e-mail ou le mot de passe sont incorrects." in content
    assert "fr-alert--error" in content
    assert not is_signed_in(client)


@pytest.mark.parametrize(
    ("url_name", "signed_in", "french_text", "dsfr_classes"),
    [
        ("account_login", False, "Connexion", ["fr-input", "fr-label", "fr-btn", "fr-fieldset"]),
        (
            "account_reset_password",
            False,
            "Réinitialiser mon mot de passe",
            ["fr-input", "fr-label", "fr-btn"],
        ),
        (
            "account_change_password",
            True,
            "Modifier le mot de passe",
            ["fr-input", "fr-label", "fr-btn", "fr-sidemenu"],
        ),
        (
            "mfa_index",
            True,
            "Authentification à deux facteurs",
            ["fr-btn", "fr-card", "fr-sidemenu"],
        ),
    ],
)
def test_account_pages_render_in_french_with_dsfr_markup(
    client, user, url_name, signed_in, french_text, dsfr_classes
):
    """Sign-in, reset, password change and 2FA pages render in French, DSFR, in the site layout."""
    if signed_in:
        client.force_login(user)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="fr"' in content
    assert 'class="fr-header"' in content  # the site layout (templates/base.html)
    assert french_text in content
    for css_class in dsfr_classes:
        assert css_class in content, css_class
    assert labelled_inputs_are_complete(content) == []


def test_login_page_does_not_invite_to_sign_up(client):
    """Accounts are made by staff: sign-in has no sign-up link, and it marks required fields."""
    content = client.get(reverse("account_login")).content.decode()

    assert reverse("account_signup") not in content
    assert "Sauf mention contraire, tous les champs sont obligatoires." in content
    assert re.search(r'<input[^>]*name="login"[^>]*\brequired\b', content)
    assert re.search(r'<input[^>]*name="password"[^>]*\brequired\b', content)


def test_field_errors_are_linked_to_their_input(signed_in_client):
    """A field error shows in French as fr-error-text, linked to its input by aria-describedby."""
    response = signed_in_client.post(
        reverse("account_change_password"),
        {"oldpassword": "pas-le-bon", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    content = response.content.decode()
    tag = re.search(r'<input[^>]*name="oldpassword"[^>]*>', content).group(0)
    assert 'aria-invalid="true"' in tag
    described_by = re.search(r'aria-describedby="([^"]+)"', tag).group(1).split()
    assert "id_oldpassword-desc-error" in described_by
    error_block = re.search(r'id="id_oldpassword-desc-error">(.*?)</div>', content, re.S).group(1)
    assert "fr-error-text" in error_block
    assert "Merci d&#x27;indiquer votre mot de passe actuel." in error_block


def test_manage_pages_show_the_account_side_menu(signed_in_client):
    """Password, email and two-factor pages share a side menu whose current entry is marked."""
    for url_name, current in [
        ("account_change_password", "Mot de passe"),
        ("account_email", "Adresses e-mail"),
        ("mfa_index", "Double authentification"),
    ]:
        content = signed_in_client.get(reverse(url_name)).content.decode()
        menu = re.search(r'<nav class="fr-sidemenu".*?</nav>', content, re.S).group(0)
        for label, target in [
            ("Mot de passe", "account_change_password"),
            ("Adresses e-mail", "account_email"),
            ("Double authentification", "mfa_index"),
        ]:
            assert f'href="{reverse(target)}"' in menu and label in menu
        assert re.search(rf'aria-current="page">{current}</a>', menu), url_name


def test_password_reset_email_lets_the_user_choose_a_new_password(
    client, user, django_capture_on_commit_callbacks
):
    """The French reset email links to a new-password form; the new password then signs in."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.subject.startswith("[DE Coordinateur CLS] ")
    assert "réinitialisation" in message.subject.lower()
    assert "mot de passe" in message.body
    link = re.search(r"https?://[^/\s]+(/comptes/password/reset/key/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert 'name="password1"' in form_page.content.decode()
    form_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    client.logout()

    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert not is_signed_in(client)
    response = client.post(reverse("account_login"), {"login": user.email, "password": NEW_PASSWORD})
    assert response["Location"] == reverse("lms:my_space")
    assert is_signed_in(client)


def test_signup_url_shows_the_closed_page_not_a_form(client):
    """Sign-up is closed: its address explains it in French and offers no sign-up form."""
    for response in (
        client.get(reverse("account_signup")),
        client.post(
            reverse("account_signup"),
            {"email": "x@exemple.fr", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        ),
    ):
        assert response.status_code == 200
        content = response.content.decode()
        assert "Inscriptions fermées" in content
        assert 'name="password1"' not in content
        assert 'name="email"' not in content
    assert not EmailAddress.objects.filter(email="x@exemple.fr").exists()


def test_unverified_email_cannot_sign_in(client, django_capture_on_commit_callbacks):
    """An account with an unverified email gets the « verification sent » page, signed out."""
    unverified = UserFactory(email="pas.verifiee@exemple.fr")
    EmailAddress.objects.filter(user=unverified).update(verified=False)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_login"), {"login": unverified.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not is_signed_in(client)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Vérifiez votre adresse e-mail" in page.content.decode()


def test_reset_for_an_unknown_address_does_not_invite_to_sign_up(client, django_capture_on_commit_callbacks):
    """A reset for an unknown address mails (in French) the way to the team, not to sign-up."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "inconnue@exemple.fr"})

    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert reverse("account_signup") not in body
    assert "équipe pédagogique" in body
    assert "c'est  !" not in body  # no empty site name in the greeting


@pytest.mark.parametrize(
    ("url", "signed_in", "french_heading"),
    [
        ("/comptes/password/reset/done/", False, "Réinitialisation du mot de passe"),
        ("/comptes/password/reset/key/1-mauvais/", False, "Mauvais jeton d'identification"),
        ("/comptes/password/reset/key/done/", False, "Votre mot de passe a été modifié."),
        ("/comptes/inactive/", False, "Compte inactif"),
        ("/comptes/confirm-email/", False, "Vérifiez votre adresse e-mail"),
        ("/comptes/confirm-email/cle-invalide/", False, "Confirmer l'adresse e-mail"),
        ("/comptes/logout/", True, "Êtes-vous sûr(e) de vouloir vous déconnecter ?"),
        ("/comptes/email/", True, "Adresses e-mail"),
        ("/comptes/reauthenticate/", True, "Confirmer l'accès"),
    ],
)
def test_other_account_pages_render_in_french_in_the_site_layout(
    client, user, url, signed_in, french_heading
):
    """The remaining allauth pages render in French inside the site layout, in DSFR markup."""
    if signed_in:
        client.force_login(user)

    response = client.get(url)

    assert response.status_code == 200
    content = response.content.decode().replace("&#x27;", "'")
    assert 'class="fr-header"' in content
    assert french_heading in content
    assert "fr-grid-row" in content
    assert labelled_inputs_are_complete(content) == []


def test_password_set_page_for_an_account_without_password(client):
    """An account without usable password gets « Définir un mot de passe », with the side menu."""
    account = UserFactory(email="sans.mot.de.passe@exemple.fr")
    account.set_unusable_password()
    account.save()
    client.force_login(account)

    response = client.get(reverse("account_set_password"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Définir un mot de passe" in content
    assert "fr-input" in content and "fr-sidemenu" in content
    assert labelled_inputs_are_complete(content) == []


def test_authenticator_app_activation_and_recovery_codes_pages(signed_in_client):
    """Once reauthenticated, TOTP activation, recovery codes and deactivation render in French."""
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    client = signed_in_client
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    content = page.content.decode().replace("&#x27;", "'")
    assert "Activer l'application d'authentification" in content
    assert "alt=\"Code QR à scanner avec votre application d'authentification" in content
    assert re.search(r'<input[^>]*id="authenticator_secret"[^>]*readonly', content)
    assert labelled_inputs_are_complete(content) == []

    secret = client.session["mfa.totp.secret"]
    counters = list(yield_hotp_counters_from_time())  # the current period is the middle one
    code = format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))
    response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response["Location"] == reverse("mfa_view_recovery_codes")

    codes = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert "Codes de récupération" in codes and "fr-btns-group" in codes
    assert labelled_inputs_are_complete(codes) == []
    deactivate = client.get(reverse("mfa_deactivate_totp")).content.decode()
    assert "Désactiver" in deactivate and "fr-btn" in deactivate
