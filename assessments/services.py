"""Knowledge checks: reading a submitted answer set, grading it, recording the attempt."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import KnowledgeCheckAttempt


class TamperedAnswers(ValidationError):
    """The submitted answers do not match the questions shown (crafted or stale form)."""


@dataclass(frozen=True)
class Grade:
    score: int
    passed: bool
    wrong_questions: list[int]


def knowledge_check_parse(*, check, data) -> dict[int, list[int]]:
    """Read answers posted as `q<question>` → choice indices from a QueryDict-like `data`.

    Raises TamperedAnswers for unknown questions or choices and ValidationError (with the
    answers read so far kept on `.answers`) when a question has no answer."""
    questions = list(check["questions"])
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


@transaction.atomic
def knowledge_check_submit(*, enrolment, lesson, data) -> KnowledgeCheckAttempt:
    """Grade a submission, keep the attempt, and complete the lesson when it is passed."""
    from courses import services as course_services

    check = lesson.knowledge_check
    if check is None:
        raise ValidationError("Cette leçon n'a pas de quiz.")
    # Refuse lessons the learner does not follow before anything is written.
    course_services.followed_module_or_error(enrolment, lesson)
    answers = knowledge_check_parse(check=check, data=data)
    grade = knowledge_check_grade(check=check, answers=answers)
    attempt = KnowledgeCheckAttempt.objects.create(
        enrolment=enrolment,
        lesson=lesson,
        answers={str(k): v for k, v in answers.items()},
        score=grade.score,
        passed=grade.passed,
        wrong_questions=grade.wrong_questions,
    )
    if grade.passed:
        course_services.lesson_complete(enrolment=enrolment, lesson=lesson, passed_check=True)
    return attempt
