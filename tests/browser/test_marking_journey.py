"""Double marking in a real browser: the team assigns two markers; marker 1 grades; marker 2 cannot
see marker 1's grid; marker 2 grades 4 points apart and the reconciliation opens; the markers agree a
mark; the team releases it; the learner sees it. axe on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from assessments.marking.models import AgreedMark, MarkerAssignment
from assessments.memoire.enums import MemoireState
from assessments.memoire.models import Memoire
from tests.assessments.marking.factories import scheme
from tests.assessments.memoire.factories import memoire_at
from tests.browser.conftest import assert_no_serious_violations
from tests.factories import PedagogicalFactory, TrainerFactory

pytestmark = pytest.mark.browser


def _fill_grid(page, rubric, score: str, justification: str = "") -> None:
    for criterion in rubric.criteria.all():
        page.locator(f"#id_score_{criterion.pk}").fill(score)
        if justification:
            page.locator(f"#id_justification_{criterion.pk}").fill(justification)


def test_double_marking_from_assignment_to_release(page, sign_in, browser_enrolment, browser_programme):
    learner = browser_enrolment.user
    team = PedagogicalFactory()
    written = scheme(browser_programme)
    rubric = written.written_rubric
    memoire = memoire_at(browser_enrolment, MemoireState.FINAL_SUBMITTED, team=team)
    marker1 = TrainerFactory(first_name="Inès", last_name="Lefort")
    marker2 = TrainerFactory(first_name="Paul", last_name="Garnier")

    # 1. The team assigns two markers from the mémoire's page.
    sign_in(team)
    page.goto(f"/memoires/{memoire.pk}/")
    page.get_by_role("link", name="Désigner les correcteur·rices").click()
    assert_no_serious_violations(page, label="désigner les correcteurs")
    page.locator("#id_first").select_option(label="Inès Lefort")
    page.locator("#id_second").select_option(label="Paul Garnier")
    page.get_by_role("button", name="Désigner ces correcteur·rices").click()
    expect(page.get_by_text("Les correcteur·rices sont désigné·es.")).to_be_visible()
    assert MarkerAssignment.objects.filter(memoire=memoire).count() == 2

    # 2. Marker 1 grades: a draft, then the confirmation, then sealed.
    sign_in(marker1)
    page.goto("/formation/corrections/")
    assert_no_serious_violations(page, label="mes corrections")
    page.get_by_role("link", name="Mémoire à corriger").click()
    assert_no_serious_violations(page, label="grille (marqueur 1)")
    _fill_grid(page, rubric, "8")
    page.get_by_label("Appréciation générale").fill("Analyse trop descriptive.")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Votre grille est enregistrée comme brouillon")).to_be_visible()
    page.get_by_role("button", name="Remettre la grille…").click()
    assert_no_serious_violations(page, label="confirmation de la remise")
    expect(page.get_by_text("Note pondérée : 8/20")).to_be_visible()
    page.get_by_role("button", name="Confirmer la remise").click()
    expect(page.get_by_text("Votre grille est remise et scellée.")).to_be_visible()
    grid1 = MarkerAssignment.objects.get(memoire=memoire, marker=marker1).grid

    # 3. Marker 2 cannot see marker 1's grid, by URL included.
    sign_in(marker2)
    page.goto(f"/memoires/{memoire.pk}/grilles/{grid1.pk}/")
    expect(page.get_by_text("Cette grille est scellée")).to_be_visible()
    assert_no_serious_violations(page, label="grille scellée (403)")
    assert "Analyse trop descriptive." not in page.content()

    # 4. Marker 2 grades 4 points apart: the reconciliation opens.
    page.goto("/formation/corrections/")
    page.get_by_role("link", name="Mémoire à corriger").click()
    _fill_grid(page, rubric, "12")
    page.get_by_label("Appréciation générale").fill("Analyse pertinente du diagnostic.")
    page.get_by_role("button", name="Remettre la grille…").click()
    page.get_by_role("button", name="Confirmer la remise").click()
    expect(page.get_by_text("la conciliation est ouverte")).to_be_visible()
    assert_no_serious_violations(page, label="conciliation")
    expect(page.get_by_text("Les deux notes s'écartent de 4 points, plus que le seuil de 3.")).to_be_visible()
    expect(page.get_by_text("Analyse trop descriptive.")).to_be_visible()
    assert Memoire.objects.get(pk=memoire.pk).state == MemoireState.RECONCILIATION

    # 5. The markers agree a mark, criterion by criterion, each justified.
    _fill_grid(page, rubric, "10", "Accord après échange entre correcteur·rices.")
    page.get_by_label("Je confirme la note conciliée").check(force=True)
    page.get_by_role("button", name="Remettre la note conciliée").click()
    expect(page.get_by_text("La note conciliée est retenue")).to_be_visible()
    assert AgreedMark.objects.get(memoire=memoire).mark == 10

    # Before the release the learner sees nothing of it.
    sign_in(learner)
    page.goto("/parcours/memoire/")
    expect(page.get_by_text("Votre mémoire est en correction.")).to_be_visible()
    assert "Note du mémoire écrit" not in page.content()

    # 6. The team releases it from the publication queue.
    sign_in(team)
    page.goto("/gestion/memoires/publication/")
    assert_no_serious_violations(page, label="publication des notes")
    page.get_by_role("link", name=f"Publier la note de {learner.display_name}").click()
    assert_no_serious_violations(page, label="confirmation de la publication")
    page.get_by_role("button", name="Confirmer la publication").click()
    expect(page.get_by_text("est publiée")).to_be_visible()

    # 7. The learner sees the mark, the rule and the markers' comments.
    sign_in(learner)
    page.goto("/parcours/memoire/")
    expect(page.get_by_text("10/20", exact=True).first).to_be_visible()
    expect(page.get_by_text("Note conciliée critère par critère", exact=False)).to_be_visible()
    expect(page.get_by_text("Analyse pertinente du diagnostic.")).to_be_visible()
    assert_no_serious_violations(page, label="mon mémoire (note publiée)")
