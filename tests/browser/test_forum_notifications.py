"""Forum notifications in a real browser: a trainer follows a module space, a learner asks there,
the trainer sees the count in the header, opens the notification and lands on the post, then
unsubscribes from the space through the email's link; axe on each page."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from forum.enums import SpaceKind
from forum.models import Follow, Notification, Post, Space
from tests.browser.conftest import assert_no_serious_violations
from tests.factories import TrainerFactory

pytestmark = pytest.mark.browser

SPACE_TITLE = "Module socle 1 : le contrat local de santé"
QUESTION = "Qui signe le contrat local de santé ?"


def test_trainer_follows_a_space_and_is_led_to_the_learner_question(
    page, context, live_server, sign_in, browser_programme, browser_modules, browser_enrolment
):
    """Follow a space from the preferences, get notified of a learner's question in the header,
    open it on the post, then unsubscribe from the space with the email's link."""
    space = Space.objects.create(
        kind=SpaceKind.MODULE,
        title=SPACE_TITLE,
        slug="module-1",
        programme=browser_programme,
        module=browser_modules[0],
    )
    trainer = sign_in(TrainerFactory(first_name="Claire", last_name="Formatrice"))

    page.goto(live_server.url + "/forum/notifications/")
    expect(page.get_by_role("heading", name="Aucune notification")).to_be_visible()
    assert_no_serious_violations(page, label="notifications vides")
    page.get_by_role("link", name="Préférences et abonnements").click()
    expect(page.get_by_role("heading", name="Préférences de notification", level=1)).to_be_visible()
    assert_no_serious_violations(page, label="préférences")
    page.get_by_role("button", name=f"Suivre l'espace « {SPACE_TITLE} »").click()
    expect(page.get_by_text(f"Vous suivez l'espace « {SPACE_TITLE} ».")).to_be_visible()
    expect(page.get_by_role("button", name=f"Ne plus suivre l'espace « {SPACE_TITLE} »")).to_be_visible()
    assert Follow.objects.filter(user=trainer, space=space).exists()
    assert_no_serious_violations(page, label="préférences après abonnement")

    context.clear_cookies()
    sign_in(browser_enrolment.user)
    page.goto(live_server.url + "/forum/module-1/nouveau/")
    page.get_by_label("Titre de la question").fill(QUESTION)
    page.get_by_label("Votre message").fill("Le maire seul, ou aussi l'ARS et la préfecture ?")
    page.get_by_role("button", name="Publier la question").click()
    expect(page.get_by_role("heading", name=QUESTION)).to_be_visible()

    context.clear_cookies()
    sign_in(trainer)
    page.goto(live_server.url + "/forum/")
    notifications_link = page.get_by_role("link", name=re.compile(r"^Notifications\s*\(1 non lue\)$"))
    expect(notifications_link).to_be_visible()
    notifications_link.click()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    expect(page.get_by_role("cell", name="Non lu")).to_be_visible()
    assert_no_serious_violations(page, label="notifications avec une non lue")
    page.get_by_role("link", name=re.compile(re.escape(QUESTION))).click()

    post = Post.objects.get(thread__title=QUESTION)
    expect(page).to_have_url(re.compile(rf"/forum/module-1/{post.thread_id}/\?page=1#message-{post.pk}$"))
    expect(page.locator(f"#message-{post.pk}")).to_contain_text("Le maire seul")
    expect(page.get_by_role("link", name=re.compile(r"non lue"))).to_have_count(0)
    assert Notification.objects.get(user=trainer).read_at is not None

    sent = [m for m in mail.outbox if m.to == [trainer.email]]
    assert len(sent) == 1 and QUESTION in sent[0].subject
    unfollow = sent[0].body.split("Ne plus suivre cet espace : ")[1].split()[0]
    context.clear_cookies()
    page.goto(unfollow.replace(settings.SITE_BASE_URL, live_server.url))
    expect(page.get_by_text(f"Vous ne suivrez plus l'espace « {SPACE_TITLE} »")).to_be_visible()
    assert_no_serious_violations(page, label="désabonnement")
    assert Follow.objects.filter(user=trainer, space=space).exists()
    page.get_by_role("button", name="Me désabonner").click()
    expect(page.get_by_text(f"Vous ne suivez plus l'espace « {SPACE_TITLE} ».")).to_be_visible()
    assert_no_serious_violations(page, label="désabonnement fait")
    assert not Follow.objects.filter(user=trainer, space=space).exists()
