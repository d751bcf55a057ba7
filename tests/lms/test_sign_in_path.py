"""One sign-in path: allauth's. The Wagtail admin's own login, password reset and password change,
and Wagtail's front-end login, send people to allauth and never open a session themselves; allauth's
rate limits, email verification and second factor then apply to everyone, the /cms/ users included."""

import html
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admindocs.views import extract_views_from_urlpatterns, simplify_regex
from django.contrib.auth import views as auth_views
from django.core import mail
from django.core.cache import cache
from django.urls import get_resolver, resolve, reverse

from tests.factories import PASSWORD, ArsStaffFactory, PedagogicalFactory, TrainerFactory, UserFactory
from tests.mfa import totp_activate, totp_code

pytestmark = pytest.mark.django_db

THROTTLED = "Trop de tentatives de connexion échouées. Veuillez réessayer ultérieurement."
# Every address that used to accept a password: allauth's, the Wagtail admin's, Wagtail's front-end.
SIGN_IN_ADDRESSES = ["/comptes/login/", "/cms/login/", "/_util/login/"]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth counts failures and used TOTP codes in the cache: start each test clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def team_member(db):
    return PedagogicalFactory(email="claire.team@exemple.fr")


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def credentials(address: str, user) -> dict:
    """The form fields each sign-in address expects (allauth: login; Django's forms: username)."""
    if address == "/comptes/login/":
        return {"login": user.email, "password": PASSWORD}
    return {"username": user.email, "password": PASSWORD}


def test_post_to_the_wagtail_login_does_not_sign_in_a_totp_user(client, team_member):
    """The right password of a TOTP user posted to /cms/login/ opens no session (it used to, with
    the password alone): it sends to allauth's sign-in."""
    totp_activate(team_member)

    response = client.post("/cms/login/?next=/cms/", {"username": team_member.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/comptes/login/?next=/cms/"
    assert not is_signed_in(client)
    assert client.get("/cms/").status_code == 302


def test_wagtail_front_end_login_does_not_sign_in(client, team_member):
    """Wagtail's front-end login (/_util/login/) opens no session either."""
    response = client.post("/_util/login/", {"username": team_member.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/login/")
    assert not is_signed_in(client)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/cms/", "/comptes/login/?next=/cms/"),
        ("/cms/pages/", "/comptes/login/?next=/cms/pages/"),
        ("/cms/login/", "/comptes/login/?next=/cms/"),
        ("/cms/login/?next=/cms/pages/", "/comptes/login/?next=/cms/pages/"),
        ("/cms/password_reset/", "/comptes/password/reset/"),
        ("/cms/password_reset/done/", "/comptes/password/reset/"),
        ("/cms/password_reset/confirm/MQ/abc-123/", "/comptes/password/reset/"),
        ("/cms/password_reset/complete/", "/comptes/password/reset/"),
    ],
)
def test_the_admin_sends_anonymous_visitors_to_allauth(client, path, expected):
    """Opening the admin, its login or its password reset leads to allauth's page, `next` kept
    (the admin's pages through its login address, which sends on to allauth)."""
    response = client.get(path, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == expected


def test_wagtail_password_reset_sends_no_email(client, team_member, django_capture_on_commit_callbacks):
    """A POST to the admin's password reset form sends nothing: reset is allauth's, rate-limited."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/cms/password_reset/", {"email": team_member.email})

    assert response.status_code == 302
    assert response["Location"] == "/comptes/password/reset/"
    assert mail.outbox == []


def test_wagtail_account_page_cannot_change_the_password(client, team_member):
    """The admin's account page offers no password or email form and ignores a password posted;
    it links to allauth's password and two-factor pages instead."""
    client.force_login(team_member)

    page = client.get("/cms/account/")
    assert page.status_code == 200
    content = page.content.decode()
    assert 'name="password-new_password1"' not in content
    assert 'name="name_email-email"' not in content  # an address changes through allauth (verified)
    assert reverse("account_change_password") in content
    assert reverse("mfa_index") in content

    client.post(
        "/cms/account/",
        {
            "password-old_password": PASSWORD,
            "password-new_password1": "un-autre-mot-de-passe-2026",
            "password-new_password2": "un-autre-mot-de-passe-2026",
        },
    )
    team_member.refresh_from_db()
    assert team_member.check_password(PASSWORD)


def test_no_django_sign_in_or_password_view_is_reachable():
    """Every URL pattern served by a Django auth view (login, password reset or change) or by
    django.contrib.admin is shadowed by an earlier pattern: resolving its address reaches another
    view. New packages mounting such a view would fail here."""
    forbidden = (
        auth_views.LoginView,
        auth_views.PasswordResetView,
        auth_views.PasswordResetConfirmView,
        auth_views.PasswordChangeView,
    )
    found = []
    for func, regex, _namespace, _name in extract_views_from_urlpatterns(get_resolver().url_patterns):
        view_class = getattr(func, "view_class", None)
        is_auth_view = view_class is not None and issubclass(view_class, forbidden)
        is_django_admin = func.__module__.startswith("django.contrib.admin.")
        if not (is_auth_view or is_django_admin):
            continue
        path = re.sub(r"<\w+>", "x", simplify_regex(regex))
        found.append(path)
        assert getattr(resolve(path).func, "view_class", None) is not view_class, path
    assert "/cms/login/" in found and "/_util/login/" in found  # the walk sees Wagtail's views


def test_forty_wrong_passwords_are_throttled_in_french_and_the_right_one_then_refused(client):
    """40 wrong passwords for one account through the sign-in are throttled with a French message
    from the sixth on; the right password then opens no session either."""
    user = UserFactory(email="cible@exemple.fr")

    responses = [
        client.post("/comptes/login/", {"login": user.email, "password": "pas-le-bon"}) for _ in range(40)
    ]
    response = client.post("/comptes/login/", {"login": user.email, "password": PASSWORD})

    for refused in [*responses[5:], response]:
        content = refused.content.decode()
        if refused.status_code == 429:  # allauth's « login » limit per address (30 a minute)
            assert "Trop de demandes" in content
        else:
            assert THROTTLED in content
    assert not is_signed_in(client)


def test_password_reset_is_throttled_in_french(client, django_capture_on_commit_callbacks):
    """A fourth reset request for one address within 15 minutes gets a French « too many
    requests » page and sends no email."""
    user = UserFactory(email="reset@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            assert client.post(reverse("account_reset_password"), {"email": user.email}).status_code == 302
        response = client.post(reverse("account_reset_password"), {"email": user.email})

    assert response.status_code == 429
    content = response.content.decode()
    assert "Trop de demandes" in content
    assert "patientez" in content.lower()
    assert 'class="fr-header"' in content
    assert len(mail.outbox) == 3


def test_password_change_is_throttled(client):
    """More than five password-change attempts a minute are refused with the French 429 page."""
    user = UserFactory()
    client.force_login(user)
    data = {"oldpassword": "pas-le-bon", "password1": "x-Nouveau-2026!", "password2": "x-Nouveau-2026!"}

    statuses = [client.post(reverse("account_change_password"), data).status_code for _ in range(6)]

    assert statuses[:5] == [200] * 5
    assert statuses[5] == 429
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize("address", SIGN_IN_ADDRESSES)
def test_unverified_email_gets_no_session(client, address, django_capture_on_commit_callbacks):
    """An account whose email is unverified gets no session, whatever sign-in address it uses."""
    user = PedagogicalFactory(email="pas.verifiee@exemple.fr")
    EmailAddress.objects.filter(user=user).update(verified=False)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(address, credentials(address, user), follow=True)

    assert not is_signed_in(client)


def test_totp_user_is_asked_for_the_second_factor_then_reaches_the_admin(client, team_member):
    """With TOTP enabled, the password leads to the second-factor page (no session yet); a wrong
    code is refused in French; the right code opens the session and goes on to /cms/."""
    secret = totp_activate(team_member)

    response = client.post(
        "/comptes/login/", {"login": team_member.email, "password": PASSWORD, "next": "/cms/"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert not is_signed_in(client)
    page = client.get(response["Location"]).content.decode()
    assert "Authentification à deux facteurs" in page
    assert 'name="code"' in page

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "Code incorrect." in wrong.content.decode()
    assert not is_signed_in(client)

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/cms/"
    assert is_signed_in(client)
    assert client.get("/cms/").status_code == 200


def test_wrong_second_factor_codes_are_throttled(client, team_member):
    """After five wrong codes, even the right code is refused with the French throttle message."""
    secret = totp_activate(team_member)
    client.post("/comptes/login/", {"login": team_member.email, "password": PASSWORD})

    for _ in range(5):
        client.post(reverse("mfa_authenticate"), {"code": "000000"})
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

    assert THROTTLED in response.content.decode()
    assert not is_signed_in(client)


@pytest.mark.django_db
@pytest.mark.parametrize("factory", [TrainerFactory, ArsStaffFactory, UserFactory])
def test_signed_in_person_without_admin_access_is_told_so_without_a_redirect_loop(client, factory):
    """A signed-in learner, trainer or ARS staff member opening /cms/ ends on a French 403 page
    (Wagtail sent them to its login address and allauth sent them back: an endless loop)."""
    client.force_login(factory())
    response = client.get("/cms/", follow=True)
    assert response.status_code == 403
    assert [url for url, _ in response.redirect_chain] == ["/cms/login/?next=/cms/"]
    page = html.unescape(response.content.decode())
    assert "réservée à l'équipe pédagogique" in page
    assert "autorisation d’accéder" not in page  # Wagtail's own notice is not shown as well
