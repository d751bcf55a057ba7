"""The similarity check in a real browser: a marker reads the matching passages side by side; the
team finds the flag on its screen, refuses an empty motive, then clears the flag; axe on each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from assessments.marking.models import MarkerAssignment, MarkerRole
from assessments.similarity.models import FlagState, SimilarityReport
from tests.assessments.similarity.factories import final_with_text, prose
from tests.browser.conftest import assert_no_serious_violations
from tests.factories import EnrolmentFactory, PedagogicalFactory, TrainerFactory

pytestmark = pytest.mark.browser


def test_marker_reads_passages_and_team_clears_the_flag(page, sign_in, browser_cohort, browser_enrolment):
    team = PedagogicalFactory()
    marker = TrainerFactory(first_name="Claire", last_name="Correctrice")
    copied = prose(250, seed=41)
    final_with_text(EnrolmentFactory(cohort=browser_cohort), prose(200, seed=42) + " " + copied, team=team)
    memoire = final_with_text(browser_enrolment, prose(300, seed=43) + " " + copied, team=team)
    report = SimilarityReport.objects.get(memoire=memoire)  # checked on commit (Celery eager)
    assert report.flag == FlagState.OPEN
    MarkerAssignment.objects.create(memoire=memoire, marker=marker, role=MarkerRole.FIRST, assigned_by=team)
    learner = browser_enrolment.user

    sign_in(marker)
    page.goto(f"/memoires/{memoire.pk}/similarite/")
    expect(page.get_by_role("heading", name="Passages concordants")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Passage du mémoire")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Passage retrouvé")).to_be_visible()
    expect(page.locator("table.similarity-passages mark").first).to_be_visible()
    expect(page.get_by_text(learner.last_name)).to_have_count(0)
    assert_no_serious_violations(page, label="rapport de similarité (correcteur·rice)")

    sign_in(team)
    page.goto("/mon-espace/")
    page.get_by_role("link", name="Similarité").first.click()
    expect(page.get_by_role("heading", name="Alertes à examiner")).to_be_visible()
    assert_no_serious_violations(page, label="alertes de similarité")
    page.get_by_role("link", name=learner.display_name).click()
    assert_no_serious_violations(page, label="rapport de similarité (équipe)")
    page.get_by_role("link", name="Lever l'alerte").click()
    assert_no_serious_violations(page, label="lever l'alerte")
    page.get_by_role("button", name="Confirmer : lever l'alerte").click()
    expect(page.get_by_text("Écrivez le motif de la décision")).to_be_visible()
    assert_no_serious_violations(page, label="lever l'alerte (motif manquant)")
    page.get_by_label("Motif de la décision").fill(
        "Passages cités entre guillemets, source en bibliographie."
    )
    page.get_by_role("button", name="Confirmer : lever l'alerte").click()
    expect(page.get_by_text("L'alerte est levée : la note pourra être publiée.")).to_be_visible()
    expect(page.get_by_text("Passages cités entre guillemets, source en bibliographie.")).to_be_visible()
    assert SimilarityReport.objects.get(memoire=memoire).flag == FlagState.CLEARED

    page.goto(f"/memoires/{memoire.pk}/")
    expect(page.get_by_role("link", name="Voir le rapport de similarité")).to_be_visible()
    expect(page.get_by_text("Alerte de similarité levée")).to_be_visible()
    assert_no_serious_violations(page, label="mémoire (équipe) avec la similarité")
