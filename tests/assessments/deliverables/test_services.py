"""Deliverable services: versions, lateness, reviews, the reviewer rule, the email on commit, and
bad input refused with a French message and nothing written."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessments.deliverables import services
from assessments.deliverables.models import Review, ReviewDecision, Submission, SubmissionStatus
from assessments.deliverables.tasks import review_email_send
from tests.assessments.deliverables.factories import AssignmentFactory, DeliverableFactory, DueDateFactory
from tests.factories import EnrolmentFactory, TrainerFactory
from tests.uploads_samples import EXE, docx_bytes, encrypted_pdf_bytes, pdf_bytes


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def docx_bomb_bytes(declared: int = 200 * 1024 * 1024) -> bytes:
    """A DOCX whose document part inflates to `declared` bytes (a zip bomb of a few hundred KB)."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx_bytes())) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for info in source.infolist():
            if info.filename != "word/document.xml":
                archive.writestr(info.filename, source.read(info.filename))
        with archive.open("word/document.xml", "w", force_zip64=True) as entry:
            chunk = b" " * (1024 * 1024)
            for _ in range(declared // len(chunk)):
                entry.write(chunk)
    return buffer.getvalue()


@pytest.fixture
def deliverable(modules):
    return DeliverableFactory(module=modules[0])


@pytest.fixture
def reviewer(deliverable, cohort):
    trainer = TrainerFactory()
    AssignmentFactory(module=deliverable.module, cohort=cohort, trainer=trainer)
    return trainer


def submit(deliverable, enrolment, name="diagnostic.pdf", content=None, comment=""):
    return services.submission_create(
        deliverable=deliverable,
        enrolment=enrolment,
        file=upload(name, pdf_bytes() if content is None else content),
        comment=comment,
        by=enrolment.user,
    )


def test_every_submission_is_a_new_version(deliverable, enrolment):
    """Two submissions make versions 1 and 2; the first file is kept."""
    first = submit(deliverable, enrolment, comment="Première version")
    second = submit(deliverable, enrolment, name="diagnostic-v2.docx", content=docx_bytes())
    assert (first.version, second.version) == (1, 2)
    first.refresh_from_db()
    assert first.file.name != second.file.name
    assert first.original_name == "diagnostic.pdf" and first.comment == "Première version"
    assert second.content_type.endswith("wordprocessingml.document")


def test_late_submission_is_accepted_and_marked_late(deliverable, enrolment):
    """After the cohort's due date, a submission is accepted and flagged late; before, it is not."""
    due = DueDateFactory(deliverable=deliverable, cohort=enrolment.cohort, due_on=timezone.localdate())
    assert submit(deliverable, enrolment).is_late is False
    due.due_on = timezone.localdate() - datetime.timedelta(days=3)
    due.save()
    assert submit(deliverable, enrolment).is_late is True


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("programme.pdf", EXE, "programme.pdf"),
        ("chiffre.pdf", encrypted_pdf_bytes(), "chiffre.pdf"),
        ("diagnostic.odt", b"", "diagnostic.odt"),
    ],
)
def test_bad_files_are_refused_and_nothing_written(deliverable, enrolment, name, content, message):
    """An executable renamed .pdf, an encrypted PDF, an empty file: a French message naming the
    file, and no submission."""
    with pytest.raises(ValidationError) as caught:
        submit(deliverable, enrolment, name=name, content=content)
    assert message in " ".join(caught.value.messages)
    assert not Submission.objects.exists()


def test_encrypted_pdf_message_says_why(deliverable, enrolment):
    """The encrypted PDF refusal explains the encryption."""
    with pytest.raises(ValidationError) as caught:
        submit(deliverable, enrolment, name="chiffre.pdf", content=encrypted_pdf_bytes())
    assert "chiffr" in " ".join(caught.value.messages).lower()


def test_format_not_accepted_by_this_deliverable(deliverable, enrolment):
    """A PDF-only deliverable refuses a genuine DOCX."""
    deliverable.accepts_docx = False
    deliverable.save()
    with pytest.raises(ValidationError) as caught:
        submit(deliverable, enrolment, name="diagnostic.docx", content=docx_bytes())
    assert "PDF" in " ".join(caught.value.messages)
    assert not Submission.objects.exists()


def test_file_over_the_deliverable_limit(deliverable, enrolment):
    """A file above the deliverable's size limit (1 Mo here) is refused with the limit shown."""
    deliverable.max_size_mb = 1
    deliverable.save()
    big = pdf_bytes() + b"%" + b"0" * (1024 * 1024 + 10)
    with pytest.raises(ValidationError) as caught:
        submit(deliverable, enrolment, content=big)
    assert "Mo" in " ".join(caught.value.messages)
    assert not Submission.objects.exists()


def test_docx_zip_bomb_is_refused(deliverable, enrolment):
    """A DOCX that inflates to 200 MB is refused, and nothing is written."""
    with pytest.raises(ValidationError) as caught:
        submit(deliverable, enrolment, name="bombe.docx", content=docx_bomb_bytes())
    assert "bombe.docx" in " ".join(caught.value.messages)
    assert not Submission.objects.exists()


def test_another_learner_cannot_submit_for_someone(deliverable, enrolment, cohort):
    """Submitting on another learner's enrolment is refused."""
    other = EnrolmentFactory(cohort=cohort)
    with pytest.raises(PermissionDenied):
        services.submission_create(
            deliverable=deliverable, enrolment=enrolment, file=upload("a.pdf", pdf_bytes()), by=other.user
        )
    assert not Submission.objects.exists()


def test_option_not_followed_is_refused(modules, enrolment):
    """A deliverable of an option the learner did not choose cannot be submitted."""
    optional = DeliverableFactory(module=modules[6])
    with pytest.raises(PermissionDenied) as caught:
        submit(optional, enrolment)
    assert "Vous ne suivez pas" in str(caught.value)


def test_accept_notifies_by_email_on_commit(
    deliverable, enrolment, reviewer, django_capture_on_commit_callbacks
):
    """Accepting sets the status, records the review and emails the learner once, after commit."""
    submission = submit(deliverable, enrolment)
    with django_capture_on_commit_callbacks(execute=True):
        review = services.submission_review(
            submission=submission, decision=ReviewDecision.ACCEPTED, by=reviewer
        )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ACCEPTED
    assert review.reviewer == reviewer
    assert len(mail.outbox) == 1 and "acceptée" in mail.outbox[0].subject
    assert mail.outbox[0].to == [enrolment.user.email]
    assert review_email_send(review_id=review.pk) is False
    assert len(mail.outbox) == 1


def test_revision_with_feedback_and_annotated_file(deliverable, enrolment, reviewer):
    """A revision keeps the feedback and the annotated copy; the learner's file stays."""
    submission = submit(deliverable, enrolment)
    review = services.submission_review(
        submission=submission,
        decision=ReviewDecision.REVISION,
        feedback="Ajoutez les indicateurs de suivi.",
        annotated_file=upload("annote.pdf", pdf_bytes(2)),
        by=reviewer,
    )
    assert review.annotated_file and review.annotated_name == "annote.pdf"
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.REVISION and submission.file


def test_revision_without_feedback_is_refused(deliverable, enrolment, reviewer):
    """Asking for a revision without written feedback: refused, nothing written."""
    submission = submit(deliverable, enrolment)
    with pytest.raises(ValidationError) as caught:
        services.submission_review(
            submission=submission, decision=ReviewDecision.REVISION, feedback="  ", by=reviewer
        )
    assert "Écrivez votre retour" in " ".join(caught.value.messages)
    assert not Review.objects.exists()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


def test_unassigned_trainer_cannot_review(deliverable, enrolment, reviewer):
    """A trainer not assigned to the module and cohort is refused."""
    submission = submit(deliverable, enrolment)
    with pytest.raises(PermissionDenied):
        services.submission_review(
            submission=submission, decision=ReviewDecision.ACCEPTED, by=TrainerFactory()
        )
    assert not Review.objects.exists()


def test_second_decision_is_refused(deliverable, enrolment, reviewer, pedagogical):
    """Two reviewers cannot both decide: the second gets a clear refusal and nothing changes."""
    submission = submit(deliverable, enrolment)
    services.submission_review(submission=submission, decision=ReviewDecision.ACCEPTED, by=reviewer)
    with pytest.raises(ValidationError) as caught:
        services.submission_review(
            submission=submission, decision=ReviewDecision.REVISION, feedback="À reprendre", by=pedagogical
        )
    assert "déjà été corrigé" in " ".join(caught.value.messages)
    assert Review.objects.get().decision == ReviewDecision.ACCEPTED


def test_superseded_version_cannot_be_reviewed(deliverable, enrolment, reviewer):
    """Once a newer version is in, the older one is not reviewed."""
    first = submit(deliverable, enrolment)
    submit(deliverable, enrolment)
    with pytest.raises(ValidationError) as caught:
        services.submission_review(submission=first, decision=ReviewDecision.ACCEPTED, by=reviewer)
    assert "plus récente" in " ".join(caught.value.messages)


def test_annotated_exe_is_refused(deliverable, enrolment, reviewer):
    """An executable as annotated file: refused, no review."""
    submission = submit(deliverable, enrolment)
    with pytest.raises(ValidationError):
        services.submission_review(
            submission=submission,
            decision=ReviewDecision.REVISION,
            feedback="Voir le fichier.",
            annotated_file=upload("annote.pdf", EXE),
            by=reviewer,
        )
    assert not Review.objects.exists()
