from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from courses.enums import HoursSource, Modality
from courses.hours import selectors as hours_selectors
from courses.hours import services as hours_services
from courses.hours.models import AppendOnlyError, HoursEntry
from courses.learning import services as learning_services
from courses.learning.models import LessonCompletion
from tests.factories import build_programme, lessons_of, modules_of


def test_completion_credits_nominal_duration_as_elearning(enrolment, modules):
    """Completing a lesson credits its nominal duration as e-learning hours on its module."""
    lesson = lessons_of(modules[0])[0]
    assert learning_services.lesson_complete(enrolment=enrolment, lesson=lesson) is True
    entry = HoursEntry.objects.get(enrolment=enrolment)
    assert (entry.modality, entry.source, entry.module_id, entry.hours) == (
        Modality.ELEARNING,
        HoursSource.LESSON,
        modules[0].pk,
        Decimal("2.50"),
    )
    assert entry.recorded_by == enrolment.user


def test_replayed_completion_is_credited_once(enrolment, modules):
    """Completing the same lesson twice credits it once and says so."""
    lesson = lessons_of(modules[0])[0]
    learning_services.lesson_complete(enrolment=enrolment, lesson=lesson)
    assert learning_services.lesson_complete(enrolment=enrolment, lesson=lesson) is False
    assert HoursEntry.objects.filter(enrolment=enrolment).count() == 1
    assert LessonCompletion.objects.filter(enrolment=enrolment).count() == 1


def test_database_refuses_a_second_credit_for_a_lesson(enrolment, modules):
    """Even bypassing the service, the ledger cannot hold two lesson credits for one lesson."""
    lesson = lessons_of(modules[0])[0]
    learning_services.lesson_complete(enrolment=enrolment, lesson=lesson)
    with pytest.raises(IntegrityError), transaction.atomic():
        HoursEntry.objects.create(
            enrolment=enrolment,
            modality=Modality.ELEARNING,
            source=HoursSource.LESSON,
            module=modules[0],
            lesson=lesson,
            hours=1,
            occurred_on="2026-11-01",
            recorded_by=enrolment.user,
        )


def test_lesson_with_check_needs_a_passed_check(enrolment, modules):
    """« J'ai terminé » is refused on a lesson that ends with a knowledge check."""
    lesson = lessons_of(modules[0])[1]
    with pytest.raises(ValidationError) as excinfo:
        learning_services.lesson_complete(enrolment=enrolment, lesson=lesson)
    assert "quiz" in excinfo.value.messages[0]
    assert not HoursEntry.objects.exists()


def test_lesson_of_unchosen_option_is_refused(enrolment_with_options, modules):
    """A lesson of an optional module the learner did not choose cannot be completed."""
    lesson = lessons_of(modules[4])[0]
    with pytest.raises(ValidationError) as excinfo:
        learning_services.lesson_complete(enrolment=enrolment_with_options, lesson=lesson)
    assert "Vous ne suivez pas le module « Méthodologie de projet »" in excinfo.value.messages[0]
    assert not HoursEntry.objects.exists()


def test_lesson_of_another_programme_is_refused(enrolment):
    """A lesson from another programme cannot be completed in this enrolment."""
    other_lesson = lessons_of(modules_of(build_programme())[0])[0]
    with pytest.raises(ValidationError) as excinfo:
        learning_services.lesson_complete(enrolment=enrolment, lesson=other_lesson)
    assert "n'appartient pas au programme" in excinfo.value.messages[0]


def test_ledger_entries_cannot_be_edited_or_deleted(enrolment, modules):
    """Ledger lines are append-only: save on an existing row, delete and bulk update all fail."""
    learning_services.lesson_complete(enrolment=enrolment, lesson=lessons_of(modules[0])[0])
    entry = HoursEntry.objects.get()
    entry.hours = Decimal(10)
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        HoursEntry.objects.update(hours=1)
    with pytest.raises(AppendOnlyError):
        HoursEntry.objects.all().delete()
    assert HoursEntry.objects.get().hours == Decimal("2.50")


def test_correction_is_a_new_entry_that_adjusts_the_total(enrolment, modules, pedagogical):
    """A correction adds a signed entry with who and why; the original stays unchanged."""
    learning_services.lesson_complete(enrolment=enrolment, lesson=lessons_of(modules[0])[0])
    original = HoursEntry.objects.get()
    correction = hours_services.hours_entry_correct(
        entry=original,
        hours=Decimal("-1"),
        reason="Durée nominale mal saisie",
        by=pedagogical,
    )
    assert correction.corrects == original and correction.recorded_by == pedagogical
    assert hours_selectors.hours_totals(enrolment=enrolment)[Modality.ELEARNING] == Decimal("1.50")
    assert HoursEntry.objects.get(pk=original.pk).hours == Decimal("2.50")


@pytest.mark.parametrize(
    ("hours", "reason", "message"),
    [("1", "", "motif"), ("0", "Erreur", "0 h"), ("-3", "Erreur", "négatif")],
)
def test_bad_corrections_are_refused(enrolment, modules, pedagogical, hours, reason, message):
    """A correction without reason, of zero, or driving the line negative is refused."""
    learning_services.lesson_complete(enrolment=enrolment, lesson=lessons_of(modules[0])[0])
    with pytest.raises(ValidationError) as excinfo:
        hours_services.hours_entry_correct(
            entry=HoursEntry.objects.get(),
            hours=Decimal(hours),
            reason=reason,
            by=pedagogical,
        )
    assert message in excinfo.value.messages[0]
    assert HoursEntry.objects.count() == 1


@pytest.mark.parametrize("who", ["other_ars_staff", "learner", "trainer"])
def test_correction_by_someone_not_managing_the_enrolment_is_refused(request, enrolment, modules, who):
    """Only a manager of the learner's cohort may correct: others get a French refusal, nothing written."""
    learning_services.lesson_complete(enrolment=enrolment, lesson=lessons_of(modules[0])[0])
    with pytest.raises(PermissionDenied) as excinfo:
        hours_services.hours_entry_correct(
            entry=HoursEntry.objects.get(),
            hours=Decimal("-1"),
            reason="Erreur",
            by=request.getfixturevalue(who),
        )
    assert "vous ne pouvez pas corriger ses heures" in str(excinfo.value)
    assert HoursEntry.objects.count() == 1


def test_correction_by_the_regions_ars_staff_is_accepted(enrolment, modules, ars_staff):
    """ARS staff of the cohort's region may correct its learners' hours."""
    learning_services.lesson_complete(enrolment=enrolment, lesson=lessons_of(modules[0])[0])
    correction = hours_services.hours_entry_correct(
        entry=HoursEntry.objects.get(), hours=Decimal("-1"), reason="Erreur", by=ars_staff
    )
    assert correction.recorded_by == ars_staff


def test_correction_sums_the_stored_corrections_not_a_stale_copy(enrolment, modules, pedagogical):
    """A correction made from an entry read before another correction still cannot go below zero."""
    learning_services.lesson_complete(enrolment=enrolment, lesson=lessons_of(modules[0])[0])
    stale = HoursEntry.objects.prefetch_related("corrections").get()
    assert list(stale.corrections.all()) == []
    hours_services.hours_entry_correct(
        entry=HoursEntry.objects.get(), hours=Decimal("-2"), reason="Première correction", by=pedagogical
    )
    with pytest.raises(ValidationError) as excinfo:
        hours_services.hours_entry_correct(
            entry=stale, hours=Decimal("-2"), reason="Seconde correction", by=pedagogical
        )
    assert "rendrait le total de cette ligne négatif" in excinfo.value.messages[0]
    assert HoursEntry.objects.count() == 2
