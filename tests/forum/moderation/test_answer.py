"""« Marquer comme réponse »: who may choose the answer, which posts qualify, and how the thread
page shows it right under the question."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum.animation import selectors as animation
from forum.enums import ModerationAction
from forum.models import ModerationLog, Post, Thread
from forum.moderation import services as moderation
from forum.threads import services
from tests.forum.moderation import test_moderation as shared

ROLES, _thread = shared.ROLES, shared._thread
board = shared.board  # the shared fixture

pytestmark = pytest.mark.django_db


# --- Services -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["learner", "trainer", "pedagogical"])
def test_author_or_trainer_marks_and_unmarks_the_answer(board, role):
    """The question's author, a trainer or the team choose a reply as the answer, then withdraw it."""
    by = board["users"][role]
    moderation.answer_mark(thread=_thread(board["thread"]), post=board["peer_reply"], by=by)
    assert Thread.objects.get(pk=board["thread"].pk).answer == board["peer_reply"]
    moderation.answer_unmark(thread=_thread(board["thread"]), by=by)
    assert Thread.objects.get(pk=board["thread"].pk).answer is None


def test_another_reply_replaces_the_answer(board):
    """Marking a different reply replaces the earlier answer."""
    thread = _thread(board["thread"])
    moderation.answer_mark(thread=thread, post=board["peer_reply"], by=board["users"]["learner"])
    moderation.answer_mark(thread=thread, post=board["trainer_reply"], by=board["users"]["trainer"])
    assert Thread.objects.get(pk=thread.pk).answer == board["trainer_reply"]


@pytest.mark.parametrize("role", ["ars_region", "learner_other_cohort", "ars_other_region"])
def test_a_stranger_cannot_mark_the_answer(board, role):
    """Someone who is neither the author nor a trainer (nor reads the space) is refused."""
    thread = _thread(board["thread"])
    with pytest.raises(PermissionDenied):
        moderation.answer_mark(thread=thread, post=board["peer_reply"], by=board["users"][role])
    with pytest.raises(PermissionDenied):
        moderation.answer_mark(thread=thread, post=board["peer_reply"], by=board["peer"])
    assert Thread.objects.get(pk=thread.pk).answer is None


def test_a_stranger_cannot_unmark_the_answer(board):
    """A member who did not ask the question cannot withdraw its answer."""
    Thread.objects.filter(pk=board["thread"].pk).update(answer=board["trainer_reply"])
    with pytest.raises(PermissionDenied):
        moderation.answer_unmark(thread=_thread(board["thread"]), by=board["peer"])
    assert Thread.objects.get(pk=board["thread"].pk).answer == board["trainer_reply"]


def test_the_question_itself_cannot_be_the_answer(board):
    """The first post is the question: marking it is refused."""
    with pytest.raises(ValidationError, match="La question elle-même"):
        moderation.answer_mark(
            thread=_thread(board["thread"]), post=board["question"], by=board["users"]["trainer"]
        )
    assert Thread.objects.get(pk=board["thread"].pk).answer is None


@pytest.mark.parametrize("state", ["is_hidden", "deleted_at"])
def test_a_hidden_or_deleted_reply_cannot_be_the_answer(board, state):
    """Only a visible reply may be the answer."""
    value = True if state == "is_hidden" else timezone.now()
    Post.objects.filter(pk=board["peer_reply"].pk).update(**{state: value})
    with pytest.raises(ValidationError, match="plus visible"):
        moderation.answer_mark(
            thread=_thread(board["thread"]), post=board["peer_reply"], by=board["users"]["learner"]
        )
    assert Thread.objects.get(pk=board["thread"].pk).answer is None


def test_a_post_of_another_thread_cannot_be_the_answer(board):
    """A post from another thread is refused."""
    other = services.post_reply(
        thread=board["option_thread"], source="Ailleurs", by=board["users"]["trainer"]
    )
    with pytest.raises(ValidationError, match="n'appartient pas"):
        moderation.answer_mark(thread=_thread(board["thread"]), post=other, by=board["users"]["trainer"])
    assert Thread.objects.get(pk=board["thread"].pk).answer is None


def test_unmarking_without_an_answer_is_refused(board):
    """Withdrawing an answer that is not there says so."""
    with pytest.raises(ValidationError, match="pas de réponse retenue"):
        moderation.answer_unmark(thread=_thread(board["thread"]), by=board["users"]["learner"])


def _peer_answer_only(board) -> Thread:
    """The thread with the peer's reply as its answer and no trainer reply: only the answer
    keeps it out of the unanswered questions."""
    thread = board["thread"]
    board["trainer_reply"].delete()
    Thread.objects.filter(pk=thread.pk).update(first_trainer_reply_at=None)
    moderation.answer_mark(thread=_thread(thread), post=board["peer_reply"], by=board["users"]["learner"])
    assert thread not in animation.unanswered_threads(spaces=[board["own"]])
    return thread


def test_deleting_the_answer_unmarks_it(client, board):
    """When its author deletes the accepted answer, the thread is unanswered again: back in the
    unanswered questions, no « Résolu » any more."""
    thread = _peer_answer_only(board)
    services.post_delete(post=board["peer_reply"], by=board["peer"])
    assert Thread.objects.get(pk=thread.pk).answer is None
    assert thread in animation.unanswered_threads(spaces=[board["own"]])
    assert ">Résolu<" not in _html(client, board["users"]["learner"], thread)


def test_hiding_the_answer_unmarks_it_and_logs_it(client, board):
    """When moderation hides the accepted answer, the answer is withdrawn, the withdrawal is in the
    moderation log with the hiding's reason, and the thread is unanswered again."""
    thread = _peer_answer_only(board)
    moderation.post_hide(post=board["peer_reply"], by=board["users"]["trainer"], reason="Erreur factuelle")
    assert Thread.objects.get(pk=thread.pk).answer is None
    entry = ModerationLog.objects.get(thread=thread, action=ModerationAction.UNMARK_ANSWER)
    assert entry.post == board["peer_reply"] and entry.reason == "Erreur factuelle"
    assert entry.actor == board["users"]["trainer"]
    assert thread in animation.unanswered_threads(spaces=[board["own"]])
    assert ">Résolu<" not in _html(client, board["users"]["trainer"], thread)


def test_deleting_or_hiding_another_post_keeps_the_answer(board):
    """Only the answer itself unmarks the thread: removing another reply leaves it, unlogged."""
    thread = board["thread"]
    moderation.answer_mark(thread=_thread(thread), post=board["trainer_reply"], by=board["users"]["learner"])
    services.post_delete(post=board["peer_reply"], by=board["peer"])
    moderation.post_hide(post=board["peer_reply"], by=board["users"]["trainer"], reason="Hors sujet")
    assert Thread.objects.get(pk=thread.pk).answer == board["trainer_reply"]
    assert not ModerationLog.objects.filter(action=ModerationAction.UNMARK_ANSWER).exists()


# --- Role × URL matrix ----------------------------------------------------------------------------

#                  anon learner other  ars  ars2 trainer pedago
MATRIX = {
    "mark": [302, 302, 404, 403, 404, 302, 302],
    "unmark": [302, 302, 404, 403, 404, 302, 302],
}
CASES = [(n, r, c) for n, codes in MATRIX.items() for r, c in zip(ROLES, codes, strict=True)]


@pytest.mark.parametrize(("name", "role", "expected"), CASES, ids=[f"{n}-{r}" for n, r, _ in CASES])
def test_answer_url_matrix(client, board, name, role, expected):
    """Author and trainers mark/unmark (redirect to the thread); ARS staff are forbidden; others 404."""
    thread, reply = board["thread"], board["peer_reply"]
    if name == "unmark":
        Thread.objects.filter(pk=thread.pk).update(answer=board["trainer_reply"])
    user = board["users"][role]
    if user:
        client.force_login(user)
    url = {
        "mark": f"/forum/c-bzh/{thread.pk}/messages/{reply.pk}/reponse/",
        "unmark": f"/forum/c-bzh/{thread.pk}/reponse/retirer/",
    }[name]
    response = client.post(url)
    assert response.status_code == expected
    answer = Thread.objects.get(pk=thread.pk).answer
    if expected == 302 and user is None:
        assert "/comptes/login/" in response["Location"]
    elif expected == 302:
        assert response["Location"].startswith(f"/forum/c-bzh/{thread.pk}/")
        assert answer == (reply if name == "mark" else None)
    else:
        assert answer == (None if name == "mark" else board["trainer_reply"])


def test_answer_urls_accept_only_post(client, board):
    """Marking is a POST form (CSRF): a GET is refused and changes nothing."""
    client.force_login(board["users"]["learner"])
    thread = board["thread"]
    assert (
        client.get(f"/forum/c-bzh/{thread.pk}/messages/{board['peer_reply'].pk}/reponse/").status_code == 405
    )
    assert client.get(f"/forum/c-bzh/{thread.pk}/reponse/retirer/").status_code == 405
    assert Thread.objects.get(pk=thread.pk).answer is None


def test_crafted_mark_of_the_question_shows_a_message(client, board):
    """Posting the first post as the answer is refused with a clear message on the thread page."""
    client.force_login(board["users"]["learner"])
    thread = board["thread"]
    response = client.post(f"/forum/c-bzh/{thread.pk}/messages/{board['question'].pk}/reponse/", follow=True)
    assert "La question elle-même ne peut pas être retenue comme réponse." in response.content.decode()
    assert Thread.objects.get(pk=thread.pk).answer is None


def test_peer_crafted_mark_is_forbidden(client, board):
    """A learner who did not ask the question gets 403 by crafted POST, and nothing changes."""
    client.force_login(board["peer"])
    thread = board["thread"]
    response = client.post(f"/forum/c-bzh/{thread.pk}/messages/{board['trainer_reply'].pk}/reponse/")
    assert response.status_code == 403
    assert Thread.objects.get(pk=thread.pk).answer is None


# --- The thread page ------------------------------------------------------------------------------


def _html(client, user, thread, query=""):
    client.force_login(user)
    return client.get(f"/forum/c-bzh/{thread.pk}/{query}").content.decode()


def test_buttons_only_for_those_allowed(client, board):
    """« Marquer comme réponse » is offered to the author and trainers on replies, never on the
    question, and never to other members."""
    thread = board["thread"]
    html = _html(client, board["users"]["learner"], thread)
    assert html.count(">Marquer comme réponse<") == 2
    assert f"/messages/{board['question'].pk}/reponse/" not in html
    assert f"/messages/{board['peer_reply'].pk}/reponse/" in html
    assert html.count(">Marquer comme réponse<") == _html(client, board["users"]["trainer"], thread).count(
        ">Marquer comme réponse<"
    )
    for user in (board["peer"], board["users"]["ars_region"]):
        assert "Marquer comme réponse" not in _html(client, user, thread)


def test_answer_is_shown_under_the_question_with_badge_and_link(client, board):
    """Once marked, the answer shows right after the question in « Réponse retenue » with its author,
    date, content and a link to its place; the post carries a badge; the author may withdraw it."""
    thread, reply = board["thread"], board["trainer_reply"]
    client.force_login(board["users"]["learner"])
    response = client.post(f"/forum/c-bzh/{thread.pk}/messages/{reply.pk}/reponse/")
    assert (
        response.status_code == 302 and response["Location"] == f"/forum/c-bzh/{thread.pk}/#reponse-retenue"
    )
    html = client.get(f"/forum/c-bzh/{thread.pk}/").content.decode()
    block = html[html.index('id="reponse-retenue"') :]
    assert html.index(f'id="message-{board["question"].pk}"') < html.index('id="reponse-retenue"')
    assert html.index('id="reponse-retenue"') < html.index(f'id="message-{board["peer_reply"].pk}"')
    assert "Réponse retenue</h2>" in block and reply.author.display_name in block
    assert (
        "Le 12 mai à 14 h, salle B." in block
        and f'href="/forum/c-bzh/{thread.pk}/?page=1#message-{reply.pk}"' in block
    )
    assert "Voir dans le fil" in block
    post_html = html[html.index(f'id="message-{reply.pk}"') :]
    assert 'fr-badge--success fr-ml-1w">Réponse retenue</span>' in post_html[:2000]
    assert ">Retirer la réponse<" in html and ">Résolu<" in html
    assert "Retirer la réponse" not in _html(client, board["peer"], thread)


def test_answer_on_a_later_page_links_to_that_page(client, board):
    """An answer on page 2 shows on page 1 under the question, its link pointing to page 2."""
    thread, learner = board["thread"], board["users"]["learner"]
    now = timezone.now()
    Post.objects.bulk_create(
        Post(thread=thread, author=board["peer"], source=f"r{i}", html=f"<p>r{i}</p>", created_at=now)
        for i in range(60)
    )
    late = Post.objects.filter(thread=thread).order_by("-created_at", "-pk").first()
    moderation.answer_mark(thread=_thread(thread), post=late, by=learner)
    html = _html(client, learner, thread)
    assert f'href="/forum/c-bzh/{thread.pk}/?page=2#message-{late.pk}"' in html and "<p>r59</p>" in html
    assert 'id="reponse-retenue"' not in _html(client, learner, thread, "?page=2")


def test_hidden_answer_is_not_shown_under_the_question(client, board):
    """If the answer is later hidden by moderation, members no longer see it under the question."""
    thread = board["thread"]
    moderation.answer_mark(thread=_thread(thread), post=board["peer_reply"], by=board["users"]["learner"])
    moderation.post_hide(post=board["peer_reply"], by=board["users"]["trainer"], reason="Erreur factuelle")
    html = _html(client, board["users"]["learner"], thread)
    assert 'id="reponse-retenue"' not in html and "Le 12 mai, je crois." not in html


def test_thread_page_with_an_answer_keeps_a_fixed_query_budget(client, board):
    """With an answer marked, the thread page costs the same at 4 and 400 posts."""
    thread, learner = board["thread"], board["users"]["learner"]
    moderation.answer_mark(thread=_thread(thread), post=board["trainer_reply"], by=learner)
    client.force_login(learner)
    url = f"/forum/c-bzh/{thread.pk}/"

    def count(u):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(u).status_code == 200
        return len(ctx.captured_queries)

    small = count(url)
    now = timezone.now()
    Post.objects.bulk_create(
        Post(thread=thread, author=board["peer"], source=f"r{i}", html=f"<p>r{i}</p>", created_at=now)
        for i in range(396)
    )
    assert count(url) == small
    assert count(url + "?page=5") == count(url + "?page=2")
