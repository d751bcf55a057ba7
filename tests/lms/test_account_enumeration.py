"""Sign-in and password reset say nothing of whether an address has an account."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

VOLATILE = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'), 'name="csrfmiddlewaretoken" value=""'),
    (re.compile(r'nonce="[^"]*"'), 'nonce=""'),
]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _page(response, email: str) -> str:
    html = response.content.decode().replace(email, "ADDRESS")
    for pattern, replacement in VOLATILE:
        html = pattern.sub(replacement, html)
    return html


def test_password_reset_answers_alike_for_known_and_unknown_addresses(client):
    """Asking a reset for an account's address or for an unknown one leads to the same page."""
    known = UserFactory().email
    unknown = "personne@exemple.fr"
    answers = [client.post(reverse("account_reset_password"), {"email": email}) for email in (known, unknown)]
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"]
    pages = [
        _page(client.get(a["Location"]), email) for a, email in zip(answers, (known, unknown), strict=True)
    ]
    assert pages[0] == pages[1]


def test_sign_in_with_a_wrong_password_answers_alike_for_known_and_unknown_addresses(client):
    """A wrong password on an existing account and any password on an unknown address read the same."""
    known = UserFactory().email
    unknown = "personne@exemple.fr"
    pages = [
        _page(client.post(reverse("account_login"), {"login": email, "password": "pas-le-bon-1234"}), email)
        for email in (known, unknown)
    ]
    assert pages[0] == pages[1]
