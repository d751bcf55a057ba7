"""Writes of written deliverables: the learner submits versions, a reviewer accepts one or asks
for a revision. Nothing is overwritten: each file is a new version, each decision a new Review
(one per version, the decision log of the room). Every rule lives here; nothing is written, not
even a file, when one fails."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from assessments.deliverables import permissions as deliverable_permissions
from assessments.deliverables import signals
from assessments.deliverables.models import (
    MAX_SIZE_MB,
    Deliverable,
    DeliverableDueDate,
    Review,
    ReviewDecision,
    ReviewerAssignment,
    Submission,
    SubmissionStatus,
)
from assessments.deliverables.tasks import send_review_email
from courses.cohorts import permissions as cohorts_permissions
from courses.cohorts import selectors as cohorts_selectors
from courses.cohorts.models import Enrolment
from courses.hours.selectors import learner_today
from lms import permissions
from lms.audit.enums import AuditAction
from lms.audit.services import audit_record
from lms.uploads import CheckedUpload, Kind, UploadPolicy, upload_check, upload_store

MAX_COMMENT_CHARS = 2000
MAX_FEEDBACK_CHARS = 5000
MEGABYTE = 1024 * 1024
#: A deliverable is a text of a few pages; a longer PDF is not what was asked.
MAX_PDF_PAGES = 200

#: The reviewer's annotated copy: any of the three formats, at the largest size a deliverable may have.
ANNOTATED_POLICY = UploadPolicy(
    label="le fichier annoté",
    kinds=frozenset({Kind.PDF, Kind.DOCX, Kind.ODT}),
    max_bytes=MAX_SIZE_MB * MEGABYTE,
    max_pdf_pages=MAX_PDF_PAGES,
)


def deliverable_policy(deliverable: Deliverable) -> UploadPolicy:
    """The upload gate's policy for one deliverable: its formats and its size limit."""
    kinds = {
        kind
        for kind, accepted in (
            (Kind.PDF, deliverable.accepts_pdf),
            (Kind.DOCX, deliverable.accepts_docx),
            (Kind.ODT, deliverable.accepts_odt),
        )
        if accepted
    }
    return UploadPolicy(
        label="la production écrite",
        kinds=frozenset(kinds),
        max_bytes=deliverable.max_size_mb * MEGABYTE,
        max_pdf_pages=MAX_PDF_PAGES,
    )


def due_date_for(*, deliverable: Deliverable, enrolment: Enrolment):
    """The deliverable's due date for the learner's cohort, or None when the team set none."""
    return (
        DeliverableDueDate.objects.filter(deliverable=deliverable, cohort_id=enrolment.cohort_id)
        .values_list("due_on", flat=True)
        .first()
    )


def _store(checked: CheckedUpload | None, *, field, folder: str) -> str:
    if checked is None:
        return ""
    return upload_store(storage=field.storage, folder=folder, checked=checked)


@transaction.atomic
def submission_create(
    *, deliverable: Deliverable, enrolment: Enrolment, file, comment: str = "", by
) -> Submission:
    """Record a new version of the learner's deliverable. Late submissions are accepted and
    marked late (after the cohort's due date, in the region's time)."""
    if not permissions.is_learner(by) or by.pk != enrolment.user_id:
        raise PermissionDenied("Seul·e l'apprenant·e dépose ses propres productions écrites.")
    chosen = cohorts_selectors.chosen_option_ids(enrolment=enrolment)
    if not cohorts_permissions.can_follow_module(enrolment, deliverable.module, chosen):
        raise PermissionDenied(f"Vous ne suivez pas le module « {deliverable.module.title} ».")
    comment = (comment or "").strip()
    errors: dict[str, list[str]] = {}
    if len(comment) > MAX_COMMENT_CHARS:
        errors["comment"] = [f"Le commentaire compte au plus {MAX_COMMENT_CHARS} caractères."]
    checked = None
    if not file:
        errors["file"] = ["Choisissez le fichier à déposer."]
    else:
        # Checked before the lock: a PDF's check can take seconds.
        try:
            checked = upload_check(name=file.name, data=file, policy=deliverable_policy(deliverable), user=by)
        except ValidationError as exc:
            errors["file"] = exc.messages
    if errors:
        raise ValidationError(errors)
    # Serialise this learner's submissions so that two at once get two version numbers.
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
    last = Submission.objects.filter(deliverable=deliverable, enrolment=enrolment).aggregate(
        v=Max("version")
    )["v"]
    due_on = due_date_for(deliverable=deliverable, enrolment=enrolment)
    field = Submission._meta.get_field("file")
    stored = _store(checked, field=field, folder="deliverables")
    try:
        submission = Submission.objects.create(
            deliverable=deliverable,
            enrolment=enrolment,
            version=(last or 0) + 1,
            file=stored,
            original_name=checked.original_name,
            content_type=checked.content_type,
            comment=comment,
            is_late=due_on is not None and learner_today(enrolment) > due_on,
            status=SubmissionStatus.SUBMITTED,
        )
    except BaseException:
        field.storage.delete(stored)
        raise
    # Robust: the learner's submission is committed; a listener's failure must not undo their page.
    transaction.on_commit(
        lambda: signals.submission_created.send_robust(sender=Submission, submission_id=submission.pk)
    )
    return submission


def review_refusal(submission: Submission) -> str | None:
    """Why this submission cannot be reviewed now, or None."""
    if (
        submission.status != SubmissionStatus.SUBMITTED
        or Review.objects.filter(submission=submission).exists()
    ):
        return "Ce dépôt a déjà été corrigé : rien n'a été modifié."
    newer = Submission.objects.filter(
        deliverable_id=submission.deliverable_id,
        enrolment_id=submission.enrolment_id,
        version__gt=submission.version,
    ).exists()
    if newer:
        return "Une version plus récente a été déposée : corrigez la dernière version."
    return None


@transaction.atomic
def submission_review(
    *, submission: Submission, decision: str, feedback: str = "", annotated_file=None, by
) -> Review:
    """Accept a submission or ask for a revision (written feedback required, annotated file
    optional). The submission is locked: of two reviewers deciding at once, the second is refused.
    The learner is emailed after the commit."""
    if not deliverable_permissions.can_review_submission(by, submission):
        raise PermissionDenied(
            "Vous ne corrigez pas les productions écrites de ce module et de cette promotion."
        )
    feedback = (feedback or "").strip()
    errors: dict[str, list[str]] = {}
    if decision not in ReviewDecision.values:
        errors["decision"] = ["Choisissez : accepter, ou demander une révision."]
    elif decision == ReviewDecision.REVISION and not feedback:
        errors["feedback"] = ["Écrivez votre retour : il explique à l'apprenant·e ce qu'il faut reprendre."]
    if len(feedback) > MAX_FEEDBACK_CHARS:
        errors["feedback"] = [f"Le retour compte au plus {MAX_FEEDBACK_CHARS} caractères."]
    checked = None
    if annotated_file:
        try:
            checked = upload_check(
                name=annotated_file.name, data=annotated_file, policy=ANNOTATED_POLICY, user=by
            )
        except ValidationError as exc:
            errors["annotated_file"] = exc.messages
    if errors:
        raise ValidationError(errors)
    current = Submission.objects.select_for_update().get(pk=submission.pk)
    refusal = review_refusal(current)
    if refusal:
        raise ValidationError(refusal)
    field = Review._meta.get_field("annotated_file")
    stored = _store(checked, field=field, folder="deliverables/reviews")
    try:
        review = Review.objects.create(
            submission=current,
            reviewer=by,
            decision=decision,
            feedback=feedback,
            annotated_file=stored,
            annotated_name=checked.original_name if checked else "",
            annotated_content_type=checked.content_type if checked else "",
        )
        current.status = (
            SubmissionStatus.ACCEPTED if decision == ReviewDecision.ACCEPTED else SubmissionStatus.REVISION
        )
        current.save(update_fields=["status"])
        audit_record(
            actor=by,
            action=AuditAction.DELIVERABLE_REVIEWED,
            target=review,
            details={
                "submission": current.pk,
                "deliverable": current.deliverable_id,
                "enrolment": current.enrolment_id,
                "version": current.version,
                "decision": decision,
                "feedback": feedback,
                "annotated_file": bool(stored),
            },
        )
    except BaseException:
        if stored:
            field.storage.delete(stored)
        raise
    transaction.on_commit(lambda: send_review_email.delay(review_id=review.pk))
    return review


def reviews_mark_seen(*, enrolment: Enrolment) -> int:
    """The learner has seen the decisions on their deliverables (the in-site notice goes away)."""
    return Review.objects.filter(submission__enrolment=enrolment, seen_by_learner_at__isnull=True).update(
        seen_by_learner_at=timezone.now()
    )


@transaction.atomic
def reviewer_assign(*, module, cohort, trainer, by) -> ReviewerAssignment:
    """The team names a trainer reviewer of a module's deliverables for one cohort. Refused (in
    French, nothing written) for anyone but the team, a non-trainer, a module outside the cohort's
    programme, or a pair already assigned to that trainer. Recorded in the audit log."""
    if not deliverable_permissions.can_assign_reviewers(by):
        raise PermissionDenied("Seule l'équipe pédagogique désigne les correcteur·rices.")
    errors: dict[str, list[str]] = {}
    if trainer is None or not permissions.is_trainer(trainer) or not trainer.is_active:
        errors["trainer"] = ["Choisissez un·e formateur·rice actif·ve."]
    if module is None or cohort is None:
        errors["module"] = ["Choisissez le module et la promotion."]
    elif not module.is_descendant_of(cohort.programme):
        errors["module"] = [
            f"Le module « {module.title} » ne fait pas partie du programme de cette promotion."
        ]
    if errors:
        raise ValidationError(errors)
    if ReviewerAssignment.objects.filter(module=module, cohort=cohort, trainer=trainer).exists():
        raise ValidationError(
            f"{trainer.display_name} corrige déjà « {module.title} » pour la promotion « {cohort.name} »."
        )
    assignment = ReviewerAssignment.objects.create(module=module, cohort=cohort, trainer=trainer)
    audit_record(
        actor=by,
        action=AuditAction.DELIVERABLE_REVIEWER_ADDED,
        target=assignment,
        details={"module": module.pk, "cohort": cohort.pk, "trainer": trainer.pk},
    )
    return assignment


@transaction.atomic
def reviewer_unassign(*, assignment: ReviewerAssignment, by) -> None:
    """The team withdraws a reviewer from a module and cohort; their decisions already made stay.
    Recorded in the audit log."""
    if not deliverable_permissions.can_assign_reviewers(by):
        raise PermissionDenied("Seule l'équipe pédagogique retire un·e correcteur·rice.")
    audit_record(
        actor=by,
        action=AuditAction.DELIVERABLE_REVIEWER_REMOVED,
        target=assignment,
        details={
            "module": assignment.module_id,
            "cohort": assignment.cohort_id,
            "trainer": assignment.trainer_id,
        },
    )
    assignment.delete()
