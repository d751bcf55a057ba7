"""Session lifetimes per role: staff signed out after 30 minutes idle or 10 hours, learners after
2 hours idle or 7 days; the lesson heartbeat counts as activity; the session is written at most
once a minute for it."""

import time

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lms.accounts import services
from tests.factories import PASSWORD, ArsStaffFactory, PedagogicalFactory, TrainerFactory, lessons_of

pytestmark = pytest.mark.django_db

EXPIRED = "Votre session a expiré"


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def age_session(client, *, idle: int, since_sign_in: int | None = None) -> None:
    """Pretend the session's last request was `idle` seconds ago and its sign-in earlier still."""
    now = int(time.time())
    session = client.session
    session[services.LAST_ACTIVITY_KEY] = now - idle
    session[services.STARTED_KEY] = now - (since_sign_in if since_sign_in is not None else idle)
    session.save()


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_staff_idle_for_31_minutes_are_signed_out_with_a_french_message(client):
    """A staff session idle for 31 minutes is closed: back to the sign-in, `next` kept, with
    « Votre session a expiré après 30 minutes sans activité : reconnectez-vous »."""
    client.force_login(ArsStaffFactory())
    age_session(client, idle=31 * 60)

    response = client.get("/gestion/")

    assert response.status_code == 302
    assert response["Location"] == "/comptes/login/?next=/gestion/"
    assert not is_signed_in(client)
    assert messages_of(response) == [
        f"{EXPIRED} après 30 minutes sans activité : reconnectez-vous pour continuer."
    ]
    page = client.get(response["Location"]).content.decode()
    assert "après 30 minutes sans activité" in page


def test_staff_idle_for_29_minutes_stay_signed_in(client):
    """29 minutes without a request is within the staff idle timeout."""
    client.force_login(TrainerFactory())
    age_session(client, idle=29 * 60)

    assert client.get("/mon-espace/").status_code == 200
    assert is_signed_in(client)


def test_staff_active_for_more_than_10_hours_are_signed_out(client):
    """An active staff session is closed 10 hours after its sign-in."""
    client.force_login(PedagogicalFactory())
    age_session(client, idle=60, since_sign_in=10 * 3600 + 60)

    response = client.get("/mon-espace/")

    assert response["Location"] == "/comptes/login/?next=/mon-espace/"
    assert not is_signed_in(client)
    assert messages_of(response) == [
        f"{EXPIRED} après 10 heures de connexion : reconnectez-vous pour continuer."
    ]


def test_learners_idle_for_an_hour_stay_signed_in_and_two_hours_do_not(client, learner):
    """A learner idle for one hour goes on; idle for 2 hours and a minute, they are signed out."""
    client.force_login(learner)
    age_session(client, idle=3600)
    assert client.get("/mon-espace/").status_code == 200

    age_session(client, idle=2 * 3600 + 60)
    response = client.get("/mon-espace/")

    assert response["Location"] == "/comptes/login/?next=/mon-espace/"
    assert not is_signed_in(client)


def test_learners_are_signed_out_after_seven_days(client, learner):
    """An active learner session is closed 7 days after its sign-in."""
    client.force_login(learner)
    age_session(client, idle=60, since_sign_in=7 * 86400 + 60)

    assert client.get("/mon-espace/").status_code == 302
    assert not is_signed_in(client)


def test_the_lesson_heartbeat_counts_as_activity(client, learner, modules):
    """A heartbeat posted while a lesson is open records the activity: the learner, nearly idle
    for 2 hours, gets a fresh idle period."""
    lesson = lessons_of(modules[0])[0]
    client.force_login(learner)
    age_session(client, idle=2 * 3600 - 30)

    response = client.post(reverse("courses:heartbeat", args=[lesson.pk]))

    assert response.status_code < 300
    assert time.time() - client.session[services.LAST_ACTIVITY_KEY] < 5
    assert is_signed_in(client)


def test_a_form_posted_after_expiry_is_not_processed(client, learner, modules):
    """A POST arriving after the idle timeout gets a French page (401), and nothing is recorded."""
    from courses.learning.models import LessonActivity

    lesson = lessons_of(modules[0])[0]
    client.force_login(learner)
    age_session(client, idle=3 * 3600)

    response = client.post(reverse("courses:heartbeat", args=[lesson.pk]))

    assert response.status_code == 401
    assert "après 2 heures sans activité" in response.content.decode()
    assert not LessonActivity.objects.exists()
    assert not is_signed_in(client)


def test_activity_is_written_at_most_once_a_minute(client, learner):
    """Requests less than a minute after the last recorded one do not write the session."""
    client.force_login(learner)
    age_session(client, idle=30)

    with CaptureQueriesContext(connection) as queries:
        client.get("/mon-espace/")

    assert not [
        q for q in queries.captured_queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]
    ]

    age_session(client, idle=61)
    client.get("/mon-espace/")
    assert time.time() - client.session[services.LAST_ACTIVITY_KEY] < 5


def test_signing_in_through_allauth_starts_the_clock(client):
    """The session opened by allauth's sign-in carries its start and last-activity times."""
    member = ArsStaffFactory()

    client.post("/comptes/login/", {"login": member.email, "password": PASSWORD})

    session = client.session
    assert abs(session[services.STARTED_KEY] - time.time()) < 5
    assert session[services.LAST_ACTIVITY_KEY] == session[services.STARTED_KEY]


def test_session_cookie_never_outlives_the_longest_lifetime():
    """The session cookie's age is no longer than the longest maximum lifetime of a role."""
    longest = max(settings.SESSION_STAFF_MAX_SECONDS, settings.SESSION_LEARNER_MAX_SECONDS)
    assert longest >= settings.SESSION_COOKIE_AGE
    assert settings.SESSION_STAFF_IDLE_SECONDS == 30 * 60
    assert settings.SESSION_LEARNER_MAX_SECONDS == 7 * 86400
