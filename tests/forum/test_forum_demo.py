"""The forum's demo content (forum.demo, loaded by `manage.py load_demo`): answered questions in the
general and module spaces, one still waiting, published FAQ entries by theme and module, all
searchable, and nothing added twice."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from wagtail.models import Revision

from courses.catalogue.models import ProgrammePage
from forum import demo
from forum.enums import SpaceKind
from forum.faq import selectors as faq
from forum.models import FaqEntry, Post, Thread
from forum.search import selectors as search
from forum.threads import permissions
from forum.threads.rendering import post_html
from lms.enums import Role
from lms.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """`load_demo` once for this module, rolled back at the end so other modules start empty."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def _counts() -> dict[str, int]:
    return {
        "threads": Thread.objects.count(),
        "posts": Post.objects.count(),
        "entries": FaqEntry.objects.count(),
        "revisions": Revision.objects.count(),
    }


def test_answered_questions_in_the_general_and_module_spaces(demo_loaded):
    """Each answered thread's answer is a reply (not the question) by a trainer or the ARS
    referent; the general space and several module spaces hold some."""
    answered = Thread.objects.filter(answer__isnull=False).select_related("space", "answer__author")
    assert answered.count() >= 5
    kinds = {t.space.kind for t in answered}
    assert SpaceKind.GENERAL in kinds and SpaceKind.MODULE in kinds
    assert answered.filter(space__kind=SpaceKind.MODULE).values("space").distinct().count() >= 2
    for thread in answered:
        first = thread.posts.order_by("created_at", "pk").first()
        assert thread.answer.thread_id == thread.pk and thread.answer_id != first.pk
        assert thread.answer.author.role in (Role.TRAINER, Role.ARS_STAFF)
        assert thread.last_post_at == thread.answer.created_at > thread.created_at
    by_trainer = answered.filter(answer__author__role=Role.TRAINER)
    assert all(t.first_trainer_reply_at == t.answer.created_at for t in by_trainer)


def test_one_question_still_waits_for_a_trainer(demo_loaded):
    """The trainers' list of unanswered questions is not empty in the demo."""
    waiting = Thread.objects.filter(answer__isnull=True, first_trainer_reply_at__isnull=True)
    assert waiting.count() == 1 and waiting.get().posts.count() == 1


def test_posts_are_rendered_and_the_demo_learner_reads_every_thread(demo_loaded):
    """Posts carry their sanitised HTML; every demo thread is in a space the demo learner reads."""
    for post in Post.objects.all():
        assert post.html == post_html(post.source)
    learner = User.objects.get(email=demo.LEARNER)
    readable = set(permissions.spaces_readable_by(learner).values_list("pk", flat=True))
    assert set(Thread.objects.values_list("space_id", flat=True)) <= readable


def test_published_faq_by_theme_and_module(demo_loaded):
    """About ten live entries, each published with a revision, over the five themes, some tied to
    a module and some to the thread they answer."""
    entries = FaqEntry.objects.all()
    assert 8 <= entries.count() <= 12
    assert all(e.live and e.live_revision_id and not e.has_unpublished_changes for e in entries)
    assert {"Heures", "Qualiopi", "Mémoire", "Options", "Parcours"} <= set(
        entries.values_list("theme", flat=True)
    )
    assert entries.filter(module__isnull=False).exists() and entries.filter(module__isnull=True).exists()
    linked = entries.filter(source_thread__isnull=False)
    assert linked.count() >= 4 and all(e.source_thread.answer_id for e in linked)
    sections = faq.faq_sections(entries=faq.faq_entries_live())
    assert sections[0].module is None and len(sections) >= 3


def test_faq_answers_follow_the_programme_rules(demo_loaded):
    """The entries state the programme's figures: 72 h cap, 130 to 152 h, 10 to 20 pages, two options."""
    text = " ".join(e.question + " " + e.answer for e in FaqEntry.objects.all())
    for fact in ("72 heures", "130 et 152 heures", "10 à 20 pages", "exactement deux", "Qualiopi"):
        assert fact in text


def test_demo_content_is_searchable(demo_loaded):
    """The search index holds the demo posts and entries (they were saved, not bulk-inserted)."""
    learner = User.objects.get(email=demo.LEARNER)
    assert [e.theme for e in faq.faq_search(query="Qualiopi")] == ["Qualiopi"]
    titles = {p.thread.title for p in search.post_search(user=learner, query="Qualiopi")}
    assert titles == {"Le séminaire d'un organisme non certifié Qualiopi compte-t-il dans mon présentiel ?"}


def test_second_run_adds_nothing(demo_loaded):
    """Re-running load_demo, or the forum loader alone, creates no thread, post, entry or revision."""
    before = _counts()
    call_command("load_demo", stdout=StringIO())
    assert _counts() == before
    counts = demo.forum_demo_load(programme=ProgrammePage.objects.get())
    assert (counts.threads, counts.posts, counts.faq_entries) == (0, 0, 0)
    assert _counts() == before


def test_team_edits_survive_a_rerun(demo_loaded):
    """An entry the team rewrote is left as it is by a re-run."""
    entry = FaqEntry.objects.get(question="Qu'attend-on du mémoire ?")
    FaqEntry.objects.filter(pk=entry.pk).update(answer="<p>Réécrit par l'équipe.</p>")
    before = _counts()
    demo.forum_demo_load(programme=ProgrammePage.objects.get())
    entry.refresh_from_db()
    assert entry.answer == "<p>Réécrit par l'équipe.</p>" and _counts() == before
