"""Moderation: pin, lock, move, hide threads and posts with a reason kept in the log; who may do it
(role × URL), bad input, what members and moderators then see, and the log page's query budget."""

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum.enums import ModerationAction, ReportStatus, SpaceKind
from forum.models import ModerationLog, Post, Report, Space, Thread
from forum.moderation import services as moderation
from forum.threads import permissions, services
from tests.factories import CohortFactory, EnrolmentFactory, TrainerFactory, build_programme

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "learner",
    "learner_other_cohort",
    "ars_region",
    "ars_other_region",
    "trainer",
    "pedagogical",
]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def board(programme, modules, cohort, other_region, ars_staff, other_ars_staff, trainer, pedagogical):
    """A cohort space with a learner's question, a peer's reply and a trainer's reply; the other
    cohort's space; a core module space and an option space the learner does not follow."""
    learner = EnrolmentFactory(cohort=cohort).user
    peer = EnrolmentFactory(cohort=cohort).user
    other_cohort = CohortFactory(programme=programme, region=other_region, name="Occitanie 2026")
    other_learner = EnrolmentFactory(cohort=other_cohort).user
    own = Space.objects.create(
        kind=SpaceKind.COHORT, title="Bretagne", slug="c-bzh", programme=programme, cohort=cohort
    )
    other = Space.objects.create(
        kind=SpaceKind.COHORT, title="Occitanie", slug="c-occ", programme=programme, cohort=other_cohort
    )
    core = Space.objects.create(
        kind=SpaceKind.MODULE, title="Module socle 1", slug="m1", programme=programme, module=modules[0]
    )
    option = Space.objects.create(
        kind=SpaceKind.MODULE, title="Méthodologie", slug="m5", programme=programme, module=modules[4]
    )
    thread = services.thread_start(
        space=own, title="Réunion ARS", source="Quand a lieu la réunion ?", by=learner
    )
    peer_reply = services.post_reply(thread=thread, source="Le 12 mai, je crois.", by=peer)
    trainer_reply = services.post_reply(thread=thread, source="Le 12 mai à 14 h, salle B.", by=trainer)
    option_thread = services.thread_start(
        space=option, title="Option", source="Qui suit l'option ?", by=trainer
    )
    other_thread = services.thread_start(
        space=other, title="Occitanie", source="Bonjour Occitanie", by=other_learner
    )
    cache.clear()
    return {
        "own": own,
        "other": other,
        "core": core,
        "option": option,
        "thread": thread,
        "question": thread.posts.order_by("created_at", "pk").first(),
        "peer_reply": peer_reply,
        "trainer_reply": trainer_reply,
        "option_thread": option_thread,
        "other_thread": other_thread,
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


def _thread(thread) -> Thread:
    """A fresh thread with its space, as the views hand it to services."""
    return Thread.objects.select_related("space").get(pk=thread.pk)


# --- Services -------------------------------------------------------------------------------------

FLAG_CASES = [
    ("thread_pin", "is_pinned", False, True, ModerationAction.PIN),
    ("thread_unpin", "is_pinned", True, False, ModerationAction.UNPIN),
    ("thread_lock", "is_locked", False, True, ModerationAction.LOCK),
    ("thread_unlock", "is_locked", True, False, ModerationAction.UNLOCK),
    ("thread_hide", "is_hidden", False, True, ModerationAction.HIDE_THREAD),
    ("thread_unhide", "is_hidden", True, False, ModerationAction.SHOW_THREAD),
]


@pytest.mark.parametrize(
    ("name", "field", "before", "after", "action"), FLAG_CASES, ids=[c[0] for c in FLAG_CASES]
)
def test_thread_flag_services_change_the_thread_and_log_the_reason(board, name, field, before, after, action):
    """Each thread act sets its flag and keeps actor, reason and time in the moderation log."""
    Thread.objects.filter(pk=board["thread"].pk).update(**{field: before})
    trainer = board["users"]["trainer"]
    entry = getattr(moderation, name)(thread=_thread(board["thread"]), by=trainer, reason="  Motif clair  ")
    thread = Thread.objects.get(pk=board["thread"].pk)
    assert getattr(thread, field) is after
    assert (entry.action, entry.actor, entry.reason, entry.thread) == (action, trainer, "Motif clair", thread)
    assert entry.post is None and entry.created_at <= timezone.now()


@pytest.mark.parametrize(
    ("name", "field", "before", "after", "action"), FLAG_CASES, ids=[c[0] for c in FLAG_CASES]
)
def test_thread_flag_already_set_is_refused(board, name, field, before, after, action):
    """Pinning a pinned thread (and the like) is refused with a clear message and logs nothing."""
    Thread.objects.filter(pk=board["thread"].pk).update(**{field: after})
    with pytest.raises(ValidationError, match="déjà|n'est pas"):
        getattr(moderation, name)(thread=_thread(board["thread"]), by=board["users"]["trainer"], reason="x")
    assert not ModerationLog.objects.exists()


@pytest.mark.parametrize("reason", ["", "   ", "x" * 1001], ids=["empty", "blank", "too-long"])
def test_moderation_without_a_valid_reason_is_refused(board, reason):
    """No act without a reason (nor with a reason over 1,000 characters): nothing changes."""
    with pytest.raises(ValidationError) as exc:
        moderation.thread_pin(thread=_thread(board["thread"]), by=board["users"]["trainer"], reason=reason)
    assert "motif" in str(exc.value).lower()
    with pytest.raises(ValidationError):
        moderation.post_hide(post=board["peer_reply"], by=board["users"]["trainer"], reason=reason)
    assert not Thread.objects.get(pk=board["thread"].pk).is_pinned
    assert not Post.objects.get(pk=board["peer_reply"].pk).is_hidden
    assert not ModerationLog.objects.exists()


@pytest.mark.parametrize("role", ["learner", "learner_other_cohort", "ars_region", "ars_other_region"])
def test_non_moderators_are_refused_by_every_service(board, role):
    """A crafted call by a learner or ARS staff is refused by each moderation service."""
    user, thread, post = board["users"][role], _thread(board["thread"]), board["peer_reply"]
    calls = [
        lambda: moderation.thread_pin(thread=thread, by=user, reason="x"),
        lambda: moderation.thread_lock(thread=thread, by=user, reason="x"),
        lambda: moderation.thread_hide(thread=thread, by=user, reason="x"),
        lambda: moderation.thread_move(thread=thread, to_space=board["core"], by=user, reason="x"),
        lambda: moderation.post_hide(post=post, by=user, reason="x"),
        lambda: moderation.report_dismiss(post=post, by=user, reason="x"),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    thread = Thread.objects.get(pk=thread.pk)
    assert (thread.is_pinned, thread.is_locked, thread.is_hidden, thread.space) == (
        False,
        False,
        False,
        board["own"],
    )
    assert not ModerationLog.objects.exists()


def test_move_keeps_posts_and_logs_both_spaces(board):
    """A moved thread keeps its posts; the log keeps where it came from and where it went."""
    entry = moderation.thread_move(
        thread=_thread(board["thread"]),
        to_space=board["core"],
        by=board["users"]["pedagogical"],
        reason="Hors sujet",
    )
    thread = Thread.objects.get(pk=board["thread"].pk)
    assert thread.space == board["core"] and thread.posts.count() == 3
    assert (entry.action, entry.from_space, entry.to_space) == (
        ModerationAction.MOVE,
        board["own"],
        board["core"],
    )


def test_move_to_the_same_space_or_another_programme_is_refused(board):
    """Moving to the thread's own space or to another programme's space is refused, nothing written."""
    other_programme = build_programme(lessons_per_module=1, core=0, options=())
    elsewhere = Space.objects.create(
        kind=SpaceKind.GENERAL, title="Ailleurs", slug="ailleurs", programme=other_programme
    )
    trainer = board["users"]["trainer"]
    with pytest.raises(ValidationError, match="déjà dans cet espace"):
        moderation.thread_move(thread=_thread(board["thread"]), to_space=board["own"], by=trainer, reason="x")
    with pytest.raises(ValidationError, match="même formation"):
        moderation.thread_move(thread=_thread(board["thread"]), to_space=elsewhere, by=trainer, reason="x")
    assert Thread.objects.get(pk=board["thread"].pk).space == board["own"]
    assert not ModerationLog.objects.exists()


def test_move_to_a_space_the_moderator_does_not_moderate_is_refused(board, monkeypatch):
    """The destination is checked with space_access too: a space one cannot moderate is refused."""
    real = permissions.space_access

    def access(user, space):
        if space.pk == board["core"].pk:
            return permissions.SpaceAccess(read=True, post=True, moderate=False)
        return real(user, space)

    monkeypatch.setattr(permissions, "space_access", access)
    with pytest.raises(PermissionDenied, match="destination"):
        moderation.thread_move(
            thread=_thread(board["thread"]), to_space=board["core"], by=board["users"]["trainer"], reason="x"
        )
    assert Thread.objects.get(pk=board["thread"].pk).space == board["own"]
    assert not ModerationLog.objects.exists()


def test_post_hide_resolves_open_reports_and_unhide_restores(board):
    """Hiding a post closes its open reports as « Message masqué »; unhiding shows it again; both logged."""
    post, trainer = board["peer_reply"], board["users"]["trainer"]
    Report.objects.create(post=post, reporter=board["users"]["learner"], reason="Hors sujet")
    done = Report.objects.create(
        post=post, reporter=board["users"]["ars_region"], reason="Ancien", status=ReportStatus.DISMISSED
    )
    moderation.post_hide(post=post, by=trainer, reason="Propos blessants")
    post.refresh_from_db()
    assert post.is_hidden
    open_report = Report.objects.get(reason="Hors sujet")
    assert (open_report.status, open_report.resolved_by) == (ReportStatus.HIDDEN, trainer)
    assert Report.objects.get(pk=done.pk).status == ReportStatus.DISMISSED
    with pytest.raises(ValidationError, match="déjà masqué"):
        moderation.post_hide(post=post, by=trainer, reason="encore")
    moderation.post_unhide(post=post, by=trainer, reason="Erreur de ma part")
    post.refresh_from_db()
    assert not post.is_hidden
    assert list(ModerationLog.objects.order_by("pk").values_list("action", "post_id", "reason")) == [
        (ModerationAction.HIDE_POST, post.pk, "Propos blessants"),
        (ModerationAction.SHOW_POST, post.pk, "Erreur de ma part"),
    ]


def test_locked_thread_refuses_replies_through_the_post_service(board):
    """After thread_lock, forum.services.post_reply refuses a reply."""
    moderation.thread_lock(thread=_thread(board["thread"]), by=board["users"]["trainer"], reason="Sujet clos")
    with pytest.raises(ValidationError, match="verrouillé"):
        services.post_reply(thread=_thread(board["thread"]), source="Encore", by=board["users"]["learner"])


# --- Role × URL matrix ----------------------------------------------------------------------------


def _urls(f):
    t, p = f["thread"].pk, f["peer_reply"].pk
    base = f"/forum/c-bzh/{t}"
    return {
        "pin": f"{base}/moderation/epingler/",
        "unpin": f"{base}/moderation/desepingler/",
        "lock": f"{base}/moderation/verrouiller/",
        "unlock": f"{base}/moderation/deverrouiller/",
        "hide_thread": f"{base}/moderation/masquer/",
        "unhide_thread": f"{base}/moderation/retablir/",
        "move": f"{base}/moderation/deplacer/",
        "hide_post": f"{base}/messages/{p}/masquer/",
        "unhide_post": f"{base}/messages/{p}/retablir/",
        "option_pin": f"/forum/m5/{f['option_thread'].pk}/moderation/epingler/",
        "other_cohort_hide": f"/forum/c-occ/{f['other_thread'].pk}/moderation/masquer/",
        "log": "/forum/moderation/journal/",
        "log_filtered": "/forum/moderation/journal/?espace=c-bzh",
    }


#                   anon learner other  ars  ars2 trainer pedago
MATRIX = {
    "pin": [302, 403, 404, 403, 404, 200, 200],
    "unpin": [302, 403, 404, 403, 404, 200, 200],
    "lock": [302, 403, 404, 403, 404, 200, 200],
    "unlock": [302, 403, 404, 403, 404, 200, 200],
    "hide_thread": [302, 403, 404, 403, 404, 200, 200],
    "unhide_thread": [302, 403, 404, 403, 404, 200, 200],
    "move": [302, 403, 404, 403, 404, 200, 200],
    "hide_post": [302, 403, 404, 403, 404, 200, 200],
    "unhide_post": [302, 403, 404, 403, 404, 200, 200],
    "option_pin": [302, 404, 404, 404, 404, 200, 200],
    "other_cohort_hide": [302, 404, 403, 404, 403, 200, 200],
    "log": [302, 403, 403, 403, 403, 200, 200],
    "log_filtered": [302, 403, 403, 403, 403, 200, 200],
}
CASES = [(n, r, c) for n, codes in MATRIX.items() for r, c in zip(ROLES, codes, strict=True)]


@pytest.mark.parametrize(("name", "role", "expected"), CASES, ids=[f"{n}-{r}" for n, r, _ in CASES])
def test_moderation_url_matrix(client, board, name, role, expected):
    """Moderators get the page; members of the space are forbidden; others do not find the space."""
    user = board["users"][role]
    if user:
        client.force_login(user)
    response = client.get(_urls(board)[name])
    assert response.status_code == expected
    if expected == 302:
        assert "/comptes/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES[1:5])
@pytest.mark.parametrize("name", ["pin", "lock", "hide_thread", "move", "hide_post"])
def test_crafted_moderation_posts_by_non_moderators_change_nothing(client, board, role, name):
    """A crafted POST by a learner or ARS staff is refused (403/404) and writes nothing."""
    client.force_login(board["users"][role])
    data = {"reason": "pirate", "to_space": board["core"].pk}
    assert client.post(_urls(board)[name], data).status_code in (403, 404)
    thread = Thread.objects.get(pk=board["thread"].pk)
    assert (thread.is_pinned, thread.is_locked, thread.is_hidden, thread.space) == (
        False,
        False,
        False,
        board["own"],
    )
    assert not Post.objects.filter(is_hidden=True).exists() and not ModerationLog.objects.exists()


# --- Pages ----------------------------------------------------------------------------------------


def test_moderation_menu_only_for_moderators(client, board):
    """The thread page shows the « Modération » menu to trainers, never to learners or ARS staff."""
    url = f"/forum/c-bzh/{board['thread'].pk}/"
    client.force_login(board["users"]["trainer"])
    html = client.get(url).content.decode()
    assert 'id="titre-moderation">Modération</h2>' in html
    assert "Épingler le fil" in html and "Verrouiller le fil" in html and "Masquer le fil" in html
    assert "Déplacer le fil" in html and "/moderation/journal/?espace=c-bzh" in html
    for role in ("learner", "ars_region"):
        client.force_login(board["users"][role])
        html = client.get(url).content.decode()
        assert (
            "titre-moderation" not in html and "/moderation/epingler/" not in html and "/masquer/" not in html
        )


def test_pin_and_lock_through_the_pages(client, board):
    """A trainer pins then locks with reasons: the space lists the thread first, members see the lock."""
    trainer, learner = board["users"]["trainer"], board["users"]["learner"]
    services.thread_start(space=board["own"], title="Plus récent", source="?", by=learner)
    client.force_login(trainer)
    base = f"/forum/c-bzh/{board['thread'].pk}"
    assert "Motif" in client.get(f"{base}/moderation/epingler/").content.decode()
    response = client.post(f"{base}/moderation/epingler/", {"reason": "Information utile à tous"})
    assert response.status_code == 302 and response["Location"] == f"{base}/"
    response = client.post(f"{base}/moderation/verrouiller/", {"reason": "Question close"})
    assert response.status_code == 302
    client.force_login(learner)
    space_html = client.get("/forum/c-bzh/").content.decode()
    assert space_html.index("Réunion ARS") < space_html.index("Plus récent")
    html = client.get(f"{base}/").content.decode()
    assert "Fil verrouillé" in html and "<textarea" not in html and ">Épinglé<" in html
    assert list(ModerationLog.objects.order_by("pk").values_list("action", "reason")) == [
        (ModerationAction.PIN, "Information utile à tous"),
        (ModerationAction.LOCK, "Question close"),
    ]


def test_empty_reason_on_a_page_is_refused_with_a_message(client, board):
    """Submitting without a reason shows « Indiquez le motif », status 400, and changes nothing."""
    client.force_login(board["users"]["trainer"])
    response = client.post(f"/forum/c-bzh/{board['thread'].pk}/moderation/masquer/", {"reason": "  "})
    html = response.content.decode()
    assert response.status_code == 400 and "Indiquez le motif" in html and "Rien n'a été fait" in html
    assert not Thread.objects.get(pk=board["thread"].pk).is_hidden and not ModerationLog.objects.exists()


def test_reason_is_kept_when_the_act_is_refused(client, board):
    """An act refused by the service (already pinned) keeps the typed reason in the form."""
    Thread.objects.filter(pk=board["thread"].pk).update(is_pinned=True)
    client.force_login(board["users"]["trainer"])
    response = client.post(f"/forum/c-bzh/{board['thread'].pk}/moderation/epingler/", {"reason": "Mon motif"})
    html = response.content.decode()
    assert (
        response.status_code == 400 and "Ce fil est déjà épinglé." in html and ">Mon motif</textarea>" in html
    )


def test_hidden_post_placeholder_for_members_and_reason_for_moderators(client, board):
    """After « Masquer », members see the placeholder only; moderators see the text, badge and reason."""
    trainer, post = board["users"]["trainer"], board["peer_reply"]
    client.force_login(trainer)
    url = f"/forum/c-bzh/{board['thread'].pk}/messages/{post.pk}/masquer/"
    response = client.post(url, {"reason": "Donnée personnelle"})
    assert response.status_code == 302 and response["Location"].endswith(f"?page=1#message-{post.pk}")
    html = client.get(f"/forum/c-bzh/{board['thread'].pk}/").content.decode()
    assert (
        "Le 12 mai, je crois." in html and ">Masqué</span>" in html and "Motif : Donnée personnelle" in html
    )
    assert f"/messages/{post.pk}/retablir/" in html
    client.force_login(board["users"]["learner"])
    html = client.get(f"/forum/c-bzh/{board['thread'].pk}/").content.decode()
    assert "Message masqué par la modération" in html
    assert "Le 12 mai, je crois." not in html and "Donnée personnelle" not in html


def test_hidden_thread_is_gone_for_members_and_flagged_for_moderators(client, board):
    """A hidden thread is « not found » for members; moderators see it with its banner and reason."""
    client.force_login(board["users"]["trainer"])
    url = f"/forum/c-bzh/{board['thread'].pk}/"
    assert client.post(f"{url}moderation/masquer/", {"reason": "Doublon"}).status_code == 302
    html = client.get(url).content.decode()
    assert "Fil masqué par la modération" in html and "Motif : Doublon" in html and "Rétablir le fil" in html
    for role in ("learner", "ars_region"):
        client.force_login(board["users"][role])
        assert client.get(url).status_code == 404
        assert "Réunion ARS" not in client.get("/forum/c-bzh/").content.decode()


def test_move_through_the_page(client, board):
    """The move form lists the programme's other spaces; the thread then lives in the chosen one."""
    client.force_login(board["users"]["pedagogical"])
    url = f"/forum/c-bzh/{board['thread'].pk}/moderation/deplacer/"
    html = client.get(url).content.decode()
    assert "Espace de destination" in html and "Module socle 1" in html and "Occitanie" in html
    assert f'<option value="{board["own"].pk}"' not in html
    response = client.post(url, {"to_space": board["core"].pk, "reason": "Question de module"})
    assert response.status_code == 302 and response["Location"] == f"/forum/m1/{board['thread'].pk}/"
    assert client.get(f"/forum/c-bzh/{board['thread'].pk}/").status_code == 404
    assert client.get(f"/forum/m1/{board['thread'].pk}/").status_code == 200


@pytest.mark.parametrize(
    ("destination", "shown"),
    [
        ("own", "Choisissez un espace de la même formation que vous modérez."),
        ("", "Choisissez l&#x27;espace"),
    ],
    ids=["same-space", "none"],
)
def test_bad_move_destination_is_refused_with_reason_kept(client, board, destination, shown):
    """A crafted move to the current space, or none, is refused with a message; the reason stays."""
    client.force_login(board["users"]["trainer"])
    to_space = board[destination].pk if destination else ""
    url = f"/forum/c-bzh/{board['thread'].pk}/moderation/deplacer/"
    response = client.post(url, {"to_space": to_space, "reason": "Mon motif"})
    html = response.content.decode()
    assert response.status_code == 400 and shown in html and ">Mon motif</textarea>" in html
    assert (
        Thread.objects.get(pk=board["thread"].pk).space == board["own"] and not ModerationLog.objects.exists()
    )


def test_crafted_move_to_another_programme_is_refused(client, board):
    """A space of another programme is not a valid destination, even by crafted request."""
    other_programme = build_programme(lessons_per_module=1, core=0, options=())
    elsewhere = Space.objects.create(
        kind=SpaceKind.GENERAL, title="Ailleurs", slug="ailleurs", programme=other_programme
    )
    client.force_login(board["users"]["trainer"])
    url = f"/forum/c-bzh/{board['thread'].pk}/moderation/deplacer/"
    assert "Ailleurs" not in client.get(url).content.decode()
    response = client.post(url, {"to_space": elsewhere.pk, "reason": "x"})
    assert response.status_code == 400 and "même formation" in response.content.decode()
    assert Thread.objects.get(pk=board["thread"].pk).space == board["own"]


def test_log_page_lists_newest_first_and_filters_by_space(client, board):
    """The log shows each act with actor and reason, newest first; the filter keeps one space's acts."""
    trainer = board["users"]["trainer"]
    moderation.thread_pin(thread=_thread(board["thread"]), by=trainer, reason="Premier motif")
    moderation.thread_lock(thread=_thread(board["other_thread"]), by=trainer, reason="Second motif")
    moderation.thread_move(
        thread=_thread(board["thread"]), to_space=board["core"], by=trainer, reason="Troisième"
    )
    client.force_login(board["users"]["pedagogical"])
    html = client.get("/forum/moderation/journal/").content.decode()
    assert html.index("Troisième") < html.index("Second motif") < html.index("Premier motif")
    assert "de « Bretagne » vers « Module socle 1 »" in html and trainer.display_name in html
    html = client.get("/forum/moderation/journal/?espace=c-bzh").content.decode()
    assert "Premier motif" in html and "Troisième" in html and "Second motif" not in html
    html = client.get("/forum/moderation/journal/?espace=c-occ").content.decode()
    assert "Second motif" in html and "Premier motif" not in html


def test_log_filter_with_an_unknown_space_says_so(client, board):
    """An unknown space in the filter is reported and the whole log is shown."""
    moderation.thread_pin(thread=_thread(board["thread"]), by=board["users"]["trainer"], reason="Motif")
    client.force_login(board["users"]["trainer"])
    html = client.get("/forum/moderation/journal/?espace=nulle-part").content.decode()
    assert "Cet espace n&#x27;existe pas ou vous ne le modérez pas." in html and "Motif" in html


def test_log_page_empty_state(client, board):
    """With no act yet, the log says what will appear."""
    client.force_login(board["users"]["trainer"])
    assert "Aucun acte de modération" in client.get("/forum/moderation/journal/").content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _add_log(board, n):
    actors = [board["users"]["trainer"], board["users"]["pedagogical"], TrainerFactory()]
    threads = [board["thread"], board["other_thread"], board["option_thread"]]
    now = timezone.now()
    ModerationLog.objects.bulk_create(
        ModerationLog(
            action=ModerationAction.HIDE_POST if i % 2 else ModerationAction.MOVE,
            thread=threads[i % 3],
            post=board["peer_reply"] if i % 2 else None,
            actor=actors[i % 3],
            reason=f"motif {i}",
            from_space=threads[i % 3].space,
            to_space=None if i % 2 else board["core"],
            created_at=now,
        )
        for i in range(n)
    )


def test_log_page_query_budget_is_fixed(client, board):
    """The log page costs the same number of queries at 5 and 120 entries, on any page and filtered."""
    _add_log(board, 5)
    client.force_login(board["users"]["trainer"])
    small = _queries(client, "/forum/moderation/journal/")
    small_filtered = _queries(client, "/forum/moderation/journal/?espace=c-bzh")
    _add_log(board, 115)
    assert ModerationLog.objects.count() == 120
    assert _queries(client, "/forum/moderation/journal/") == small
    assert _queries(client, "/forum/moderation/journal/?page=3") == small
    assert _queries(client, "/forum/moderation/journal/?espace=c-bzh&page=2") == small_filtered


def test_moderator_thread_page_query_budget_is_fixed(client, board):
    """A moderator's thread page with hidden posts and their reasons costs the same at 3 and 300 posts."""
    trainer = board["users"]["trainer"]
    thread = board["thread"]
    moderation.post_hide(post=board["peer_reply"], by=trainer, reason="Motif")
    client.force_login(trainer)
    url = f"/forum/c-bzh/{thread.pk}/"
    small = _queries(client, url)
    now = timezone.now()
    posts = Post.objects.bulk_create(
        Post(
            thread=thread,
            author=board["peer"],
            source=f"r{i}",
            html=f"<p>r{i}</p>",
            created_at=now,
            is_hidden=i % 3 == 0,
        )
        for i in range(297)
    )
    ModerationLog.objects.bulk_create(
        ModerationLog(
            action=ModerationAction.HIDE_POST,
            thread=thread,
            post=p,
            actor=trainer,
            reason="m",
            created_at=now,
        )
        for p in posts
        if p.is_hidden
    )
    assert _queries(client, url) == small
    assert _queries(client, url + "?page=4") == small
