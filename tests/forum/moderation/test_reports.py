"""Reports and the moderation queue: any member reports someone else's post once; moderators see
open reports grouped by post, oldest first, and hide the post or dismiss the reports."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum.enums import ModerationAction, ReportStatus
from forum.models import ModerationLog, Post, Report
from forum.moderation import selectors as moderation_selectors
from forum.moderation import services as moderation
from forum.threads import permissions
from tests.factories import UserFactory
from tests.forum.moderation import test_moderation as shared

pytestmark = pytest.mark.django_db

ROLES = shared.ROLES
board = shared.board  # the shared fixture


# --- Services -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["learner", "ars_region", "trainer", "pedagogical"])
def test_any_member_reports_someone_elses_post(board, role):
    """Whoever reads the space reports another member's visible post with a reason."""
    report = moderation.report_create(
        post=board["peer_reply"], by=board["users"][role], reason="  Hors sujet "
    )
    assert (report.post, report.reporter, report.reason, report.status) == (
        board["peer_reply"],
        board["users"][role],
        "Hors sujet",
        ReportStatus.OPEN,
    )


def test_reporting_your_own_post_is_refused(board):
    """Reporting one's own post is refused with a clear message."""
    with pytest.raises(ValidationError, match="votre propre message"):
        moderation.report_create(post=board["peer_reply"], by=board["peer"], reason="x")
    assert not Report.objects.exists()


def test_reporting_twice_is_refused_until_resolved(board):
    """A second open report by the same member says it is already pending; after dismissal it is possible."""
    learner, post = board["users"]["learner"], board["peer_reply"]
    moderation.report_create(post=post, by=learner, reason="Premier")
    with pytest.raises(ValidationError, match="déjà signalé ce message"):
        moderation.report_create(post=post, by=learner, reason="Second")
    assert Report.objects.count() == 1
    moderation.report_dismiss(post=post, by=board["users"]["trainer"], reason="Rien d'anormal")
    moderation.report_create(post=post, by=learner, reason="Nouveau fait")
    assert Report.objects.filter(status=ReportStatus.OPEN).count() == 1


@pytest.mark.parametrize("state", ["is_hidden", "deleted_at"])
def test_reporting_a_hidden_or_deleted_post_is_refused(board, state):
    """A post members cannot see any more cannot be reported."""
    Post.objects.filter(pk=board["peer_reply"].pk).update(
        **{state: True if state == "is_hidden" else timezone.now()}
    )
    with pytest.raises(ValidationError, match="plus visible"):
        moderation.report_create(post=board["peer_reply"], by=board["users"]["learner"], reason="x")
    assert not Report.objects.exists()


@pytest.mark.parametrize("role", ["learner_other_cohort", "ars_other_region"])
def test_reporting_in_a_space_one_cannot_read_is_refused(board, role):
    """A crafted report on a post of another cohort's space is refused."""
    with pytest.raises(PermissionDenied):
        moderation.report_create(post=board["peer_reply"], by=board["users"][role], reason="x")
    assert not Report.objects.exists()


def test_reporting_without_a_reason_is_refused(board):
    """The reason is required."""
    with pytest.raises(ValidationError) as exc:
        moderation.report_create(post=board["peer_reply"], by=board["users"]["learner"], reason="   ")
    assert "motif" in str(exc.value).lower() and not Report.objects.exists()


def test_dismiss_closes_open_reports_and_logs(board):
    """« Classer sans suite » closes every open report on the post and logs DISMISS_REPORT."""
    post, trainer = board["peer_reply"], board["users"]["trainer"]
    for role in ("learner", "ars_region"):
        moderation.report_create(post=post, by=board["users"][role], reason=f"par {role}")
    entry = moderation.report_dismiss(post=post, by=trainer, reason="Propos acceptables")
    assert set(Report.objects.values_list("status", "resolved_by")) == {(ReportStatus.DISMISSED, trainer.pk)}
    assert (entry.action, entry.post, entry.reason) == (
        ModerationAction.DISMISS_REPORT,
        post,
        "Propos acceptables",
    )
    assert not Post.objects.get(pk=post.pk).is_hidden
    with pytest.raises(ValidationError, match="Aucun signalement en attente"):
        moderation.report_dismiss(post=post, by=trainer, reason="encore")
    assert ModerationLog.objects.count() == 1


def test_open_report_count(board):
    """Moderators count the open reports of the spaces they moderate; everyone else counts 0."""
    moderation.report_create(post=board["peer_reply"], by=board["users"]["learner"], reason="a")
    moderation.report_create(post=board["peer_reply"], by=board["users"]["ars_region"], reason="b")
    moderation.report_create(post=board["question"], by=board["peer"], reason="c")
    Report.objects.create(
        post=board["trainer_reply"], reporter=board["peer"], reason="d", status=ReportStatus.HIDDEN
    )
    assert moderation_selectors.open_report_count(user=board["users"]["trainer"]) == 3
    assert moderation_selectors.open_report_count(user=board["users"]["learner"]) == 0
    assert moderation_selectors.open_report_count(user=board["users"]["ars_region"]) == 0


def test_open_report_count_template_tag(board):
    """`{% open_report_count as n %}` gives moderators their count and others 0."""
    moderation.report_create(post=board["peer_reply"], by=board["users"]["learner"], reason="a")
    template = Template("{% load forum_moderation %}{% open_report_count as n %}[{{ n }}]")
    for role, shown in (
        ("trainer", "[1]"),
        ("pedagogical", "[1]"),
        ("learner", "[0]"),
        ("ars_region", "[0]"),
    ):
        request = RequestFactory().get("/")
        request.user = board["users"][role]
        assert template.render(Context({"request": request})) == shown


def test_moderation_links_tag_for_moderators_only(board):
    """`{% moderation_links %}` shows moderators the queue with its count and the log; others nothing."""
    moderation.report_create(post=board["peer_reply"], by=board["users"]["learner"], reason="a")
    template = Template("{% load forum_moderation %}{% moderation_links %}")
    for role in ("trainer", "learner", "ars_region"):
        request = RequestFactory().get("/")
        request.user = board["users"][role]
        html = template.render(Context({"request": request}))
        if role == "trainer":
            assert "/forum/moderation/signalements/" in html and "(1)</span>" in html
            assert "/forum/moderation/journal/" in html
        else:
            assert html.strip() == ""


# --- Role × URL matrix ----------------------------------------------------------------------------


def _urls(b):
    t, p = b["thread"].pk, b["peer_reply"].pk
    option, option_post = b["option_thread"].pk, b["option_thread"].posts.get().pk
    return {
        "report": f"/forum/c-bzh/{t}/messages/{p}/signaler/",
        "report_option": f"/forum/m5/{option}/messages/{option_post}/signaler/",
        "queue": "/forum/moderation/signalements/",
        "queue_hide": f"/forum/moderation/signalements/{p}/masquer/",
        "queue_dismiss": f"/forum/moderation/signalements/{p}/classer/",
    }


#                    anon learner other  ars  ars2 trainer pedago
MATRIX = {
    "report": [302, 200, 404, 200, 404, 200, 200],
    "report_option": [302, 404, 404, 404, 404, 200, 200],
    "queue": [302, 403, 403, 403, 403, 200, 200],
    "queue_hide": [302, 403, 404, 403, 404, 200, 200],
    "queue_dismiss": [302, 403, 404, 403, 404, 200, 200],
}
CASES = [(n, r, c) for n, codes in MATRIX.items() for r, c in zip(ROLES, codes, strict=True)]


@pytest.mark.parametrize(("name", "role", "expected"), CASES, ids=[f"{n}-{r}" for n, r, _ in CASES])
def test_report_url_matrix(client, board, name, role, expected):
    """Members report in the spaces they read; only moderators reach the queue and its actions."""
    moderation.report_create(post=board["peer_reply"], by=board["users"]["learner"], reason="Hors sujet")
    user = board["users"][role]
    if user:
        client.force_login(user)
    response = client.get(_urls(board)[name])
    assert response.status_code == expected
    if expected == 302:
        assert "/comptes/login/" in response["Location"]


@pytest.mark.parametrize("role", ["learner", "learner_other_cohort", "ars_region", "ars_other_region"])
@pytest.mark.parametrize("name", ["queue_hide", "queue_dismiss"])
def test_crafted_queue_actions_by_non_moderators_change_nothing(client, board, role, name):
    """A crafted POST to the queue actions by a non-moderator is refused and writes nothing."""
    moderation.report_create(post=board["peer_reply"], by=board["users"]["trainer"], reason="x")
    client.force_login(board["users"][role])
    assert client.post(_urls(board)[name], {"reason": "pirate"}).status_code in (403, 404)
    assert Report.objects.get().status == ReportStatus.OPEN
    assert not Post.objects.get(pk=board["peer_reply"].pk).is_hidden and not ModerationLog.objects.exists()


@pytest.mark.parametrize("role", ["learner_other_cohort", "ars_other_region"])
def test_crafted_report_in_another_cohorts_space_is_not_found(client, board, role):
    """Reporting by crafted POST in a space one cannot read is « not found » and writes nothing."""
    client.force_login(board["users"][role])
    assert client.post(_urls(board)["report"], {"reason": "pirate"}).status_code == 404
    assert not Report.objects.exists()


# --- Pages ----------------------------------------------------------------------------------------


def test_report_link_only_on_other_members_visible_posts(client, board):
    """« Signaler » is offered on others' posts, not on one's own."""
    client.force_login(board["peer"])
    html = client.get(f"/forum/c-bzh/{board['thread'].pk}/").content.decode()
    assert f"/messages/{board['question'].pk}/signaler/" in html
    assert f"/messages/{board['trainer_reply'].pk}/signaler/" in html
    assert f"/messages/{board['peer_reply'].pk}/signaler/" not in html


def test_report_through_the_page(client, board):
    """A learner reports with a reason and is thanked; the report waits in the queue."""
    client.force_login(board["users"]["learner"])
    url = _urls(board)["report"]
    html = client.get(url).content.decode()
    assert "Motif du signalement" in html and "Le 12 mai, je crois." in html
    response = client.post(url, {"reason": "Information erronée"}, follow=True)
    assert "votre signalement est transmis à la modération" in response.content.decode()
    report = Report.objects.get()
    assert (report.reporter, report.reason) == (board["users"]["learner"], "Information erronée")


def test_reporting_twice_through_the_page_says_so_and_keeps_the_text(client, board):
    """The second report shows a clear message, keeps the typed reason and writes nothing."""
    client.force_login(board["users"]["learner"])
    url = _urls(board)["report"]
    client.post(url, {"reason": "Premier"})
    assert "déjà signalé ce message" in client.get(url).content.decode()
    response = client.post(url, {"reason": "Second essai"})
    html = response.content.decode()
    assert (
        response.status_code == 400
        and "déjà signalé ce message" in html
        and ">Second essai</textarea>" in html
    )
    assert Report.objects.count() == 1


def test_empty_report_reason_is_refused(client, board):
    """An empty reason is refused with a message and status 400."""
    client.force_login(board["users"]["learner"])
    response = client.post(_urls(board)["report"], {"reason": ""})
    assert response.status_code == 400 and "Indiquez le motif" in response.content.decode()
    assert not Report.objects.exists()


def test_own_post_report_page_explains_the_refusal(client, board):
    """Opening the report page of one's own post explains why, without a form; a crafted POST is refused."""
    client.force_login(board["peer"])
    url = _urls(board)["report"]
    html = client.get(url).content.decode()
    assert "Vous ne pouvez pas signaler votre propre message." in html and "<textarea" not in html
    response = client.post(url, {"reason": "moi"})
    assert response.status_code == 400 and "votre propre message" in response.content.decode()
    assert not Report.objects.exists()


def test_queue_groups_reports_by_post_oldest_first(client, board):
    """One row per post with its count and reasons, the post reported first coming first."""
    now = timezone.now()
    peer_reply, question = board["peer_reply"], board["question"]
    Report.objects.create(post=question, reporter=board["peer"], reason="Titre trompeur", created_at=now)
    for i, role in enumerate(("learner", "ars_region")):
        Report.objects.create(
            post=peer_reply,
            reporter=board["users"][role],
            reason=f"Motif {role}",
            created_at=now - timezone.timedelta(hours=2 - i),
        )
    Report.objects.create(
        post=board["trainer_reply"],
        reporter=board["peer"],
        reason="Déjà traité",
        status=ReportStatus.DISMISSED,
    )
    client.force_login(board["users"]["trainer"])
    html = client.get("/forum/moderation/signalements/").content.decode()
    assert (
        "Messages signalés (2)" in html
        and "2 signalements</strong>" in html
        and "1 signalement</strong>" in html
    )
    assert html.index("Motif learner") < html.index("Titre trompeur")
    assert "Motif ars_region" in html and "Déjà traité" not in html


def test_queue_shows_only_spaces_the_moderator_moderates(client, board, monkeypatch):
    """The queue is scoped by the moderation rule (spaces_moderated_by / space_access): reports
    elsewhere are not listed, and acting on them is refused."""
    moderation.report_create(post=board["peer_reply"], by=board["users"]["learner"], reason="motif-bzh")
    other_post = board["other_thread"].posts.get()
    moderation.report_create(post=other_post, by=board["users"]["trainer"], reason="motif-occ")
    real = permissions.space_access

    def access(user, space):
        if space.pk == board["other"].pk:
            return permissions.SpaceAccess(read=True, post=True, moderate=False)
        return real(user, space)

    real_list = permissions.spaces_moderated_by
    monkeypatch.setattr(permissions, "space_access", access)
    monkeypatch.setattr(
        permissions, "spaces_moderated_by", lambda user: real_list(user).exclude(pk=board["other"].pk)
    )
    client.force_login(board["users"]["pedagogical"])
    html = client.get("/forum/moderation/signalements/").content.decode()
    assert "motif-bzh" in html and "motif-occ" not in html and "Messages signalés (1)" in html
    assert client.get(f"/forum/moderation/signalements/{other_post.pk}/masquer/").status_code == 403


def test_queue_empty_state(client, board):
    """With nothing to handle, the queue says so."""
    client.force_login(board["users"]["trainer"])
    assert "Aucun signalement à traiter" in client.get("/forum/moderation/signalements/").content.decode()


def test_hide_from_the_queue(client, board):
    """« Masquer le message » hides the post, resolves its reports as hidden and logs the act."""
    post, trainer = board["peer_reply"], board["users"]["trainer"]
    moderation.report_create(post=post, by=board["users"]["learner"], reason="Blessant")
    moderation.report_create(post=post, by=board["users"]["ars_region"], reason="Irrespectueux")
    client.force_login(trainer)
    page = client.get(_urls(board)["queue_hide"]).content.decode()
    assert "Blessant" in page and "Irrespectueux" in page and "Le 12 mai, je crois." in page
    response = client.post(_urls(board)["queue_hide"], {"reason": "Propos blessants"})
    assert response.status_code == 302 and response["Location"] == "/forum/moderation/signalements/"
    assert Post.objects.get(pk=post.pk).is_hidden
    assert set(Report.objects.values_list("status", flat=True)) == {ReportStatus.HIDDEN}
    entry = ModerationLog.objects.get()
    assert (entry.action, entry.post, entry.actor, entry.reason) == (
        ModerationAction.HIDE_POST,
        post,
        trainer,
        "Propos blessants",
    )
    assert "Aucun signalement à traiter" in client.get("/forum/moderation/signalements/").content.decode()


def test_dismiss_from_the_queue(client, board):
    """« Classer sans suite » keeps the post visible, closes its reports and logs DISMISS_REPORT."""
    post = board["peer_reply"]
    moderation.report_create(post=post, by=board["users"]["learner"], reason="Bof")
    client.force_login(board["users"]["pedagogical"])
    response = client.post(_urls(board)["queue_dismiss"], {"reason": "Rien de contraire aux règles"})
    assert response.status_code == 302
    assert not Post.objects.get(pk=post.pk).is_hidden
    assert Report.objects.get().status == ReportStatus.DISMISSED
    assert ModerationLog.objects.get().action == ModerationAction.DISMISS_REPORT


def test_queue_action_without_reason_is_refused(client, board):
    """Hiding from the queue without a reason is refused, 400, and nothing changes."""
    moderation.report_create(post=board["peer_reply"], by=board["users"]["learner"], reason="Bof")
    client.force_login(board["users"]["trainer"])
    response = client.post(_urls(board)["queue_hide"], {"reason": ""})
    assert response.status_code == 400 and "Indiquez le motif" in response.content.decode()
    assert Report.objects.get().status == ReportStatus.OPEN and not ModerationLog.objects.exists()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _reported_posts(board, n, reporters):
    """n new posts in the board's thread, each reported by every reporter."""
    now = timezone.now()
    posts = Post.objects.bulk_create(
        Post(
            thread=board["thread"], author=board["peer"], source=f"r{i}", html=f"<p>r{i}</p>", created_at=now
        )
        for i in range(n)
    )
    Report.objects.bulk_create(
        Report(post=post, reporter=reporter, reason=f"motif {i}", created_at=now)
        for post in posts
        for i, reporter in enumerate(reporters)
    )


def test_queue_query_budget_is_fixed(client, board):
    """The queue costs the same number of queries at 3 and 60 reported posts (up to 4 reports each)."""
    _reported_posts(board, 3, [board["users"]["learner"]])
    client.force_login(board["users"]["trainer"])
    small = _queries(client, "/forum/moderation/signalements/")
    _reported_posts(board, 57, [board["users"]["learner"], *(UserFactory() for _ in range(3))])
    assert Report.objects.filter(status=ReportStatus.OPEN).values("post").distinct().count() == 60
    assert _queries(client, "/forum/moderation/signalements/") == small
    assert _queries(client, "/forum/moderation/signalements/?page=3") == small


def test_thread_page_budget_for_a_reporter_is_fixed(client, board):
    """Report links add no query per post on the thread page (3 vs 300 posts)."""
    client.force_login(board["users"]["learner"])
    url = f"/forum/c-bzh/{board['thread'].pk}/"
    small = _queries(client, url)
    now = timezone.now()
    Post.objects.bulk_create(
        Post(
            thread=board["thread"], author=board["peer"], source=f"r{i}", html=f"<p>r{i}</p>", created_at=now
        )
        for i in range(297)
    )
    assert _queries(client, url) == small
    assert _queries(client, url + "?page=5") == _queries(client, url + "?page=2")
