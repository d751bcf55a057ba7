"""Moderation in a real browser: a learner reports a post and marks the answer; a trainer hides the
post from the queue, pins and locks the thread; the learner then sees the placeholder, the lock
notice and the answer under the question. axe on each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from forum.enums import ModerationAction, ReportStatus, SpaceKind
from forum.models import ModerationLog, Report, Space, Thread
from forum.threads import services
from tests.browser.conftest import assert_no_serious_violations
from tests.factories import EnrolmentFactory, TrainerFactory

pytestmark = pytest.mark.browser


def test_report_hide_pin_lock_and_answer(
    page, context, live_server, sign_in, browser_programme, browser_enrolment
):
    """The whole moderation loop, from a learner's report to what members see afterwards."""
    learner = browser_enrolment.user
    peer = EnrolmentFactory(
        cohort=browser_enrolment.cohort, user__first_name="Paul", user__last_name="Pair"
    ).user
    trainer = TrainerFactory(first_name="Claire", last_name="Formatrice")
    space = Space.objects.create(
        kind=SpaceKind.COHORT,
        title="Promotion Bretagne 2026",
        slug="promotion-bretagne",
        programme=browser_programme,
        cohort=browser_enrolment.cohort,
    )
    thread = services.thread_start(
        space=space, title="Date du comité de pilotage ?", source="Quand a lieu le comité ?", by=learner
    )
    services.post_reply(thread=thread, source="Achetez des montres pas chères ici !", by=peer)
    answer = services.post_reply(thread=thread, source="Le comité se réunit le **12 mai**.", by=trainer)
    url = f"{live_server.url}/forum/{space.slug}/{thread.pk}/"

    # The learner reports the peer's post, then marks the trainer's reply as the answer.
    sign_in(learner)
    page.goto(url)
    assert_no_serious_violations(page, label="fil, vue apprenant·e")
    page.get_by_role("link", name=f"Signaler le message de {peer.display_name}").click()
    expect(page.get_by_role("heading", name="Signaler un message")).to_be_visible()
    assert_no_serious_violations(page, label="formulaire de signalement")
    page.get_by_role("button", name="Signaler le message").click()
    expect(page.get_by_text("Indiquez le motif")).to_be_visible()
    assert not Report.objects.exists()
    assert_no_serious_violations(page, label="signalement sans motif")
    page.get_by_label("Motif du signalement").fill("Publicité sans rapport avec la formation.")
    page.get_by_role("button", name="Signaler le message").click()
    expect(page.get_by_text("votre signalement est transmis à la modération")).to_be_visible()
    page.get_by_role("button", name=f"Marquer comme réponse le message de {trainer.display_name}").click()
    expect(page.get_by_role("heading", name="Réponse retenue")).to_be_visible()
    expect(page.locator("#reponse-retenue strong").last).to_have_text("12 mai")
    assert_no_serious_violations(page, label="fil avec réponse retenue")
    assert Thread.objects.get(pk=thread.pk).answer_id == answer.pk

    # The trainer handles the report from the queue, then pins and locks the thread.
    context.clear_cookies()
    sign_in(trainer)
    page.goto(live_server.url + "/forum/moderation/signalements/")
    expect(page.get_by_text("Publicité sans rapport avec la formation.")).to_be_visible()
    assert_no_serious_violations(page, label="file des signalements")
    page.get_by_role("link", name="Masquer le message").click()
    expect(page.get_by_role("heading", name="Masquer le message")).to_be_visible()
    assert_no_serious_violations(page, label="masquer depuis la file")
    page.get_by_label("Motif").fill("Publicité.")
    page.get_by_role("button", name="Masquer le message").click()
    expect(page.get_by_text("Le message est masqué.")).to_be_visible()
    expect(page.get_by_text("Aucun signalement à traiter")).to_be_visible()
    assert Report.objects.get().status == ReportStatus.HIDDEN

    page.goto(url)
    expect(page.get_by_text("Motif : Publicité.")).to_be_visible()
    assert_no_serious_violations(page, label="fil, vue modération")
    page.get_by_role("link", name="Épingler le fil").click()
    assert_no_serious_violations(page, label="épingler le fil")
    page.get_by_label("Motif").fill("Date utile à toute la promotion.")
    page.get_by_role("button", name="Épingler").click()
    expect(page.get_by_text("Le fil est épinglé en tête de l'espace.")).to_be_visible()
    page.get_by_role("link", name="Verrouiller le fil").click()
    page.get_by_label("Motif").fill("La question est résolue.")
    page.get_by_role("button", name="Verrouiller").click()
    expect(page.get_by_text("Le fil est verrouillé : il n'accepte plus de réponse.")).to_be_visible()
    page.get_by_role("link", name="Journal de modération").click()
    expect(page.get_by_role("cell", name="La question est résolue.")).to_be_visible()
    assert_no_serious_violations(page, label="journal de modération")
    assert list(ModerationLog.objects.order_by("pk").values_list("action", flat=True)) == [
        ModerationAction.HIDE_POST,
        ModerationAction.PIN,
        ModerationAction.LOCK,
    ]

    # The learner sees the placeholder, the lock notice, the pin and the answer under the question.
    context.clear_cookies()
    sign_in(learner)
    page.goto(url)
    expect(page.get_by_text("Message masqué par la modération")).to_be_visible()
    expect(page.get_by_text("Achetez des montres")).to_have_count(0)
    expect(page.get_by_role("heading", name="Fil verrouillé")).to_be_visible()
    expect(page.get_by_text("Épinglé", exact=True)).to_be_visible()
    expect(page.get_by_label("Votre message")).to_have_count(0)
    expect(page.get_by_role("heading", name="Réponse retenue")).to_be_visible()
    assert_no_serious_violations(page, label="fil verrouillé, vue apprenant·e")
