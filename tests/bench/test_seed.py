from collections import defaultdict
from decimal import Decimal

import pytest
from django.db.models import Sum

from bench import seed
from courses.catalogue.models import LessonPage
from courses.cohorts.models import Cohort, ElectiveChoice, Enrolment
from courses.enums import HoursSource, ModuleKind
from courses.hours.models import HoursEntry
from courses.learning.models import LessonActivity, LessonCompletion


@pytest.fixture
def seeded(db, programme):
    cohorts = seed.cohorts_ensure(programme=programme)
    stats = seed.learners_seed(programme=programme, cohorts=cohorts, target=20)
    return programme, cohorts, stats


def test_seed_creates_enrolled_learners_with_two_options(seeded):
    """Twenty learners, each enrolled once in one of the eight regional cohorts or the large one,
    with two options."""
    programme, cohorts, stats = seeded
    assert stats.created == 20
    assert seed.bench_learners().count() == 20
    assert len(cohorts) == 9
    assert len({c.region_id for c in cohorts}) == 8
    enrolments = Enrolment.objects.filter(user__in=seed.bench_learners())
    assert enrolments.count() == 20
    assert set(enrolments.values_list("programme_id", flat=True)) == {programme.pk}
    for enrolment in enrolments:
        modules = [c.module for c in ElectiveChoice.objects.filter(enrolment=enrolment)]
        assert len({m.pk for m in modules}) == 2
        assert all(m.kind == ModuleKind.OPTIONAL for m in modules)
    assert LessonActivity.objects.filter(enrolment__in=enrolments).exists()


def test_seed_ledger_matches_completed_lessons(seeded):
    """Per enrolment, lesson entries sum to the completed lessons' durations (followed modules)."""
    credited = defaultdict(Decimal)
    for row in (
        HoursEntry.objects.filter(source=HoursSource.LESSON)
        .values("enrolment_id")
        .annotate(total=Sum("hours"))
    ):
        credited[row["enrolment_id"]] = row["total"]
    durations = {lesson.pk: lesson.duration_hours for lesson in LessonPage.objects.all()}
    expected = defaultdict(Decimal)
    for enrolment_id, lesson_id in LessonCompletion.objects.values_list("enrolment_id", "lesson_id"):
        expected[enrolment_id] += durations[lesson_id]
    assert credited == expected
    assert sum(expected.values()) > 0
    assert HoursEntry.objects.filter(source=HoursSource.LESSON).count() == LessonCompletion.objects.count()
    for enrolment in Enrolment.objects.all():
        followed = {c.module.path for c in ElectiveChoice.objects.filter(enrolment=enrolment)}
        for completion in LessonCompletion.objects.filter(enrolment=enrolment).select_related("lesson"):
            module = completion.lesson.get_parent().specific
            assert module.kind == ModuleKind.CORE or module.path in followed


def test_seed_corrections_point_at_an_entry_with_a_reason(seeded):
    """A correction adjusts an attendance or declaration of its enrolment, with a reason, >= 0."""
    corrections = HoursEntry.objects.filter(source=HoursSource.CORRECTION).select_related("corrects")
    assert corrections.exists()
    for correction in corrections:
        target = correction.corrects
        assert target.source in {HoursSource.ATTENDANCE, HoursSource.DECLARATION}
        assert target.enrolment_id == correction.enrolment_id
        assert correction.reason
        assert target.hours + correction.hours >= 0


def test_seed_only_adds_missing_learners(seeded):
    """Seeding again to the same size writes nothing; a larger size adds only the difference."""
    programme, cohorts, _ = seeded
    entries = HoursEntry.objects.count()
    again = seed.learners_seed(programme=programme, cohorts=cohorts, target=20)
    assert again.created == 0
    assert HoursEntry.objects.count() == entries
    more = seed.learners_seed(programme=programme, cohorts=cohorts, target=25)
    assert more.created == 5
    assert seed.bench_learners().count() == 25
    assert Enrolment.objects.count() == 25


def test_seed_fills_the_large_cohort_with_every_fourth_learner(seeded):
    """Learners 0, 4, 8… go to the large cohort (500 of the default 2,000); the others are spread
    over the regional cohorts; no cohort holds more learners than its places."""
    programme, cohorts, _ = seeded
    large = seed.large_cohort()
    assert cohorts[-1] == large
    assert large.region.name == seed.LARGE_COHORT_REGION
    assert large.capacity == seed.LARGE_COHORT_LEARNERS
    assert sorted(large.enrolments.values_list("user__email", flat=True)) == [
        seed.LEARNER_EMAIL.format(i) for i in range(0, 20, seed.LARGE_COHORT_EVERY)
    ]
    assert Enrolment.objects.exclude(cohort=large).count() == 15
    for cohort in Cohort.objects.all():
        assert cohort.capacity >= cohort.enrolments.count()
    assert seed.staff_of(large).regions.filter(pk=large.region_id).exists()


def test_seed_large_cohort_stops_at_its_size(db, programme, monkeypatch):
    """Past LARGE_COHORT_LEARNERS, every learner goes to a regional cohort."""
    monkeypatch.setattr(seed, "LARGE_COHORT_LEARNERS", 3)
    cohorts = seed.cohorts_ensure(programme=programme)
    seed.learners_seed(programme=programme, cohorts=cohorts, target=20)
    assert seed.large_cohort().enrolments.count() == 3
    assert seed.cohorts_ensure(programme=programme) == cohorts


@pytest.fixture
def forum_seeded(seeded):
    from forum.models import Thread

    programme, _, _ = seeded
    stats = seed.forum_seed(
        programme=programme, threads={"general": 12, "module": 6, "cohort": 4}, long_posts=120
    )
    return stats, Thread.objects.all()


def test_forum_seed_spaces_threads_and_the_long_thread(seeded, forum_seeded):
    """Every space of the programme exists, threads are spread over them, and the long thread
    holds the requested number of posts in a core module's space, readable by every learner."""
    from forum.enums import SpaceKind
    from forum.models import Post, Space
    from forum.threads import permissions

    stats, threads = forum_seeded
    programme, cohorts, _ = seeded
    assert Space.objects.filter(kind=SpaceKind.GENERAL, programme=programme).count() == 1
    assert Space.objects.filter(kind=SpaceKind.COHORT).count() == len(cohorts)
    assert threads.filter(space__kind=SpaceKind.GENERAL).count() == 12
    long = seed.long_thread()
    assert long.posts.count() == 120
    assert long.space.module.kind == ModuleKind.CORE
    assert stats.rows["forum posts"] == Post.objects.count()
    for learner in seed.bench_learners()[:5]:
        assert permissions.space_access(learner, long.space).read


def test_forum_seed_authors_may_read_their_space(forum_seeded):
    """Each question is asked by a member of its space; each post's author may read it."""
    from forum.models import Post
    from forum.threads import permissions

    _, threads = forum_seeded
    for post in Post.objects.select_related("author", "thread__space").exclude(thread=seed.long_thread())[
        :200
    ]:
        assert permissions.space_access(post.author, post.thread.space).read, post


def test_forum_seed_first_trainer_reply_matches_the_posts(forum_seeded):
    """first_trainer_reply_at is the date of the first trainer or team post, as post_reply sets
    it; marked answers are replies of their own thread; some questions still wait."""
    from forum.animation import selectors as animation
    from forum.models import Space

    _, threads = forum_seeded
    staff = set(animation.STAFF_ROLES)
    for thread in threads.prefetch_related("posts__author"):
        staff_posts = [p.created_at for p in thread.posts.all() if p.author.role in staff]
        assert thread.first_trainer_reply_at == (min(staff_posts) if staff_posts else None)
        if thread.answer_id:
            assert thread.answer.thread_id == thread.pk
            assert thread.answer.created_at > thread.created_at
    assert threads.filter(first_trainer_reply_at__isnull=False).exists()
    assert animation.unanswered_threads(spaces=list(Space.objects.all())).exists()


def test_forum_seed_runs_once(seeded, forum_seeded):
    """Seeding the forum again writes no thread and no post."""
    from forum.models import Post

    programme, _, _ = seeded
    posts = Post.objects.count()
    again = seed.forum_seed(programme=programme)
    assert again.created == 0 and Post.objects.count() == posts


def test_memoires_seed_spreads_the_large_cohort_over_the_steps_once(seeded, forum_seeded):
    """Every enrolment of the large cohort gets one mémoire; the bench trainer has uncommented
    drafts and mémoires to mark in « À corriger »; released ones carry their mark; a second run
    adds nothing. The pages the bench loads answer 200 for their users."""
    from django.test import Client
    from django.urls import reverse

    from assessments.marking.models import AgreedMark, MarkerAssignment
    from assessments.memoire.models import Memoire, MemoireDraft

    cohort = seed.large_cohort()
    created = seed.memoires_seed(log=lambda _: None)
    assert created == cohort.enrolments.count() > 0
    assert Memoire.objects.filter(enrolment__cohort=cohort).count() == created
    assert not Memoire.objects.filter(state="in_progress", tutor__isnull=True).exists()
    trainer = seed.forum_trainer()
    assert MemoireDraft.objects.filter(memoire__tutor=trainer).exists()
    assert MarkerAssignment.objects.filter(marker=trainer).exists()
    assert AgreedMark.objects.filter(released_at__isnull=False).count() == Memoire.objects.filter(
        state__in=["released", "soutenance_booked", "admitted"]
    ).count()
    assert seed.memoires_seed(log=lambda _: None) == 0
    client = Client()
    client.force_login(trainer)
    assert client.get(reverse("queue:grouped")).status_code == 200
    client.force_login(seed.pedagogical_user())
    response = client.get(f"{reverse('board:memoires')}?cohort={cohort.pk}")
    assert response.status_code == 200
    assert "Mémoire de banc d&#x27;essai" in response.content.decode()
