"""The FAQ in a real browser: a trainer turns an answered thread into a FAQ draft, the pedagogical
team publishes it in the Wagtail admin, a learner of another cohort finds it by searching the FAQ
and answers « Oui » to « Cette réponse vous a-t-elle aidé ? ». axe runs on the site's pages (not on
Wagtail's admin, which is Wagtail's own)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from forum.enums import SpaceKind
from forum.models import FaqEntry, FaqFeedback, Space, Thread
from forum.threads import services
from lms.services import PEDAGOGICAL_GROUP
from tests.browser.conftest import assert_no_serious_violations
from tests.factories import CohortFactory, EnrolmentFactory, PedagogicalFactory, RegionFactory, TrainerFactory

pytestmark = pytest.mark.browser

QUESTION = "Les réunions du comité de pilotage comptent-elles en heures d'organisation ?"


def test_trainer_promotes_team_publishes_learner_finds_and_rates(
    page, context, live_server, sign_in, browser_programme, browser_modules, browser_enrolment
):
    """Promote → draft (not shown) → publish in Wagtail → found by search → « Oui » recorded."""
    space = Space.objects.create(
        kind=SpaceKind.MODULE,
        title="Module socle 2 : animation et gouvernance",
        slug="module-2",
        programme=browser_programme,
        module=browser_modules[1],
    )
    learner = browser_enrolment.user
    trainer = TrainerFactory(first_name="Julien", last_name="Formateur")
    thread = services.thread_start(
        space=space, title=QUESTION, source="J'anime le **COPIL** trois fois par an.", by=learner
    )
    answer = services.post_reply(
        thread=thread,
        source="Oui : déclarez chaque réunion du COPIL, rattachée au module 2, pour validation par l'ARS.",
        by=trainer,
    )
    Thread.objects.filter(pk=thread.pk).update(answer=answer)
    team_member = PedagogicalFactory(first_name="Claire", last_name="Équipe")
    # What lms.services.pedagogical_group_ensure is asked to grant (see the report to the lead).
    Group.objects.get(name=PEDAGOGICAL_GROUP).permissions.add(
        *Permission.objects.filter(content_type__app_label="forum", content_type__model="faqentry")
    )
    other_region = RegionFactory(name="Occitanie", slug="occitanie")
    other_learner = EnrolmentFactory(
        cohort=CohortFactory(programme=browser_programme, region=other_region, name="Occitanie 2026")
    ).user

    # The trainer promotes the answered thread: a draft, which the FAQ does not show yet.
    sign_in(trainer)
    page.goto(f"{live_server.url}/forum/module-2/{thread.pk}/")
    assert_no_serious_violations(page, label="fil avec réponse, bouton « Ajouter à la FAQ »")
    page.get_by_role("button", name="Ajouter à la FAQ").click()
    expect(page.get_by_text("l'équipe pédagogique va la relire")).to_be_visible()
    expect(page.get_by_text("Brouillon de FAQ en relecture")).to_be_visible()
    expect(page.get_by_role("button", name="Ajouter à la FAQ")).to_have_count(0)
    assert_no_serious_violations(page, label="fil promu en brouillon")
    entry = FaqEntry.objects.get(source_thread=thread)
    assert not entry.live and entry.module == browser_modules[1]
    page.goto(f"{live_server.url}/forum/faq/")
    expect(page.get_by_text(QUESTION)).to_have_count(0)

    # The pedagogical team reviews the draft in Wagtail, sets its theme and publishes it.
    context.clear_cookies()
    sign_in(team_member)
    page.goto(f"{live_server.url}/cms/snippets/forum/faqentry/")
    page.get_by_role("link", name=QUESTION).click()
    page.get_by_role("textbox", name="Thème").fill("Heures")
    page.locator("footer .w-dropdown__toggle").last.click()
    page.locator("button[name='action-publish']").click()
    expect(page.locator(".messages")).to_contain_text(QUESTION)
    entry.refresh_from_db()
    assert entry.live and entry.theme == "Heures"

    # A learner of another cohort finds it through the FAQ search and says it helped.
    context.clear_cookies()
    sign_in(other_learner)
    page.goto(f"{live_server.url}/forum/faq/")
    expect(page.get_by_role("heading", name="Heures", exact=True)).to_be_visible()
    assert_no_serious_violations(page, label="FAQ")
    page.get_by_label("Rechercher dans la FAQ").fill("comité pilotage")
    page.locator("main").get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("heading", name="1 réponse pour « comité pilotage »")).to_be_visible()
    result = page.locator(f"#entree-{entry.pk}")
    expect(result.get_by_text("déclarez chaque réunion du COPIL")).to_be_visible()
    # Module 2 is a core module: the other cohort's learner reads its space, hence the link.
    expect(result.get_by_role("link", name="Discussion d'origine")).to_have_attribute(
        "href", f"/forum/module-2/{thread.pk}/"
    )
    assert_no_serious_violations(page, label="résultats de recherche dans la FAQ")
    result.get_by_role("button", name="Oui").click()
    expect(page.get_by_text("Merci pour votre avis")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(QUESTION)
    expect(page.get_by_text("Vous avez répondu « Oui »")).to_be_visible()
    expect(page.get_by_role("button", name="Oui")).to_have_attribute("aria-pressed", "true")
    assert_no_serious_violations(page, label="entrée de FAQ après avis")
    assert FaqFeedback.objects.get(entry=entry, user=other_learner).helpful is True

    # The forum search finds the discussion and the FAQ entry, and links to the answer's anchor.
    page.goto(f"{live_server.url}/forum/recherche/")
    expect(page.get_by_role("heading", name="Que cherchez-vous ?")).to_be_visible()
    assert_no_serious_violations(page, label="recherche du forum vide")
    page.get_by_label("Mots recherchés").fill("COPIL")
    page.locator("main").get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("heading", name="2 messages pour « COPIL »")).to_be_visible()
    expect(page.get_by_role("link", name=QUESTION)).to_have_count(3)
    assert_no_serious_violations(page, label="résultats de la recherche du forum")
    page.locator(f'a[href$="#message-{answer.pk}"]').click()
    expect(page.locator(f"#message-{answer.pk}")).to_contain_text("déclarez chaque réunion du COPIL")

    # The team sees the count in the Wagtail listing.
    context.clear_cookies()
    sign_in(team_member)
    page.goto(f"{live_server.url}/cms/snippets/forum/faqentry/")
    row = page.get_by_role("row").filter(has_text=QUESTION)
    expect(row.get_by_role("cell", name="1", exact=True)).to_be_visible()
