import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict

from assessments.checks import services as checks_services
from assessments.checks.models import KnowledgeCheckAttempt
from courses.hours.models import HoursEntry
from courses.learning import services as learning_services
from courses.learning.models import LessonCompletion
from tests.factories import lessons_of, quiz_block

CHECK = quiz_block(pass_mark=50)["value"]


def post(**answers) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, values in answers.items():
        data.setlist(key, [str(v) for v in values])
    return data


def test_exact_correct_set_scores_full_marks():
    """Picking exactly the correct choices of every question scores 100 %."""
    grade = checks_services.knowledge_check_grade(check=CHECK, answers={0: [0], 1: [0, 1]})
    assert (grade.score, grade.passed, grade.wrong_questions) == (100, True, [])


def test_partial_multi_answer_counts_as_wrong():
    """A question with several right answers is wrong unless all are picked."""
    grade = checks_services.knowledge_check_grade(check=CHECK, answers={0: [0], 1: [0]})
    assert (grade.score, grade.passed, grade.wrong_questions) == (50, True, [1])


def test_score_under_pass_mark_fails():
    """All wrong scores 0 % and fails."""
    grade = checks_services.knowledge_check_grade(check=CHECK, answers={0: [1], 1: [2]})
    assert (grade.score, grade.passed) == (0, False)


@pytest.mark.parametrize(
    "data",
    [
        {"q7": [0], "q0": [0], "q1": [0]},
        {"q0": [5], "q1": [0]},
        {"q0": ["abc"], "q1": [0]},
        {"qx": [0], "q0": [0], "q1": [0]},
        {"q0": [0, 0], "q1": [0]},
        {"q0": [-1], "q1": [0]},
        {"q0": [0, 1, 0], "q1": [0]},
    ],
)
def test_tampered_answer_sets_are_refused(data):
    """Unknown questions, out-of-range, repeated or non-numeric choices are refused as tampered."""
    with pytest.raises(checks_services.TamperedAnswers):
        checks_services.knowledge_check_parse(check=CHECK, data=post(**data))


def test_missing_answer_is_refused_and_answers_are_kept():
    """An unanswered question is refused with its number, keeping what was ticked."""
    with pytest.raises(ValidationError) as excinfo:
        checks_services.knowledge_check_parse(check=CHECK, data=post(q0=[0]))
    assert "question 2" in excinfo.value.messages[0]
    assert excinfo.value.answers == {0: [0]}


def test_passed_check_completes_the_lesson_and_credits_hours(enrolment, modules):
    """A passed check records the attempt, completes the lesson and credits its hours."""
    lesson = lessons_of(modules[0])[1]
    attempt = learning_services.knowledge_check_submit(
        enrolment=enrolment, lesson=lesson, data=post(q0=[0], q1=[0, 1])
    )
    assert attempt.passed
    assert LessonCompletion.objects.filter(enrolment=enrolment, lesson=lesson).exists()
    assert HoursEntry.objects.get(enrolment=enrolment).lesson_id == lesson.pk


def test_failed_check_keeps_attempt_and_credits_nothing(enrolment, modules):
    """A failed check is kept with the questions to review, and credits nothing."""
    lesson = lessons_of(modules[0])[1]
    attempt = learning_services.knowledge_check_submit(
        enrolment=enrolment, lesson=lesson, data=post(q0=[1], q1=[2])
    )
    assert not attempt.passed and attempt.wrong_questions == [0, 1]
    assert not HoursEntry.objects.exists()


def test_retry_after_failure_then_pass_credits_once(enrolment, modules):
    """Failing then passing, then passing again, credits the lesson once."""
    lesson = lessons_of(modules[0])[1]
    learning_services.knowledge_check_submit(enrolment=enrolment, lesson=lesson, data=post(q0=[1], q1=[2]))
    learning_services.knowledge_check_submit(enrolment=enrolment, lesson=lesson, data=post(q0=[0], q1=[0, 1]))
    learning_services.knowledge_check_submit(enrolment=enrolment, lesson=lesson, data=post(q0=[0], q1=[0, 1]))
    assert KnowledgeCheckAttempt.objects.count() == 3
    assert HoursEntry.objects.count() == 1


def test_check_on_unfollowed_option_writes_nothing(enrolment_with_options, modules):
    """A check on an option the learner does not follow is refused before any attempt is kept."""
    lesson = lessons_of(modules[4])[1]
    with pytest.raises(ValidationError):
        learning_services.knowledge_check_submit(
            enrolment=enrolment_with_options, lesson=lesson, data=post(q0=[0], q1=[0, 1])
        )
    assert not KnowledgeCheckAttempt.objects.exists()
