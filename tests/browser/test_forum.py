"""The forum in a real browser: a learner asks in a module space with a preview, a trainer answers
with a quote; axe on each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from forum.enums import SpaceKind
from forum.models import Post, Space, Thread
from tests.browser.conftest import assert_no_serious_violations
from tests.factories import TrainerFactory

pytestmark = pytest.mark.browser


def test_learner_asks_with_preview_and_trainer_answers_with_quote(
    page, context, live_server, sign_in, browser_programme, browser_modules, browser_enrolment
):
    """A learner asks a question in a core module space, a trainer quotes and answers it."""
    Space.objects.create(
        kind=SpaceKind.MODULE,
        title="Module socle 1 : le contrat local de santé",
        slug="module-1",
        programme=browser_programme,
        module=browser_modules[0],
    )
    sign_in(browser_enrolment.user)

    page.goto(live_server.url + "/forum/")
    assert_no_serious_violations(page, label="liste des espaces")
    page.get_by_role("link", name="Module socle 1 : le contrat local de santé").click()
    expect(page.get_by_text("Aucune question dans cet espace")).to_be_visible()
    assert_no_serious_violations(page, label="espace vide")
    page.get_by_role("link", name="Nouvelle question").click()
    page.get_by_label("Titre de la question").fill("Comment compter les heures en organisation ?")
    page.get_by_label("Votre message").fill("Faut-il **déclarer** les réunions du comité de pilotage ?")
    page.get_by_role("button", name="Aperçu").click()
    expect(page.locator("#titre-apercu + div strong")).to_have_text("déclarer")
    expect(page.get_by_label("Votre message")).to_have_value(
        "Faut-il **déclarer** les réunions du comité de pilotage ?"
    )
    assert not Thread.objects.exists()
    assert_no_serious_violations(page, label="aperçu de la question")
    page.get_by_role("button", name="Publier la question").click()
    expect(page.get_by_role("heading", name="Comment compter les heures en organisation ?")).to_be_visible()
    expect(page.get_by_text("Votre question est publiée.")).to_be_visible()
    assert_no_serious_violations(page, label="fil publié")

    context.clear_cookies()
    sign_in(TrainerFactory(first_name="Claire", last_name="Formatrice"))
    page.goto(live_server.url + "/forum/module-1/")
    expect(page.get_by_role("cell", name="0", exact=True)).to_be_visible()
    assert_no_serious_violations(page, label="espace avec un fil")
    page.get_by_role("link", name="Comment compter les heures en organisation ?").click()
    page.get_by_role("link", name="Citer").click()
    message = page.get_by_label("Votre message")
    expect(message).to_have_value(
        f"> **{browser_enrolment.user.display_name}** a écrit :\n>\n"
        "> Faut-il **déclarer** les réunions du comité de pilotage ?\n\n"
    )
    message.press("Control+End")
    message.type("Oui : elles comptent comme heures en organisation.")
    page.get_by_role("button", name="Aperçu").click()
    expect(page.locator("#titre-apercu + div blockquote")).to_be_visible()
    assert_no_serious_violations(page, label="aperçu de la réponse")
    page.get_by_role("button", name="Publier la réponse").click()
    expect(page.get_by_text("Votre réponse est publiée.")).to_be_visible()
    expect(page.locator(".forum-post__body blockquote")).to_contain_text("Faut-il déclarer")
    expect(page.get_by_text("Oui : elles comptent comme heures en organisation.")).to_be_visible()
    assert_no_serious_violations(page, label="fil avec réponse")
    reply = Post.objects.order_by("pk").last()
    assert reply.quote_id == Post.objects.order_by("pk").first().pk
