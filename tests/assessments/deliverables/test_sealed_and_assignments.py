"""A review is sealed once written (only its delivery stamps change) and every decision is copied
to the platform audit log; the team's reviewer assignment screen adds and removes reviewers, with
a confirmation and an audit entry, and refuses bad input in French."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessments.deliverables import services
from assessments.deliverables.models import Review, ReviewDecision, ReviewerAssignment, ReviewSealedError
from lms.audit.enums import AuditAction
from lms.audit.models import AuditEntry
from tests.assessments.board.helpers import text
from tests.assessments.deliverables.factories import AssignmentFactory, DeliverableFactory
from tests.factories import CohortFactory, TrainerFactory, build_programme, modules_of
from tests.uploads_samples import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(modules, enrolment, pedagogical):
    submission = services.submission_create(
        deliverable=DeliverableFactory(module=modules[0]),
        enrolment=enrolment,
        file=SimpleUploadedFile("d.pdf", pdf_bytes()),
        by=enrolment.user,
    )
    return services.submission_review(
        submission=submission, decision=ReviewDecision.REVISION, feedback="Précisez.", by=pedagogical
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("decision", ReviewDecision.ACCEPTED), ("feedback", "Autre chose."), ("annotated_file", "x/autre.pdf")],
)
def test_review_save_refuses_a_change(review, field, value):
    """Changing the decision, the feedback or the file is refused; the row is unchanged."""
    setattr(review, field, value)
    with pytest.raises(ReviewSealedError):
        review.save()
    stored = Review.objects.get(pk=review.pk)
    assert stored.decision == ReviewDecision.REVISION and stored.feedback == "Précisez."
    assert not stored.annotated_file


def test_review_queryset_update_refuses_a_change(review):
    with pytest.raises(ReviewSealedError):
        Review.objects.filter(pk=review.pk).update(decision=ReviewDecision.ACCEPTED)
    with pytest.raises(ReviewSealedError):
        Review.objects.filter(pk=review.pk).delete()
    assert Review.objects.get(pk=review.pk).decision == ReviewDecision.REVISION


def test_delivery_stamps_still_change(review, enrolment):
    """The email claim and « seen » go through: by queryset update and by save of the stamps."""
    assert services.reviews_mark_seen(enrolment=enrolment) == 1
    review.refresh_from_db()
    review.emailed_at = timezone.now()
    review.save(update_fields=["emailed_at"])
    review.save()  # nothing sealed changed: accepted
    stored = Review.objects.get(pk=review.pk)
    assert stored.seen_by_learner_at is not None and stored.emailed_at is not None


def test_each_decision_is_copied_to_the_audit_log(review, pedagogical):
    entry = AuditEntry.objects.get(action=AuditAction.DELIVERABLE_REVIEWED)
    assert entry.actor == pedagogical and entry.target_id == str(review.pk)
    assert entry.details["decision"] == ReviewDecision.REVISION and entry.details["feedback"] == "Précisez."
    assert entry.details["submission"] == review.submission_id


def test_refused_decision_writes_no_audit_entry(modules, enrolment):
    """A trainer not assigned: refused, and neither review nor audit entry."""
    submission = services.submission_create(
        deliverable=DeliverableFactory(module=modules[0]),
        enrolment=enrolment,
        file=SimpleUploadedFile("d.pdf", pdf_bytes()),
        by=enrolment.user,
    )
    with pytest.raises(PermissionDenied):
        services.submission_review(
            submission=submission, decision=ReviewDecision.ACCEPTED, by=TrainerFactory()
        )
    assert not AuditEntry.objects.filter(action=AuditAction.DELIVERABLE_REVIEWED).exists()


# --- reviewer assignments -----------------------------------------------------------------------


def test_assign_and_unassign_are_audited(modules, cohort, pedagogical, trainer):
    assignment = services.reviewer_assign(module=modules[0], cohort=cohort, trainer=trainer, by=pedagogical)
    assert AuditEntry.objects.filter(action=AuditAction.DELIVERABLE_REVIEWER_ADDED).count() == 1
    services.reviewer_unassign(assignment=assignment, by=pedagogical)
    assert not ReviewerAssignment.objects.exists()
    removed = AuditEntry.objects.get(action=AuditAction.DELIVERABLE_REVIEWER_REMOVED)
    assert removed.details == {"module": modules[0].pk, "cohort": cohort.pk, "trainer": trainer.pk}


def test_assign_refusals(modules, cohort, pedagogical, trainer, learner, region):
    """Twice the same, a learner as reviewer, a module of another programme, a trainer deciding:
    each refused in French, nothing written."""
    services.reviewer_assign(module=modules[0], cohort=cohort, trainer=trainer, by=pedagogical)
    with pytest.raises(ValidationError, match="corrige déjà"):
        services.reviewer_assign(module=modules[0], cohort=cohort, trainer=trainer, by=pedagogical)
    with pytest.raises(ValidationError, match="Choisissez un·e formateur·rice actif·ve."):
        services.reviewer_assign(module=modules[0], cohort=cohort, trainer=learner, by=pedagogical)
    foreign = modules_of(build_programme(lessons_per_module=1))[0]
    with pytest.raises(ValidationError, match="ne fait pas partie du programme de cette promotion"):
        services.reviewer_assign(module=foreign, cohort=cohort, trainer=trainer, by=pedagogical)
    with pytest.raises(PermissionDenied):
        services.reviewer_assign(module=modules[1], cohort=cohort, trainer=trainer, by=trainer)
    assert ReviewerAssignment.objects.count() == 1


def test_screen_adds_a_reviewer(client, modules, cohort, pedagogical, trainer):
    client.force_login(pedagogical)
    response = client.post(
        "/gestion/correcteurs/",
        {"cohort": cohort.pk, "module": modules[1].pk, "trainer": trainer.pk},
        follow=True,
    )
    assert f"corrige désormais « {modules[1].title} »" in text(response)
    assert ReviewerAssignment.objects.filter(module=modules[1], cohort=cohort, trainer=trainer).exists()


def test_screen_refusal_keeps_what_was_chosen(client, modules, cohort, pedagogical, trainer):
    """A duplicate: 400, the message, the choices still selected, nothing written."""
    AssignmentFactory(module=modules[0], cohort=cohort, trainer=trainer)
    client.force_login(pedagogical)
    response = client.post(
        "/gestion/correcteurs/", {"cohort": cohort.pk, "module": modules[0].pk, "trainer": trainer.pk}
    )
    assert response.status_code == 400
    page = text(response)
    assert "Correcteur·rice non désigné·e" in page and "corrige déjà" in page
    assert f'<option value="{trainer.pk}" selected>' in page
    missing = client.post("/gestion/correcteurs/", {"cohort": cohort.pk})
    assert missing.status_code == 400 and "Choisissez le module." in text(missing)
    assert ReviewerAssignment.objects.count() == 1


def test_screen_removal_asks_confirmation(client, modules, cohort, pedagogical, trainer):
    assignment = AssignmentFactory(module=modules[0], cohort=cohort, trainer=trainer)
    client.force_login(pedagogical)
    url = f"/gestion/correcteurs/{assignment.pk}/retirer/"
    confirm = text(client.get(url))
    assert "ne corrigera plus" in confirm and ReviewerAssignment.objects.exists()
    response = client.post(url, follow=True)
    assert "ne corrige plus" in text(response)
    assert not ReviewerAssignment.objects.exists()


def test_screen_lists_by_cohort_and_says_what_to_do_when_empty(
    client, modules, cohort, programme, region, pedagogical
):
    other = CohortFactory(programme=programme, region=region, name="Bretagne 2027")
    AssignmentFactory(
        module=modules[0], cohort=cohort, trainer=TrainerFactory(first_name="Ana", last_name="Lys")
    )
    client.force_login(pedagogical)
    assert "Ana Lys" in text(client.get("/gestion/correcteurs/", {"cohort": cohort.pk}))
    empty = text(client.get("/gestion/correcteurs/", {"cohort": other.pk}))
    assert "Aucun·e correcteur·rice n'est désigné·e pour cette promotion." in empty
