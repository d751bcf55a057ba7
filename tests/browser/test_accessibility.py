"""Accessibility: no « serious » or « critical » axe-core violation on the platform's main pages,
as seen by the public, by an enrolled learner and by each staff role."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from content.models import Competency, CompetencyDomain, GlossaryTerm, Resource
from courses.learning import services as learning_services
from tests.browser.conftest import (
    assert_no_serious_violations,
    describe_violations,
    serious_violations,
)
from tests.factories import ArsStaffFactory, PedagogicalFactory, TrainerFactory, lessons_of

pytestmark = pytest.mark.browser

# Each page is checked as laid out on a desktop screen and on a phone: DSFR tables, menus and
# grids change with the width, and so do axe's findings (e.g. a table that scrolls sideways).
VIEWPORTS = {"bureau": {"width": 1280, "height": 900}, "téléphone": {"width": 375, "height": 812}}


def check_pages(page, urls: list[tuple[str, str]]) -> None:
    """Visit each (label, url) at each viewport, check it answers without redirection and has no
    serious/critical violation; report every failing page at once rather than the first."""
    failures = []
    for label, url in urls:
        for screen, size in VIEWPORTS.items():
            page.set_viewport_size(size)
            response = page.goto(url)
            assert response is not None and response.status < 500, (
                f"{label}: HTTP {response and response.status}"
            )
            assert urlsplit(page.url).path == urlsplit(url).path, f"{label}: redirected to {page.url}"
            violations = serious_violations(page)
            if violations:
                failures.append(describe_violations(violations, f"{label} ({url}, {screen})"))
    if failures:
        pytest.fail("\n".join(failures), pytrace=False)


@pytest.fixture
def content_data(browser_modules):
    """A few rows so that the glossary, resources and framework pages show real content."""
    domain = CompetencyDomain.objects.create(code="D1", title="Piloter le contrat local de santé")
    competency = Competency.objects.create(domain=domain, code="C1", title="Animer la gouvernance du CLS")
    competency.modules.add(browser_modules[1])
    GlossaryTerm.objects.create(
        acronym="ARS",
        expansion="Agence régionale de santé",
        definition="Pilote la politique de santé en région.",
    )
    GlossaryTerm.objects.create(acronym="CLS", expansion="Contrat local de santé")
    resource = Resource.objects.create(
        title="Fiche : signer un CLS", summary="Les étapes de la signature.", source="EHESP"
    )
    resource.modules.add(browser_modules[0])


def test_public_pages(page, browser_programme, browser_modules, content_data):
    """Home, programme, a module, login, glossary, resources, framework and the 404 page."""
    check_pages(
        page,
        [
            ("accueil", "/"),
            ("programme", browser_programme.url),
            ("module", browser_modules[0].url),
            ("connexion", "/comptes/login/"),
            ("glossaire", "/glossaire/"),
            ("glossaire sans résultat", "/glossaire/?q=zzz"),
            ("ressources", "/ressources/"),
            ("référentiel", "/referentiel/"),
            ("page introuvable", "/page-qui-n-existe-pas/"),
        ],
    )


def test_learner_pages(page, sign_in, browser_enrolment, browser_modules, content_data):
    """Signed-in enrolled learner: dashboard (before and after choosing), options, module, lessons
    (plain and with the knowledge check), a module not followed."""
    sign_in(browser_enrolment.user)
    core = browser_modules[0]
    first, with_quiz = lessons_of(core)
    check_pages(
        page,
        [("mon espace, options à choisir", "/mon-espace/"), ("mes options", "/parcours/options/")],
    )
    learning_services.options_choose(enrolment=browser_enrolment, modules=browser_modules[5:7])
    learning_services.lesson_complete(enrolment=browser_enrolment, lesson=first)
    check_pages(
        page,
        [
            ("mon espace", "/mon-espace/"),
            ("module suivi", core.url),
            ("leçon terminée", first.url),
            ("leçon avec quiz", with_quiz.url),
            ("module non suivi", browser_modules[4].url),
            ("leçon d'un module non suivi", lessons_of(browser_modules[4])[0].url),
            ("programme", core.get_parent().url),
        ],
    )
    # On a phone, the header's menu opens as a DSFR modal holding the tools and the navigation.
    page.set_viewport_size(VIEWPORTS["téléphone"])
    page.goto("/mon-espace/")
    page.locator("#bouton-menu-mobile").click()
    expect(page.locator("#menu-mobile").get_by_role("link", name="Mes options")).to_be_visible()
    assert_no_serious_violations(page, label="menu mobile ouvert")


@pytest.mark.parametrize(
    "factory",
    [ArsStaffFactory, TrainerFactory, PedagogicalFactory],
    ids=["ars", "formateur", "equipe-pedagogique"],
)
def test_staff_spaces(page, sign_in, browser_cohort, browser_enrolment, factory):
    """« Mon espace » of ARS staff (with a cohort of their region), trainer and pedagogical team."""
    user = factory(regions=[browser_cohort.region]) if factory is ArsStaffFactory else factory()
    sign_in(user)
    check_pages(page, [("mon espace", "/mon-espace/"), ("accueil", "/")])
