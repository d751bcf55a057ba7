"""The learner's journey in a real browser: sign in, choose options, follow a lesson, pass a quiz,
see the credited hours. axe-core runs on every page visited."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from courses.cohorts.models import ElectiveChoice
from courses.hours.models import HoursEntry
from tests.browser.conftest import assert_no_serious_violations
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def header_tools(page):
    """The header's tool links as displayed on a desktop screen (DSFR JS copies them into the
    mobile menu too)."""
    return page.locator(".fr-header__tools")


def main_nav(page):
    return page.locator("#navigation-principale")


def screenshot(page, name):
    """Full-page screenshot into $BROWSER_SCREENSHOT_DIR when set (to eyeball the DSFR layout)."""
    directory = os.environ.get("BROWSER_SCREENSHOT_DIR")
    if directory:
        page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)


def tick(scope, text):
    """Tick a DSFR checkbox as a person does, by clicking its label (DSFR draws the box on the
    label, which covers the real input); Playwright checks the associated input."""
    label = scope.locator("label.fr-label").filter(has_text=text)
    label.check()
    expect(scope.get_by_label(text)).to_be_checked()


INVITATION = "Choisissez vos deux modules d'approfondissement"


def test_learner_signs_in_chooses_options_and_earns_elearning_hours(
    page, live_server, browser_enrolment, browser_modules
):
    learner = browser_enrolment.user

    # The public home page, then the login form through the header link.
    page.goto("/")
    expect(page).to_have_title(re.compile("contrat local de santé"))
    assert_no_serious_violations(page, label="accueil")
    header_tools(page).get_by_role("link", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/comptes/login/"))
    assert_no_serious_violations(page, label="connexion")

    login_form = page.locator('main form[action*="login"]')
    login_form.locator("input[name=login]").fill(learner.email)
    login_form.locator("input[name=password]").fill(PASSWORD)
    login_form.locator("button[type=submit]").click()

    # « Mon espace », with the invitation to choose the two optional modules.
    expect(page).to_have_url(f"{live_server.url}/mon-espace/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    expect(page.get_by_role("heading", name=INVITATION)).to_be_visible()
    assert_no_serious_violations(page, label="mon espace (sans options)")

    # « Mes options » from the main navigation: one option only is refused, nothing is saved.
    main_nav(page).get_by_role("link", name="Mes options").click()
    expect(page).to_have_url(f"{live_server.url}/parcours/options/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes modules d'approfondissement")
    assert_no_serious_violations(page, label="mes options")
    environment = page.get_by_label("Santé environnement")
    mental_health = page.get_by_label("Santé mentale")
    tick(page, "Santé environnement")
    page.get_by_role("button", name="Enregistrer mon choix").click()
    expect(page.locator("main")).to_contain_text("exactement 2")
    expect(page).to_have_url(f"{live_server.url}/parcours/options/")
    expect(environment).to_be_checked()
    expect(mental_health).not_to_be_checked()
    assert not ElectiveChoice.objects.filter(enrolment=browser_enrolment).exists()
    assert_no_serious_violations(page, label="mes options (erreur)")
    screenshot(page, "cls-options-error")

    # Two options: saved, back on the dashboard, the invitation gone.
    tick(page, "Santé mentale")
    page.get_by_role("button", name="Enregistrer mon choix").click()
    expect(page).to_have_url(f"{live_server.url}/mon-espace/")
    expect(page.get_by_text("Vos modules d'approfondissement sont enregistrés.")).to_be_visible()
    expect(page.get_by_role("heading", name=INVITATION)).to_have_count(0)
    chosen = ElectiveChoice.objects.filter(enrolment=browser_enrolment)
    assert set(chosen.values_list("module__title", flat=True)) == {"Santé environnement", "Santé mentale"}
    assert_no_serious_violations(page, label="mon espace (options choisies)")

    # « Module socle 1 » from the dashboard, then its first lesson, completed by « J'ai terminé ».
    page.locator("main").get_by_role("link", name="1. Module socle 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Module socle 1")
    assert_no_serious_violations(page, label="module socle 1")
    page.locator(".lms-lesson-list").get_by_role("link", name="Module socle 1 — leçon 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Module socle 1 — leçon 1")
    assert_no_serious_violations(page, label="leçon 1")
    page.get_by_role("button", name="J'ai terminé").click()
    expect(page.get_by_text("Leçon terminée : 2,5 h d'e-learning créditées.").first).to_be_visible()
    expect(page.get_by_role("button", name="J'ai terminé")).to_have_count(0)
    assert_no_serious_violations(page, label="leçon 1 terminée")

    # Lesson 2 and its knowledge check: wrong answers first, hints shown, then a passing retry.
    page.get_by_role("link", name="Leçon suivante").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Module socle 1 — leçon 2")
    quiz = page.locator("#quiz")
    expect(quiz.get_by_role("heading", name="Vérifiez vos connaissances")).to_be_visible()
    assert_no_serious_violations(page, label="leçon 2 (quiz)")
    tick(quiz, "Le seul ministère")
    tick(quiz, "Financer des hôpitaux")
    quiz.get_by_role("button", name="Valider mes réponses").click()
    expect(quiz).to_contain_text("À revoir")
    review = quiz.locator(".fr-alert--warning")
    expect(review).to_contain_text("Dernière tentative : 0 %")
    expect(review).not_to_contain_text("Qui signe un contrat local de santé ?")
    expect(quiz).to_contain_text("Relisez la partie sur les signataires.")
    expect(quiz).to_contain_text("Relisez la partie sur les inégalités de santé.")
    expect(page.get_by_text(re.compile(r"Quiz non réussi \(0 %\)"))).to_be_visible()
    assert HoursEntry.objects.filter(enrolment=browser_enrolment).count() == 1  # lesson 1 only
    assert_no_serious_violations(page, label="leçon 2 (quiz échoué)")
    screenshot(page, "cls-lesson-quiz-failed")

    tick(quiz, "L'ARS et une collectivité")
    tick(quiz, "Réduire les inégalités sociales de santé")
    tick(quiz, "Réduire les inégalités territoriales de santé")
    expect(quiz.get_by_label("Le seul ministère")).not_to_be_checked()
    quiz.get_by_role("button", name="Valider mes réponses").click()
    expect(quiz.get_by_role("heading", name=re.compile(r"Quiz réussi \(100 %\)"))).to_be_visible()
    expect(quiz.get_by_role("button", name="Valider mes réponses")).to_have_count(0)
    assert_no_serious_violations(page, label="leçon 2 (quiz réussi)")

    # Back on « Mon espace »: 2 × 2,5 h of e-learning credited against a 28 h target
    # (4 core modules × 5 h + Santé environnement 4 h + Santé mentale 4 h).
    main_nav(page).get_by_role("link", name="Mon espace").click()
    expect(page).to_have_url(f"{live_server.url}/mon-espace/")
    row = page.locator('#tableau-heures tr[data-modality="elearning"]')
    expect(row.get_by_role("rowheader")).to_have_text("E-learning")
    cells = row.locator("td")
    expect(cells.nth(0)).to_have_text("5 h")
    expect(cells.nth(1)).to_have_text("28 h")
    expect(cells.nth(2)).to_have_text("23 h")
    module_card = page.locator(".fr-card").filter(has=page.get_by_role("link", name="1. Module socle 1"))
    expect(module_card).to_contain_text("2 / 2 leçons · 100 %")
    expect(module_card).to_contain_text("Terminé")
    assert_no_serious_violations(page, label="mon espace (heures créditées)")
    screenshot(page, "cls-dashboard")
