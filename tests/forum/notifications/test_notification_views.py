"""Notification pages: follow buttons, the notifications list and its header count, preferences and
the one-click unsubscribe; who reaches what, bad input, query budgets."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.cohorts.models import Enrolment
from forum.enums import EmailMode
from forum.models import Follow, Notification, NotificationPreference, Post
from forum.moderation import services as moderation
from forum.notifications import selectors as notification_selectors
from forum.notifications import services as notifications
from forum.threads import services
from tests.factories import TrainerFactory
from tests.forum.notifications import test_notifications as base

pytestmark = pytest.mark.django_db

setup = base.setup
_clear_cache = base._clear_cache

ROLES = [
    "anonymous",
    "learner",
    "learner_other_cohort",
    "ars_region",
    "ars_other_region",
    "trainer",
    "pedagogical",
]


@pytest.fixture
def data(setup):
    """A cohort thread asked by the learner and answered by a trainer: the learner has one notification."""
    users = setup["users"]
    thread = services.thread_start(
        space=setup["own"], title="Réunion ARS", source="Quand ?", by=users["learner"]
    )
    reply = services.post_reply(thread=thread, source="En mai, à Rennes.", by=users["trainer"])
    return {
        **setup,
        "thread": thread,
        "reply": reply,
        "note": Notification.objects.get(user=users["learner"]),
    }


def _urls(d):
    token = notifications.unsubscribe_token(user=d["users"]["learner"], thread=d["thread"])
    return {
        "list": ("get", "/forum/notifications/"),
        "preferences": ("get", "/forum/notifications/preferences/"),
        "read_all": ("post", "/forum/notifications/tout-lu/"),
        "open_learner_notification": ("get", f"/forum/notifications/{d['note'].pk}/"),
        "follow_cohort_thread": ("post", f"/forum/abonnements/fils/{d['thread'].pk}/"),
        "follow_cohort_space": ("post", f"/forum/abonnements/espaces/{d['own'].pk}/"),
        "follow_option_space": ("post", f"/forum/abonnements/espaces/{d['option'].pk}/"),
        "follow_by_get": ("get", f"/forum/abonnements/fils/{d['thread'].pk}/"),
        "unsubscribe": ("get", f"/forum/notifications/desabonnement/{token}/"),
        "unsubscribe_tampered": ("get", f"/forum/notifications/desabonnement/{token[:-2]}xx/"),
    }


#                                anon learner other  ars  ars2 trainer pedago
MATRIX = {
    "list": [302, 200, 200, 200, 200, 200, 200],
    "preferences": [302, 200, 200, 200, 200, 200, 200],
    "read_all": [302, 302, 302, 302, 302, 302, 302],
    "open_learner_notification": [302, 302, 404, 404, 404, 404, 404],
    "follow_cohort_thread": [302, 302, 404, 302, 404, 302, 302],
    "follow_cohort_space": [302, 302, 404, 302, 404, 302, 302],
    "follow_option_space": [302, 404, 404, 404, 404, 302, 302],
    "follow_by_get": [302, 405, 405, 405, 405, 405, 405],
    "unsubscribe": [200, 200, 200, 200, 200, 200, 200],
    "unsubscribe_tampered": [400, 400, 400, 400, 400, 400, 400],
}
CASES = [(n, r, c) for n, codes in MATRIX.items() for r, c in zip(ROLES, codes, strict=True)]


@pytest.mark.parametrize(("name", "role", "expected"), CASES, ids=[f"{n}-{r}" for n, r, _ in CASES])
def test_notification_url_matrix(client, data, name, role, expected):
    """Each role gets the expected status; a space or notification one may not reach is not found;
    sign-in is required everywhere except the unsubscribe link."""
    user = data["users"][role]
    if user:
        client.force_login(user)
    method, url = _urls(data)[name]
    response = getattr(client, method)(url, {"action": "follow"} if method == "post" else None)
    assert response.status_code == expected
    if expected == 302:
        assert ("/comptes/login/" in response["Location"]) == (user is None)
    target = {
        "follow_cohort_thread": {"thread": data["thread"]},
        "follow_cohort_space": {"space": data["own"]},
        "follow_option_space": {"space": data["option"]},
    }.get(name)
    if target and user:
        assert Follow.objects.filter(user=user, **target).exists() == (expected == 302)


# --- Follow buttons and views --------------------------------------------------------------------


def _render(template, request, **context):
    return Template("{% load forum_notifications %}" + template).render(
        Context({"request": request, **context})
    )


def test_follow_thread_button_one_query_and_labels(data):
    """The tag shows « Suivre ce fil » or « Ne plus suivre ce fil » in one query, says when the whole
    space is followed, and renders nothing for an anonymous visitor."""
    trainer = data["users"]["trainer"]
    request = RequestFactory().get(f"/forum/c-bzh/{data['thread'].pk}/")
    request.user = trainer
    with CaptureQueriesContext(connection) as queries:
        html = _render("{% follow_thread_button thread %}", request, thread=data["thread"])
    assert len(queries) == 1
    assert "Suivre ce fil" in html and "Ne plus suivre" not in html and 'value="follow"' in html
    assert f'action="/forum/abonnements/fils/{data["thread"].pk}/"' in html
    assert f'name="next" value="/forum/c-bzh/{data["thread"].pk}/"' in html
    Follow.objects.create(user=trainer, thread=data["thread"])
    Follow.objects.create(user=trainer, space=data["own"])
    html = _render("{% follow_thread_button thread %}", request, thread=data["thread"])
    assert "Ne plus suivre ce fil" in html and "Vous suivez tout l'espace" in html
    request.user = AnonymousUser()
    assert _render("{% follow_thread_button thread %}", request, thread=data["thread"]).strip() == ""


def test_follow_space_button_one_query_and_labels(data):
    """« Suivre cet espace » / « Ne plus suivre cet espace », one query each."""
    trainer = data["users"]["trainer"]
    request = RequestFactory().get("/forum/c-bzh/")
    request.user = trainer
    with CaptureQueriesContext(connection) as queries:
        html = _render("{% follow_space_button space %}", request, space=data["own"])
    assert len(queries) == 1 and "Suivre cet espace" in html
    Follow.objects.create(user=trainer, space=data["own"])
    html = _render("{% follow_space_button space %}", request, space=data["own"])
    assert "Ne plus suivre cet espace" in html and 'value="unfollow"' in html


def test_follow_then_unfollow_comes_back_to_next(client, data):
    """Following returns to the page named in « next » with a message; unfollowing removes the row."""
    trainer = data["users"]["trainer"]
    client.force_login(trainer)
    url = f"/forum/abonnements/fils/{data['thread'].pk}/"
    response = client.post(url, {"action": "follow", "next": "/forum/c-bzh/"}, follow=True)
    assert response.redirect_chain[0][0] == "/forum/c-bzh/"
    assert "Vous suivez le fil « Réunion ARS »." in response.content.decode()
    assert Follow.objects.filter(user=trainer, thread=data["thread"]).exists()
    response = client.post(url, {"action": "unfollow"})
    assert response["Location"] == f"/forum/c-bzh/{data['thread'].pk}/"
    assert not Follow.objects.filter(user=trainer).exists()


def test_follow_refuses_outside_next_and_bad_action(client, data):
    """An outside « next » falls back to the thread; an unknown action is refused in French and
    nothing is written."""
    trainer = data["users"]["trainer"]
    client.force_login(trainer)
    url = f"/forum/abonnements/fils/{data['thread'].pk}/"
    response = client.post(url, {"action": "follow", "next": "https://pirate.example/"})
    assert response["Location"] == f"/forum/c-bzh/{data['thread'].pk}/"
    Follow.objects.all().delete()
    response = client.post(url, {"action": "tout-suivre"})
    assert response.status_code == 400
    assert "Action inconnue : choisissez « Suivre » ou « Ne plus suivre »." in response.content.decode()
    assert not Follow.objects.exists()


def test_hidden_thread_cannot_be_followed_by_a_learner(client, data):
    """A thread hidden by moderation is not found for a learner, still followable by a trainer."""
    data["thread"].is_hidden = True
    data["thread"].save(update_fields=["is_hidden"])
    url = f"/forum/abonnements/fils/{data['thread'].pk}/"
    client.force_login(data["users"]["learner"])
    Follow.objects.all().delete()
    assert client.post(url, {"action": "follow"}).status_code == 404
    client.force_login(data["users"]["trainer"])
    assert client.post(url, {"action": "follow"}).status_code == 302
    assert list(Follow.objects.values_list("user_id", flat=True)) == [data["users"]["trainer"].pk]


# --- Notifications page and header -------------------------------------------------------------


def test_list_shows_unread_first_class_and_header_count(client, data):
    """The page lists the notification, marked « Non lu », with the post's excerpt; the header shows
    the count with its screen-reader text."""
    client.force_login(data["users"]["learner"])
    html = client.get("/forum/notifications/").content.decode()
    assert "Non lu" in html and "Réunion ARS" in html and "En mai, à Rennes." in html
    assert "Tout marquer comme lu" in html
    assert "(1 non lue)" in html and 'fr-badge--new fr-badge--no-icon" aria-hidden="true">1<' in html


def test_open_marks_read_and_lands_on_the_post_page(client, data):
    """Opening a notification marks it read and goes to the post's page and anchor (page 2 for the
    55th post)."""
    users = data["users"]
    thread = data["thread"]
    now = timezone.now()
    Post.objects.bulk_create(
        [
            Post(thread=thread, author=users["trainer"], source=f"r{i}", html=f"<p>r{i}</p>", created_at=now)
            for i in range(52)
        ]
    )
    late = services.post_reply(thread=thread, source="La 55e", by=users["pedagogical"])
    note = Notification.objects.get(user=users["learner"], post=late)
    client.force_login(users["learner"])
    response = client.get(f"/forum/notifications/{note.pk}/")
    assert response["Location"] == f"/forum/c-bzh/{thread.pk}/?page=2#message-{late.pk}"
    note.refresh_from_db()
    assert note.read_at is not None
    first = client.get(f"/forum/notifications/{data['note'].pk}/")
    assert first["Location"] == f"/forum/c-bzh/{thread.pk}/?page=1#message-{data['reply'].pk}"
    assert "non lue" not in client.get("/forum/notifications/").content.decode()


def test_mark_all_read(client, data):
    """« Tout marquer comme lu » clears the count."""
    client.force_login(data["users"]["learner"])
    response = client.post("/forum/notifications/tout-lu/", follow=True)
    html = response.content.decode()
    assert "Toutes vos notifications sont marquées comme lues." in html and "non lue" not in html
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_notifications_of_a_space_one_lost_are_hidden(client, data):
    """After a change of cohort, the old cohort's notifications are neither listed, counted nor opened."""
    learner = data["users"]["learner"]
    Enrolment.objects.filter(user=learner).update(cohort=data["other_cohort"])
    client.force_login(learner)
    html = client.get("/forum/notifications/").content.decode()
    assert "Réunion ARS" not in html and "Aucune notification" in html and "non lue" not in html
    assert client.get(f"/forum/notifications/{data['note'].pk}/").status_code == 404


@pytest.mark.parametrize("removal", ["hidden", "deleted"])
def test_notifications_of_a_hidden_or_deleted_post_are_left_out(client, data, removal):
    """Once its post is hidden by moderation or deleted by its author, a notification is neither
    listed, counted in the header nor opened."""
    learner, reply = data["users"]["learner"], data["reply"]
    if removal == "hidden":
        moderation.post_hide(post=reply, by=data["users"]["pedagogical"], reason="Hors sujet")
    else:
        services.post_delete(post=reply, by=data["users"]["trainer"])
    assert notification_selectors.unread_count(learner) == 0
    client.force_login(learner)
    html = client.get("/forum/notifications/").content.decode()
    assert "Réunion ARS" not in html and "Aucune notification" in html and "non lue" not in html
    assert client.get(f"/forum/notifications/{data['note'].pk}/").status_code == 404
    assert Notification.objects.filter(pk=data["note"].pk, read_at__isnull=True).exists()


def _notifications_for(user, space, n, author):
    thread = services.thread_start(space=space, title=f"Fil {n}", source="x", by=author)
    posts = Post.objects.bulk_create(
        [Post(thread=thread, author=author, source=f"m{i}", html=f"<p>m{i}</p>") for i in range(n)]
    )
    Notification.objects.bulk_create([Notification(user=user, post=p) for p in posts])


def test_list_query_budget_same_at_two_sizes(client, data):
    """The notifications page (with its header count) costs the same queries for 5 and 60 notifications."""
    trainer = data["users"]["trainer"]
    client.force_login(trainer)
    counts = []
    for n in (5, 60):
        Notification.objects.filter(user=trainer).delete()
        _notifications_for(trainer, data["general"], n, data["users"]["pedagogical"])
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/forum/notifications/")
        assert response.status_code == 200
        assert response.content.decode().count("Non lu<") == min(n, 30)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# --- Preferences ---------------------------------------------------------------------------------


def test_preferences_show_defaults_and_save(client, data):
    """Defaults are checked (immediate, follow own questions); a valid choice is saved."""
    learner = data["users"]["learner"]
    client.force_login(learner)
    html = client.get("/forum/notifications/preferences/").content.decode()
    assert 'value="immediate" checked' in html and 'name="follow_own_threads" aria-describedby' in html
    assert "Répondre à un fil ne vous y abonne pas" in html
    response = client.post("/forum/notifications/preferences/", {"email_mode": "digest"})
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=learner)
    assert preference.email_mode == EmailMode.DIGEST and preference.follow_own_threads is False


def test_preferences_bad_mode_is_refused_and_choice_kept(client, data):
    """An unknown email mode is refused in French, nothing saved, the checkbox state kept."""
    client.force_login(data["users"]["learner"])
    response = client.post(
        "/forum/notifications/preferences/", {"email_mode": "hourly", "follow_own_threads": "on"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Choisissez l&#x27;une des options proposées pour les e-mails du forum." in html
    assert 'aria-describedby="aide-follow_own_threads" checked' in html
    assert not NotificationPreference.objects.exists()


def test_preferences_list_follows_and_followable_spaces(client, data):
    """The page lists the followed threads and spaces with « Ne plus suivre », the other readable
    spaces with « Suivre », and nothing of spaces the member cannot read."""
    learner = data["users"]["learner"]
    Follow.objects.create(user=learner, space=data["general"])
    Follow.objects.create(user=learner, space=data["option"])  # lost: not readable
    client.force_login(learner)
    html = client.get("/forum/notifications/preferences/").content.decode()
    assert 'Ne plus suivre<span class="fr-sr-only"> le fil « Réunion ARS »' in html
    assert 'Ne plus suivre<span class="fr-sr-only"> l\'espace « Général »' in html
    assert 'Suivre<span class="fr-sr-only"> l\'espace « Module socle 1 »' in html
    assert "Méthodologie" not in html and "Occitanie" not in html


# --- Unsubscribe ---------------------------------------------------------------------------------


def test_unsubscribe_get_changes_nothing_and_post_does(data):
    """GET shows one « Me désabonner » button and changes nothing; the POST, without sign-in or CSRF
    cookie, removes the follow."""
    learner = data["users"]["learner"]
    token = notifications.unsubscribe_token(user=learner, thread=data["thread"])
    client = Client(enforce_csrf_checks=True)
    html = client.get(f"/forum/notifications/desabonnement/{token}/").content.decode()
    assert html.count('<form method="post"') == 1 and html.count("Me désabonner</button>") == 1
    assert "Me désabonner" in html and "« Réunion ARS »" in html
    assert Follow.objects.filter(user=learner, thread=data["thread"]).exists()
    response = Client(enforce_csrf_checks=True).post(f"/forum/notifications/desabonnement/{token}/")
    assert (
        response.status_code == 200
        and "Vous ne suivez plus le fil « Réunion ARS »." in response.content.decode()
    )
    assert not Follow.objects.filter(user=learner, thread=data["thread"]).exists()


def test_rfc8058_one_click_post_stops_all_forum_emails(data):
    """The mail client's one-click POST (List-Unsubscribe=One-Click) on the header's link sets the
    forum emails to « none »."""
    learner = data["users"]["learner"]
    url = notifications.unsubscribe_url(user=learner).split("/forum/", 1)[1]
    response = Client(enforce_csrf_checks=True).post(
        f"/forum/{url}", "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=learner).email_mode == EmailMode.NONE


@pytest.mark.parametrize(
    "token",
    [
        "abc",
        signing.dumps([1, "all", None], salt="autre-chose"),
        "WzEsImFsbCIsbnVsbF0:1uXXXX:forged-signature",
    ],
    ids=["garbage", "other-salt", "forged"],
)
def test_tampered_unsubscribe_token_is_a_clear_400(client, data, token):
    """A tampered link answers 400 with a French explanation, GET or POST, and changes nothing."""
    for method in (client.get, client.post):
        response = method(f"/forum/notifications/desabonnement/{token}/")
        assert response.status_code == 400
        assert "Ce lien de désabonnement n'est pas valide" in response.content.decode()
    assert not NotificationPreference.objects.exists()
    assert Follow.objects.filter(user=data["users"]["learner"]).exists()


def test_unsubscribe_of_a_deleted_account_is_a_400(client, data):
    """A valid token naming an account that no longer exists is refused, nothing written."""
    gone = TrainerFactory()
    token = notifications.unsubscribe_token(user=gone)
    gone.delete()
    response = client.post(f"/forum/notifications/desabonnement/{token}/")
    assert response.status_code == 400 and not NotificationPreference.objects.exists()
