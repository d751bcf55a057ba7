"""Follows and notifications: who is notified of a new post, the immediate emails and the daily
digest, the unsubscribe tokens, and the bulk reader rule agreeing with lms.permissions."""

import pytest
from django.conf import settings
from django.core import mail, signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.cohorts.models import Enrolment
from courses.learning import services as learning_services
from forum.enums import EmailMode, SpaceKind
from forum.models import Follow, Notification, NotificationPreference, Post, Space, Thread
from forum.notifications import selectors as notification_selectors
from forum.notifications import services as notifications
from forum.notifications import tasks
from forum.threads import permissions, services
from tests.factories import (
    ArsStaffFactory,
    CohortFactory,
    EnrolmentFactory,
    TrainerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def setup(programme, modules, cohort, other_region, ars_staff, other_ars_staff, trainer, pedagogical):
    """Two cohorts in two regions, the general space, both cohort spaces, a core module space and
    an option space; the learner of the first cohort chose no option."""
    learner = EnrolmentFactory(cohort=cohort).user
    other_cohort = CohortFactory(programme=programme, region=other_region, name="Occitanie 2026")
    other_learner = EnrolmentFactory(cohort=other_cohort).user
    spaces = {
        "general": Space.objects.create(
            kind=SpaceKind.GENERAL, title="Général", slug="general", programme=programme
        ),
        "own": Space.objects.create(
            kind=SpaceKind.COHORT, title="Bretagne", slug="c-bzh", programme=programme, cohort=cohort
        ),
        "other": Space.objects.create(
            kind=SpaceKind.COHORT, title="Occitanie", slug="c-occ", programme=programme, cohort=other_cohort
        ),
        "core": Space.objects.create(
            kind=SpaceKind.MODULE, title="Module socle 1", slug="m1", programme=programme, module=modules[0]
        ),
        "option": Space.objects.create(
            kind=SpaceKind.MODULE, title="Méthodologie", slug="m5", programme=programme, module=modules[4]
        ),
        "env": Space.objects.create(
            kind=SpaceKind.MODULE,
            title="Santé environnement",
            slug="m6",
            programme=programme,
            module=modules[5],
        ),
    }
    return {
        **spaces,
        "spaces": spaces,
        "cohort": cohort,
        "other_cohort": other_cohort,
        "modules": modules,
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


def _ask(space, by, title="Question", source="Bonjour"):
    return services.thread_start(space=space, title=title, source=source, by=by)


# --- The bulk reader rule ------------------------------------------------------------------------


def test_space_readers_agrees_with_space_access_for_every_role_and_space(setup, modules):
    """space_readers(space) holds exactly the users to whom space_access gives read, for every kind of
    space and role, including a learner with options, an inactive trainer and a superuser learner."""
    users = [u for u in setup["users"].values() if u is not None]
    with_options = EnrolmentFactory(cohort=setup["cohort"])
    learning_services.options_choose(enrolment=with_options, modules=modules[5:7])
    users += [
        with_options.user,
        TrainerFactory(is_active=False),
        UserFactory(is_superuser=True),
        UserFactory(),  # a learner enrolled nowhere
        ArsStaffFactory(regions=[]),
    ]
    for name, space in setup["spaces"].items():
        readers = set(permissions.space_readers(space).values_list("pk", flat=True))
        for user in users:
            expected = permissions.space_access(user, space).read
            assert (user.pk in readers) == expected, (name, user.role, user.is_active, user.is_superuser)


# --- post_published ------------------------------------------------------------------------------


def test_followers_of_thread_and_space_are_notified_once_author_excluded(setup):
    """A reply notifies the thread's and the space's followers, once each even if they follow both,
    never its own author."""
    users = setup["users"]
    thread = _ask(setup["own"], users["learner"])
    Follow.objects.create(user=users["trainer"], thread=thread)
    Follow.objects.create(user=users["trainer"], space=setup["own"])
    Follow.objects.create(user=users["ars_region"], space=setup["own"])
    Follow.objects.create(user=users["pedagogical"], space=setup["general"])
    reply = services.post_reply(thread=thread, source="Réponse", by=users["trainer"])
    notified = set(Notification.objects.filter(post=reply).values_list("user_id", flat=True))
    assert notified == {users["learner"].pk, users["ars_region"].pk}
    assert Notification.objects.filter(post=reply, user=users["learner"]).count() == 1


def test_author_follows_own_thread_by_default_but_not_when_declined(setup):
    """The author of a question follows it unless their preference says not to."""
    learner, trainer = setup["users"]["learner"], setup["users"]["trainer"]
    thread = _ask(setup["own"], learner)
    assert Follow.objects.filter(user=learner, thread=thread).exists()
    NotificationPreference.objects.create(user=trainer, follow_own_threads=False)
    other = _ask(setup["own"], trainer, title="Annonce")
    assert not Follow.objects.filter(user=trainer, thread=other).exists()


def test_replying_does_not_follow(setup):
    """Replying to a thread does not make one follow it (documented choice)."""
    learner, trainer = setup["users"]["learner"], setup["users"]["trainer"]
    thread = _ask(setup["own"], learner)
    services.post_reply(thread=thread, source="Réponse", by=trainer)
    assert not Follow.objects.filter(user=trainer).exists()


def test_learner_who_left_the_cohort_is_not_notified(setup):
    """A follower who can no longer read the space (moved to another cohort) gets no notification."""
    users = setup["users"]
    thread = _ask(setup["own"], users["trainer"])
    Follow.objects.create(user=users["learner"], thread=thread)
    Follow.objects.create(user=users["learner_other_cohort"], space=setup["own"])  # never could read
    Enrolment.objects.filter(user=users["learner"]).update(cohort=setup["other_cohort"])
    reply = services.post_reply(thread=thread, source="Suite", by=users["pedagogical"])
    assert not Notification.objects.filter(post=reply).exclude(user=users["trainer"]).exists()
    assert Notification.objects.filter(post=reply, user=users["trainer"]).exists()


def test_first_post_notifies_space_followers(setup):
    """A new question notifies the followers of its space."""
    users = setup["users"]
    Follow.objects.create(user=users["trainer"], space=setup["core"])
    thread = _ask(setup["core"], users["learner"])
    assert Notification.objects.filter(post__thread=thread, user=users["trainer"]).count() == 1


def _space_followers(space, n):
    """n trainers and n learners of the programme following `space`."""
    cohort = Space.objects.filter(kind=SpaceKind.COHORT).first().cohort
    for _ in range(n):
        Follow.objects.create(user=TrainerFactory(), space=space)
        Follow.objects.create(user=EnrolmentFactory(cohort=cohort).user, space=space)


def test_post_published_same_queries_at_two_sizes(setup):
    """Notifying 6 or 60 followers costs the same few queries (first-post check, readers who
    follow, one bulk insert): nothing per follower."""
    space, author = setup["general"], setup["users"]["pedagogical"]
    counts = []
    for size in (3, 30):
        thread = _ask(space, author, title=f"Q{size}")
        Follow.objects.filter(space=space).delete()
        _space_followers(space, size)
        post = Post.objects.create(thread=thread, author=author, source="x", html="<p>x</p>")
        post = Post.objects.select_related("thread__space").get(pk=post.pk)
        with CaptureQueriesContext(connection) as queries:
            notifications.post_published(post)
        assert Notification.objects.filter(post=post).count() == 2 * size
        counts.append(len(queries))
    assert counts == [3, 3], counts


# --- Immediate emails ----------------------------------------------------------------------------


def test_immediate_email_is_queued_on_commit_with_links_and_headers(
    setup, django_capture_on_commit_callbacks
):
    """After the reply commits, each « immediate » follower gets one email with the thread, the
    space, an excerpt, a link to the post and the unsubscribe links and headers; emailed_at is set."""
    users = setup["users"]
    thread = _ask(setup["own"], users["learner"], title="Heures en organisation")
    Follow.objects.create(user=users["ars_region"], space=setup["own"])
    NotificationPreference.objects.create(user=users["ars_region"], email_mode=EmailMode.DIGEST)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        reply = services.post_reply(
            thread=thread, source="> cité\n\nElles **comptent** bien, voir le guide.", by=users["trainer"]
        )
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [users["learner"].email]
    assert "Heures en organisation" in message.subject
    assert "« Heures en organisation » (espace « Bretagne »)" in message.body
    assert "Elles comptent bien, voir le guide." in message.body and "cité" not in message.body
    notification = Notification.objects.get(post=reply, user=users["learner"])
    assert f"{settings.SITE_BASE_URL}/forum/notifications/{notification.pk}/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header_url = message.extra_headers["List-Unsubscribe"].strip("<>")
    token = header_url.rsplit("/desabonnement/", 1)[1].rstrip("/")
    assert notifications.unsubscribe_read(token).scope == "all"
    assert "Ne plus suivre ce fil : " + settings.SITE_BASE_URL in message.body
    assert notification.emailed_at is not None
    assert Notification.objects.get(post=reply, user=users["ars_region"]).emailed_at is None


def test_immediate_task_replay_sends_nothing_twice(setup):
    """Running the task again for the same post sends no second email."""
    users = setup["users"]
    thread = _ask(setup["own"], users["learner"])
    reply = services.post_reply(thread=thread, source="Réponse", by=users["trainer"])
    mail.outbox.clear()
    assert tasks.send_post_notifications.delay(post_id=reply.pk).get() == 1
    assert tasks.send_post_notifications.delay(post_id=reply.pk).get() == 0
    assert len(mail.outbox) == 1


def test_immediate_email_skips_none_mode_hidden_post_and_lost_access(setup):
    """No email for a follower in « none » mode, for a post hidden before the task runs, or for a
    follower who lost access meanwhile."""
    users = setup["users"]
    thread = _ask(setup["own"], users["learner"])
    Follow.objects.create(user=users["pedagogical"], thread=thread)
    NotificationPreference.objects.create(user=users["pedagogical"], email_mode=EmailMode.NONE)
    reply = services.post_reply(thread=thread, source="Réponse", by=users["trainer"])
    Enrolment.objects.filter(user=users["learner"]).update(cohort=setup["other_cohort"])
    mail.outbox.clear()
    assert tasks.send_post_notifications(post_id=reply.pk) == 0
    Enrolment.objects.filter(user=users["learner"]).update(cohort=setup["cohort"])
    Post.objects.filter(pk=reply.pk).update(is_hidden=True)
    assert tasks.send_post_notifications(post_id=reply.pk) == 0
    assert mail.outbox == []


def test_bad_header_for_one_follower_does_not_stop_the_others(setup):
    """A title holding a line break (older data) still makes a one-line subject, and a follower
    whose address cannot go in a header is skipped without stopping the other followers' emails."""
    users = setup["users"]
    thread = _ask(setup["own"], users["learner"])
    Thread.objects.filter(pk=thread.pk).update(title="Heures\r\nBcc: intrus@example.org")
    Follow.objects.create(user=users["pedagogical"], thread=thread)
    type(users["pedagogical"]).objects.filter(pk=users["pedagogical"].pk).update(
        email="equipe@example.org\nBcc: intrus@example.org"
    )
    reply = services.post_reply(thread=thread, source="Réponse", by=users["trainer"])
    mail.outbox.clear()
    assert tasks.send_post_notifications(post_id=reply.pk) == 1
    assert [m.to for m in mail.outbox] == [[users["learner"].email]]
    assert mail.outbox[0].subject == "[DE Coordinateur CLS] Nouveau message — Heures Bcc: intrus@example.org"
    assert tasks.send_post_notifications(post_id=reply.pk) == 0


def test_email_via_space_offers_to_unfollow_the_space(setup):
    """A space follower's email says why it was sent and offers to stop following the space."""
    users = setup["users"]
    Follow.objects.create(user=users["trainer"], space=setup["core"])
    mail.outbox.clear()
    thread = _ask(setup["core"], users["learner"])
    assert tasks.send_post_notifications(post_id=thread.posts.get().pk) == 1
    body = mail.outbox[0].body
    assert "parce que vous suivez l'espace « Module socle 1 »" in body
    link = body.split("Ne plus suivre cet espace : ")[1].split()[0]
    assert notifications.unsubscribe_read(link.rsplit("/", 2)[1]).scope == "space"


# --- Daily digest --------------------------------------------------------------------------------


def test_digest_groups_by_thread_and_is_idempotent(setup):
    """A digest member gets one email listing new posts grouped by thread, marked emailed; a second
    run sends nothing; a « none » member gets nothing."""
    users = setup["users"]
    ars, ped = users["ars_region"], users["pedagogical"]
    NotificationPreference.objects.create(user=ars, email_mode=EmailMode.DIGEST)
    NotificationPreference.objects.create(user=ped, email_mode=EmailMode.NONE)
    Follow.objects.create(user=ars, space=setup["own"])
    Follow.objects.create(user=ped, space=setup["own"])
    first = _ask(setup["own"], users["learner"], title="Premier fil")
    second = _ask(setup["own"], users["learner"], title="Second fil")
    services.post_reply(thread=first, source="Une réponse précise", by=users["trainer"])
    services.post_reply(thread=second, source="Autre réponse", by=users["trainer"])
    mail.outbox.clear()
    assert tasks.send_daily_digests.delay().get() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [ars.email] and "4 nouveaux messages" in message.subject
    assert message.body.count("« Premier fil »") == 1 and message.body.count("« Second fil »") == 1
    assert message.body.index("Premier fil") < message.body.index("Une réponse précise")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not Notification.objects.filter(user=ars, emailed_at__isnull=True).exists()
    assert Notification.objects.filter(user=ped, emailed_at__isnull=True).count() == 4
    assert tasks.send_daily_digests() == 0
    assert len(mail.outbox) == 1


def test_digest_leaves_out_read_and_unreadable_notifications(setup):
    """Notifications read on the site or about a space one can no longer read are not listed (and
    not sent again later); with nothing left to list, no email."""
    users = setup["users"]
    learner = users["learner"]
    NotificationPreference.objects.create(user=learner, email_mode=EmailMode.DIGEST)
    thread = _ask(setup["own"], learner)
    services.post_reply(thread=thread, source="Lue", by=users["trainer"])
    Notification.objects.filter(user=learner).update(read_at=notifications.timezone.now())
    services.post_reply(thread=thread, source="Perdue", by=users["trainer"])
    Enrolment.objects.filter(user=learner).update(cohort=setup["other_cohort"])
    mail.outbox.clear()
    assert tasks.send_daily_digests() == 0
    assert mail.outbox == []
    assert not Notification.objects.filter(user=learner, emailed_at__isnull=True).exists()


def test_digest_is_scheduled_daily():
    """Celery beat runs the digest task once a day."""
    jobs = [
        job for job in settings.CELERY_BEAT_SCHEDULE.values() if job["task"] == tasks.send_daily_digests.name
    ]
    assert len(jobs) == 1
    schedule = jobs[0]["schedule"]
    assert schedule.hour == {7} and schedule.minute == {0} and len(schedule.day_of_week) == 7


# --- Unsubscribe tokens and follows --------------------------------------------------------------


def test_unsubscribe_token_round_trip_and_tampering(setup):
    """A token names its user and scope; a changed character, another salt or garbage is refused."""
    learner = setup["users"]["learner"]
    thread = _ask(setup["own"], learner)
    token = notifications.unsubscribe_token(user=learner, thread=thread)
    assert notifications.unsubscribe_read(token) == notifications.Unsubscription(
        learner.pk, "thread", thread.pk
    )
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    forged = signing.dumps([learner.pk, "all", None], salt="autre")
    for bad in (
        tampered,
        forged,
        "n-importe-quoi",
        signing.dumps([learner.pk], salt=notifications.UNSUBSCRIBE_SALT),
    ):
        with pytest.raises(signing.BadSignature):
            notifications.unsubscribe_read(bad)


def test_unsubscribe_apply_each_scope(setup):
    """Thread and space scopes remove that follow only; « all » sets the emails to none."""
    learner = setup["users"]["learner"]
    thread = _ask(setup["own"], learner)
    Follow.objects.create(user=learner, space=setup["general"])
    notifications.unsubscribe_apply(
        unsubscription=notifications.Unsubscription(learner.pk, "thread", thread.pk)
    )
    assert list(Follow.objects.filter(user=learner).values_list("space_id", flat=True)) == [
        setup["general"].pk
    ]
    notifications.unsubscribe_apply(
        unsubscription=notifications.Unsubscription(learner.pk, "space", setup["general"].pk)
    )
    assert not Follow.objects.filter(user=learner).exists()
    notifications.unsubscribe_apply(unsubscription=notifications.Unsubscription(learner.pk, "all"))
    notifications.unsubscribe_apply(unsubscription=notifications.Unsubscription(learner.pk, "all"))
    assert notification_selectors.preference_of(learner).email_mode == EmailMode.NONE


def test_follow_set_refuses_an_unreadable_space_and_is_idempotent(setup):
    """One cannot follow a space one may not read; following twice keeps one row."""
    learner = setup["users"]["learner"]
    with pytest.raises(PermissionDenied):
        notifications.follow_set(user=learner, following=True, space=setup["option"])
    notifications.follow_set(user=learner, following=True, space=setup["core"])
    notifications.follow_set(user=learner, following=True, space=setup["core"])
    assert Follow.objects.filter(user=learner).count() == 1
    notifications.follow_set(user=learner, following=False, space=setup["core"])
    assert not Follow.objects.filter(user=learner).exists()


def test_excerpt_leaves_out_quotes_and_removed_posts(setup):
    """The excerpt is the post's own text, unescaped and cut; empty for a hidden or deleted post."""
    learner = setup["users"]["learner"]
    thread = _ask(
        setup["own"], learner, source="> ancien\n> texte\n\nMon **avis** & le vôtre " + "mot " * 200
    )
    post = thread.posts.get()
    excerpt = notifications.post_excerpt(post, 60)
    assert excerpt.startswith("Mon avis & le vôtre mot") and "ancien" not in excerpt and len(excerpt) <= 60
    post.is_hidden = True
    assert notifications.post_excerpt(post) == ""


def test_digest_run_goes_on_after_one_member_fails(setup, caplog):
    """A member whose stored address breaks the email: the failure is logged with their id, their
    notifications stay pending for the next run, and the other members still get their digest."""
    users = setup["users"]
    ars, ped = users["ars_region"], users["pedagogical"]
    for user in (ars, ped):
        NotificationPreference.objects.create(user=user, email_mode=EmailMode.DIGEST)
        Follow.objects.create(user=user, space=setup["own"])
    _ask(setup["own"], users["learner"], title="Premier fil")
    type(ars).objects.filter(pk=ars.pk).update(email="ars@example.org\r\nBcc: x@example.org")
    mail.outbox.clear()
    with caplog.at_level("ERROR"):
        assert tasks.send_daily_digests.delay().get() == 1
    assert [m.to for m in mail.outbox] == [[ped.email]]
    assert f"Forum digest not sent for user {ars.pk}" in caplog.text
    assert Notification.objects.filter(user=ars, emailed_at__isnull=True).exists()
    assert not Notification.objects.filter(user=ped, emailed_at__isnull=True).exists()
