"""The forum in a real browser: a learner asks in a module space with a preview, a trainer answers
with a quote; attachments and unread tracking; axe on each page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from forum.enums import SpaceKind
from forum.models import Post, Space, Thread
from forum.threads import services
from tests.browser.conftest import assert_no_serious_violations
from tests.factories import EnrolmentFactory, TrainerFactory
from tests.forum.attachments.test_attachments import MZ, pdf_bytes, png_bytes

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
    threads_table = page.get_by_role("table", name=re.compile("^Fils de discussion"))
    expect(threads_table.get_by_role("cell", name="0", exact=True)).to_be_visible()
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


def test_question_with_image_and_pdf_then_unread_jump(
    page, context, live_server, sign_in, browser_programme, browser_modules, browser_cohort, browser_enrolment
):
    """A learner asks with an image and a PDF (after a refused executable, text kept); a classmate sees
    « Nouveau », jumps to the first unread post, then to the first new reply."""
    Space.objects.create(
        kind=SpaceKind.MODULE,
        title="Module socle 1 : le contrat local de santé",
        slug="module-1",
        programme=browser_programme,
        module=browser_modules[0],
    )
    author = sign_in(browser_enrolment.user)
    page.goto(live_server.url + "/forum/module-1/nouveau/")
    page.get_by_label("Titre de la question").fill("Diagnostic local : que joindre ?")
    page.get_by_label("Votre message").fill("Voici le **schéma** et le compte rendu.")
    files = page.get_by_label("Pièces jointes")
    files.set_input_files([{"name": "compte-rendu.pdf", "mimeType": "application/pdf", "buffer": MZ}])
    page.get_by_role("button", name="Publier la question").click()
    expect(page.get_by_text("« compte-rendu.pdf » : malgré son extension .pdf")).to_be_visible()
    expect(page.get_by_text("choisissez-les à nouveau")).to_be_visible()
    expect(page.get_by_label("Votre message")).to_have_value("Voici le **schéma** et le compte rendu.")
    expect(page.get_by_label("Titre de la question")).to_have_value("Diagnostic local : que joindre ?")
    assert not Thread.objects.exists()
    assert_no_serious_violations(page, label="pièce jointe refusée")

    page.get_by_label("Pièces jointes").set_input_files(
        [
            {"name": "schéma.png", "mimeType": "image/png", "buffer": png_bytes((320, 200))},
            {"name": "compte-rendu.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes(2)},
        ]
    )
    page.get_by_role("button", name="Publier la question").click()
    expect(page.get_by_text("Votre question est publiée.")).to_be_visible()
    image = page.get_by_role("img", name="schéma.png")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") == 320
    pdf_link = page.get_by_role("link", name="compte-rendu.pdf")
    expect(pdf_link).to_contain_text("PDF –")
    response = page.request.get(live_server.url + pdf_link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
    assert_no_serious_violations(page, label="question avec pièces jointes")
    thread = Thread.objects.get()
    question = thread.posts.get()
    assert question.attachments.count() == 2

    context.clear_cookies()
    sign_in(EnrolmentFactory(cohort=browser_cohort).user)
    page.goto(live_server.url + "/forum/")
    expect(page.get_by_text("1 fil avec du nouveau")).to_be_visible()
    assert_no_serious_violations(page, label="liste des espaces avec du nouveau")
    page.get_by_role("link", name="Module socle 1 : le contrat local de santé").click()
    expect(page.get_by_text("Nouveau", exact=True)).to_be_visible()
    assert_no_serious_violations(page, label="espace avec un fil nouveau")
    page.get_by_role("link", name="Premier message non lu").click()
    expect(page).to_have_url(f"{live_server.url}/forum/module-1/{thread.pk}/?page=1#message-{question.pk}")
    expect(page.get_by_role("img", name="schéma.png")).to_be_visible()

    reply = services.post_reply(thread=thread, source="J'ajoute la carte du territoire.", by=author)
    page.goto(live_server.url + "/forum/module-1/")
    expect(page.get_by_text("1 non lu", exact=True)).to_be_visible()
    page.get_by_role("link", name="Premier message non lu").click()
    expect(page).to_have_url(f"{live_server.url}/forum/module-1/{thread.pk}/?page=1#message-{reply.pk}")
    expect(page.locator(f"#message-{reply.pk}")).to_contain_text("J'ajoute la carte du territoire.")
    assert_no_serious_violations(page, label="fil après le saut au premier non lu")
    page.goto(live_server.url + "/forum/module-1/")
    expect(page.get_by_text("Premier message non lu")).to_have_count(0)


def test_typed_text_survives_a_reload_and_is_dropped_once_published(
    page, live_server, sign_in, browser_programme, browser_cohort, browser_enrolment
):
    """What a learner types in a reply or a new question comes back after a reload (kept in the
    browser); once the reply is published, the reply form is empty again."""
    space = Space.objects.create(
        kind=SpaceKind.COHORT,
        title="Bretagne 2026",
        slug="promotion-bzh",
        programme=browser_programme,
        cohort=browser_cohort,
    )
    learner = browser_enrolment.user
    thread = services.thread_start(space=space, title="Réunion ARS", source="Quand ?", by=learner)
    sign_in(learner)

    page.goto(f"{live_server.url}/forum/promotion-bzh/{thread.pk}/")
    message = page.get_by_label("Votre message")
    message.type("Un long message qu'il serait dommage de perdre.")
    page.reload()
    expect(page.get_by_label("Votre message")).to_have_value(
        "Un long message qu'il serait dommage de perdre."
    )
    expect(page.get_by_role("status").filter(has_text="Brouillon retrouvé")).to_be_visible()
    assert_no_serious_violations(page, label="brouillon retrouvé")
    page.get_by_role("button", name="Publier la réponse").click()
    expect(page.get_by_text("Votre réponse est publiée.")).to_be_visible()
    page.reload()
    expect(page.get_by_label("Votre message")).to_have_value("")
    assert Post.objects.filter(source="Un long message qu'il serait dommage de perdre.").count() == 1

    page.goto(f"{live_server.url}/forum/promotion-bzh/nouveau/")
    page.get_by_label("Titre de la question").type("Heures en organisation")
    page.get_by_label("Votre message").type("Comment les déclarer ?")
    page.reload()
    expect(page.get_by_label("Titre de la question")).to_have_value("Heures en organisation")
    expect(page.get_by_label("Votre message")).to_have_value("Comment les déclarer ?")
