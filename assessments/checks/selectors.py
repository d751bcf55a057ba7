"""Reads of the knowledge checks."""

from __future__ import annotations

import math
from datetime import timedelta

from assessments.checks.models import KnowledgeCheckAttempt

#: Failed attempts in a row that bring the first pause (FIRST_PAUSE); each further failure in a
#: row doubles it, up to MAX_PAUSE (see services.retry_at_after).
FAILURES_BEFORE_PAUSE = 3
FIRST_PAUSE = timedelta(minutes=15)
MAX_PAUSE = timedelta(hours=24)
#: From this many failures in a row on, the pause is MAX_PAUSE: reading more attempts than this
#: could not change it, so the pause rule reads exactly this many.
ATTEMPTS_FOR_PAUSE = FAILURES_BEFORE_PAUSE + math.ceil(math.log2(MAX_PAUSE / FIRST_PAUSE))


def recent_attempts(*, enrolment, lesson) -> list[KnowledgeCheckAttempt]:
    """The learner's latest attempts at a lesson's check, newest first (ATTEMPTS_FOR_PAUSE of them
    at most): what retry_at_after and the lesson page's « dernière tentative » need, in one query."""
    return list(
        KnowledgeCheckAttempt.objects.filter(enrolment=enrolment, lesson=lesson).order_by("-created_at")[
            :ATTEMPTS_FOR_PAUSE
        ]
    )
