"""Writes of the similarity room: indexing a document (its text and fingerprints), running the
check of a mémoire's final version into its report, asking for a re-run, and the team's decision
on a flag (through the mémoire's transitions `clear_similarity` / `confirm_similarity`, so that it
is logged in the mémoire's history).

Why winnowed shingles stored in the database, and not MinHash (`datasketch`): the markers must
see *which* passages match, side by side. A MinHash signature estimates how much two documents
overlap but forgets where; winnowing keeps each fingerprint's position, so the matching
fingerprints give the passages in both texts. The fingerprints live in one indexed table, so one
`hash IN (…)` query finds every document sharing them, on PostgreSQL as on SQLite, with no new
dependency and no index to rebuild when a document arrives.

A learner's own documents (their deliverables, an earlier mémoire) are left out of their
mémoire's comparison: reusing one's own productions écrites in the mémoire is what the programme
asks of them.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.deliverables.models import Submission
from assessments.memoire.flows import memoire_transition
from assessments.memoire.models import Memoire, MemoireFinal
from assessments.rubrics.selectors import scheme_for
from assessments.similarity import fingerprints as fp
from assessments.similarity import permissions
from assessments.similarity.extraction import ExtractionError, file_text
from assessments.similarity.models import (
    Fingerprint,
    FlagState,
    IndexedDocument,
    ReportStatus,
    SimilarityReport,
    SourceKind,
)
from assessments.similarity.selectors import documents_of_same_learner, matches_for

BATCH = 5000
NO_TEXT = (
    "La version finale ne contient pas de texte lisible (document numérisé ?) : la comparaison "
    "n'a pas pu se faire ; lisez le mémoire avant de décider."
)


def _read(field) -> bytes:
    with field.open("rb") as stored:
        return stored.read()


@transaction.atomic
def document_store(
    *, kind: str, enrolment_id: int, submitted_at, text: str, memoire_final=None, submission=None
) -> tuple[IndexedDocument, list[tuple[int, int]]]:
    """Index `text` for one source: the document row (replaced if the source was indexed before)
    and its fingerprints, in one transaction. Returns the document and its fingerprints."""
    words = fp.text_words(text)
    prints = fp.fingerprints(words)
    source = {"memoire_final": memoire_final} if memoire_final is not None else {"submission": submission}
    IndexedDocument.objects.filter(**source).delete()
    document = IndexedDocument.objects.create(
        kind=kind,
        enrolment_id=enrolment_id,
        submitted_at=submitted_at,
        text=text,
        word_count=len(words),
        fingerprint_count=len(prints),
        **source,
    )
    Fingerprint.objects.bulk_create(
        (Fingerprint(document=document, hash=h, position=position) for h, position in prints),
        batch_size=BATCH,
    )
    return document, prints


def memoire_final_index(*, final: MemoireFinal) -> tuple[IndexedDocument, list[tuple[int, int]]]:
    """Index a mémoire's final version. Raises ExtractionError when its text cannot be read, and
    OSError when its file cannot (a retry may succeed)."""
    text = file_text(_read(final.file), content_type="application/pdf", name=final.file_name)
    return document_store(
        kind=SourceKind.MEMOIRE,
        enrolment_id=final.memoire.enrolment_id,
        submitted_at=final.submitted_at,
        text=text,
        memoire_final=final,
    )


def submission_index(*, submission: Submission) -> IndexedDocument | None:
    """Index one version of a deliverable (idempotent: an indexed version is left as it is). A file
    whose text cannot be read is indexed empty: it then matches nothing."""
    existing = IndexedDocument.objects.filter(submission=submission).first()
    if existing is not None:
        return existing
    try:
        text = file_text(
            _read(submission.file), content_type=submission.content_type, name=submission.original_name
        )
    except ExtractionError:
        text = ""
    document, _ = document_store(
        kind=SourceKind.DELIVERABLE,
        enrolment_id=submission.enrolment_id,
        submitted_at=submission.submitted_at,
        text=text,
        submission=submission,
    )
    return document


def report_request(*, memoire_id: int) -> SimilarityReport | None:
    """The mémoire's report, created pending if it has none yet (None without a final version)."""
    if not MemoireFinal.objects.filter(memoire_id=memoire_id).exists():
        return None
    report, _ = SimilarityReport.objects.get_or_create(memoire_id=memoire_id)
    return report


def similarity_check_run(*, memoire_id: int) -> SimilarityReport | None:
    """Check the mémoire's final version against every other document of the platform (the
    learner's own aside) and write its report: share, passages, sources, and the flag (open when
    the share reaches the programme's threshold). Idempotent: a report already done is returned as
    it is. A text that cannot be read makes the report failed, with why; an unreadable file
    (OSError) is raised for the task to retry."""
    final = (
        MemoireFinal.objects.select_related("memoire__enrolment__programme")
        .filter(memoire_id=memoire_id)
        .first()
    )
    if final is None:
        return None
    report, _ = SimilarityReport.objects.get_or_create(memoire_id=memoire_id)
    if report.status == ReportStatus.DONE:
        return report
    enrolment = final.memoire.enrolment
    try:
        document, own = memoire_final_index(final=final)
    except ExtractionError as exc:
        return report_fail(memoire_id=memoire_id, reason=f"La version finale n'a pas pu être lue : {exc}")
    comparison = matches_for(own=own, excluded=documents_of_same_learner(user_id=enrolment.user_id))
    threshold = scheme_for(programme=enrolment.programme).similarity_threshold
    with transaction.atomic():
        report = SimilarityReport.objects.select_for_update().get(pk=report.pk)
        if report.status == ReportStatus.DONE:
            return report
        report.document = document
        report.status = ReportStatus.DONE
        report.share = comparison.share
        report.threshold = threshold
        report.own_fingerprints = comparison.own_fingerprints
        report.matched_fingerprints = comparison.matched
        report.passages = comparison.passages
        report.sources = comparison.sources
        report.computed_at = timezone.now()
        if not document.word_count:
            report.reason = NO_TEXT
            report.flag = FlagState.OPEN
        else:
            report.reason = ""
            report.flag = FlagState.OPEN if comparison.share >= threshold else FlagState.NONE
        report.save()
    return report


@transaction.atomic
def report_fail(*, memoire_id: int, reason: str) -> SimilarityReport:
    """Mark the mémoire's check failed, with why (a report already done is left as it is)."""
    report, _ = SimilarityReport.objects.select_for_update().get_or_create(memoire_id=memoire_id)
    if report.status != ReportStatus.DONE:
        report.status = ReportStatus.FAILED
        report.reason = reason
        report.save(update_fields=["status", "reason"])
    return report


@transaction.atomic
def similarity_rerun(*, memoire: Memoire, by) -> SimilarityReport:
    """The team asks for a failed check to run again: the report is pending again (the task is
    queued by tasks.similarity_rerun_queue)."""
    if not permissions.can_decide_flag(by, memoire):
        raise PermissionDenied("Seule l'équipe pédagogique relance une vérification de similarité.")
    report = SimilarityReport.objects.select_for_update().filter(memoire=memoire).first()
    if report is None or report.status != ReportStatus.FAILED:
        raise ValidationError("Seule une vérification échouée se relance : rien n'a été modifié.")
    report.status = ReportStatus.PENDING
    report.reason = ""
    report.requested_at = timezone.now()
    report.save(update_fields=["status", "reason", "requested_at"])
    return report


#: decision → (the mémoire's transition, the flag it leaves).
DECISIONS = {
    "clear": ("clear_similarity", FlagState.CLEARED),
    "confirm": ("confirm_similarity", FlagState.CONFIRMED),
}


@transaction.atomic
def similarity_flag_decide(*, memoire: Memoire, decision: str, by, comment: str) -> SimilarityReport:
    """The team clears or confirms the open flag, with a comment: a transition of the mémoire
    (who, order, open flag and comment checked under the mémoire's lock, and logged), then the
    report records the decision. Raises PermissionDenied or ValidationError, writing nothing."""
    transition, flag = DECISIONS[decision]
    memoire_transition(memoire=memoire, transition=transition, by=by, comment=comment)
    report = SimilarityReport.objects.select_for_update().get(memoire=memoire)
    report.flag = flag
    report.decided_by = by
    report.decided_at = timezone.now()
    report.decision_comment = comment.strip()
    report.save(update_fields=["flag", "decided_by", "decided_at", "decision_comment"])
    return report
