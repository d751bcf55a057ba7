import pytest
from django.core.exceptions import ValidationError

from courses.cohorts import selectors as cohorts_selectors
from courses.cohorts.models import ElectiveChoice
from courses.learning import selectors as learning_selectors
from courses.learning import services as learning_services
from tests.factories import lessons_of


def test_exactly_two_options_are_recorded(enrolment, modules):
    """Choosing two optional modules records exactly those two."""
    learning_services.options_choose(enrolment=enrolment, modules=modules[4:6])
    assert cohorts_selectors.chosen_option_ids(enrolment=enrolment) == {modules[4].pk, modules[5].pk}


@pytest.mark.parametrize("count", [0, 1, 3])
def test_other_counts_are_refused_and_nothing_written(enrolment, modules, count):
    """Zero, one or three options are refused with the count, and nothing is recorded."""
    with pytest.raises(ValidationError) as excinfo:
        learning_services.options_choose(enrolment=enrolment, modules=modules[4 : 4 + count])
    assert "exactement 2" in excinfo.value.messages[0]
    assert not ElectiveChoice.objects.filter(enrolment=enrolment).exists()


def test_the_same_module_twice_counts_once(enrolment, modules):
    """A module listed twice is one choice, so the pair is refused."""
    with pytest.raises(ValidationError):
        learning_services.options_choose(enrolment=enrolment, modules=[modules[4], modules[4]])


def test_core_module_is_not_an_option(enrolment, modules):
    """A core module cannot be chosen as an option."""
    with pytest.raises(ValidationError) as excinfo:
        learning_services.options_choose(enrolment=enrolment, modules=[modules[0], modules[4]])
    assert "n'est pas un module d'approfondissement" in excinfo.value.messages[0]
    assert not ElectiveChoice.objects.exists()


def test_option_of_another_programme_is_refused(enrolment, modules):
    """An optional module of another programme is refused."""
    from tests.factories import build_programme, modules_of

    other = modules_of(build_programme())
    with pytest.raises(ValidationError):
        learning_services.options_choose(enrolment=enrolment, modules=[modules[4], other[5]])


def test_options_can_change_before_any_is_started(enrolment_with_options, modules):
    """Before starting an option, the learner may swap their choice."""
    learning_services.options_choose(enrolment=enrolment_with_options, modules=modules[4:6])
    assert cohorts_selectors.chosen_option_ids(enrolment=enrolment_with_options) == {
        modules[4].pk,
        modules[5].pk,
    }


def test_options_are_locked_once_one_is_started(enrolment_with_options, modules):
    """After completing a lesson of a chosen option, changing options is refused and kept as is."""
    lesson = lessons_of(modules[5])[0]
    learning_services.lesson_complete(enrolment=enrolment_with_options, lesson=lesson)
    with pytest.raises(ValidationError) as excinfo:
        learning_services.options_choose(enrolment=enrolment_with_options, modules=modules[4:6])
    assert "Vous avez commencé le module « Santé environnement »" in excinfo.value.messages[0]
    assert cohorts_selectors.chosen_option_ids(enrolment=enrolment_with_options) == {
        modules[5].pk,
        modules[6].pk,
    }


def test_time_spent_on_an_option_counts_as_started(enrolment_with_options, modules):
    """A heartbeat on an option's lesson is enough to lock the choice."""
    learning_services.heartbeat_record(enrolment=enrolment_with_options, lesson=lessons_of(modules[6])[0])
    with pytest.raises(ValidationError):
        learning_services.options_choose(enrolment=enrolment_with_options, modules=modules[4:6])


def test_a_submitted_quiz_on_an_option_counts_as_started(enrolment_with_options, modules):
    """A knowledge-check attempt alone (quiz sent with JavaScript off, failed) locks the choice."""
    from assessments.checks.models import KnowledgeCheckAttempt

    lesson = next(lesson for lesson in lessons_of(modules[6]) if lesson.knowledge_check is not None)
    KnowledgeCheckAttempt.objects.create(
        enrolment=enrolment_with_options, lesson=lesson, answers={}, score=0, passed=False
    )
    assert learning_selectors.started_module_ids(
        enrolment=enrolment_with_options, modules=[modules[5], modules[6]]
    ) == {modules[6].pk}
    with pytest.raises(ValidationError) as excinfo:
        learning_services.options_choose(enrolment=enrolment_with_options, modules=modules[4:6])
    assert "Vous avez commencé le module « Santé mentale »" in excinfo.value.messages[0]
    assert cohorts_selectors.chosen_option_ids(enrolment=enrolment_with_options) == {
        modules[5].pk,
        modules[6].pk,
    }


def test_core_activity_does_not_lock_options(enrolment_with_options, modules):
    """Progress in core modules leaves the options open."""
    learning_services.lesson_complete(enrolment=enrolment_with_options, lesson=lessons_of(modules[0])[0])
    learning_services.options_choose(enrolment=enrolment_with_options, modules=modules[4:6])
