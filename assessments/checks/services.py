"""Knowledge checks: the order an attempt is shown in, reading a submitted answer set, grading it,
recording the attempt, the pause after repeated failures, and what a failed attempt tells.

Guessing is made useless three ways. A failed attempt tells its score and the topics to review
(the hints of the missed questions, deduplicated and sorted), never which questions were wrong, so
a script cannot keep its right answers and change only the wrong ones. Each attempt shows the
questions and their choices in its own order, drawn from a random per-attempt seed (kept in the
learner's session by the view and posted back with the answers); answers are posted by position in
that order and mapped back before grading, which only ever sees the check's own indices. And after
FAILURES_BEFORE_PAUSE failures in a row the learner waits FIRST_PAUSE, doubled at each further
failure in a row up to MAX_PAUSE, counted from the stored attempts under the enrolment lock, so
neither a new session nor parallel requests get around it.
"""

from __future__ import annotations

import math
import random
import secrets
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments.checks.models import KnowledgeCheckAttempt
from assessments.checks.selectors import FAILURES_BEFORE_PAUSE, FIRST_PAUSE, MAX_PAUSE, recent_attempts

#: Two failures further apart than this are not « in a row »: longer than MAX_PAUSE, so waiting a
#: pause out never starts the count afresh, while a learner who comes back days later does.
FAILURE_WINDOW = MAX_PAUSE + timedelta(hours=1)
#: Up to this wait the learner is told « dans … »; beyond it, the clock time (« demain à 9 h 15 »).
WAIT_TOLD_AS_DELAY = timedelta(hours=3)
#: What to review for a missed question whose author gave no hint.
GENERIC_REVIEW = "Relisez la leçon."
SEED_SESSION_KEY = "assessments:attempt-seed:{lesson_id}"


class TamperedAnswers(ValidationError):
    """The submitted answers do not match the questions shown (crafted or stale form)."""


def learner_timezone(*, enrolment) -> tzinfo:
    """The time zone of the learner's region (La Réunion, Guyane… are not on Paris time), else the
    site's (Europe/Paris)."""
    try:
        return zoneinfo.ZoneInfo(enrolment.cohort.region.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.get_default_timezone()


def retry_when(*, retry_at: datetime, now: datetime, tz: tzinfo) -> str:
    """When the learner may try again, in French: « dans 15 minutes », « dans 1 h 30 », or past
    WAIT_TOLD_AS_DELAY the time in `tz` (« aujourd'hui à 18 h 05 », « demain à 9 h 15 »; the pause
    is at most MAX_PAUSE, so never later than tomorrow). Rounded up to the minute, never early."""
    minutes = max(1, math.ceil((retry_at - now).total_seconds() / 60))
    if timedelta(minutes=minutes) <= WAIT_TOLD_AS_DELAY:
        hours, rest = divmod(minutes, 60)
        if not hours:
            return f"dans {minutes} minute{'s' if minutes > 1 else ''}"
        if not rest:
            return f"dans {hours} heure{'s' if hours > 1 else ''}"
        return f"dans {hours} h {rest:02d}"
    at = retry_at.astimezone(tz)
    if at.second or at.microsecond:
        at = at.replace(second=0, microsecond=0) + timedelta(minutes=1)
    day = "aujourd'hui" if at.date() == now.astimezone(tz).date() else "demain"
    return f"{day} à {at.hour} h {at.minute:02d}"


class AttemptPaused(ValidationError):
    """Too many failed attempts in a row: no new attempt before `retry_at`."""

    def __init__(self, *, retry_at: datetime, now: datetime, tz: tzinfo):
        super().__init__(
            "Vous avez échoué plusieurs fois de suite à ce quiz : prenez le temps de revoir la leçon "
            "et les points indiqués. Vous pourrez réessayer "
            f"{retry_when(retry_at=retry_at, now=now, tz=tz)}."
        )
        self.retry_at = retry_at


def attempt_seed_new() -> str:
    """A fresh random seed: the order of one attempt."""
    return secrets.token_urlsafe(16)


def knowledge_check_order(*, check, seed: str | None) -> list[tuple[int, list[int]]]:
    """The order one attempt shows: (question index, [choice indices]) in display order. The same
    seed always gives the same order; no seed gives the check's own order."""
    questions = list(check["questions"])
    rng = random.Random(seed) if seed else None  # a shuffle, not a secret: the page shows it anyway
    question_indices = list(range(len(questions)))
    if rng:
        rng.shuffle(question_indices)
    order = []
    for q_index in question_indices:
        choice_indices = list(range(len(questions[q_index]["choices"])))
        if rng:
            rng.shuffle(choice_indices)
        order.append((q_index, choice_indices))
    return order


def knowledge_check_layout(*, check, seed: str | None) -> list[dict]:
    """The questions and choices as one attempt shows them, each with its display position (the
    value posted) and its text."""
    questions = list(check["questions"])
    return [
        {
            "position": position,
            "question": questions[q_index],
            "choices": [
                {"position": c_position, "text": questions[q_index]["choices"][c_index]["text"]}
                for c_position, c_index in enumerate(choice_indices)
            ],
        }
        for position, (q_index, choice_indices) in enumerate(knowledge_check_order(check=check, seed=seed))
    ]


def pause_after(*, failures_in_a_row: int) -> timedelta | None:
    """The pause after that many failures in a row: none below FAILURES_BEFORE_PAUSE, then
    FIRST_PAUSE doubled at each further failure, at most MAX_PAUSE."""
    if failures_in_a_row < FAILURES_BEFORE_PAUSE:
        return None
    return min(FIRST_PAUSE * 2 ** (failures_in_a_row - FAILURES_BEFORE_PAUSE), MAX_PAUSE)


def retry_at_after(*, recent_attempts, now: datetime) -> datetime | None:
    """When the learner may try again given their latest attempts at a check (newest first, as
    selectors.recent_attempts reads them), or None when they may now. The failures in a row are the
    latest attempts back to a passed one or to a gap longer than FAILURE_WINDOW; the pause
    (pause_after) runs from the latest. Reading more attempts than ATTEMPTS_FOR_PAUSE could not
    lengthen it: the pause is at its maximum from there."""
    latest = list(recent_attempts)
    in_a_row = 0
    for newer, attempt in zip([None, *latest], latest, strict=False):
        if attempt.passed or (newer is not None and newer.created_at - attempt.created_at > FAILURE_WINDOW):
            break
        in_a_row += 1
    pause = pause_after(failures_in_a_row=in_a_row)
    if pause is None:
        return None
    retry_at = latest[0].created_at + pause
    return retry_at if retry_at > now else None


def knowledge_check_retry_at(*, enrolment, lesson, now: datetime | None = None) -> datetime | None:
    """When the learner may try this check again, or None when they may now (retry_at_after)."""
    now = now or timezone.now()
    return retry_at_after(recent_attempts=recent_attempts(enrolment=enrolment, lesson=lesson), now=now)


@dataclass(frozen=True)
class Grade:
    score: int
    passed: bool
    wrong_questions: list[int]


def knowledge_check_parse(*, check, data, seed: str | None = None) -> dict[int, list[int]]:
    """Read answers posted as `q<position>` → choice positions from a QueryDict-like `data`, in the
    order of the attempt `seed`, and return them as the check's own question → choice indices.

    Raises TamperedAnswers for unknown questions or choices and ValidationError (with the
    answers read so far kept on `.answers`, by position) when a question has no answer."""
    order = knowledge_check_order(check=check, seed=seed)
    positions = _answers_by_position(order=order, data=data)
    return {order[q][0]: sorted(order[q][1][c] for c in picked) for q, picked in positions.items()}


def _answers_by_position(*, order: list[tuple[int, list[int]]], data) -> dict[int, list[int]]:
    """The answers of `data` as posted: question position → choice positions, checked against the
    questions and choices shown at those positions (see knowledge_check_parse)."""
    questions = [{"choices": choices} for _, choices in order]
    answers: dict[int, list[int]] = {}
    for key in data:
        if not key.startswith("q"):
            continue
        try:
            q_index = int(key[1:])
        except ValueError as exc:
            raise TamperedAnswers("Les réponses envoyées ne correspondent pas au quiz.") from exc
        if not 0 <= q_index < len(questions):
            raise TamperedAnswers("Les réponses envoyées ne correspondent pas au quiz.")
        values = data.getlist(key) if hasattr(data, "getlist") else list(data[key])
        if len(values) > len(questions[q_index]["choices"]):
            raise TamperedAnswers("Les réponses envoyées ne correspondent pas au quiz.")
        picked = []
        for value in values:
            try:
                c_index = int(value)
            except (TypeError, ValueError) as exc:
                raise TamperedAnswers("Les réponses envoyées ne correspondent pas au quiz.") from exc
            if not 0 <= c_index < len(questions[q_index]["choices"]) or c_index in picked:
                raise TamperedAnswers("Les réponses envoyées ne correspondent pas au quiz.")
            picked.append(c_index)
        answers[q_index] = sorted(picked)
    missing = [i + 1 for i in range(len(questions)) if not answers.get(i)]
    if missing:
        error = ValidationError(
            "Répondez à toutes les questions avant de valider (question"
            f"{'s' if len(missing) > 1 else ''} {', '.join(map(str, missing))})."
        )
        error.answers = answers
        raise error
    return answers


def knowledge_check_grade(*, check, answers: dict[int, list[int]]) -> Grade:
    """A question is right when exactly its correct choices are picked; the check is passed when
    the share of right questions reaches the pass mark."""
    questions = list(check["questions"])
    wrong = []
    for index, question in enumerate(questions):
        correct = sorted(i for i, choice in enumerate(question["choices"]) if choice["correct"])
        if answers.get(index, []) != correct:
            wrong.append(index)
    score = round(100 * (len(questions) - len(wrong)) / len(questions)) if questions else 0
    return Grade(score=score, passed=score >= check["pass_mark"], wrong_questions=wrong)


def attempt_record(
    *, enrolment, lesson, data, seed: str | None = None, now: datetime | None = None
) -> KnowledgeCheckAttempt:
    """Grade a submission shown in the order of `seed` and keep the attempt. Refused with
    AttemptPaused, nothing stored, during a pause after repeated failures; with TamperedAnswers
    when the form was not the one of this attempt. The caller holds the enrolment's lock
    (courses.learning.services.knowledge_check_submit), so two submissions at once cannot both
    slip in before a pause."""
    check = lesson.knowledge_check
    if check is None:
        raise ValidationError("Cette leçon n'a pas de quiz.")
    now = now or timezone.now()
    retry_at = knowledge_check_retry_at(enrolment=enrolment, lesson=lesson, now=now)
    if retry_at is not None:
        raise AttemptPaused(retry_at=retry_at, now=now, tz=learner_timezone(enrolment=enrolment))
    if seed is not None and data.get("attempt") != seed:
        raise TamperedAnswers(
            "Ce quiz a été renouvelé depuis l'ouverture de la page (autre onglet ou tentative déjà "
            "envoyée) : vos réponses n'ont pas été enregistrées. Répondez de nouveau ci-dessous."
        )
    answers = knowledge_check_parse(check=check, data=data, seed=seed)
    grade = knowledge_check_grade(check=check, answers=answers)
    return KnowledgeCheckAttempt.objects.create(
        enrolment=enrolment,
        lesson=lesson,
        answers={str(k): v for k, v in answers.items()},
        score=grade.score,
        passed=grade.passed,
        wrong_questions=grade.wrong_questions,
        created_at=now,
    )


def knowledge_check_retry_when(*, recent_attempts, tz: tzinfo, now: datetime | None = None) -> str | None:
    """When the learner may try again, in French (retry_when), or None when they may now; from
    their latest attempts (recent_attempts), which the lesson page has already read."""
    now = now or timezone.now()
    retry_at = retry_at_after(recent_attempts=recent_attempts, now=now)
    return retry_when(retry_at=retry_at, now=now, tz=tz) if retry_at else None


def review_topics(*, check, wrong_questions) -> list[str]:
    """What a learner should review after a failed attempt, told without telling which questions
    were wrong: the review hints of the missed questions, each once, sorted alphabetically (not in
    question order), then GENERIC_REVIEW once if a missed question has no hint. A question index
    that the check no longer has (edited since) counts as a question without a hint."""
    questions = list(check["questions"])
    hints = [
        (questions[index].get("review_hint") or "").strip() if 0 <= index < len(questions) else ""
        for index in wrong_questions
    ]
    topics = sorted({hint for hint in hints if hint}, key=lambda hint: (hint.casefold(), hint))
    return topics + [GENERIC_REVIEW] if "" in hints else topics
