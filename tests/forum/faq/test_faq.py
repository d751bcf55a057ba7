"""The FAQ: live entries by module and theme, search, « Cette réponse vous a-t-elle aidé ? »,
« Ajouter à la FAQ » (a draft for the team), the Wagtail snippet, permissions and query budgets."""

import html as html_lib

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Revision

from forum.enums import SpaceKind
from forum.faq import selectors as faq_selectors
from forum.faq import services as faq
from forum.models import FaqEntry, FaqFeedback, Post, Space, Thread
from forum.threads import services
from lms.services import PEDAGOGICAL_GROUP
from tests.factories import CohortFactory, EnrolmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _entry(
    question, *, theme="Heures", module=None, live=True, order=0, answer="<p>Réponse.</p>", thread=None
):
    entry = FaqEntry.objects.create(
        question=question,
        answer=answer,
        theme=theme,
        module=module,
        sort_order=order,
        live=live,
        source_thread=thread,
    )
    if live:
        entry.save_revision().publish()
    else:
        entry.save_revision()
    return entry


def _answered(thread: Thread, by, text: str) -> Post:
    reply = services.post_reply(thread=thread, source=text, by=by)
    Thread.objects.filter(pk=thread.pk).update(answer=reply)
    thread.refresh_from_db()
    return reply


@pytest.fixture
def setup(programme, modules, cohort, other_region, ars_staff, other_ars_staff, trainer, pedagogical):
    learner = EnrolmentFactory(cohort=cohort).user
    other_cohort = CohortFactory(programme=programme, region=other_region, name="Occitanie 2026")
    other_learner = EnrolmentFactory(cohort=other_cohort).user
    general = Space.objects.create(
        kind=SpaceKind.GENERAL, title="Général", slug="general", programme=programme
    )
    own = Space.objects.create(
        kind=SpaceKind.COHORT, title="Bretagne", slug="c-bzh", programme=programme, cohort=cohort
    )
    core = Space.objects.create(
        kind=SpaceKind.MODULE, title="Module socle 1", slug="m1", programme=programme, module=modules[0]
    )
    option = Space.objects.create(
        kind=SpaceKind.MODULE, title="Méthodologie", slug="m5", programme=programme, module=modules[4]
    )
    cohort_thread = services.thread_start(
        space=own, title="Quand a lieu le séminaire ?", source="Date du séminaire ?", by=learner
    )
    _answered(cohort_thread, ars_staff, "Le 12 mai à Rennes.")
    module_thread = services.thread_start(
        space=core,
        title="Les heures de COPIL comptent-elles ?",
        source="Je co-anime le **comité de pilotage**.",
        by=learner,
    )
    module_answer = _answered(
        module_thread,
        trainer,
        "Oui, **déclarez-les** en heures en organisation.\n\n```\ncode\n```\n\n> citation\n\n"
        "[lien](https://ehesp.fr) <script>alert(1)</script> [mal](javascript:alert(1))",
    )
    option_thread = services.thread_start(space=option, title="Option", source="Qui ?", by=trainer)
    _answered(option_thread, pedagogical, "Nous.")
    unanswered = services.thread_start(space=core, title="Sans réponse", source="?", by=learner)
    return {
        "general": general,
        "own": own,
        "core": core,
        "option": option,
        "cohort_thread": cohort_thread,
        "module_thread": module_thread,
        "module_answer": module_answer,
        "option_thread": option_thread,
        "unanswered": unanswered,
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


ADMIN_LIST = "/cms/snippets/forum/faqentry/"


def _admin_edit(entry) -> str:
    return f"/cms/snippets/forum/faqentry/edit/{entry.pk}/"


def _text(response) -> str:
    """The page with entities decoded (messages may or may not be escaped, by DSFR settings)."""
    return html_lib.unescape(response.content.decode())


def _grant_faq_permissions():
    """What lms.services.pedagogical_group_ensure is asked to grant (see the lead's report)."""
    group = Group.objects.get(name=PEDAGOGICAL_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="forum", content_type__model="faqentry")
    )


# --- Services ------------------------------------------------------------------------------------


def test_sections_put_general_first_then_modules_by_number_and_themes_in_order(setup, modules):
    """General entries come first, modules by number; a theme's place is that of its first entry."""
    _entry("Q module 4", module=modules[3], theme="Mémoire", order=1)
    _entry("Q module 1", module=modules[0], theme="Heures", order=2)
    _entry("Q générale options", theme="Options", order=3)
    _entry("Q générale heures", theme="Heures", order=4)
    _entry("Q générale options 2", theme="Options", order=5)
    _entry("Brouillon", theme="Heures", live=False)
    sections = faq_selectors.faq_sections(entries=faq_selectors.faq_entries_live())
    assert [s.title for s in sections] == [
        faq_selectors.GENERAL_TITLE,
        f"Module 1 — {modules[0].title}",
        f"Module 4 — {modules[3].title}",
    ]
    general = sections[0]
    assert [(theme, [e.question for e in rows]) for theme, rows in general.themes] == [
        ("Options", ["Q générale options", "Q générale options 2"]),
        ("Heures", ["Q générale heures"]),
    ]
    assert general.count == 3 and sections[1].anchor == f"module-{modules[0].pk}"


def test_search_returns_live_entries_only(setup):
    """A draft whose text matches is never a search result; every word must match."""
    live = _entry("Qualiopi : quelles sessions comptent ?", theme="Qualiopi")
    _entry("Qualiopi en brouillon", theme="Qualiopi", live=False)
    assert faq_selectors.faq_search(query="Qualiopi") == [live]
    assert faq_selectors.faq_search(query="Qualiopi sessions") == [live]
    assert faq_selectors.faq_search(query="Qualiopi mémoire") == []
    assert faq_selectors.faq_search(query="   ") == []


def test_search_follows_publication(setup):
    """A draft published later is found; an entry unpublished afterwards is not."""
    entry = _entry("Plafond des 72 heures", live=False)
    assert faq_selectors.faq_search(query="plafond") == []
    entry.get_latest_revision().publish()
    assert faq_selectors.faq_search(query="plafond") == [entry]
    entry.refresh_from_db()
    entry.unpublish()
    assert faq_selectors.faq_search(query="plafond") == []


def test_feedback_is_one_changeable_answer_per_member(setup):
    """Answering twice changes the answer, never adds a second row."""
    entry = _entry("Q")
    learner = setup["users"]["learner"]
    faq.faq_feedback_set(entry=entry, user=learner, helpful=True)
    faq.faq_feedback_set(entry=entry, user=learner, helpful=False)
    assert list(FaqFeedback.objects.values_list("user_id", "helpful")) == [(learner.pk, False)]
    assert faq_selectors.faq_feedback_of(user=learner, entries=[entry]) == {entry.pk: False}


def test_feedback_on_a_draft_or_without_account_is_refused(setup):
    """A draft takes no feedback; an anonymous visitor cannot give any."""
    from django.contrib.auth.models import AnonymousUser

    draft = _entry("Brouillon", live=False)
    with pytest.raises(ValidationError, match="n'est pas publiée"):
        faq.faq_feedback_set(entry=draft, user=setup["users"]["learner"], helpful=True)
    with pytest.raises(PermissionDenied):
        faq.faq_feedback_set(entry=_entry("Publiée"), user=AnonymousUser(), helpful=True)
    assert not FaqFeedback.objects.exists()


def test_promote_creates_an_unpublished_draft_with_its_first_revision(setup, modules):
    """The draft takes the title, the sanitised answer, the space's module and the thread; its
    first revision is the trainer's; nothing is published."""
    trainer = setup["users"]["trainer"]
    thread = setup["module_thread"]
    entry = faq.faq_entry_from_thread(thread=thread, by=trainer)
    entry.refresh_from_db()
    assert (entry.question, entry.module, entry.theme, entry.source_thread) == (
        "Les heures de COPIL comptent-elles ?",
        modules[0],
        faq.FORUM_THEME,
        thread,
    )
    assert entry.live is False and entry.live_revision is None and entry.first_published_at is None
    assert entry.has_unpublished_changes is True
    revision = Revision.objects.get(object_id=str(entry.pk), base_content_type__model="faqentry")
    assert revision.user == trainer and entry.latest_revision == revision
    assert (
        "<strong>déclarez-les</strong>" in entry.answer
        and '<a href="https://ehesp.fr">lien</a>' in entry.answer
    )
    for gone in ("<script", "javascript:", "<pre", "<code", "<blockquote", "nofollow"):
        assert gone not in entry.answer
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in entry.answer  # typed HTML stays text
    assert "citation" in entry.answer and "code" in entry.answer
    assert faq_selectors.faq_search(query="COPIL") == []


def test_promote_from_a_cohort_space_is_a_general_entry(setup):
    """A thread outside module spaces gives an entry with no module."""
    entry = faq.faq_entry_from_thread(thread=setup["cohort_thread"], by=setup["users"]["pedagogical"])
    assert entry.module is None and entry.answer == "<p>Le 12 mai à Rennes.</p>"


def test_promote_twice_is_refused_with_the_existing_entry(setup):
    """A second promotion of the same thread names the existing entry and creates nothing."""
    first = faq.faq_entry_from_thread(thread=setup["module_thread"], by=setup["users"]["trainer"])
    with pytest.raises(faq.FaqEntryExists) as exc:
        faq.faq_entry_from_thread(thread=setup["module_thread"], by=setup["users"]["pedagogical"])
    assert exc.value.entry == first and "déjà dans la FAQ" in exc.value.messages[0]
    assert FaqEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("unanswered", "n'a pas de réponse retenue"),
        ("hidden_answer", "n'est plus visible"),
        ("deleted_answer", "n'est plus visible"),
        ("hidden_thread", "masqué par la modération"),
    ],
)
def test_promote_refuses_a_thread_without_visible_answer(setup, case, message):
    """No answer, a hidden or deleted answer, or a hidden thread: a clear refusal, nothing written."""
    thread = setup["unanswered"] if case == "unanswered" else setup["module_thread"]
    if case == "hidden_answer":
        Post.objects.filter(pk=setup["module_answer"].pk).update(is_hidden=True)
    elif case == "deleted_answer":
        Post.objects.filter(pk=setup["module_answer"].pk).update(deleted_at=timezone.now())
    elif case == "hidden_thread":
        Thread.objects.filter(pk=thread.pk).update(is_hidden=True)
    with pytest.raises(ValidationError, match=message):
        faq.faq_entry_from_thread(thread=thread, by=setup["users"]["trainer"])
    assert not FaqEntry.objects.exists() and not Revision.objects.filter(base_content_type__model="faqentry")


@pytest.mark.parametrize("role", ["learner", "ars_region"])
def test_promote_by_a_member_who_does_not_moderate_is_forbidden(setup, role):
    """Learners and ARS staff cannot promote, even a thread they read, and are told who can."""
    with pytest.raises(PermissionDenied) as refused:
        faq.faq_entry_from_thread(thread=setup["cohort_thread"], by=setup["users"][role])
    assert str(refused.value) == (
        "Seul·es les formateur·rices et l'équipe pédagogique peuvent ajouter une discussion à la FAQ."
    )
    assert not FaqEntry.objects.exists()


# --- Permission matrix ---------------------------------------------------------------------------

ROLES = [
    "anonymous",
    "learner",
    "learner_other_cohort",
    "ars_region",
    "ars_other_region",
    "trainer",
    "pedagogical",
]
#                      anon learner other  ars  ars2 trainer pedago
MATRIX = {
    "faq": ("get", [200, 200, 200, 200, 200, 200, 200]),
    "faq_search": ("get", [200, 200, 200, 200, 200, 200, 200]),
    "live_entry": ("get", [200, 200, 200, 200, 200, 200, 200]),
    "draft_entry": ("get", [404, 404, 404, 404, 404, 404, 404]),
    "feedback_live": ("post", [302, 302, 302, 302, 302, 302, 302]),
    "feedback_draft": ("post", [302, 404, 404, 404, 404, 404, 404]),
    "feedback_get": ("get", [302, 405, 405, 405, 405, 405, 405]),
    "promote_cohort": ("post", [302, 403, 404, 403, 404, 302, 302]),
    "promote_option": ("post", [302, 404, 404, 404, 404, 302, 302]),
    "promote_get": ("get", [302, 405, 405, 405, 405, 405, 405]),
    "forum_search": ("get", [302, 200, 200, 200, 200, 200, 200]),
}
CASES = [(n, r, c) for n, (_, codes) in MATRIX.items() for r, c in zip(ROLES, codes, strict=True)]


def _urls(s, live, draft):
    return {
        "faq": "/forum/faq/",
        "faq_search": "/forum/faq/?q=Qualiopi",
        "live_entry": f"/forum/faq/{live.pk}/",
        "draft_entry": f"/forum/faq/{draft.pk}/",
        "feedback_live": f"/forum/faq/{live.pk}/avis/",
        "feedback_draft": f"/forum/faq/{draft.pk}/avis/",
        "feedback_get": f"/forum/faq/{live.pk}/avis/",
        "promote_cohort": f"/forum/faq/ajouter/{s['cohort_thread'].pk}/",
        "promote_option": f"/forum/faq/ajouter/{s['option_thread'].pk}/",
        "promote_get": f"/forum/faq/ajouter/{s['option_thread'].pk}/",
        "forum_search": "/forum/recherche/?q=Qualiopi",
    }


@pytest.mark.parametrize(("name", "role", "expected"), CASES, ids=[f"{n}-{r}" for n, r, _ in CASES])
def test_faq_url_matrix(client, setup, name, role, expected):
    """Each role gets the expected status; the FAQ is public, feedback needs an account, promotion
    is for moderators of a space they read, and a space one may not read is not found."""
    live, draft = _entry("Qualiopi : quelles sessions ?", theme="Qualiopi"), _entry("Brouillon", live=False)
    user = setup["users"][role]
    if user:
        client.force_login(user)
    method, _ = MATRIX[name]
    url = _urls(setup, live, draft)[name]
    response = client.post(url, {"helpful": "oui"}) if method == "post" else client.get(url)
    assert response.status_code == expected
    if expected == 302 and user is None:
        assert "/comptes/login/" in response["Location"]
    if name.startswith("promote") and expected != 302:
        assert not FaqEntry.objects.filter(source_thread__isnull=False).exists()
    if name == "feedback_live" and user is not None:
        assert FaqFeedback.objects.get(user=user).helpful is True


# --- Pages ---------------------------------------------------------------------------------------


def test_faq_page_groups_by_module_and_theme_with_accordions(client, setup, modules):
    """Anonymous visitors read live entries, general first; drafts never appear; each entry is an
    accordion with a permanent link; feedback asks to sign in."""
    _entry("Comment compter mes heures ?", theme="Heures")
    _entry("Le mémoire sur l'évaluation ?", theme="Mémoire", module=modules[3])
    _entry("Brouillon secret", live=False)
    html = client.get("/forum/faq/").content.decode()
    assert html.index(faq_selectors.GENERAL_TITLE) < html.index(f"Module 4 — {modules[3].title}")
    assert html.index(">Heures</h3>") < html.index("Comment compter mes heures ?")
    assert "Brouillon secret" not in html and 'class="fr-accordion__btn"' in html
    assert "Connectez-vous</a> pour donner votre avis" in html


def test_faq_entry_shows_the_source_thread_only_to_who_may_read_it(client, setup):
    """The link to the original discussion appears for members of its space, not for others."""
    entry = _entry("Séminaire ?", thread=setup["cohort_thread"])
    url = f"/forum/faq/{entry.pk}/"
    thread_url = f"/forum/c-bzh/{setup['cohort_thread'].pk}/"
    client.force_login(setup["users"]["learner"])
    assert thread_url in client.get(url).content.decode()
    client.force_login(setup["users"]["learner_other_cohort"])
    assert thread_url not in client.get(url).content.decode()
    client.logout()
    assert thread_url not in client.get(url).content.decode()


def test_faq_search_page_lists_matches_or_says_none(client, setup):
    """`?q=` lists the matching live entries, or explains what to try."""
    _entry("Quelles sessions comptent avec Qualiopi ?", theme="Qualiopi")
    _entry("Comment choisir mes options ?", theme="Options")
    html = client.get("/forum/faq/?q=qualiopi").content.decode()
    assert "1 réponse pour « qualiopi »" in html and "Quelles sessions comptent" in html
    assert "Comment choisir mes options" not in html
    html = client.get("/forum/faq/?q=introuvable").content.decode()
    assert "Aucune réponse ne correspond à « introuvable »" in html


def test_faq_search_too_long_is_refused_with_a_message(client, setup):
    """A 5,000-character query is refused with a French message and the page still works."""
    _entry("Comment compter mes heures ?")
    response = client.get("/forum/faq/", {"q": "heures " * 700})
    html = response.content.decode()
    assert response.status_code == 400 and "Votre recherche est trop longue : 200 caractères au plus" in html
    assert "Comment compter mes heures ?" in html


def test_empty_faq_says_so(client, setup):
    """Without any published entry the page explains what the FAQ will hold."""
    _entry("Brouillon", live=False)
    assert "La FAQ est encore vide" in client.get("/forum/faq/").content.decode()


def test_feedback_records_changes_and_thanks(client, setup):
    """« Oui » then « Non »: one row, the member's current answer shown, a thank-you message."""
    entry = _entry("Q")
    client.force_login(setup["users"]["learner"])
    response = client.post(f"/forum/faq/{entry.pk}/avis/", {"helpful": "oui"}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[0][0] == f"/forum/faq/{entry.pk}/#avis"
    assert "Merci pour votre avis" in html and "Vous avez répondu « Oui »" in html
    client.post(f"/forum/faq/{entry.pk}/avis/", {"helpful": "non"})
    assert list(FaqFeedback.objects.values_list("helpful", flat=True)) == [False]
    assert "Vous avez répondu « Non »" in client.get("/forum/faq/").content.decode()


@pytest.mark.parametrize("value", ["", "peut-être"])
def test_feedback_with_a_bad_value_is_refused(client, setup, value):
    """Neither Oui nor Non: a French message, status 400, nothing written."""
    entry = _entry("Q")
    client.force_login(setup["users"]["learner"])
    response = client.post(f"/forum/faq/{entry.pk}/avis/", {"helpful": value})
    assert response.status_code == 400 and "Choisissez « Oui » ou « Non »." in response.content.decode()
    assert not FaqFeedback.objects.exists()


def test_trainer_promotes_from_the_view_and_is_told_the_team_reviews(client, setup):
    """The trainer's promotion creates the draft and says the team will review it."""
    client.force_login(setup["users"]["trainer"])
    thread = setup["module_thread"]
    response = client.post(f"/forum/faq/ajouter/{thread.pk}/", follow=True)
    assert response.redirect_chain[0][0] == f"/forum/m1/{thread.pk}/"
    assert "l'équipe pédagogique va la relire avant de la publier" in _text(response)
    assert FaqEntry.objects.get(source_thread=thread).live is False


def test_team_promotion_links_to_the_wagtail_editor(client, setup):
    """The team member gets a link to edit and publish the draft in Wagtail."""
    client.force_login(setup["users"]["pedagogical"])
    thread = setup["module_thread"]
    html = client.post(f"/forum/faq/ajouter/{thread.pk}/", follow=True).content.decode()
    entry = FaqEntry.objects.get(source_thread=thread)
    assert f'href="{_admin_edit(entry)}"' in html


def test_promote_twice_or_without_answer_from_the_view(client, setup):
    """A second promotion warns with a link to the existing entry; an unanswered thread is refused."""
    client.force_login(setup["users"]["trainer"])
    thread = setup["module_thread"]
    client.post(f"/forum/faq/ajouter/{thread.pk}/")
    html = _text(client.post(f"/forum/faq/ajouter/{thread.pk}/", follow=True))
    assert "Ce fil est déjà dans la FAQ : rien n'a été ajouté." in html
    assert "attend la relecture" in html
    FaqEntry.objects.get(source_thread=thread).save_revision().publish()
    html = client.post(f"/forum/faq/ajouter/{thread.pk}/", follow=True).content.decode()
    entry = FaqEntry.objects.get(source_thread=thread)
    assert f'href="/forum/faq/{entry.pk}/"' in html
    html = _text(client.post(f"/forum/faq/ajouter/{setup['unanswered'].pk}/", follow=True))
    assert "n'a pas de réponse retenue" in html
    assert FaqEntry.objects.count() == 1


# --- Template tag --------------------------------------------------------------------------------


def _render_button(user, thread) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load forum_faq %}{% faq_promote_button thread %}")
    return template.render(Context({"request": request, "thread": thread, "csrf_token": "jeton"}))


def test_promote_button_only_for_moderators_on_answered_threads(setup):
    """Trainers and the team see the button on an answered thread; learners, ARS staff and
    unanswered threads get nothing; once promoted, a badge replaces the button."""
    thread = setup["module_thread"]
    thread.space = setup["core"]
    assert "Ajouter à la FAQ" in _render_button(setup["users"]["trainer"], thread)
    assert "Ajouter à la FAQ" in _render_button(setup["users"]["pedagogical"], thread)
    assert _render_button(setup["users"]["learner"], thread).strip() == ""
    assert _render_button(setup["users"]["ars_region"], thread).strip() == ""
    unanswered = setup["unanswered"]
    assert _render_button(setup["users"]["trainer"], unanswered).strip() == ""
    entry = faq.faq_entry_from_thread(thread=thread, by=setup["users"]["trainer"])
    html = _render_button(setup["users"]["trainer"], thread)
    assert "Brouillon de FAQ en relecture" in html and "Ajouter à la FAQ" not in html
    html = _render_button(setup["users"]["pedagogical"], thread)
    assert _admin_edit(entry) in html


def test_search_box_tag_points_to_the_forum_search(setup):
    """`{% forum_search_box %}` renders a labelled search form to /forum/recherche/."""
    html = Template("{% load forum_faq %}{% forum_search_box %}").render(Context({}))
    assert 'action="/forum/recherche/"' in html and '<label class="fr-label" for="recherche-forum-q">' in html


# --- Wagtail admin -------------------------------------------------------------------------------


def test_team_lists_filters_and_searches_entries_with_feedback_counts(client, setup, modules):
    """The snippet listing shows module, theme, status and the Oui / Non counts; filters work."""
    _grant_faq_permissions()
    entry = _entry("Comment compter les heures ?", theme="Heures")
    _entry("Le mémoire et l'évaluation", theme="Mémoire", module=modules[3])
    _entry("Brouillon Qualiopi", theme="Qualiopi", live=False)
    for user, helpful in [(setup["users"]["learner"], True), (setup["users"]["trainer"], True)]:
        faq.faq_feedback_set(entry=entry, user=user, helpful=helpful)
    faq.faq_feedback_set(entry=entry, user=setup["users"]["ars_region"], helpful=False)
    client.force_login(setup["users"]["pedagogical"])
    response = client.get(ADMIN_LIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Comment compter les heures ?" in html and "Brouillon Qualiopi" in html
    row = html[html.index("Comment compter les heures ?") :]
    row = row[: row.index("</tr>")]
    assert ">2<" in row.replace(" ", "").replace("\n", "") and ">1<" in row.replace(" ", "").replace("\n", "")
    html = client.get(ADMIN_LIST, {"module": modules[3].pk}).content.decode()
    assert "Le mémoire et l&#x27;évaluation" in html and "Comment compter les heures ?" not in html
    html = client.get(ADMIN_LIST, {"theme": "Qualiopi"}).content.decode()
    assert "Brouillon Qualiopi" in html and "Comment compter les heures ?" not in html
    html = client.get(ADMIN_LIST, {"q": "mémoire"}).content.decode()
    assert "Le mémoire et l&#x27;évaluation" in html and "Comment compter les heures ?" not in html


def test_team_publishes_a_promoted_draft_in_wagtail(client, setup):
    """The team edits the draft's theme and publishes it: it becomes live and searchable."""
    _grant_faq_permissions()
    entry = faq.faq_entry_from_thread(thread=setup["module_thread"], by=setup["users"]["trainer"])
    client.force_login(setup["users"]["pedagogical"])
    url = _admin_edit(entry)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "question": entry.question,
            "answer": '{"blocks": [{"key": "a1b2c", "type": "unstyled", "text": "Oui, déclarez le COPIL.", '
            '"depth": 0, "inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}}',
            "module": entry.module_id,
            "theme": "Heures",
            "sort_order": 5,
            "action-publish": "action-publish",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.live and entry.theme == "Heures" and "déclarez le COPIL" in entry.answer
    assert entry.source_thread == setup["module_thread"]
    assert faq_selectors.faq_search(query="COPIL") == [entry]


@pytest.mark.parametrize("role", ["trainer", "learner", "ars_region"])
def test_only_the_team_reaches_the_faq_in_wagtail(client, setup, role):
    """Trainers, learners and ARS staff have no Wagtail admin access."""
    client.force_login(setup["users"][role])
    response = client.get(ADMIN_LIST, follow=True)
    assert response.status_code == 403 and response.redirect_chain[-1][0].startswith("/cms/login/")


# --- Query budgets -------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _entries(n, modules, members, thread=None):
    themes = ["Heures", "Qualiopi", "Mémoire", "Options", "Parcours"]
    for i in range(n):
        entry = _entry(
            f"Question {i} sur les heures",
            theme=themes[i % len(themes)],
            module=modules[i % 4] if i % 3 else None,
            order=i,
            thread=thread if i % 2 else None,
        )
        for member in members:
            FaqFeedback.objects.create(entry=entry, user=member, helpful=bool(i % 2))


def test_faq_page_query_budget_is_fixed(client, setup, modules):
    """The FAQ page and its search cost the same number of queries at 5 and 60 entries."""
    learner = setup["users"]["learner"]
    members = [learner, UserFactory()]
    _entries(5, modules, members, thread=setup["cohort_thread"])
    client.force_login(learner)
    small = _queries(client, "/forum/faq/")
    small_search = _queries(client, "/forum/faq/?q=heures")
    _entries(55, modules, members + [UserFactory()], thread=setup["cohort_thread"])
    assert FaqEntry.objects.filter(live=True).count() == 60
    assert _queries(client, "/forum/faq/") == small
    assert _queries(client, "/forum/faq/?q=heures") == small_search


def test_navigation_offers_the_faq_to_signed_in_members(client, setup):
    """Signed-in members get « FAQ » next to « Forum », current on the FAQ pages only."""
    link = 'class="fr-nav__link" href="/forum/faq/"'
    assert link not in client.get("/forum/faq/").content.decode()
    client.force_login(setup["users"]["learner"])
    html = client.get("/forum/faq/").content.decode()
    assert f'{link} aria-current="page">FAQ</a>' in html
    assert 'href="/forum/" aria-current="page"' not in html
    html = client.get("/forum/").content.decode()
    assert f"{link} >FAQ</a>" in html and 'href="/forum/" aria-current="page"' in html
