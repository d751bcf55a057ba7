"""Forum pages: who sees which space, posting with preview and quote, bad input, query budgets."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum.enums import SpaceKind
from forum.models import Post, Space, Thread
from forum.moderation import services as moderation
from forum.threads import services
from tests.factories import ArsStaffFactory, CohortFactory, EnrolmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def setup(programme, modules, cohort, other_region, ars_staff, other_ars_staff, trainer, pedagogical):
    learner = EnrolmentFactory(cohort=cohort).user
    peer = EnrolmentFactory(cohort=cohort).user
    other_cohort = CohortFactory(programme=programme, region=other_region, name="Occitanie 2026")
    other_learner = EnrolmentFactory(cohort=other_cohort).user
    general = Space.objects.create(
        kind=SpaceKind.GENERAL, title="Général", slug="general", programme=programme
    )
    own = Space.objects.create(
        kind=SpaceKind.COHORT, title="Bretagne", slug="c-bzh", programme=programme, cohort=cohort
    )
    Space.objects.create(
        kind=SpaceKind.COHORT, title="Occitanie", slug="c-occ", programme=programme, cohort=other_cohort
    )
    core = Space.objects.create(
        kind=SpaceKind.MODULE, title="Module socle 1", slug="m1", programme=programme, module=modules[0]
    )
    option = Space.objects.create(
        kind=SpaceKind.MODULE, title="Méthodologie", slug="m5", programme=programme, module=modules[4]
    )
    cohort_thread = services.thread_start(space=own, title="Réunion ARS", source="Quand ?", by=learner)
    option_thread = services.thread_start(space=option, title="Option", source="Qui ?", by=trainer)
    return {
        "general": general,
        "own": own,
        "core": core,
        "option": option,
        "cohort_thread": cohort_thread,
        "cohort_post": cohort_thread.posts.get(),
        "option_thread": option_thread,
        "users": {
            "anonymous": None,
            "learner": learner,
            "peer": peer,
            "learner_other_cohort": other_learner,
            "ars_region": ars_staff,
            "ars_other_region": other_ars_staff,
            "trainer": trainer,
            "pedagogical": pedagogical,
        },
    }


def _urls(s):
    t, p = s["cohort_thread"].pk, s["cohort_post"].pk
    return {
        "list": "/forum/",
        "cohort_space": "/forum/c-bzh/",
        "cohort_new": "/forum/c-bzh/nouveau/",
        "cohort_thread": f"/forum/c-bzh/{t}/",
        "option_space": "/forum/m5/",
        "option_new": "/forum/m5/nouveau/",
        "option_thread": f"/forum/m5/{s['option_thread'].pk}/",
        "edit_learner_post": f"/forum/c-bzh/{t}/messages/{p}/modifier/",
        "delete_learner_post": f"/forum/c-bzh/{t}/messages/{p}/supprimer/",
    }


ROLES = [
    "anonymous",
    "learner",
    "peer",
    "learner_other_cohort",
    "ars_region",
    "ars_other_region",
    "trainer",
    "pedagogical",
]
# "peer" is another learner of the same cohort: they read the space but own none of its posts.
#                    anon learner peer other  ars  ars2 trainer pedago
MATRIX = {
    "list": [302, 200, 200, 200, 200, 200, 200, 200],
    "cohort_space": [302, 200, 200, 404, 200, 404, 200, 200],
    "cohort_new": [302, 200, 200, 404, 200, 404, 200, 200],
    "cohort_thread": [302, 200, 200, 404, 200, 404, 200, 200],
    "option_space": [302, 404, 404, 404, 404, 404, 200, 200],
    "option_new": [302, 404, 404, 404, 404, 404, 200, 200],
    "option_thread": [302, 404, 404, 404, 404, 404, 200, 200],
    "edit_learner_post": [302, 200, 403, 404, 403, 404, 403, 403],
    "delete_learner_post": [302, 200, 403, 404, 403, 404, 403, 403],
}
CASES = [(n, r, c) for n, codes in MATRIX.items() for r, c in zip(ROLES, codes, strict=True)]


@pytest.mark.parametrize(("name", "role", "expected"), CASES, ids=[f"{n}-{r}" for n, r, _ in CASES])
def test_forum_url_matrix(client, setup, name, role, expected):
    """Each role gets the expected status; a space one may not read is not found, never forbidden.
    Editing or deleting the learner's post by crafted POST gets the same status from anyone else,
    and the post is unchanged."""
    user = setup["users"][role]
    if user:
        client.force_login(user)
    url = _urls(setup)[name]
    response = client.get(url)
    assert response.status_code == expected
    if expected == 302:
        assert "/comptes/login/" in response["Location"]
    if name in ("edit_learner_post", "delete_learner_post") and role != "learner":
        assert client.post(url, {"message": "pirate"}).status_code == expected
        post = Post.objects.get(pk=setup["cohort_post"].pk)
        assert (post.source, post.edited_at, post.deleted_at) == ("Quand ?", None, None)


def test_space_list_groups_readable_spaces_with_counts(client, setup):
    """The learner sees their spaces grouped by kind with thread counts, never the others'."""
    client.force_login(setup["users"]["learner"])
    html = client.get("/forum/").content.decode()
    assert "Espaces de promotion" in html and "Espaces des modules" in html
    assert "Bretagne" in html and "Occitanie" not in html and "Méthodologie" not in html
    assert "1 fil de discussion" in html and "0 fil de discussion" in html


def test_space_list_empty_state(client, setup):
    """A user who reads no space is told what opens one."""
    client.force_login(UserFactory())
    assert "Aucun espace du forum pour vous" in client.get("/forum/").content.decode()


def test_learner_not_following_an_option_gets_404_even_by_crafted_post(client, setup):
    """A learner without the option can neither see its space nor post a thread or reply there."""
    client.force_login(setup["users"]["learner"])
    thread = setup["option_thread"]
    assert client.post("/forum/m5/nouveau/", {"title": "Q", "message": "x"}).status_code == 404
    assert client.post(f"/forum/m5/{thread.pk}/", {"message": "pirate"}).status_code == 404
    assert Thread.objects.count() == 2 and thread.posts.count() == 1


def test_other_cohort_cannot_reply_by_crafted_post(client, setup):
    """A learner of another cohort posting into the cohort's thread gets 404 and writes nothing."""
    client.force_login(setup["users"]["learner_other_cohort"])
    thread = setup["cohort_thread"]
    assert client.post(f"/forum/c-bzh/{thread.pk}/", {"message": "pirate"}).status_code == 404
    assert thread.posts.count() == 1


def test_ask_with_preview_then_publish(client, setup):
    """« Aperçu » shows the sanitised rendering and writes nothing; publishing creates the thread."""
    client.force_login(setup["users"]["learner"])
    data = {"title": "Heures Qualiopi", "message": "Comment **compter** ?", "action": "preview"}
    response = client.post("/forum/m1/nouveau/", data)
    html = response.content.decode()
    assert response.status_code == 200 and "<strong>compter</strong>" in html
    assert "Comment **compter** ?</textarea>" in html and 'value="Heures Qualiopi"' in html
    assert not Thread.objects.filter(space=setup["core"]).exists()
    response = client.post("/forum/m1/nouveau/", {**data, "action": "publish"})
    thread = Thread.objects.get(space=setup["core"])
    assert response.status_code == 302 and response["Location"] == f"/forum/m1/{thread.pk}/"


@pytest.mark.parametrize(
    ("title", "message", "shown"),
    [
        ("Q", "   ", "Le message est vide."),
        ("", "Bonjour", "Donnez un titre à votre question."),
        ("Q", "x" * 200_000, "Le message dépasse 20 000 caractères"),
        ("y" * 201, "Bonjour", "Le titre dépasse 200 caractères."),
    ],
    ids=["empty", "no-title", "huge", "long-title"],
)
def test_bad_thread_is_refused_and_text_kept(client, setup, title, message, shown):
    """A bad question is refused with a French message, the text stays in the form, nothing is written."""
    client.force_login(setup["users"]["learner"])
    response = client.post("/forum/m1/nouveau/", {"title": title, "message": message, "action": "publish"})
    html = response.content.decode()
    assert response.status_code == 400 and shown in html
    assert f">{message}</textarea>" in html
    assert not Thread.objects.filter(space=setup["core"]).exists()


def test_flood_is_refused_with_text_kept(client, setup):
    """Past the flood limit, the reply is refused with a clear message and the text is kept."""
    client.force_login(setup["users"]["learner"])
    thread = setup["cohort_thread"]
    for i in range(services.FLOOD_LIMIT - 1):
        services.post_reply(thread=thread, source=f"r{i}", by=setup["users"]["learner"])
    response = client.post(f"/forum/c-bzh/{thread.pk}/", {"message": "Mon long brouillon"})
    html = response.content.decode()
    assert response.status_code == 400 and "patientez quelques minutes" in html
    assert ">Mon long brouillon</textarea>" in html
    assert thread.posts.count() == services.FLOOD_LIMIT


def test_script_in_markdown_is_rendered_inert(client, setup):
    """Script tags and event handlers typed in a post show as text, never as elements; a
    javascript: Markdown link loses its target."""
    client.force_login(setup["users"]["learner"])
    thread = setup["cohort_thread"]
    source = '<script>alert("x")</script> **ok** <img src=x onerror=alert(1)> [lien](javascript:alert(1))'
    response = client.post(f"/forum/c-bzh/{thread.pk}/", {"message": source})
    assert response.status_code == 302
    html = client.get(f"/forum/c-bzh/{thread.pk}/").content.decode()
    body = html[html.index('class="forum-posts') :]
    assert "<strong>ok</strong>" in body
    assert "&lt;script&gt;" in body and "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "<script>alert" not in body and "<img" not in body and "javascript:" not in body


def test_html_typed_in_a_post_is_shown_as_text(client, setup):
    """« Le HTML n'est pas interprété »: `<strong>x</strong>` typed in a reply is shown as typed."""
    client.force_login(setup["users"]["learner"])
    thread = setup["cohort_thread"]
    response = client.post(f"/forum/c-bzh/{thread.pk}/", {"message": "Voir <strong>x</strong>"})
    assert response.status_code == 302
    assert Post.objects.filter(thread=thread).last().html == "<p>Voir &lt;strong&gt;x&lt;/strong&gt;</p>"
    body = client.get(f"/forum/c-bzh/{thread.pk}/").content.decode()
    assert "Voir &lt;strong&gt;x&lt;/strong&gt;" in body and "<strong>x</strong>" not in body


def test_reply_with_quote_prefills_and_publishes(client, setup):
    """« Citer » pre-fills a Markdown quote with the post's id; the reply keeps the quote link."""
    client.force_login(setup["users"]["trainer"])
    thread, first = setup["cohort_thread"], setup["cohort_post"]
    html = client.get(f"/forum/c-bzh/{thread.pk}/?citer={first.pk}").content.decode()
    assert "&gt; Quand ?" in html and f'name="quote" value="{first.pk}"' in html
    response = client.post(
        f"/forum/c-bzh/{thread.pk}/", {"message": "> Quand ?\n\nEn mai.", "quote": first.pk}
    )
    reply = thread.posts.last()
    assert response.status_code == 302 and response["Location"].endswith(f"#message-{reply.pk}")
    assert reply.quote == first and "<blockquote>" in reply.html


def test_reply_quoting_a_hidden_post_is_refused(client, setup):
    """A crafted reply quoting a hidden post is refused, text kept, nothing written; no pre-fill either
    (for a member: moderators still see the hidden post's text)."""
    client.force_login(setup["users"]["learner"])
    thread, first = setup["cohort_thread"], setup["cohort_post"]
    Post.objects.filter(pk=first.pk).update(is_hidden=True)
    html = client.get(f"/forum/c-bzh/{thread.pk}/?citer={first.pk}").content.decode()
    assert "Quand ?" not in html and "Message masqué par la modération" in html
    response = client.post(f"/forum/c-bzh/{thread.pk}/", {"message": "Réponse", "quote": first.pk})
    html = response.content.decode()
    assert response.status_code == 400 and "Le message cité n&#x27;est plus disponible." in html
    assert ">Réponse</textarea>" in html and thread.posts.count() == 1


def test_locked_thread_has_no_form_and_refuses_posts(client, setup):
    """A locked thread shows a notice instead of the form; a crafted reply is refused and not written."""
    client.force_login(setup["users"]["learner"])
    thread = setup["cohort_thread"]
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    html = client.get(f"/forum/c-bzh/{thread.pk}/").content.decode()
    assert "Fil verrouillé" in html and "<textarea" not in html and "Citer" not in html
    response = client.post(f"/forum/c-bzh/{thread.pk}/", {"message": "Encore une question"})
    assert response.status_code == 400 and "verrouillé : il n&#x27;accepte plus" in response.content.decode()
    assert thread.posts.count() == 1


def test_editing_someone_elses_post_is_forbidden(client, setup):
    """A trainer cannot edit or delete a learner's post, even by crafted request."""
    client.force_login(setup["users"]["trainer"])
    thread, post = setup["cohort_thread"], setup["cohort_post"]
    base = f"/forum/c-bzh/{thread.pk}/messages/{post.pk}"
    assert client.post(f"{base}/modifier/", {"message": "pirate"}).status_code == 403
    assert client.post(f"{base}/supprimer/").status_code == 403
    post.refresh_from_db()
    assert post.source == "Quand ?" and post.deleted_at is None


def test_edit_own_post_shows_modified(client, setup):
    """The author edits within the window; the thread shows « modifié »."""
    client.force_login(setup["users"]["learner"])
    thread, post = setup["cohort_thread"], setup["cohort_post"]
    html = client.get(f"/forum/c-bzh/{thread.pk}/").content.decode()
    assert f"/messages/{post.pk}/modifier/" in html
    response = client.post(
        f"/forum/c-bzh/{thread.pk}/messages/{post.pk}/modifier/", {"message": "Quand donc ?"}
    )
    assert response.status_code == 302
    html = client.get(f"/forum/c-bzh/{thread.pk}/").content.decode()
    assert "Quand donc ?" in html and ">modifié</span>" in html


def test_edit_after_the_window_is_refused(client, setup):
    """After 30 minutes the edit link is gone and a crafted edit is refused with the text kept."""
    client.force_login(setup["users"]["learner"])
    thread, post = setup["cohort_thread"], setup["cohort_post"]
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - services.EDIT_WINDOW * 2)
    assert "/modifier/" not in client.get(f"/forum/c-bzh/{thread.pk}/").content.decode()
    response = client.post(f"/forum/c-bzh/{thread.pk}/messages/{post.pk}/modifier/", {"message": "Tard"})
    html = response.content.decode()
    assert response.status_code == 400 and "30 minutes" in html and ">Tard</textarea>" in html
    post.refresh_from_db()
    assert post.source == "Quand ?"


def test_delete_own_post_after_confirmation(client, setup):
    """Deleting asks for confirmation first; afterwards the thread shows « Message supprimé »."""
    client.force_login(setup["users"]["learner"])
    thread, post = setup["cohort_thread"], setup["cohort_post"]
    url = f"/forum/c-bzh/{thread.pk}/messages/{post.pk}/supprimer/"
    assert "Supprimer votre message ?" in client.get(url).content.decode()
    post.refresh_from_db()
    assert post.deleted_at is None
    assert client.post(url).status_code == 302
    html = client.get(f"/forum/c-bzh/{thread.pk}/").content.decode()
    assert "Message supprimé" in html and "Quand ?" not in html


def test_space_page_counts_only_visible_replies(client, setup):
    """« Réponses » counts the replies members can see: hidden and deleted ones are left out, and
    so is the question, even when it is itself deleted."""
    users = setup["users"]
    thread = setup["cohort_thread"]
    services.post_reply(thread=thread, source="Visible", by=users["trainer"])
    hidden = services.post_reply(thread=thread, source="Hors sujet", by=users["ars_region"])
    deleted = services.post_reply(thread=thread, source="Oups", by=users["learner"])
    moderation.post_hide(post=hidden, by=users["trainer"], reason="Hors sujet")
    services.post_delete(post=deleted, by=users["learner"])
    for role in ("learner", "trainer"):
        client.force_login(users[role])
        row = client.get("/forum/c-bzh/").context["page_obj"][0]
        assert (row.pk, row.reply_count) == (thread.pk, 1)
    services.post_delete(post=setup["cohort_post"], by=users["learner"])
    assert client.get("/forum/c-bzh/").context["page_obj"][0].reply_count == 1


def test_space_page_orders_pinned_first_and_offers_new_question(client, setup):
    """Pinned threads come first; « Nouvelle question » is offered to those who may post."""
    learner = setup["users"]["learner"]
    older = services.thread_start(space=setup["core"], title="Ancienne épinglée", source="a", by=learner)
    services.thread_start(space=setup["core"], title="Récente", source="b", by=learner)
    Thread.objects.filter(pk=older.pk).update(is_pinned=True)
    client.force_login(learner)
    html = client.get("/forum/m1/").content.decode()
    assert html.index("Ancienne épinglée") < html.index("Récente") and "Nouvelle question" in html


def test_new_question_form_marks_the_title_as_required(client, setup):
    """The title is required: its label is not marked « (facultatif) », and an empty title is
    refused with the service's message while the message typed is kept."""
    client.force_login(setup["users"]["learner"])
    html = client.get("/forum/m1/nouveau/").content.decode()
    assert "Titre de la question" in html and "Titre de la question (facultatif)" not in html
    response = client.post("/forum/m1/nouveau/", {"title": "", "message": "Mon brouillon précieux"})
    html = response.content.decode()
    assert "Donnez un titre à votre question." in html and "Mon brouillon précieux" in html
    assert not Thread.objects.filter(space=setup["core"]).exists()


def test_empty_space_says_what_to_do(client, setup):
    """An empty space invites the first question."""
    client.force_login(setup["users"]["learner"])
    assert "Aucune question dans cet espace" in client.get("/forum/general/").content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _add_posts(thread, authors, n):
    now = timezone.now()
    Post.objects.bulk_create(
        Post(
            thread=thread,
            author=authors[i % len(authors)],
            source=f"r{i}",
            html=f"<p>r{i}</p>",
            created_at=now,
        )
        for i in range(n)
    )


def _add_threads(space, authors, n):
    threads = Thread.objects.bulk_create(
        Thread(space=space, title=f"Q{i}", author=authors[i % len(authors)]) for i in range(n)
    )
    Post.objects.bulk_create(Post(thread=t, author=t.author, source="?", html="<p>?</p>") for t in threads)


def test_thread_page_query_budget_is_fixed(client, setup):
    """The thread page costs the same number of queries at 20 and 1,000 posts (authors joined)."""
    learner = setup["users"]["learner"]
    thread = setup["cohort_thread"]
    _add_posts(thread, [learner, setup["users"]["trainer"], setup["users"]["ars_region"]], 19)
    client.force_login(learner)
    url = f"/forum/c-bzh/{thread.pk}/"
    assert thread.posts.count() == 20
    small = _queries(client, url)
    _add_posts(thread, [UserFactory() for _ in range(5)], 980)
    assert thread.posts.count() == 1000
    assert _queries(client, url) == small
    assert _queries(client, url + "?page=20") == small


def test_space_pages_query_budget_is_fixed(client, setup):
    """The space page and the space list cost the same number of queries at 5 and 200 threads."""
    learner = setup["users"]["learner"]
    _add_threads(setup["core"], [learner], 5)
    client.force_login(learner)
    small_space, small_list = _queries(client, "/forum/m1/"), _queries(client, "/forum/")
    _add_threads(setup["core"], [learner, *(ArsStaffFactory() for _ in range(5))], 195)
    assert Thread.objects.filter(space=setup["core"]).count() == 200
    assert _queries(client, "/forum/m1/") == small_space
    assert _queries(client, "/forum/m1/?page=7") == small_space
    assert _queries(client, "/forum/") == small_list


# --- Drafts kept in the browser -----------------------------------------------------------------


def test_forum_forms_carry_a_draft_key_and_load_the_draft_script(client, setup):
    """The new-question and reply forms name their browser draft; the script loads on forum pages
    only."""
    client.force_login(setup["users"]["learner"])
    thread = setup["cohort_thread"]
    new = client.get("/forum/c-bzh/nouveau/").content.decode()
    detail = client.get(f"/forum/c-bzh/{thread.pk}/").content.decode()
    assert 'data-draft-key="question:c-bzh"' in new and "js/forum-draft.js" in new
    assert f'data-draft-key="reponse:{thread.pk}"' in detail and "js/forum-draft.js" in detail
    assert "data-draft-clear" not in detail
    assert "js/forum-draft.js" not in client.get("/mon-espace/").content.decode()


def test_published_reply_and_question_clear_their_draft_once(client, setup):
    """After a reply or a question is published, the next thread page tells the script to drop
    that draft, once; a refused reply does not."""
    client.force_login(setup["users"]["learner"])
    thread = setup["cohort_thread"]
    url = f"/forum/c-bzh/{thread.pk}/"
    assert client.post(url, {"message": "  "}).status_code == 400
    assert "data-draft-clear" not in client.get(url).content.decode()
    client.post(url, {"message": "Merci !"})
    assert f'data-draft-clear="reponse:{thread.pk}"' in client.get(url).content.decode()
    assert "data-draft-clear" not in client.get(url).content.decode()
    response = client.post("/forum/c-bzh/nouveau/", {"title": "Autre", "message": "Et ?"}, follow=True)
    assert 'data-draft-clear="question:c-bzh"' in response.content.decode()


def test_csrf_failure_shows_a_french_page_and_writes_nothing(setup):
    """A reply refused by the CSRF check gets a French 403 page saying the text is kept in the
    browser, with a link back to the form; no post is written."""
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(setup["users"]["learner"])
    thread = setup["cohort_thread"]
    url = f"/forum/c-bzh/{thread.pk}/"
    response = csrf_client.post(url, {"message": "Mon long message"}, HTTP_REFERER=f"http://testserver{url}")
    html = response.content.decode()
    assert response.status_code == 403
    assert "Formulaire expiré" in html and "votre texte est conservé dans ce navigateur" in html
    assert f'href="http://testserver{url}"' in html
    assert not Post.objects.filter(source="Mon long message").exists()
    foreign = csrf_client.post(url, {"message": "x"}, HTTP_REFERER="https://ailleurs.example/piege")
    assert "ailleurs.example" not in foreign.content.decode()
