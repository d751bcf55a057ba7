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

__all__ = [
    "Deliverable",
    "DeliverableDueDate",
    "KnowledgeCheckAttempt",
    "Review",
    "ReviewerAssignment",
    "Submission",
]
