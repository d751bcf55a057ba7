"""The soutenance's services and its transitions: booking (one slot per learner, one learner per
slot, the change deadline), the tutor who may not preside, grading after the conflict declaration
by jury members only, the PV signed by the president only, never changed, corrected by a linked PV."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.memoire.enums import MemoireState
from assessments.memoire.flows import ALREADY_BOOKED, NOT_RELEASED, PRESIDENT_ONLY, PV_ALREADY_SIGNED
from assessments.memoire.models import Memoire, MemoireEvent
from assessments.rubrics.models import MarkingScheme
from assessments.soutenance import notices, selectors, services
from assessments.soutenance.models import Booking, ProcesVerbal, SignedPvError
from assessments.soutenance.rules import SLOT_TAKEN
from tests.assessments.memoire.factories import memoire_at
from tests.assessments.rubrics.factories import scores_all
from tests.assessments.soutenance.factories import (
    graded,
    jury_of,
    memoire_released,
    oral_scheme,
    signature_png,
    slot_of,
)
from tests.factories import CohortFactory, EnrolmentFactory, RegionFactory, TrainerFactory

pytestmark = pytest.mark.django_db
S = MemoireState


@pytest.fixture
def world(programme, cohort, enrolment, pedagogical):
    oral_scheme(programme)
    president, member = TrainerFactory(), TrainerFactory()
    jury = jury_of(cohort, president=president, members=[member], team=pedagogical)
    return {
        "memoire": memoire_released(enrolment, 13, team=pedagogical),
        "jury": jury,
        "president": president,
        "member": member,
        "slots": [slot_of(jury, days=10 + n, team=pedagogical) for n in range(3)],
        "learner": enrolment.user,
        "team": pedagogical,
    }


def _booked(world):
    services.soutenance_book(memoire=world["memoire"], slot=world["slots"][0], by=world["learner"])
    world["memoire"].refresh_from_db()
    return world["memoire"]


def _events(memoire, name):
    return MemoireEvent.objects.filter(memoire=memoire, transition=name).count()


def test_booking_moves_the_memoire_to_booked_and_logs_it(world):
    """Booking a slot makes the mémoire « soutenance programmée » with one active booking and an event."""
    memoire = _booked(world)
    assert memoire.state == S.SOUTENANCE_BOOKED
    assert Booking.objects.active().get().slot == world["slots"][0]
    assert _events(memoire, "book") == 1


def test_booking_before_the_written_mark_is_released_is_refused(enrolment, cohort, programme, pedagogical):
    """A mémoire whose mark is not released cannot book; nothing is written."""
    oral_scheme(programme)
    memoire = memoire_at(enrolment, S.FINAL_SUBMITTED, team=pedagogical)
    slot = slot_of(jury_of(cohort, team=pedagogical), team=pedagogical)
    with pytest.raises(ValidationError) as error:
        services.soutenance_book(memoire=memoire, slot=slot, by=enrolment.user)
    assert error.value.messages == [NOT_RELEASED]
    assert not Booking.objects.exists()


def test_one_learner_cannot_book_two_slots(world):
    """A second booking by the same learner is refused: one active booking per mémoire."""
    memoire = _booked(world)
    with pytest.raises(ValidationError) as error:
        services.soutenance_book(memoire=memoire, slot=world["slots"][1], by=world["learner"])
    assert error.value.messages == [ALREADY_BOOKED]
    assert Booking.objects.active().count() == 1


def test_a_booked_slot_is_refused_to_another_learner(world, cohort, pedagogical):
    """Another learner choosing a booked slot hears it is taken, and their mémoire stays released."""
    _booked(world)
    other = memoire_released(EnrolmentFactory(cohort=cohort), 12, team=pedagogical)
    with pytest.raises(ValidationError) as error:
        services.soutenance_book(memoire=other, slot=world["slots"][0], by=other.enrolment.user)
    assert error.value.messages == [SLOT_TAKEN]
    other.refresh_from_db()
    assert other.state == S.RELEASED
    assert _events(other, "book") == 0


def test_the_database_holds_one_active_booking_per_slot_and_per_memoire(world, cohort, pedagogical):
    """The unique constraints refuse a second active booking of a slot, or of a mémoire."""
    _booked(world)
    other = memoire_released(EnrolmentFactory(cohort=cohort), 12, team=pedagogical)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(slot=world["slots"][0], memoire=other)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(slot=world["slots"][1], memoire=world["memoire"])


def test_the_slot_taken_in_the_race_window_gives_the_clear_message(world, cohort, pedagogical, monkeypatch):
    """When the check passes but the insert hits the constraint, the learner reads the French message and
    the transition is rolled back."""
    _booked(world)
    other = memoire_released(EnrolmentFactory(cohort=cohort), 12, team=pedagogical)
    monkeypatch.setattr("assessments.soutenance.rules._slot_refusal", lambda memoire, slot, now: None)
    with pytest.raises(ValidationError) as error:
        services.soutenance_book(memoire=other, slot=world["slots"][0], by=other.enrolment.user)
    assert error.value.messages == [SLOT_TAKEN]
    other.refresh_from_db()
    assert other.state == S.RELEASED and _events(other, "book") == 0


def test_rebooking_before_the_deadline_cancels_the_old_booking(world):
    """A change cancels the old booking and creates the new one; the state stays booked."""
    memoire = _booked(world)
    services.soutenance_rebook(memoire=memoire, slot=world["slots"][1], by=world["learner"])
    memoire.refresh_from_db()
    assert memoire.state == S.SOUTENANCE_BOOKED
    assert Booking.objects.active().get().slot == world["slots"][1]
    assert Booking.objects.filter(cancelled_at__isnull=False).get().slot == world["slots"][0]
    assert _events(memoire, "rebook") == 1


def test_rebooking_after_the_deadline_is_refused(world):
    """After the current slot's change deadline, the booking no longer changes."""
    memoire = _booked(world)
    late = world["slots"][0].change_deadline + datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError) as error:
        services.soutenance_rebook(memoire=memoire, slot=world["slots"][1], by=world["learner"], now=late)
    assert "la date limite" in error.value.messages[0]
    assert Booking.objects.active().get().slot == world["slots"][0]


def test_booking_a_slot_after_its_deadline_or_of_another_cohort_is_refused(world, programme, pedagogical):
    """A slot past its booking deadline, or a slot of another cohort's jury, cannot be booked."""
    late = world["slots"][0].change_deadline + datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError) as error:
        services.soutenance_book(
            memoire=world["memoire"], slot=world["slots"][0], by=world["learner"], now=late
        )
    assert "date limite de réservation est passée" in error.value.messages[0]
    elsewhere = CohortFactory(programme=programme, region=RegionFactory(name="Grand Est", slug="grand-est"))
    foreign = slot_of(jury_of(elsewhere, team=pedagogical), team=pedagogical)
    with pytest.raises(ValidationError) as error:
        services.soutenance_book(memoire=world["memoire"], slot=foreign, by=world["learner"])
    assert error.value.messages == ["Ce créneau n'est pas ouvert à votre promotion."]


def test_only_the_learner_books(world):
    """The team or a trainer cannot book in the learner's place."""
    with pytest.raises(PermissionDenied):
        services.soutenance_book(memoire=world["memoire"], slot=world["slots"][0], by=world["team"])


def test_the_tutor_may_not_preside_unless_the_scheme_allows_it(programme, cohort, pedagogical):
    """A slot whose president is the mémoire's tutor is refused, unless tutor_may_preside."""
    oral_scheme(programme)
    tutor = TrainerFactory()
    memoire = memoire_released(EnrolmentFactory(cohort=cohort), 12, tutor=tutor, team=pedagogical)
    slot = slot_of(jury_of(cohort, president=tutor, team=pedagogical), team=pedagogical)
    with pytest.raises(ValidationError) as error:
        services.soutenance_book(memoire=memoire, slot=slot, by=memoire.enrolment.user)
    assert "tuteur ou la tutrice de votre mémoire" in error.value.messages[0]
    MarkingScheme.objects.filter(programme=programme).update(tutor_may_preside=True)
    services.soutenance_book(memoire=memoire, slot=slot, by=memoire.enrolment.user)
    assert Booking.objects.active().count() == 1


def test_a_jury_needs_a_president_and_another_trainer(cohort, pedagogical, learner):
    """A jury without another member, or with a non-trainer, is refused with the field's message."""
    president = TrainerFactory()
    with pytest.raises(ValidationError) as error:
        services.jury_save(
            cohort=cohort, name="Jury", president=president, members=[president], by=pedagogical
        )
    assert "au moins un membre" in error.value.message_dict["members"][0]
    with pytest.raises(ValidationError) as error:
        services.jury_save(cohort=cohort, name="Jury", president=president, members=[learner], by=pedagogical)
    assert error.value.message_dict["members"] == ["Seuls des formateur·rices siègent dans un jury."]
    with pytest.raises(PermissionDenied):
        services.jury_save(
            cohort=cohort, name="Jury", president=president, members=[TrainerFactory()], by=president
        )


def test_a_jury_with_a_booking_keeps_its_composition(world):
    """Once a soutenance is booked, the jury's composition and the booked slot no longer change."""
    _booked(world)
    with pytest.raises(ValidationError) as error:
        services.jury_save(
            jury=world["jury"],
            cohort=world["jury"].cohort,
            name="Autre",
            president=world["member"],
            members=[world["president"]],
            by=world["team"],
        )
    assert error.value.messages == [services.HAS_BOOKINGS]
    slot = world["slots"][0]
    with pytest.raises(ValidationError):
        services.slot_save(
            slot=slot,
            jury=world["jury"],
            starts_at=slot.starts_at,
            duration_minutes=60,
            place="Ailleurs",
            video_link="",
            change_deadline=slot.change_deadline,
            by=world["team"],
        )


def test_slot_times_are_read_in_the_region_time_zone(programme, pedagogical):
    """14:00 typed for a cohort of La Réunion (UTC+4) is stored as 10:00 UTC."""
    reunion = RegionFactory(name="La Réunion", slug="reunion", timezone="Indian/Reunion")
    jury = jury_of(CohortFactory(programme=programme, region=reunion), team=pedagogical)
    day = timezone.now().date() + datetime.timedelta(days=30)
    slot = services.slot_save(
        jury=jury,
        starts_at=datetime.datetime.combine(day, datetime.time(14, 0)),
        duration_minutes=45,
        place="",
        video_link="https://visio.example.org/soutenance",
        change_deadline=datetime.datetime.combine(day - datetime.timedelta(days=2), datetime.time(18, 0)),
        by=pedagogical,
    )
    assert slot.starts_at == datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=datetime.UTC)


def test_a_slot_in_the_past_or_without_place_is_refused(world):
    """A past start, a deadline after the start and a slot without place nor link are refused by field."""
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        services.slot_save(
            jury=world["jury"],
            starts_at=now - datetime.timedelta(days=1),
            duration_minutes=45,
            place="",
            video_link="",
            change_deadline=now,
            by=world["team"],
        )
    assert set(error.value.message_dict) == {"starts_at", "change_deadline", "place"}


def test_grading_before_the_conflict_declaration_is_refused(world):
    """A jury member grades only after declaring no conflict of interest."""
    memoire = _booked(world)
    oral = MarkingScheme.objects.get().oral_rubric
    with pytest.raises(ValidationError) as error:
        services.oral_grid_save(memoire=memoire, by=world["member"], scores=scores_all(oral, 12), submit=True)
    assert "conflit d'intérêts" in error.value.messages[0]
    services.conflict_declare(memoire=memoire, by=world["member"], confirmed=True)
    grid = services.oral_grid_save(
        memoire=memoire, by=world["member"], scores=scores_all(oral, 12), submit=True
    )
    assert grid.mark == Decimal(12) and grid.submitted_at is not None
    assert _events(memoire, "declare_no_conflict") == 1 and _events(memoire, "submit_oral_grid") == 1


def test_the_declaration_needs_the_box_ticked_and_is_made_once(world):
    """Without the box ticked the declaration is refused by field; a second one is refused."""
    memoire = _booked(world)
    with pytest.raises(ValidationError) as error:
        services.conflict_declare(memoire=memoire, by=world["member"], confirmed=False)
    assert "confirmed" in error.value.message_dict
    services.conflict_declare(memoire=memoire, by=world["member"], confirmed=True)
    with pytest.raises(ValidationError):
        services.conflict_declare(memoire=memoire, by=world["member"], confirmed=True)


def test_a_trainer_off_the_jury_cannot_grade(world):
    """Another trainer, even the tutor, is refused the grid of a soutenance they do not hear."""
    memoire = _booked(world)
    oral = MarkingScheme.objects.get().oral_rubric
    outsider = TrainerFactory()
    with pytest.raises(PermissionDenied):
        services.conflict_declare(memoire=memoire, by=outsider, confirmed=True)
    with pytest.raises(PermissionDenied):
        services.oral_grid_save(memoire=memoire, by=outsider, scores=scores_all(oral, 12), submit=True)


def test_a_submitted_oral_grid_is_sealed(world):
    """A member's second submission is refused."""
    memoire = graded(_booked(world), world["jury"], 14)
    oral = MarkingScheme.objects.get().oral_rubric
    with pytest.raises(ValidationError):
        services.oral_grid_save(memoire=memoire, by=world["member"], scores=scores_all(oral, 18), submit=True)


def test_oral_and_final_marks_follow_the_scheme(world):
    """Oral = average of the members' grids, rounded; final = written 60 / oral 40, rounded."""
    memoire = _booked(world)
    oral = MarkingScheme.objects.get().oral_rubric
    for trainer, score in ((world["president"], 15), (world["member"], 12)):
        services.conflict_declare(memoire=memoire, by=trainer, confirmed=True)
        services.oral_grid_save(memoire=memoire, by=trainer, scores=scores_all(oral, score), submit=True)
    marks = selectors.soutenance_marks(memoire=memoire)
    assert marks.oral == Decimal("13.5")
    assert marks.final == Decimal("13") and (marks.written_weight, marks.oral_weight) == (60, 40)


def test_only_the_president_signs_and_only_once_every_member_graded(world):
    """A member is refused signing; the president is refused until each member has graded."""
    memoire = _booked(world)
    with pytest.raises(ValidationError) as error:
        services.pv_sign(
            memoire=memoire, by=world["president"], result="admitted", signature_png=signature_png()
        )
    assert "Chaque membre du jury" in error.value.messages[0]
    graded(memoire, world["jury"])
    with pytest.raises(PermissionDenied) as denied:
        services.pv_sign(
            memoire=memoire, by=world["member"], result="admitted", signature_png=signature_png()
        )
    assert str(denied.value) == PRESIDENT_ONLY
    assert not ProcesVerbal.objects.exists()


def test_an_adjournment_needs_corrections_and_a_new_deadline(world):
    """Adjourning without corrections nor deadline is refused by field; nothing is written."""
    memoire = graded(_booked(world), world["jury"])
    with pytest.raises(ValidationError) as error:
        services.pv_sign(
            memoire=memoire, by=world["president"], result="adjourned", signature_png=signature_png()
        )
    assert set(error.value.message_dict) == {"corrections", "new_deadline"}
    memoire.refresh_from_db()
    assert memoire.state == S.SOUTENANCE_BOOKED and not ProcesVerbal.objects.exists()


def test_signing_without_a_signature_writes_nothing(world):
    """An empty signature is refused and the mémoire stays booked."""
    memoire = graded(_booked(world), world["jury"])
    with pytest.raises(ValidationError):
        services.pv_sign(memoire=memoire, by=world["president"], result="admitted", signature_png=b"")
    memoire.refresh_from_db()
    assert memoire.state == S.SOUTENANCE_BOOKED and not ProcesVerbal.objects.exists()


def _signed(world, result="admitted", **extra):
    memoire = graded(_booked(world), world["jury"])
    return services.pv_sign(
        memoire=memoire, by=world["president"], result=result, signature_png=signature_png(), **extra
    )


def test_signing_admits_and_stores_the_pdf(world):
    """The signed PV moves the mémoire to « admis·e » and keeps its PDF bytes."""
    pv = _signed(world)
    assert Memoire.objects.get().state == S.ADMITTED
    assert bytes(pv.pdf).startswith(b"%PDF") and pv.final_mark == Decimal("13.5")
    assert "Président·e" in pv.jury_text


def test_signing_an_adjournment(world):
    """An adjourned PV keeps the corrections and the new deadline."""
    deadline = timezone.localdate() + datetime.timedelta(days=60)
    pv = _signed(world, result="adjourned", corrections="Reprendre la partie 3.", new_deadline=deadline)
    assert Memoire.objects.get().state == S.ADJOURNED
    assert (pv.corrections, pv.new_deadline) == ("Reprendre la partie 3.", deadline)


def test_a_signed_pv_never_changes(world):
    """Saving, updating or deleting a signed PV is refused; signing again too."""
    pv = _signed(world)
    pv.result = "adjourned"
    with pytest.raises(SignedPvError):
        pv.save()
    with pytest.raises(SignedPvError):
        ProcesVerbal.objects.filter(pk=pv.pk).update(result="adjourned")
    with pytest.raises(SignedPvError):
        pv.delete()
    with pytest.raises(ValidationError) as error:
        services.pv_sign(
            memoire=pv.memoire, by=world["president"], result="admitted", signature_png=signature_png()
        )
    assert error.value.messages == [PV_ALREADY_SIGNED]
    assert ProcesVerbal.objects.get().result == "admitted"


def test_a_correction_is_a_new_pv_linked_to_the_old_one(world):
    """A correction supersedes the signed PV, which stays as it was; the outcome reads the new one."""
    first = _signed(world)
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    with pytest.raises(ValidationError) as error:
        services.pv_correct(
            memoire=first.memoire,
            by=world["president"],
            result="adjourned",
            corrections="Annexe manquante.",
            new_deadline=deadline,
            correction_reason="",
            signature_png=signature_png(),
        )
    assert "correction_reason" in error.value.message_dict
    second = services.pv_correct(
        memoire=first.memoire,
        by=world["president"],
        result="adjourned",
        corrections="Annexe manquante.",
        new_deadline=deadline,
        correction_reason="Erreur de saisie du résultat.",
        signature_png=signature_png(),
    )
    assert second.supersedes == first
    assert ProcesVerbal.objects.get(pk=first.pk).result == "admitted"
    assert Memoire.objects.get().state == S.ADJOURNED
    outcome = selectors.memoire_outcome_for(enrolment=first.memoire.enrolment)
    assert outcome.pv_id == second.pk and not outcome.soutenance_passed and outcome.memoire_passed


def test_outcome_of_a_failed_written_mark(programme, cohort, pedagogical):
    """A released written mark under the pass mark: the mémoire is not passed."""
    enrolment = EnrolmentFactory(cohort=cohort)
    memoire_released(enrolment, 8, team=pedagogical)
    outcome = selectors.memoire_outcome_for(enrolment=enrolment)
    assert outcome.written_mark == Decimal(8) and not outcome.memoire_passed and outcome.pv_id is None


@pytest.mark.parametrize("size", [2, 8])
def test_cohort_outcomes_in_a_fixed_number_of_queries(
    world, cohort, pedagogical, size, django_assert_num_queries
):
    """The cohort's outcomes take four queries whatever the number of learners."""
    _signed(world)
    for n in range(size):
        memoire_released(EnrolmentFactory(cohort=cohort), 9 + n, team=pedagogical)
    with django_assert_num_queries(4):
        outcomes = selectors.memoire_outcomes_for_cohort(cohort=cohort)
    assert len(outcomes) == size + 1
    signed = outcomes[world["memoire"].enrolment_id]
    assert signed.soutenance_passed and signed.memoire_passed and signed.final_mark == Decimal("13.5")


def test_booking_emails_an_invitation_with_its_ics_to_learner_and_jury_once(
    world, django_capture_on_commit_callbacks
):
    """Booking sends each person one email with the .ics; running the task again sends nothing."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.soutenance_book(
            memoire=world["memoire"], slot=world["slots"][0], by=world["learner"]
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world["learner"].email, world["president"].email, world["member"].email]
    )
    name, content, mimetype = mail.outbox[0].attachments[0]
    assert (name, mimetype) == ("soutenance.ics", "text/calendar")
    assert "BEGIN:VEVENT" in content and f"UID:soutenance-{world['memoire'].pk}@" in content
    assert notices.invitations_send(booking_id=booking.pk, now=timezone.now()) == 0
    assert len(mail.outbox) == 3


def test_the_reminder_goes_out_the_day_before_once(world):
    """A soutenance of tomorrow (region's date) is reminded once; a replay sends nothing."""
    booking = services.soutenance_book(memoire=world["memoire"], slot=world["slots"][0], by=world["learner"])
    now = world["slots"][0].starts_at - datetime.timedelta(hours=24)
    assert notices.bookings_due_for_reminder(now=now - datetime.timedelta(days=2)) == []
    assert notices.bookings_due_for_reminder(now=now) == [booking.pk]
    mail.outbox.clear()
    assert notices.reminder_send(booking_id=booking.pk, now=now) == 3
    assert "demain" in mail.outbox[0].subject
    assert notices.reminder_send(booking_id=booking.pk, now=now) == 0
    assert notices.bookings_due_for_reminder(now=now) == []
