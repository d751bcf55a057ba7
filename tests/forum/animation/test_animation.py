"""The trainers' animation: the unanswered questions (selector and page), the median time to a
trainer's first answer per space and month, and the template tags showing them."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum.animation import selectors as animation
from forum.enums import SpaceKind
from forum.models import Post, Space, Thread
from forum.threads import services
from tests.factories import (
    ArsStaffFactory,
    CohortFactory,
    EnrolmentFactory,
    PedagogicalFactory,
    TrainerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
URL = "/forum/animation/questions-sans-reponse/"


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
    other = Space.objects.create(
        kind=SpaceKind.COHORT, title="Occitanie", slug="c-occ", programme=programme, cohort=other_cohort
    )
    core = Space.objects.create(
        kind=SpaceKind.MODULE, title="Module socle 1", slug="m1", programme=programme, module=modules[0]
    )
    return {
        "general": general,
        "own": own,
        "other": other,
        "core": core,
        "peer": peer,
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


def _question(space, author, title="Question", *, at=None, replied_after=None) -> Thread:
    """A thread with its opening post, created at `at`; answered by a trainer `replied_after` later."""
    at = at or timezone.now()
    thread = Thread.objects.create(
        space=space,
        title=title,
        author=author,
        created_at=at,
        last_post_at=at,
        first_trainer_reply_at=at + replied_after if replied_after is not None else None,
    )
    Post.objects.create(thread=thread, author=author, source="?", html="<p>?</p>", created_at=at)
    return thread


def _waiting(*spaces) -> list[Thread]:
    return list(animation.unanswered_threads(spaces=list(spaces)))


# --- The unanswered questions selector ----------------------------------------------------------


def test_learner_and_ars_questions_wait_oldest_first(setup):
    """Questions from a learner and from ARS staff are listed, oldest first, with their space."""
    users = setup["users"]
    newer = _question(
        setup["own"], users["ars_region"], "Réunion", at=datetime.datetime(2026, 11, 2, tzinfo=PARIS)
    )
    older = _question(
        setup["own"], users["learner"], "Heures", at=datetime.datetime(2026, 10, 2, tzinfo=PARIS)
    )
    rows = _waiting(setup["own"])
    assert rows == [older, newer]
    assert rows[0].space == setup["own"] and rows[0].author == users["learner"]


def test_peer_replies_do_not_answer_a_question_but_are_counted(setup):
    """Replies from other members keep the question waiting; they are counted, the author's own
    replies and deleted or hidden replies are not."""
    users = setup["users"]
    thread = services.thread_start(space=setup["own"], title="Qualiopi ?", source="?", by=users["learner"])
    services.post_reply(thread=thread, source="Moi aussi", by=setup["peer"])
    services.post_reply(thread=thread, source="Côté ARS, oui", by=users["ars_region"])
    services.post_reply(thread=thread, source="Précision", by=users["learner"])
    deleted = services.post_reply(thread=thread, source="Oups", by=setup["peer"])
    services.post_delete(post=deleted, by=setup["peer"])
    Post.objects.create(thread=thread, author=setup["peer"], source="x", html="x", is_hidden=True)
    (row,) = _waiting(setup["own"])
    assert row == thread
    assert row.peer_replies == 2


@pytest.mark.parametrize("replier", ["trainer", "pedagogical"])
def test_a_trainer_or_team_reply_answers_a_question(setup, replier):
    """A reply by a trainer or the pedagogical team takes the question off the list."""
    users = setup["users"]
    thread = services.thread_start(space=setup["own"], title="Mémoire", source="?", by=users["learner"])
    kept = services.thread_start(space=setup["own"], title="Options", source="?", by=users["learner"])
    services.post_reply(thread=thread, source="Voici", by=users[replier])
    assert _waiting(setup["own"]) == [kept]


def test_a_marked_answer_settles_a_question(setup):
    """A peer's reply marked as the answer takes the question off the list."""
    users = setup["users"]
    thread = services.thread_start(space=setup["own"], title="Horaires", source="?", by=users["learner"])
    reply = services.post_reply(thread=thread, source="9 h", by=setup["peer"])
    thread.answer = reply
    thread.save(update_fields=["answer"])
    assert _waiting(setup["own"]) == []


def test_hidden_locked_and_staff_threads_are_not_waiting(setup):
    """Hidden and locked threads, and threads opened by trainers, the team or a superuser, are
    not questions waiting for a trainer."""
    users = setup["users"]
    kept = _question(setup["own"], users["learner"], "Gardée")
    Thread.objects.filter(pk=_question(setup["own"], users["learner"], "Masquée").pk).update(is_hidden=True)
    Thread.objects.filter(pk=_question(setup["own"], users["learner"], "Verrouillée").pk).update(
        is_locked=True
    )
    _question(setup["own"], users["trainer"], "Annonce")
    _question(setup["own"], users["pedagogical"], "Rappel")
    _question(setup["own"], UserFactory(is_superuser=True), "Admin")
    assert _waiting(setup["own"]) == [kept]


def test_only_the_given_spaces_are_listed(setup):
    """Questions of other spaces stay out of a space's list."""
    users = setup["users"]
    own = _question(setup["own"], users["learner"], "Chez nous")
    other = _question(setup["other"], users["learner_other_cohort"], "Ailleurs")
    assert _waiting(setup["own"]) == [own]
    assert set(_waiting(setup["own"], setup["other"])) == {own, other}


@pytest.mark.parametrize(
    ("role", "moderates_all"),
    [
        ("learner", False),
        ("learner_other_cohort", False),
        ("ars_region", False),
        ("ars_other_region", False),
        ("trainer", True),
        ("pedagogical", True),
    ],
)
def test_spaces_moderated_follow_space_access(setup, role, moderates_all):
    """Trainers and the team moderate every space (lms.permissions.space_access); nobody else any."""
    spaces = animation.spaces_moderated_by(setup["users"][role])
    expected = set(Space.objects.all()) if moderates_all else set()
    assert set(spaces) == expected


def test_unanswered_by_space_counts_and_oldest(setup):
    """The per-space summary: how many wait and the oldest question's date, oldest space first."""
    users = setup["users"]
    first = datetime.datetime(2026, 9, 1, 10, tzinfo=PARIS)
    _question(setup["core"], users["learner"], at=first + datetime.timedelta(days=3))
    _question(setup["own"], users["learner"], at=first)
    _question(setup["own"], users["ars_region"], at=first + datetime.timedelta(days=5))
    _question(setup["general"], users["learner"], at=first, replied_after=datetime.timedelta(hours=1))
    rows = animation.unanswered_by_space(spaces=list(Space.objects.all()))
    assert [(r.space, r.waiting, r.oldest) for r in rows] == [
        (setup["own"], 2, first),
        (setup["core"], 1, first + datetime.timedelta(days=3)),
    ]


# --- Median time to a first answer ------------------------------------------------------------


NOW = datetime.datetime(2026, 11, 15, 12, 0, tzinfo=PARIS)


def _month(medians, year, month):
    return next(m for m in medians if m.month == datetime.date(year, month, 1))


def test_medians_odd_and_even_counts(setup):
    """An odd count gives the middle delay, an even count the mean of the two middle ones."""
    learner = setup["users"]["learner"]
    hours = datetime.timedelta(hours=1)
    for delay in (10, 1, 2):
        _question(
            setup["own"],
            learner,
            at=datetime.datetime(2026, 10, 5, 9, tzinfo=PARIS),
            replied_after=delay * hours,
        )
    for delay in (100, 1, 5, 3):
        _question(
            setup["own"],
            learner,
            at=datetime.datetime(2026, 11, 3, 9, tzinfo=PARIS),
            replied_after=delay * hours,
        )
    medians = animation.first_answer_medians(space=setup["own"], months=3, now=NOW)
    assert [m.month for m in medians] == [
        datetime.date(2026, 9, 1),
        datetime.date(2026, 10, 1),
        datetime.date(2026, 11, 1),
    ]
    assert _month(medians, 2026, 9) == animation.MonthAnswerStats(datetime.date(2026, 9, 1), None, 0, 0)
    assert _month(medians, 2026, 10).median == 2 * hours
    assert _month(medians, 2026, 10).answered == 3
    assert _month(medians, 2026, 11).median == 4 * hours
    assert _month(medians, 2026, 11).answered == 4


def test_medians_use_paris_months(setup):
    """A question asked on 1 November at 00:30 in Paris (still 31 October in UTC) counts in
    November; one asked on 31 October at 23:30 in Paris counts in October; the window starts on
    the first day of the oldest month, Paris time (1 September 00:10 is 31 August in UTC)."""
    learner = setup["users"]["learner"]
    delay = datetime.timedelta(hours=2)
    november_first = datetime.datetime(2026, 11, 1, 0, 30, tzinfo=PARIS)
    assert november_first.astimezone(datetime.UTC).month == 10
    _question(setup["own"], learner, at=november_first, replied_after=delay)
    _question(
        setup["own"],
        learner,
        at=datetime.datetime(2026, 10, 31, 23, 30, tzinfo=PARIS),
        replied_after=3 * delay,
    )
    september_first = datetime.datetime(2026, 9, 1, 0, 10, tzinfo=PARIS)
    assert september_first.astimezone(datetime.UTC).month == 8
    _question(setup["own"], learner, at=september_first, replied_after=delay)
    _question(
        setup["own"], learner, at=datetime.datetime(2026, 8, 31, 23, 50, tzinfo=PARIS), replied_after=delay
    )
    medians = animation.first_answer_medians(space=setup["own"], months=3, now=NOW)
    assert [(m.month.month, m.median, m.answered) for m in medians] == [
        (9, delay, 1),
        (10, 3 * delay, 1),
        (11, delay, 1),
    ]


def test_medians_count_waiting_questions_by_the_unanswered_rule(setup):
    """Waiting counts the questions still on the unanswered list; questions settled by a marked
    answer or a lock, hidden threads, staff threads and other spaces count nowhere."""
    users = setup["users"]
    at = datetime.datetime(2026, 11, 2, 15, tzinfo=PARIS)
    _question(setup["own"], users["learner"], at=at)
    _question(setup["own"], users["ars_region"], at=at)
    locked = _question(setup["own"], users["learner"], at=at)
    Thread.objects.filter(pk=locked.pk).update(is_locked=True)
    hidden = _question(setup["own"], users["learner"], at=at, replied_after=datetime.timedelta(minutes=1))
    Thread.objects.filter(pk=hidden.pk).update(is_hidden=True)
    settled = _question(setup["own"], users["learner"], at=at)
    reply = Post.objects.create(thread=settled, author=setup["peer"], source="r", html="r", created_at=at)
    Thread.objects.filter(pk=settled.pk).update(answer=reply)
    _question(setup["own"], users["trainer"], at=at)
    _question(setup["own"], users["learner"], at=at, replied_after=datetime.timedelta(minutes=30))
    _question(setup["other"], users["learner_other_cohort"], at=at)
    november = _month(animation.first_answer_medians(space=setup["own"], months=1, now=NOW), 2026, 11)
    assert (november.answered, november.waiting, november.median) == (1, 2, datetime.timedelta(minutes=30))


def test_medians_cost_one_query(setup):
    """The monthly figures come from a single query, whatever the number of questions."""
    learner = setup["users"]["learner"]
    for day in range(1, 29):
        _question(
            setup["own"],
            learner,
            at=datetime.datetime(2026, 10, day, 9, tzinfo=PARIS),
            replied_after=datetime.timedelta(hours=day),
        )
    with CaptureQueriesContext(connection) as ctx:
        animation.first_answer_medians(space=setup["own"], months=6, now=NOW)
    assert len(ctx.captured_queries) == 1


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (datetime.timedelta(seconds=20), "depuis moins d'une minute"),
        (datetime.timedelta(minutes=1), "depuis 1 minute"),
        (datetime.timedelta(minutes=59, seconds=59), "depuis 59 minutes"),
        (datetime.timedelta(hours=1), "depuis 1 heure"),
        (datetime.timedelta(hours=5, minutes=40), "depuis 5 heures"),
        (datetime.timedelta(days=1), "depuis 1 jour"),
        (datetime.timedelta(days=3, hours=23), "depuis 3 jours"),
        (datetime.timedelta(days=75), "depuis 2 mois"),
    ],
)
def test_waiting_time_in_french(delta, expected):
    """Waiting times read « depuis 3 jours », « depuis 5 heures »…"""
    assert animation.waiting_since_fr(delta) == expected


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (datetime.timedelta(minutes=45), "45 min"),
        (datetime.timedelta(hours=2, minutes=15), "2 h 15"),
        (datetime.timedelta(hours=3, minutes=5), "3 h 05"),
        (datetime.timedelta(hours=3), "3 h"),
        (datetime.timedelta(days=1, hours=4, minutes=10), "1 j 4 h"),
        (datetime.timedelta(days=2), "2 j"),
    ],
)
def test_durations_in_french(delta, expected):
    """Median delays read « 2 h 15 », « 1 j 4 h »."""
    assert animation.duration_fr(delta) == expected


# --- The page ---------------------------------------------------------------------------------


ROLES = [
    "anonymous",
    "learner",
    "learner_other_cohort",
    "ars_region",
    "ars_other_region",
    "trainer",
    "pedagogical",
]
#         anon learner other  ars  ars2 trainer pedago
STATUSES = [302, 403, 403, 403, 403, 200, 200]


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, STATUSES, strict=True)), ids=ROLES)
def test_unanswered_page_matrix(client, setup, role, expected):
    """Only trainers and the pedagogical team open the page; others are refused, anonymous sent
    to sign in."""
    _question(setup["own"], setup["users"]["learner"], "Heures de stage")
    user = setup["users"][role]
    if user:
        client.force_login(user)
    response = client.get(URL)
    assert response.status_code == expected
    if expected == 302:
        assert "/comptes/login/" in response["Location"]
    if expected == 200:
        assert "Heures de stage" in response.content.decode()
    else:
        assert b"Heures de stage" not in response.content


def test_unanswered_page_lists_and_filters(client, setup):
    """The page lists every waiting question with space, author, peer replies and waiting time;
    the space filter keeps one space's questions."""
    users = setup["users"]
    asked = timezone.now() - datetime.timedelta(days=3, hours=2)
    own = _question(setup["own"], users["learner"], "Convention de stage", at=asked)
    Post.objects.create(thread=own, author=setup["peer"], source="r", html="r", created_at=asked)
    _question(setup["core"], users["ars_region"], "Diagnostic local", at=asked)
    client.force_login(users["trainer"])
    html = client.get(URL).content.decode()
    assert "Convention de stage" in html and "Diagnostic local" in html
    assert "depuis 3 jours" in html
    assert users["learner"].display_name in html and "Bretagne" in html
    assert "Tous les espaces (2)" in html and "Bretagne (1)" in html and "Occitanie (0)" in html
    filtered = client.get(URL, {"espace": "c-bzh"}).content.decode()
    assert "Convention de stage" in filtered and "Diagnostic local" not in filtered
    assert '<option value="c-bzh" selected>' in filtered


def test_unanswered_page_unknown_space_shows_all_with_a_message(client, setup):
    """An unknown space in the filter is said plainly, and every question is still listed."""
    _question(setup["own"], setup["users"]["learner"], "Convention de stage")
    client.force_login(setup["users"]["pedagogical"])
    response = client.get(URL, {"espace": "n-existe-pas"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Espace introuvable" in html and "Convention de stage" in html


def test_unanswered_page_empty_state(client, setup):
    """With nothing waiting, the page says every question has an answer."""
    users = setup["users"]
    _question(setup["own"], users["learner"], "Répondue", replied_after=datetime.timedelta(hours=1))
    client.force_login(users["trainer"])
    html = client.get(URL).content.decode()
    assert "Toutes les questions ont une réponse" in html and "Répondue" not in html


def _bulk_questions(space, authors, n, start):
    threads = Thread.objects.bulk_create(
        Thread(
            space=space,
            title=f"Question {i:03d}",
            author=authors[i % len(authors)],
            created_at=start + datetime.timedelta(minutes=i),
            last_post_at=start + datetime.timedelta(minutes=i),
        )
        for i in range(n)
    )
    Post.objects.bulk_create(
        Post(thread=t, author=t.author, source="?", html="<p>?</p>", created_at=t.created_at) for t in threads
    )


def _queries(client, url, data=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, data).status_code == 200
    return len(ctx.captured_queries)


def test_unanswered_page_query_budget_is_fixed(client, setup):
    """The page costs the same number of queries at 10 and 300 waiting questions, first and last
    page, filtered or not; it is paginated by 30, oldest first."""
    users = setup["users"]
    start = datetime.datetime(2026, 6, 1, 9, tzinfo=PARIS)
    _bulk_questions(setup["own"], [users["learner"]], 10, start)
    client.force_login(users["trainer"])
    small = _queries(client, URL)
    small_filtered = _queries(client, URL, {"espace": "c-bzh"})
    authors = [users["learner"], users["ars_region"], *(UserFactory() for _ in range(4))]
    _bulk_questions(setup["own"], authors, 150, start - datetime.timedelta(days=30))
    _bulk_questions(setup["core"], authors, 140, start)
    assert Thread.objects.count() == 300
    assert _queries(client, URL) == small
    assert _queries(client, URL, {"page": 10}) == small
    assert _queries(client, URL, {"espace": "c-bzh", "page": 6}) == small_filtered
    page = client.get(URL, {"page": 10})
    assert page.context["page_obj"].paginator.num_pages == 10
    first = client.get(URL).context["rows"]
    assert len(first) == 30
    assert [r["thread"].created_at for r in first] == sorted(r["thread"].created_at for r in first)
    assert first[0]["thread"].created_at == start - datetime.timedelta(days=30)
    assert 'href="?page=2"' in client.get(URL).content.decode()
    assert 'href="?page=2&amp;espace=c-bzh"' in client.get(URL, {"espace": "c-bzh"}).content.decode()


# --- Template tags ----------------------------------------------------------------------------


def _render(source: str, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load forum_animation %}" + source).render(
        Context({"request": request, "space": None})
    )


@pytest.mark.parametrize("role", ["learner", "learner_other_cohort", "ars_region", "ars_other_region"])
def test_answer_stats_tag_is_silent_for_non_moderators(setup, role):
    """Learners and ARS staff get nothing from the stats tag, at no query."""
    request = RequestFactory().get("/")
    request.user = setup["users"][role]
    template = Template("{% load forum_animation %}{% space_answer_stats space %}")
    with CaptureQueriesContext(connection) as ctx:
        html = template.render(Context({"request": request, "space": setup["own"]}))
    assert html.strip() == ""
    assert len(ctx.captured_queries) == 0


@pytest.mark.parametrize("role", ["trainer", "pedagogical"])
def test_answer_stats_tag_shows_months_in_french_for_moderators(setup, role, monkeypatch):
    """Moderators see « Délai médian de première réponse » with French months and durations."""
    learner = setup["users"]["learner"]
    at = datetime.datetime(2026, 11, 4, 10, tzinfo=PARIS)
    _question(setup["own"], learner, at=at, replied_after=datetime.timedelta(hours=2, minutes=15))
    _question(
        setup["own"],
        learner,
        at=at - datetime.timedelta(days=20),
        replied_after=datetime.timedelta(days=1, hours=4),
    )
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    request = RequestFactory().get("/")
    request.user = setup["users"][role]
    template = Template("{% load forum_animation %}{% space_answer_stats space %}")
    html = template.render(Context({"request": request, "space": setup["own"]}))
    assert "Délai médian de première réponse" in html
    assert "novembre 2026" in html and "octobre 2026" in html and "juin 2026" in html
    assert "mai 2026" not in html
    assert "2 h 15" in html and "1 j 4 h" in html
    assert f"{URL}?espace=c-bzh" in html


def test_space_page_title_is_plain_text_and_stats_in_the_body_for_a_trainer(client, setup):
    """A trainer's space page has a plain-text <title>; the answer-time table is in the body, once."""
    _question(setup["own"], setup["users"]["learner"], replied_after=datetime.timedelta(hours=1))
    client.force_login(setup["users"]["trainer"])
    html = client.get("/forum/c-bzh/").content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.DOTALL).group(1)
    assert "<" not in title and title.startswith("Bretagne — Forum — ")
    body = html.split("</head>", 1)[1]
    assert body.count("Délai médian de première réponse</h2>") == 1
    assert html.count('id="delai-premiere-reponse"') == 1


def test_unanswered_tile_counts_for_trainers_and_is_silent_for_others(setup):
    """The personal-space tile shows how many questions wait to trainers and the team only."""
    users = setup["users"]
    _question(setup["own"], users["learner"])
    _question(setup["other"], users["learner_other_cohort"])
    for role in ("trainer", "pedagogical"):
        assert "2 questions attendent une réponse" in _render("{% unanswered_tile %}", users[role])
    for role in ("learner", "ars_region"):
        with CaptureQueriesContext(connection) as ctx:
            assert _render("{% unanswered_tile %}", users[role]).strip() == ""
        assert len(ctx.captured_queries) == 0


@pytest.mark.parametrize("factory", [TrainerFactory, PedagogicalFactory])
def test_personal_space_links_to_unanswered_questions(client, setup, factory):
    """« Mon espace » of trainers and the team links to the unanswered questions with their count."""
    _question(setup["own"], setup["users"]["learner"])
    client.force_login(factory())
    html = client.get("/mon-espace/").content.decode()
    assert URL in html and "1 question attend une réponse" in html


def test_ars_personal_space_has_no_unanswered_tile(client, setup):
    """ARS staff are not offered the trainers' page."""
    client.force_login(ArsStaffFactory(regions=[setup["own"].cohort.region]))
    assert URL not in client.get("/mon-espace/").content.decode()
