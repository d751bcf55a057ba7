"""A lost phone: a superuser resets a person's second factor from the Wagtail user screen (after a
confirmation page), it is recorded in the audit log and the person is told by email; nobody else
may. Second factors added, removed or renewed by their owner are recorded too."""

from __future__ import annotations

import html

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from lms.audit.enums import AuditAction
from lms.audit.models import AuditEntry
from lms.enums import Role
from tests.factories import PASSWORD, ArsStaffFactory, PedagogicalFactory, TrainerFactory, UserFactory
from tests.mfa import totp_activate, totp_code

pytestmark = pytest.mark.django_db


def _superuser():
    return UserFactory(role=Role.PEDAGOGICAL_TEAM, is_staff=True, is_superuser=True)


def _with_second_factor(user):
    """`user` with an authenticator app and recovery codes, as after allauth's activation."""
    totp_activate(user)
    RecoveryCodes.activate(user)
    return user


def _reset_url(user) -> str:
    return f"/cms/users/mfa-reset/{user.pk}/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def test_superuser_resets_a_lost_phone_after_confirming(client, django_capture_on_commit_callbacks):
    """The confirmation page names what will go; confirming deletes the app and the recovery codes,
    writes one audit entry with the superuser as author, and emails the person once committed."""
    admin, trainer = _superuser(), _with_second_factor(TrainerFactory())
    client.force_login(admin)

    page = html.unescape(client.get(_reset_url(trainer)).content.decode())
    assert "application d'authentification, codes de secours" in page
    assert "Oui, réinitialiser la double authentification" in page
    assert Authenticator.objects.filter(user=trainer).count() == 2  # a GET changes nothing

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(_reset_url(trainer))
    assert response.status_code == 302 and response["Location"] == f"/cms/users/edit/{trainer.pk}/"
    assert not Authenticator.objects.filter(user=trainer).exists()
    [entry] = AuditEntry.objects.filter(action=AuditAction.USER_MFA_RESET)
    assert (entry.actor, entry.target_id, entry.details) == (
        admin,
        str(trainer.pk),
        {"removed": ["recovery_codes", "totp"], "sessions_ended": 0},
    )
    assert len(callbacks) == 1
    [email] = mail.outbox
    assert email.to == [trainer.email]
    assert (
        email.subject
        == "[DE Coordinateur CLS] La double authentification de votre compte a été réinitialisée"
    )
    assert "Votre ancienne application d'authentification et vos anciens codes de secours" in email.body
    assert "/comptes/login/" in email.body and "prévenez sans attendre l'équipe pédagogique" in email.body


def test_after_the_reset_sign_in_asks_for_the_password_only(client):
    """Before the reset, the password leads to the second-factor page; after it, straight in."""
    admin, trainer = _superuser(), _with_second_factor(TrainerFactory())
    response = client.post(reverse("account_login"), {"login": trainer.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    client.logout()

    client.force_login(admin)
    client.post(_reset_url(trainer))
    client.logout()

    response = client.post(reverse("account_login"), {"login": trainer.email, "password": PASSWORD})
    assert response["Location"] == reverse("lms:my_space")


def test_the_reset_ends_the_persons_open_sessions(client):
    """A session the person left open (on the lost phone) is ended by the reset; the superuser's
    own session and other people's stay."""
    admin, trainer, other = _superuser(), _with_second_factor(TrainerFactory()), TrainerFactory()
    phone, colleague = Client(), Client()
    phone.force_login(trainer)
    colleague.force_login(other)
    assert phone.get("/mon-espace/").status_code == 200

    client.force_login(admin)
    client.post(_reset_url(trainer))

    assert phone.get("/mon-espace/").status_code == 302  # back to the sign-in page
    assert colleague.get("/mon-espace/").status_code == 200
    assert client.get(f"/cms/users/edit/{trainer.pk}/").status_code == 200
    entry = AuditEntry.objects.get(action=AuditAction.USER_MFA_RESET)
    assert entry.details["sessions_ended"] == 1


def test_a_person_without_second_factor_is_left_as_is(client):
    """Nothing to reset: the page says so, and a POST writes no entry and sends no email."""
    admin, learner = _superuser(), UserFactory()
    client.force_login(admin)
    page = html.unescape(client.get(_reset_url(learner)).content.decode())
    assert "n'a pas de double authentification activée" in page
    assert client.post(_reset_url(learner)).status_code == 302
    assert not AuditEntry.objects.filter(action=AuditAction.USER_MFA_RESET).exists()
    assert mail.outbox == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_team_member_who_is_not_superuser_gets_403_and_nothing_changes(client, method):
    """A pedagogical-team member without superuser status cannot reset anyone's second factor."""
    trainer = _with_second_factor(TrainerFactory())
    client.force_login(PedagogicalFactory())
    assert getattr(client, method)(_reset_url(trainer)).status_code == 403
    assert Authenticator.objects.filter(user=trainer).count() == 2
    assert not AuditEntry.objects.filter(action=AuditAction.USER_MFA_RESET).exists()
    assert mail.outbox == []


def test_superuser_cannot_reset_their_own_here(client):
    """A superuser's own second factor is managed under « Mon compte », not from the admin."""
    admin = _with_second_factor(_superuser())
    client.force_login(admin)
    assert client.post(_reset_url(admin)).status_code == 403
    assert Authenticator.objects.filter(user=admin).count() == 2


def test_edit_screen_offers_the_reset_to_superusers_only(client):
    """The user edit screen shows the second factor and the reset link to a superuser; a team member
    who is not a superuser sees neither."""
    trainer = _with_second_factor(TrainerFactory())
    client.force_login(_superuser())
    page = html.unescape(client.get(f"/cms/users/edit/{trainer.pk}/").content.decode())
    assert "Activée : application d'authentification, codes de secours" in page
    assert f'href="{_reset_url(trainer)}"' in page
    client.force_login(PedagogicalFactory())
    page = client.get(f"/cms/users/edit/{trainer.pk}/").content.decode()
    assert "Double authentification" not in page and _reset_url(trainer) not in page


# --- Role × URL ----------------------------------------------------------------------------------

LOGIN = "login"
ROLES = {
    "anonymous": None,
    "learner": UserFactory,
    "ars_staff": ArsStaffFactory,
    "trainer": TrainerFactory,
    "team": PedagogicalFactory,
    "superuser": _superuser,
}
#                 anon   learner ars    trainer team  superuser
MATRIX = {
    "get": [LOGIN, LOGIN, LOGIN, LOGIN, 403, 200],
    "post": [LOGIN, LOGIN, LOGIN, LOGIN, 403, "edit"],
}
CASES = [
    (method, role, expected)
    for method, outcomes in MATRIX.items()
    for role, expected in zip(ROLES, outcomes, strict=True)
]


@pytest.mark.parametrize(("method", "role", "expected"), CASES, ids=[f"{m}-{r}" for m, r, _ in CASES])
def test_mfa_reset_matrix(client, method, role, expected):
    """Each role gets exactly the expected outcome on the reset page of a trainer with a second
    factor; only the superuser's POST removes it."""
    trainer = _with_second_factor(TrainerFactory())
    if ROLES[role] is not None:
        client.force_login(ROLES[role]())
    response = getattr(client, method)(_reset_url(trainer))
    if response.status_code == 302:
        location = response["Location"]
        outcome = (
            LOGIN
            if "login" in location
            else "edit"
            if location.endswith(f"/edit/{trainer.pk}/")
            else location
        )
    else:
        outcome = response.status_code
    assert outcome == expected
    assert Authenticator.objects.filter(user=trainer).exists() is (expected != "edit")


# --- Changes made by the person themselves -------------------------------------------------------


def _entries(user) -> list[tuple[str, str]]:
    return [
        (entry.action, entry.details["kind"])
        for entry in AuditEntry.objects.filter(target_id=str(user.pk), actor=user).order_by("pk")
    ]


def test_own_second_factor_changes_are_recorded(client, django_capture_on_commit_callbacks):
    """Activating the app (with its recovery codes), renewing the codes and deactivating the app on
    « Mon compte » each write an entry with the person as author."""
    user = TrainerFactory()
    client.force_login(user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals the activation on commit
        assert client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)}).status_code == 302
    assert set(_entries(user)) == {
        (AuditAction.MFA_AUTHENTICATOR_ADDED, "totp"),
        (AuditAction.MFA_AUTHENTICATOR_ADDED, "recovery_codes"),
    }

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("mfa_generate_recovery_codes")).status_code == 302
    assert _entries(user)[-1] == (AuditAction.MFA_AUTHENTICATOR_RENEWED, "recovery_codes")

    assert client.post(reverse("mfa_deactivate_totp")).status_code == 302
    assert set(_entries(user)[-2:]) == {
        (AuditAction.MFA_AUTHENTICATOR_REMOVED, "totp"),
        (AuditAction.MFA_AUTHENTICATOR_REMOVED, "recovery_codes"),
    }
    assert not Authenticator.objects.filter(user=user).exists()


# --- The second-factor page, without one's phone ------------------------------------------------


def test_second_factor_page_offers_the_recovery_codes_and_who_to_contact(client):
    """The page asking for the second factor says a recovery code goes in the same field and whom
    to contact without one; a recovery code typed there signs in, once."""
    user = _with_second_factor(TrainerFactory())
    [code, *_] = Authenticator.objects.get(user=user, type="recovery_codes").wrap().get_unused_codes()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    page = html.unescape(client.get(reverse("mfa_authenticate")).content.decode())
    assert "Vous n'avez pas votre téléphone ?" in page
    assert "Saisissez dans le champ « Code » l'un des codes de secours" in page
    assert "Contactez l'équipe pédagogique de l'EHESP" in page

    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302 and response["Location"] == reverse("lms:my_space")
    client.logout()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    again = client.post(reverse("mfa_authenticate"), {"code": code})
    assert again.status_code == 200 and "Code incorrect." in again.content.decode()
