"""The assessments app's models, gathered from its rooms so that the app label (`assessments`)
and the migrations stay where they are."""

from assessments.checks.models import KnowledgeCheckAttempt
from assessments.memoire.models import DraftComment, Memoire, MemoireDraft, MemoireEvent, MemoireFinal

__all__ = ["DraftComment", "KnowledgeCheckAttempt", "Memoire", "MemoireDraft", "MemoireEvent", "MemoireFinal"]
