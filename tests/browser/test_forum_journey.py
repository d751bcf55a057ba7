"""The forum's whole journey in a real browser, as issue 4 states it: a learner asks a question in
a module space, a trainer who follows the space is notified and answers, the learner marks the
answer, the trainer turns the thread into a FAQ draft, the pedagogical team publishes it in Wagtail,
and a learner of another cohort finds it by search but cannot open the first cohort's private
space. axe runs on each site page (not on Wagtail's admin)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from forum.models import FaqEntry, Follow, Space, Thread
from forum.threads import services as forum_services
from tests.browser.conftest import assert_no_serious_violations
from tests.factories import CohortFactory, EnrolmentFactory, PedagogicalFactory, RegionFactory, TrainerFactory

pytestmark = pytest.mark.browser

QUESTION = "Les réunions du conseil local de santé mentale comptent-elles en heures ?"


def test_question_answer_faq_and_private_spaces(
    page, context, live_server, sign_in, browser_programme, browser_modules, browser_enrolment
):
    """The issue's journey, end to end, through the pages each person uses."""
    other_cohort = CohortFactory(
        programme=browser_programme,
        region=RegionFactory(name="Occitanie", slug="occitanie"),
        name="Occitanie 2026",
    )
    other_learner = EnrolmentFactory(cohort=other_cohort).user
    forum_services.spaces_ensure(programme=browser_programme)
    module_space = Space.objects.get(module=browser_modules[0])
    own_cohort_space = Space.objects.get(cohort=browser_enrolment.cohort)
    learner = browser_enrolment.user
    trainer = TrainerFactory(first_name="Claire", last_name="Formatrice")
    team_member = PedagogicalFactory(first_name="Paul", last_name="Équipe")

    # The trainer follows the module space from its page.
    sign_in(trainer)
    page.goto(f"{live_server.url}/forum/{module_space.slug}/")
    page.get_by_role("button", name="Suivre cet espace").click()
    expect(page.get_by_role("button", name="Ne plus suivre cet espace")).to_be_visible()
    assert Follow.objects.filter(user=trainer, space=module_space).exists()
    assert_no_serious_violations(page, label="espace suivi par la formatrice")

    # The learner asks in the module space.
    context.clear_cookies()
    sign_in(learner)
    page.goto(f"{live_server.url}/forum/")
    page.get_by_role("link", name=module_space.title).click()
    page.get_by_role("link", name="Nouvelle question").click()
    page.get_by_label("Titre de la question").fill(QUESTION)
    page.get_by_label("Votre message").fill("Je co-anime le **CLSM** de ma ville chaque trimestre.")
    page.get_by_role("button", name="Publier la question").click()
    expect(page.get_by_role("heading", name=QUESTION)).to_be_visible()
    thread = Thread.objects.get(title=QUESTION)

    # The trainer sees the notification in the header, lands on the question and answers it.
    context.clear_cookies()
    sign_in(trainer)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name=re.compile(r"^Notifications\s*\(1 non lue\)$")).click()
    assert_no_serious_violations(page, label="notifications de la formatrice")
    page.get_by_role("link", name=re.compile(re.escape(QUESTION))).click()
    expect(page.get_by_role("heading", name=QUESTION)).to_be_visible()
    page.get_by_label("Votre message").fill(
        "Oui : déclarez chaque séance du CLSM en heures en organisation, rattachée au module 1."
    )
    page.get_by_role("button", name="Publier la réponse").click()
    expect(page.get_by_text("Votre réponse est publiée.")).to_be_visible()
    answer = thread.posts.order_by("-pk").first()
    assert answer.author == trainer

    # The learner marks the trainer's reply as the answer; it shows under the question.
    context.clear_cookies()
    sign_in(learner)
    page.goto(f"{live_server.url}/forum/{module_space.slug}/{thread.pk}/")
    page.get_by_role("button", name=f"Marquer comme réponse le message de {trainer.display_name}").click()
    expect(page.get_by_role("heading", name="Réponse retenue")).to_be_visible()
    assert_no_serious_violations(page, label="question avec sa réponse retenue")
    thread.refresh_from_db()
    assert thread.answer_id == answer.pk

    # The trainer promotes the thread to a FAQ draft.
    context.clear_cookies()
    sign_in(trainer)
    page.goto(f"{live_server.url}/forum/{module_space.slug}/{thread.pk}/")
    page.get_by_role("button", name="Ajouter à la FAQ").click()
    expect(page.get_by_text("Brouillon de FAQ en relecture")).to_be_visible()
    entry = FaqEntry.objects.get(source_thread=thread)
    assert not entry.live

    # The pedagogical team publishes it in Wagtail (its group grants the FAQ permissions).
    context.clear_cookies()
    sign_in(team_member)
    page.goto(f"{live_server.url}/cms/snippets/forum/faqentry/")
    page.get_by_role("link", name=QUESTION).click()
    page.get_by_role("textbox", name="Thème").fill("Heures")
    page.locator("footer .w-dropdown__toggle").last.click()
    page.locator("button[name='action-publish']").click()
    expect(page.locator(".messages")).to_contain_text(QUESTION)
    entry.refresh_from_db()
    assert entry.live

    # A learner of another cohort finds it by search…
    context.clear_cookies()
    sign_in(other_learner)
    page.goto(f"{live_server.url}/forum/")
    page.get_by_label("Rechercher dans le forum").fill("CLSM")
    page.locator("main").get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("heading", name="Dans la FAQ")).to_be_visible()
    assert_no_serious_violations(page, label="recherche par une apprenante d'une autre promotion")
    page.locator(f'a[href="/forum/faq/{entry.pk}/"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text(QUESTION)
    expect(page.get_by_text("déclarez chaque séance du CLSM")).to_be_visible()
    # …but the first cohort's private space is neither listed nor open to them.
    page.goto(f"{live_server.url}/forum/")
    expect(page.get_by_role("link", name=own_cohort_space.title)).to_have_count(0)
    response = page.goto(f"{live_server.url}/forum/{own_cohort_space.slug}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_contain_text("introuvable")
