"""Unread tracking: a member sees which threads have new posts since their last visit, how many,
and jumps to the first unread one; the lists keep a fixed query budget."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum.enums import SpaceKind
from forum.models import Attachment, Post, Space, Thread, ThreadVisit
from forum.threads import selectors, services
from forum.threads.selectors import POSTS_PER_PAGE
from tests.factories import ArsStaffFactory, CohortFactory, EnrolmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def world(programme, modules, cohort, other_region, ars_staff, other_ars_staff, trainer, pedagogical):
    learner = EnrolmentFactory(cohort=cohort).user
    classmate = EnrolmentFactory(cohort=cohort).user
    other_cohort = CohortFactory(programme=programme, region=other_region, name="Occitanie 2026")
    other_learner = EnrolmentFactory(cohort=other_cohort).user
    own = Space.objects.create(
        kind=SpaceKind.COHORT, title="Bretagne", slug="c-bzh", programme=programme, cohort=cohort
    )
    core = Space.objects.create(
        kind=SpaceKind.MODULE, title="Module socle 1", slug="m1", programme=programme, module=modules[0]
    )
    thread = services.thread_start(space=own, title="Réunion ARS", source="Quand ?", by=learner)
    return {
        "own": own,
        "core": core,
        "thread": thread,
        "classmate": classmate,
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


def _posts(thread, authors, n, start=None):
    """n posts in the thread, one second apart, authors in turn."""
    start = start or timezone.now()
    return Post.objects.bulk_create(
        Post(
            thread=thread,
            author=authors[i % len(authors)],
            source=f"r{i}",
            html=f"<p>r{i}</p>",
            created_at=start + timedelta(seconds=i + 1),
        )
        for i in range(n)
    )


def _seen(user, thread):
    return ThreadVisit.objects.filter(user=user, thread=thread).values_list("seen_until", flat=True).first()


# --- Marking as read ------------------------------------------------------------------------------


def test_viewing_a_page_moves_seen_until_to_its_newest_post_never_back(client, world):
    """Page 2 marks up to its last post; coming back to page 1 does not move it backwards."""
    thread, trainer = world["thread"], world["users"]["trainer"]
    posts = _posts(thread, [trainer], 2 * POSTS_PER_PAGE)
    reader = world["classmate"]
    client.force_login(reader)
    assert _seen(reader, thread) is None
    client.get(f"/forum/c-bzh/{thread.pk}/")
    assert _seen(reader, thread) == posts[POSTS_PER_PAGE - 2].created_at
    client.get(f"/forum/c-bzh/{thread.pk}/?page=3")
    assert _seen(reader, thread) == posts[-1].created_at
    client.get(f"/forum/c-bzh/{thread.pk}/?page=1")
    assert _seen(reader, thread) == posts[-1].created_at
    assert ThreadVisit.objects.filter(user=reader).count() == 1


def test_marking_is_one_upsert_query(world):
    """Recording a visit is a single INSERT … ON CONFLICT statement, first time or not."""
    thread, reader = world["thread"], world["classmate"]
    later = timezone.now() + timedelta(minutes=5)
    for seen in (timezone.now(), later, later - timedelta(minutes=1)):
        with CaptureQueriesContext(connection) as ctx:
            selectors.thread_visit_record(thread=thread, user=reader, seen_until=seen)
        assert len(ctx.captured_queries) == 1 and "ON CONFLICT" in ctx.captured_queries[0]["sql"]
    assert _seen(reader, thread) == later


def test_thread_page_points_out_the_first_unread_post(client, world):
    """The page's context names the first post the member had not read; none once read."""
    thread, learner, trainer = world["thread"], world["users"]["learner"], world["users"]["trainer"]
    client.force_login(learner)
    assert client.get(f"/forum/c-bzh/{thread.pk}/").context["first_unread_id"] is None
    first, _ = _posts(thread, [trainer], 2)
    assert client.get(f"/forum/c-bzh/{thread.pk}/").context["first_unread_id"] == first.pk
    assert client.get(f"/forum/c-bzh/{thread.pk}/").context["first_unread_id"] is None


def test_thread_page_fetches_the_answer_with_its_author(client, world):
    """The accepted answer and its author come with the thread: no query when the page reads them."""
    thread, trainer = world["thread"], world["users"]["trainer"]
    answer = services.post_reply(thread=thread, source="En mai.", by=trainer)
    Thread.objects.filter(pk=thread.pk).update(answer=answer)
    client.force_login(world["users"]["learner"])
    shown = client.get(f"/forum/c-bzh/{thread.pk}/").context["thread"]
    with CaptureQueriesContext(connection) as ctx:
        assert shown.answer.author.display_name == trainer.display_name
    assert len(ctx.captured_queries) == 0


# --- What counts as unread ------------------------------------------------------------------------


def test_unread_counts_ignore_own_deleted_and_hidden_posts(world):
    """Own posts, deleted and hidden posts are never unread; a thread never opened is all unread."""
    thread, learner, trainer = world["thread"], world["users"]["learner"], world["users"]["trainer"]
    reader = world["classmate"]
    a, b, c, d, e = _posts(thread, [trainer, reader], 5)
    Post.objects.filter(pk=c.pk).update(is_hidden=True)
    Post.objects.filter(pk=d.pk).update(deleted_at=timezone.now())

    def counts(user):
        row = selectors.threads_with_unread(threads=Thread.objects.filter(pk=thread.pk), user=user).get()
        return row.seen_until, row.unread_count

    # a, c, e by the trainer; b, d by the reader; c hidden, d deleted.
    assert counts(reader) == (None, 3)  # the question, a and e
    assert counts(learner) == (None, 3)  # a, b and e; the question is the learner's
    assert counts(trainer) == (None, 2)  # the question and b
    selectors.thread_visit_record(thread=thread, user=learner, seen_until=a.created_at)
    assert counts(learner) == (a.created_at, 2)  # b and e
    selectors.thread_visit_record(thread=thread, user=reader, seen_until=b.created_at)
    assert counts(reader) == (b.created_at, 1)  # e
    selectors.thread_visit_record(thread=thread, user=reader, seen_until=e.created_at)
    assert counts(reader) == (e.created_at, 0)


def test_space_list_counts_threads_with_unread_posts(client, world):
    """The space list says, per space, how many threads hold something new."""
    learner, reader = world["users"]["learner"], world["classmate"]
    services.thread_start(space=world["core"], title="Heures", source="?", by=learner)
    services.thread_start(space=world["core"], title="Mémoire", source="?", by=learner)
    client.force_login(reader)
    html = client.get("/forum/").content.decode()
    assert "2 fils avec du nouveau" in html and "1 fil avec du nouveau" in html
    client.get(f"/forum/c-bzh/{world['thread'].pk}/")
    html = client.get("/forum/").content.decode()
    assert "2 fils avec du nouveau" in html and "1 fil avec du nouveau" not in html
    client.force_login(learner)
    assert "avec du nouveau" not in client.get("/forum/").content.decode()


def test_space_page_shows_new_and_unread_counts(client, world):
    """« Nouveau » for a thread never opened, « N non lus » after new replies, nothing once read."""
    thread, trainer, reader = world["thread"], world["users"]["trainer"], world["classmate"]
    client.force_login(reader)
    html = client.get("/forum/c-bzh/").content.decode()
    assert ">Nouveau</span>" in html and f"/forum/c-bzh/{thread.pk}/non-lu/" in html
    client.get(f"/forum/c-bzh/{thread.pk}/")
    html = client.get("/forum/c-bzh/").content.decode()
    assert "Nouveau" not in html and "Premier message non lu" not in html
    _posts(thread, [trainer], 2)
    html = client.get("/forum/c-bzh/").content.decode()
    assert ">2 non lus</span>" in html and "Premier message non lu" in html


# --- « Premier message non lu » --------------------------------------------------------------------


def test_jump_goes_to_first_post_when_never_opened(client, world):
    """Never opened: the first post of the thread."""
    thread = world["thread"]
    client.force_login(world["classmate"])
    response = client.get(f"/forum/c-bzh/{thread.pk}/non-lu/")
    assert response["Location"] == f"/forum/c-bzh/{thread.pk}/?page=1#message-{thread.posts.first().pk}"


def test_jump_goes_to_page_and_anchor_of_first_unread(client, world):
    """After reading the first page, new replies on page 2: the jump lands on the first of them."""
    thread, trainer, reader = world["thread"], world["users"]["trainer"], world["classmate"]
    _posts(thread, [trainer], POSTS_PER_PAGE + 4)
    client.force_login(reader)
    client.get(f"/forum/c-bzh/{thread.pk}/")
    first_unread = Post.objects.filter(thread=thread).order_by("created_at", "pk")[POSTS_PER_PAGE]
    response = client.get(f"/forum/c-bzh/{thread.pk}/non-lu/")
    assert response.status_code == 302
    assert response["Location"] == f"/forum/c-bzh/{thread.pk}/?page=2#message-{first_unread.pk}"
    assert client.get(response["Location"]).context["first_unread_id"] == first_unread.pk


def test_jump_goes_to_last_post_when_all_read(client, world):
    """Everything read: the last post."""
    thread, trainer, reader = world["thread"], world["users"]["trainer"], world["classmate"]
    posts = _posts(thread, [trainer], 3)
    client.force_login(reader)
    client.get(f"/forum/c-bzh/{thread.pk}/")
    response = client.get(f"/forum/c-bzh/{thread.pk}/non-lu/")
    assert response["Location"] == f"/forum/c-bzh/{thread.pk}/?page=1#message-{posts[-1].pk}"


ROLES = [
    "anonymous",
    "learner",
    "learner_other_cohort",
    "ars_region",
    "ars_other_region",
    "trainer",
    "pedagogical",
]
#                      anon    learner other  ars  ars2 trainer pedago
MATRIX = {
    "visible": ["login", 302, 404, 302, 404, 302, 302],
    "hidden": ["login", 404, 404, 404, 404, 302, 302],
}
CASES = [(s, r, c) for s, codes in MATRIX.items() for r, c in zip(ROLES, codes, strict=True)]


@pytest.mark.parametrize(("state", "role", "expected"), CASES, ids=[f"{s}-{r}" for s, r, _ in CASES])
def test_thread_unread_url_matrix(client, world, state, role, expected):
    """Readers are sent into the thread; others get « not found »; a hidden thread only for moderators."""
    thread = world["thread"]
    if state == "hidden":
        Thread.objects.filter(pk=thread.pk).update(is_hidden=True)
    user = world["users"][role]
    if user:
        client.force_login(user)
    response = client.get(f"/forum/c-bzh/{thread.pk}/non-lu/")
    if expected == "login":
        assert response.status_code == 302 and "/comptes/login/" in response["Location"]
    else:
        assert response.status_code == expected
        if expected == 302:
            assert response["Location"].startswith(f"/forum/c-bzh/{thread.pk}/?page=1#message-")


def test_thread_unread_in_another_space_slug_is_not_found(client, world):
    """A thread reached through another space's slug is not found."""
    client.force_login(world["users"]["trainer"])
    assert client.get(f"/forum/m1/{world['thread'].pk}/non-lu/").status_code == 404


# --- Query budgets --------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _threads(space, authors, n, reader, visited_every=3):
    """n threads with two posts each; the reader opened one in `visited_every`, before its reply."""
    now = timezone.now()
    threads = Thread.objects.bulk_create(
        Thread(space=space, title=f"Q{i}", author=authors[i % len(authors)]) for i in range(n)
    )
    Post.objects.bulk_create(
        Post(thread=t, author=t.author, source=s, html=f"<p>{s}</p>", created_at=now + timedelta(seconds=k))
        for t in threads
        for k, s in enumerate(["?", "!"])
    )
    ThreadVisit.objects.bulk_create(
        ThreadVisit(user=reader, thread=t, seen_until=now) for t in threads[::visited_every]
    )
    return threads


def test_space_list_with_unread_counts_has_a_fixed_budget(client, world):
    """The space list with its unread counts costs the same queries at 10 and 200 readable threads."""
    reader, learner = world["classmate"], world["users"]["learner"]
    _threads(world["core"], [learner], 10, reader)
    client.force_login(reader)
    small = _queries(client, "/forum/")
    _threads(world["core"], [learner, *(ArsStaffFactory() for _ in range(4))], 190, reader)
    assert Thread.objects.filter(space=world["core"]).count() == 200
    assert _queries(client, "/forum/") == small
    spaces = {s.slug: s for s in selectors.spaces_with_unread(user=reader)}
    assert (spaces["m1"].thread_count, spaces["m1"].unread_thread_count) == (200, 200)
    assert (spaces["c-bzh"].thread_count, spaces["c-bzh"].unread_thread_count) == (1, 1)


def test_space_page_with_unread_badges_has_a_fixed_budget(client, world):
    """The space page with its badges costs the same queries at 10 and 200 threads."""
    reader, learner = world["classmate"], world["users"]["learner"]
    _threads(world["core"], [learner], 10, reader)
    client.force_login(reader)
    small = _queries(client, "/forum/m1/")
    _threads(world["core"], [learner, *(UserFactory() for _ in range(4))], 190, reader)
    assert _queries(client, "/forum/m1/") == small
    assert _queries(client, "/forum/m1/?page=5") == small


def _attachments(posts, every=2):
    Attachment.objects.bulk_create(
        Attachment(
            post=p,
            file=f"forum/x/{p.pk}.png",
            original_name=f"{p.pk}.png",
            kind="image",
            content_type="image/png",
            size=10,
        )
        for p in posts[::every]
    )


def test_thread_page_with_attachments_has_a_fixed_budget(client, world):
    """The thread page, with attachments and unread marking, costs the same at 20 and 1,000 posts."""
    thread, learner = world["thread"], world["users"]["learner"]
    _attachments(_posts(thread, [learner, world["users"]["trainer"]], 19))
    client.force_login(world["classmate"])
    url = f"/forum/c-bzh/{thread.pk}/"
    small = _queries(client, url)
    _attachments(
        _posts(thread, [UserFactory() for _ in range(5)], 980, start=timezone.now() + timedelta(hours=1))
    )
    assert thread.posts.count() == 1000
    assert _queries(client, url) == small
    assert _queries(client, url + "?page=20") == small
    html = client.get(url + "?page=20").content.decode()
    assert html.count('<img src="/forum/pieces-jointes/') == POSTS_PER_PAGE // 2
