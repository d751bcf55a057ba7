"""The grouped « À corriger »: one section per kind of work, each with its count, oldest first,
due dates and waiting times; only what is this trainer's own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessments.deliverables import services as deliverable_services
from assessments.deliverables.models import Submission
from assessments.memoire.enums import MemoireState
from assessments.memoire.models import MemoireDraft
from assessments.rubrics import services as rubric_services
from tests.assessments.board.helpers import assign_markers, move_to, text
from tests.assessments.deliverables.factories import AssignmentFactory, DeliverableFactory, DueDateFactory
from tests.assessments.memoire.factories import memoire_at
from tests.assessments.rubrics.factories import rubric, scores_all
from tests.factories import EnrolmentFactory, TrainerFactory, UserFactory
from tests.uploads_samples import pdf_bytes

S = MemoireState
pytestmark = pytest.mark.django_db


def _submit(deliverable, enrolment, days_ago: int):
    submission = deliverable_services.submission_create(
        deliverable=deliverable,
        enrolment=enrolment,
        file=SimpleUploadedFile("d.pdf", pdf_bytes()),
        by=enrolment.user,
    )
    Submission.objects.filter(pk=submission.pk).update(submitted_at=timezone.now() - timedelta(days=days_ago))
    return submission


def test_sections_counts_and_order(client, modules, cohort, pedagogical, trainer):
    """Each section lists this trainer's own work, oldest first, with its count and due date."""
    deliverable = DeliverableFactory(module=modules[0], title="Diagnostic territorial")
    DueDateFactory(deliverable=deliverable, cohort=cohort, due_on=timezone.localdate() - timedelta(days=3))
    AssignmentFactory(module=modules[0], cohort=cohort, trainer=trainer)
    older = EnrolmentFactory(cohort=cohort, user=UserFactory(first_name="Alice", last_name="Ancienne"))
    newer = EnrolmentFactory(cohort=cohort, user=UserFactory(first_name="Noé", last_name="Nouveau"))
    _submit(deliverable, newer, days_ago=1)
    _submit(deliverable, older, days_ago=10)
    tutee = memoire_at(
        EnrolmentFactory(cohort=cohort, user=UserFactory(first_name="Théo", last_name="Tutoré")),
        S.IN_PROGRESS,
        tutor=trainer,
        team=pedagogical,
        drafts=2,
    )
    tutee.drafts.get(version=1).comments.create(author=trainer, body="Vu.")
    other = TrainerFactory()
    to_mark = memoire_at(
        EnrolmentFactory(cohort=cohort, user=UserFactory(first_name="Mia", last_name="Marquée")),
        S.FINAL_SUBMITTED,
        team=pedagogical,
    )
    move_to(to_mark, S.MARKING)
    assign_markers(to_mark, trainer, other, by=pedagogical)
    done = memoire_at(
        EnrolmentFactory(cohort=cohort, user=UserFactory(first_name="Dan", last_name="Déjà")),
        S.FINAL_SUBMITTED,
        team=pedagogical,
    )
    move_to(done, S.MARKING)
    mine, _ = assign_markers(done, trainer, other, by=pedagogical)
    written = rubric()
    grid = rubric_services.grid_start(rubric=written, author=trainer)
    rubric_services.grid_save(
        grid=grid,
        scores=scores_all(written, 12),
        comment="",
        submit=True,
        by=trainer,
        justification_required=False,
    )
    mine.grid = grid
    mine.save()
    reconciling = memoire_at(
        EnrolmentFactory(cohort=cohort, user=UserFactory(first_name="Rémi", last_name="Conciliation")),
        S.FINAL_SUBMITTED,
        team=pedagogical,
    )
    move_to(reconciling, S.RECONCILIATION)
    assign_markers(reconciling, other, trainer, by=pedagogical)
    elsewhere = memoire_at(EnrolmentFactory(cohort=cohort), S.FINAL_SUBMITTED, team=pedagogical)
    move_to(elsewhere, S.MARKING)
    assign_markers(elsewhere, other, by=pedagogical)

    client.force_login(trainer)
    page = text(client.get("/gestion/a-corriger/"))
    assert "Productions écrites à corriger (2)" in page
    assert page.index("Alice Ancienne") < page.index("Noé Nouveau")
    assert (timezone.localdate() - timedelta(days=3)).strftime("%d/%m/%Y") in page
    assert "En retard" in page
    assert "Brouillons de mémoire à commenter (1)" in page and "Brouillon 2 du mémoire" in page
    assert "Brouillon 1 du mémoire" not in page
    assert "Mémoires à corriger (1)" in page and "Mia Marquée" in page and "Dan Déjà" not in page
    assert "Conciliations des notes (1)" in page and "Rémi Conciliation" in page
    assert "5 éléments en tout" in page
    assert reverse("memoire:draft", args=[tutee.drafts.get(version=2).pk]) in page
    assert reverse("memoire:detail", args=[to_mark.pk]) in page
    assert reverse("deliverables:queue") in page and reverse("memoire:tutees") in page


def test_empty_sections_say_what_happens(client, trainer):
    """A trainer with nothing waiting reads, per section, what will appear there."""
    client.force_login(trainer)
    page = text(client.get("/gestion/a-corriger/"))
    assert "Aucune production écrite n'attend votre décision." in page
    assert "Aucun brouillon de vos tutoré·es n'attend de commentaire." in page
    assert "Aucun mémoire ne vous est confié en correction pour l'instant." in page
    assert "Aucune conciliation de notes ne vous attend." in page


def test_team_sees_the_deliverables_section_only(client, pedagogical):
    """The team reviews deliverables but tutors and marks nothing: one section."""
    client.force_login(pedagogical)
    page = text(client.get("/gestion/a-corriger/"))
    assert "Productions écrites à corriger (0)" in page
    assert "Brouillons de mémoire à commenter" not in page


def test_old_deliverables_queue_name_still_works(client, trainer):
    """`deliverables:queue` still lists the deliverables (the grouped page links to it)."""
    client.force_login(trainer)
    response = client.get(reverse("deliverables:queue"))
    assert response.status_code == 200 and "Rien à corriger pour l'instant." in text(response)


def test_uncommented_drafts_are_of_tutees_in_progress_only(db, cohort, pedagogical, trainer):
    """A draft of a mémoire whose final version is in no longer waits for a comment."""
    from assessments.memoire import selectors

    memoire = memoire_at(
        EnrolmentFactory(cohort=cohort), S.IN_PROGRESS, tutor=trainer, team=pedagogical, drafts=1
    )
    assert list(selectors.uncommented_drafts(tutor=trainer)) == list(
        MemoireDraft.objects.filter(memoire=memoire)
    )
    move_to(memoire, S.FINAL_SUBMITTED)
    assert not selectors.uncommented_drafts(tutor=trainer).exists()
