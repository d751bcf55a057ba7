"""The assessments app's models, gathered from its rooms so that the app label (`assessments`)
and the migrations stay where they are."""

from assessments.checks.models import KnowledgeCheckAttempt
from assessments.deliverables.models import (
    Deliverable,
    DeliverableDueDate,
    Review,
    ReviewerAssignment,
    Submission,
)
from assessments.marking.models import AgreedMark, CohortMarkingOptions, MarkerAssignment
from assessments.memoire.models import DraftComment, Memoire, MemoireDraft, MemoireEvent, MemoireFinal
from assessments.rubrics.models import Grid, GridScore, MarkingScheme, Rubric, RubricCriterion
from assessments.similarity.models import Fingerprint, IndexedDocument, SimilarityReport
from assessments.soutenance.models import (
    Booking,
    ConflictDeclaration,
    Jury,
    JuryMember,
    OralGrid,
    ProcesVerbal,
    Slot,
)

__all__ = [
    "Booking",
    "ConflictDeclaration",
    "Jury",
    "JuryMember",
    "OralGrid",
    "ProcesVerbal",
    "Slot",
    "Deliverable",
    "AgreedMark",
    "CohortMarkingOptions",
    "DeliverableDueDate",
    "MarkerAssignment",
    "DraftComment",
    "Fingerprint",
    "IndexedDocument",
    "KnowledgeCheckAttempt",
    "Memoire",
    "MemoireDraft",
    "MemoireEvent",
    "MemoireFinal",
    "Grid",
    "GridScore",
    "MarkingScheme",
    "Review",
    "Rubric",
    "RubricCriterion",
    "ReviewerAssignment",
    "SimilarityReport",
    "Submission",
]
