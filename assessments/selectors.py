"""Reads of the knowledge checks."""

from __future__ import annotations

from .models import KnowledgeCheckAttempt

#: Failed attempts in a row, within services.FAILURE_WINDOW, that bring a pause: the pause rule
#: reads that many of a learner's latest attempts.
FAILURES_BEFORE_PAUSE = 3


def recent_attempts(*, enrolment, lesson) -> list[KnowledgeCheckAttempt]:
    """The learner's latest attempts at a lesson's check, newest first: what retry_at_after and
    the lesson page's « dernière tentative » need, in one query."""
    return list(
        KnowledgeCheckAttempt.objects.filter(enrolment=enrolment, lesson=lesson).order_by("-created_at")[
            :FAILURES_BEFORE_PAUSE
        ]
    )
