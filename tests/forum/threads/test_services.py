"""Forum writes: who may post where, locked and hidden threads, limits, edit and soft delete."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from courses.catalogue.models import ModulePage, ProgrammePage
from courses.cohorts import services as cohorts_services
from courses.enums import ModuleKind
from forum.enums import SpaceKind
from forum.models import Post, Space, Thread
from forum.threads import permissions, services
from tests.factories import CohortFactory, EnrolmentFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def general(programme):
    return Space.objects.create(kind=SpaceKind.GENERAL, title="Général", slug="general", programme=programme)


@pytest.fixture
def other_cohort_space(programme, other_region):
    cohort = CohortFactory(programme=programme, region=other_region)
    return Space.objects.create(
        kind=SpaceKind.COHORT, title="Occitanie", slug="occ", programme=programme, cohort=cohort
    )


def test_learner_asks_and_trainer_answers(general, learner, trainer):
    """A learner opens a thread; a trainer replies; the thread's last activity moves."""
    thread = services.thread_start(
        space=general, title="Heures Qualiopi ?", source="Comment **compter** ?", by=learner
    )
    assert "<strong>compter</strong>" in thread.posts.get().html
    reply = services.post_reply(thread=thread, source="Voir la fiche.", by=trainer)
    thread.refresh_from_db()
    assert thread.last_post_at == reply.created_at and thread.posts.count() == 2


def test_posting_in_another_cohort_space_is_refused(other_cohort_space, learner):
    """A crafted post into another cohort's space is refused and writes nothing."""
    with pytest.raises(PermissionDenied):
        services.thread_start(space=other_cohort_space, title="Bonjour", source="Test", by=learner)
    assert not Thread.objects.exists()


def test_thread_title_is_kept_on_one_line(general, learner):
    """Line breaks and runs of whitespace in a title collapse to single spaces (it goes into
    email subjects)."""
    thread = services.thread_start(
        space=general, title="  Heures\r\nBcc: intrus@example.org \t  ?\n", source="Bonjour", by=learner
    )
    assert Thread.objects.get(pk=thread.pk).title == "Heures Bcc: intrus@example.org ?"


def test_whitespace_only_title_is_refused(general, learner):
    """A title made of line breaks and tabs only is refused as empty, and nothing is written."""
    with pytest.raises(ValidationError) as exc:
        services.thread_start(space=general, title="\n\t\r\n", source="Bonjour", by=learner)
    assert exc.value.messages == ["Donnez un titre à votre question."]
    assert not Thread.objects.exists() and not Post.objects.exists()


@pytest.mark.parametrize(
    ("source", "message"), [("   ", "vide"), ("x" * 200_000, "dépasse 20 000 caractères")]
)
def test_empty_or_huge_post_is_refused(general, learner, source, message):
    """An empty post or one of 200,000 characters is refused with a clear message."""
    with pytest.raises(ValidationError) as exc:
        services.thread_start(space=general, title="Titre", source=source, by=learner)
    assert message in exc.value.messages[0]
    assert not Post.objects.exists()


def test_locked_and_hidden_threads_refuse_replies(general, learner, trainer):
    """Replies to a locked or hidden thread are refused."""
    thread = services.thread_start(space=general, title="Q", source="?", by=learner)
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    with pytest.raises(ValidationError, match="verrouillé"):
        services.post_reply(thread=thread, source="R", by=trainer)
    Thread.objects.filter(pk=thread.pk).update(is_locked=False, is_hidden=True)
    with pytest.raises(ValidationError, match="masqué"):
        services.post_reply(thread=thread, source="R", by=trainer)


def test_quoting_a_hidden_post_is_refused(general, learner, trainer):
    """A reply cannot quote a post hidden by moderation."""
    thread = services.thread_start(space=general, title="Q", source="?", by=learner)
    first = thread.posts.get()
    Post.objects.filter(pk=first.pk).update(is_hidden=True)
    first.refresh_from_db()
    with pytest.raises(ValidationError, match="cité"):
        services.post_reply(thread=thread, source="R", by=trainer, quote=first)


def test_flood_is_rate_limited(general, learner):
    """The eleventh post within five minutes is refused with a clear message."""
    thread = services.thread_start(space=general, title="Q", source="1", by=learner)
    for i in range(services.FLOOD_LIMIT - 1):
        services.post_reply(thread=thread, source=f"r{i}", by=learner)
    with pytest.raises(ValidationError, match="patientez"):
        services.post_reply(thread=thread, source="encore", by=learner)
    assert thread.posts.count() == services.FLOOD_LIMIT


def test_edit_own_post_within_the_window_only(general, learner, trainer):
    """An author edits within 30 minutes; someone else never; later, not at all."""
    thread = services.thread_start(space=general, title="Q", source="v1", by=learner)
    post = thread.posts.get()
    with pytest.raises(PermissionDenied):
        services.post_edit(post=post, source="pirate", by=trainer)
    services.post_edit(post=post, source="v2", by=learner)
    assert post.edited_at is not None and "v2" in post.html
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(hours=1))
    post.refresh_from_db()
    with pytest.raises(ValidationError, match="30 minutes"):
        services.post_edit(post=post, source="v3", by=learner)


def test_soft_delete_keeps_the_thread(general, learner, trainer):
    """Deleting one's post keeps the thread and the row; someone else cannot delete it."""
    thread = services.thread_start(space=general, title="Q", source="?", by=learner)
    post = thread.posts.get()
    with pytest.raises(PermissionDenied):
        services.post_delete(post=post, by=trainer)
    services.post_delete(post=post, by=learner)
    assert Post.objects.filter(pk=post.pk, deleted_at__isnull=False).exists()


def test_learner_not_following_an_option_cannot_post_there(programme, modules, enrolment):
    """A learner cannot post in the space of an option they did not choose."""
    space = Space.objects.create(
        kind=SpaceKind.MODULE, title="M5", slug="m5", programme=programme, module=modules[4]
    )
    with pytest.raises(PermissionDenied):
        services.thread_start(space=space, title="Q", source="?", by=enrolment.user)


def test_core_module_space_open_to_enrolled_learner(programme, modules):
    """Every enrolled learner posts in core module spaces."""
    space = Space.objects.create(
        kind=SpaceKind.MODULE, title="M1", slug="m1", programme=programme, module=modules[0]
    )
    other = EnrolmentFactory(cohort=CohortFactory(programme=programme))
    assert services.thread_start(space=space, title="Q", source="?", by=other.user)


def test_spaces_are_created_once_per_programme_module_and_cohort(programme, modules, cohort):
    """A general space, one per module and one per cohort, and a second call adds nothing."""
    first = services.spaces_ensure(programme=programme)
    second = services.spaces_ensure(programme=programme)
    assert len(first) == 1 + len(modules) + 1
    assert [s.pk for s in first] == [s.pk for s in second]
    assert Space.objects.count() == len(first)


def test_a_cohort_created_through_the_service_gets_its_space(programme, region, pedagogical):
    """courses.cohorts.services.cohort_save gives a new cohort its private space at once; saving it again
    adds nothing, and its learners read the space."""
    cohort = CohortFactory.build(programme=programme, region=region, name="Bretagne 2027")
    cohorts_services.cohort_save(cohort=cohort, by=pedagogical)
    space = Space.objects.get(cohort=cohort)
    assert (space.kind, space.title, space.programme_id) == (SpaceKind.COHORT, "Bretagne 2027", programme.pk)
    cohorts_services.cohort_save(cohort=cohort, by=pedagogical)
    assert Space.objects.filter(cohort=cohort).count() == 1
    learner = EnrolmentFactory(cohort=cohort).user
    assert permissions.space_access(learner, space).post


def test_publishing_a_new_module_creates_its_space(programme, modules):
    """Publishing a module page in Wagtail creates its space in the programme; publishing it again
    adds nothing."""
    parent = ProgrammePage.objects.get(pk=programme.pk)
    module = parent.add_child(
        instance=ModulePage(
            title="Santé au travail",
            slug="module-8",
            number=8,
            kind=ModuleKind.OPTIONAL,
            hours_presential=Decimal(6),
            hours_elearning=Decimal(4),
            hours_organisation=Decimal(6),
        )
    )
    assert not Space.objects.filter(module=module).exists()
    module.save_revision().publish()
    space = Space.objects.get(module=module)
    assert (space.kind, space.title, space.programme_id) == (
        SpaceKind.MODULE,
        "Module 8 — Santé au travail",
        programme.pk,
    )
    module.save_revision().publish()
    assert Space.objects.filter(module=module).count() == 1
