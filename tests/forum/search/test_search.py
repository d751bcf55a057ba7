"""Forum search: the index follows posts as they are written, results never leave the spaces a
member may read, links reach the right page of the thread, and bad queries get clear answers."""

import html as html_lib

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum.enums import SpaceKind
from forum.models import FaqEntry, Post, Space, Thread
from forum.search import selectors as search
from forum.threads import services
from forum.threads.selectors import POSTS_PER_PAGE
from tests.factories import CohortFactory, EnrolmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def setup(programme, modules, cohort, other_region, ars_staff, other_ars_staff, trainer, pedagogical):
    learner = EnrolmentFactory(cohort=cohort).user
    other_cohort = CohortFactory(programme=programme, region=other_region, name="Occitanie 2026")
    other_learner = EnrolmentFactory(cohort=other_cohort).user
    general = Space.objects.create(
        kind=SpaceKind.GENERAL, title="Général", slug="general", programme=programme
    )
    own = Space.objects.create(
        kind=SpaceKind.COHORT, title="Promotion Bretagne", slug="c-bzh", programme=programme, cohort=cohort
    )
    other = Space.objects.create(
        kind=SpaceKind.COHORT,
        title="Promotion Occitanie",
        slug="c-occ",
        programme=programme,
        cohort=other_cohort,
    )
    option = Space.objects.create(
        kind=SpaceKind.MODULE, title="Méthodologie", slug="m5", programme=programme, module=modules[4]
    )
    threads = {
        "general": services.thread_start(
            space=general, title="Attestation Qualiopi", source="Où trouver le certificat ?", by=learner
        ),
        "own": services.thread_start(
            space=own, title="Séminaire de Rennes", source="Le certificat Qualiopi de l'IREPS ?", by=learner
        ),
        "other": services.thread_start(
            space=other,
            title="Séminaire de Montpellier",
            source="Qualiopi pour l'organisme de Montpellier ?",
            by=other_learner,
        ),
        "option": services.thread_start(
            space=option, title="Leadership", source="Qualiopi et leadership en santé", by=trainer
        ),
    }
    return {
        "spaces": {"general": general, "own": own, "other": other, "option": option},
        "threads": threads,
        "users": {
            "anonymous": None,
            "learner": learner,
            "learner_other_cohort": other_learner,
            "ars_region": ars_staff,
            "ars_other_region": other_ars_staff,
            "trainer": trainer,
            "pedagogical": pedagogical,
        },
    }


def _found(user, query) -> set[str]:
    return {post.thread.title for post in search.post_search(user=user, query=query)}


ALL = {"Attestation Qualiopi", "Séminaire de Rennes", "Séminaire de Montpellier", "Leadership"}
VISIBLE = {
    "anonymous": set(),
    "learner": {"Attestation Qualiopi", "Séminaire de Rennes"},
    "learner_other_cohort": {"Attestation Qualiopi", "Séminaire de Montpellier"},
    "ars_region": {"Attestation Qualiopi", "Séminaire de Rennes"},
    "ars_other_region": {"Attestation Qualiopi", "Séminaire de Montpellier"},
    "trainer": ALL,
    "pedagogical": ALL,
}


@pytest.mark.parametrize("role", list(VISIBLE))
def test_results_stay_in_the_spaces_each_role_may_read(setup, role):
    """Every role finds exactly the matching posts of the spaces lms.permissions lets it read."""
    from django.contrib.auth.models import AnonymousUser

    user = setup["users"][role] or AnonymousUser()
    assert _found(user, "Qualiopi") == VISIBLE[role]


@pytest.mark.parametrize("role", [r for r in VISIBLE if r != "anonymous"])
def test_search_page_matrix_never_shows_an_unreadable_post(client, setup, role):
    """The page lists the readable threads and never the title or text of another space's post."""
    client.force_login(setup["users"][role])
    response = client.get("/forum/recherche/", {"q": "Qualiopi"})
    html = html_lib.unescape(response.content.decode())
    assert response.status_code == 200
    assert f"{len(VISIBLE[role])} message" in html
    for title in ALL:
        assert (title in html) == (title in VISIBLE[role])
    if "Séminaire de Montpellier" not in VISIBLE[role]:
        assert "Montpellier" not in html


def test_anonymous_is_sent_to_sign_in(client, setup):
    """The forum search is for members."""
    response = client.get("/forum/recherche/", {"q": "Qualiopi"})
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]


def test_index_follows_new_replies_edits_and_deletions(setup):
    """A reply is found as soon as it is saved; an edit replaces the old words; a deleted or hidden
    post and a hidden thread are never results."""
    learner, trainer = setup["users"]["learner"], setup["users"]["trainer"]
    thread = setup["threads"]["own"]
    reply = services.post_reply(thread=thread, source="Le comité de pilotage se réunit en juin.", by=learner)
    assert _found(trainer, "pilotage") == {"Séminaire de Rennes"}
    services.post_edit(post=reply, source="La gouvernance se réunit en juin.", by=learner)
    assert _found(trainer, "pilotage") == set()
    assert _found(trainer, "gouvernance") == {"Séminaire de Rennes"}
    services.post_delete(post=reply, by=learner)
    assert _found(trainer, "gouvernance") == set()
    other = services.post_reply(thread=thread, source="Un message hors sujet.", by=learner)
    Post.objects.filter(pk=other.pk).update(is_hidden=True)
    assert _found(trainer, "hors sujet") == set()
    Thread.objects.filter(pk=setup["threads"]["general"].pk).update(is_hidden=True)
    assert _found(trainer, "Qualiopi") == ALL - {"Attestation Qualiopi"}


def test_every_word_must_match_and_the_thread_title_counts(setup):
    """Several words narrow the results; a word of the thread title finds its posts."""
    trainer = setup["users"]["trainer"]
    assert _found(trainer, "Qualiopi Montpellier") == {"Séminaire de Montpellier"}
    assert _found(trainer, "Rennes") == {"Séminaire de Rennes"}
    assert _found(trainer, "Qualiopi introuvable") == set()


def test_result_links_to_the_page_and_anchor_of_the_post(client, setup):
    """A match at position 60 of a thread links to page 2 of the thread, at its anchor."""
    thread = setup["threads"]["own"]
    learner = setup["users"]["learner"]
    now = timezone.now()
    Post.objects.bulk_create(
        Post(thread=thread, author=learner, source=f"r{i}", html=f"<p>r{i}</p>", created_at=now)
        for i in range(58)
    )
    target = Post.objects.create(
        thread=thread,
        author=learner,
        source="Le mot chèvrefeuille est ici.",
        html="<p>Le mot chèvrefeuille est ici.</p>",
        created_at=now,
    )
    assert thread.posts.filter(pk__lt=target.pk).count() == 59
    client.force_login(learner)
    html = client.get("/forum/recherche/", {"q": "chèvrefeuille"}).content.decode()
    page = 59 // POSTS_PER_PAGE + 1
    assert f'href="/forum/c-bzh/{thread.pk}/?page={page}#message-{target.pk}"' in html
    assert "<mark>chèvrefeuille</mark>" in html


def test_excerpt_centres_on_the_match_and_marks_it_whatever_the_accents():
    """The excerpt starts near the first match, marks every occurrence, ignores case and accents,
    and escapes nothing itself (the template does)."""
    text = (
        "Début. "
        + "mot " * 100
        + "Le Mémoire compte 10 à 20 pages ; le memoire se soutient. <b>"
        + "fin " * 100
    )
    segments = search.excerpt(html_lib.escape(text), search.query_terms("mémoire"))
    assert segments[0] == ("… ", False) and segments[-1] == (" …", False)
    assert [s for s, marked in segments if marked] == ["Mémoire", "memoire"]
    joined = "".join(s for s, _ in segments)
    assert "<b>" in joined and len(joined) <= search.EXCERPT_CHARS + 10
    assert search.excerpt("<p>Court.</p>", []) == [("Court.", False)]


def test_search_page_shows_matching_live_faq_entries(client, setup):
    """Published FAQ entries that match come first; drafts never."""
    live = FaqEntry.objects.create(
        question="Quels organismes Qualiopi ?", answer="<p>R</p>", theme="Qualiopi"
    )
    live.save_revision().publish()
    draft = FaqEntry.objects.create(
        question="Qualiopi brouillon", answer="<p>R</p>", theme="Qualiopi", live=False
    )
    draft.save_revision()
    client.force_login(setup["users"]["learner"])
    html = html_lib.unescape(client.get("/forum/recherche/", {"q": "Qualiopi"}).content.decode())
    assert "Dans la FAQ" in html and f'href="/forum/faq/{live.pk}/"' in html
    assert "Qualiopi brouillon" not in html


def test_empty_query_explains_what_to_do(client, setup):
    """No query: an invitation with examples, no result list."""
    client.force_login(setup["users"]["learner"])
    for params in ({}, {"q": ""}, {"q": "   "}):
        html = client.get("/forum/recherche/", params).content.decode()
        assert "Que cherchez-vous ?" in html and "message pour" not in html


def test_no_result_says_so_with_suggestions(client, setup):
    """A query matching nothing the member may read says so and points to the FAQ and spaces."""
    client.force_login(setup["users"]["learner"])
    html = html_lib.unescape(client.get("/forum/recherche/", {"q": "Montpellier"}).content.decode())
    assert "0 message pour « Montpellier »" in html and "Aucun message ne contient tous ces mots" in html
    assert "Séminaire de Montpellier" not in html


def test_too_long_query_is_refused_with_a_message(client, setup):
    """A 5,000-character query: status 400, a French message, no search run, the field kept."""
    client.force_login(setup["users"]["learner"])
    response = client.get("/forum/recherche/", {"q": "Qualiopi " * 600})
    html = html_lib.unescape(response.content.decode())
    assert response.status_code == 400
    assert "Votre recherche est trop longue : 200 caractères au plus" in html
    assert "Attestation Qualiopi" not in html and 'aria-invalid="true"' in html


@pytest.mark.parametrize(
    "query", ['"Qualiopi', "Qualiopi AND OR NOT", "(Qualiopi*", "'; DROP TABLE forum_post; --", "!!!", "é"]
)
def test_search_syntax_never_breaks_the_page(client, setup, query):
    """Quotes, operators, wildcards and punctuation are plain text: the page answers 200."""
    client.force_login(setup["users"]["learner"])
    response = client.get("/forum/recherche/", {"q": query})
    assert response.status_code == 200
    assert Post.objects.count() == 4


def test_results_are_paginated(client, setup):
    """25 matching posts: 20 on the first page, 5 on the second, with links between pages."""
    learner = setup["users"]["learner"]
    thread = setup["threads"]["own"]
    for i in range(24):
        Post.objects.create(
            thread=thread, author=learner, source=f"Qualiopi {i}", html=f"<p>Qualiopi {i}</p>"
        )
    client.force_login(learner)
    first = client.get("/forum/recherche/", {"q": "Qualiopi"}).content.decode()
    assert "26 messages pour" in first
    assert first.count('<li class="fr-mb-3w fr-p-2w"') == search.RESULTS_PER_PAGE
    assert "page=2" in first and "q=Qualiopi" in first
    second = client.get("/forum/recherche/", {"q": "Qualiopi", "page": 2}).content.decode()
    assert second.count('<li class="fr-mb-3w fr-p-2w"') == 6


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


def _add_matches(thread, authors, n):
    for i in range(n):
        Post.objects.create(
            thread=thread,
            author=authors[i % len(authors)],
            source=f"Question Qualiopi {i}",
            html=f"<p>Question Qualiopi {i}</p>",
        )


def test_search_page_query_budget_is_fixed(client, setup):
    """The results page costs the same number of queries at 6 and 80 matching posts."""
    learner = setup["users"]["learner"]
    thread = setup["threads"]["own"]
    _add_matches(thread, [learner, setup["users"]["trainer"]], 4)
    client.force_login(learner)
    small = _queries(client, "/forum/recherche/", {"q": "Qualiopi"})
    _add_matches(thread, [learner, *(UserFactory() for _ in range(5))], 74)
    _add_matches(setup["threads"]["general"], [setup["users"]["ars_region"]], 5)
    assert search.post_search(user=learner, query="Qualiopi").count() == 85
    assert _queries(client, "/forum/recherche/", {"q": "Qualiopi"}) == small
    assert _queries(client, "/forum/recherche/", {"q": "Qualiopi", "page": 3}) == small
