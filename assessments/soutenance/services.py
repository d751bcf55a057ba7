"""Writes of the soutenance: juries and slots (the team), bookings and their changes (the learner),
declarations of no conflict of interest and oral grids (the jury), the signed procès-verbal and its
corrections (the president). Every step of the mémoire goes through flows.memoire_transition,
which locks the mémoire's row, checks who, the order and the guard (soutenance/rules.py), and logs it."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.memoire.flows import memoire_transition
from assessments.memoire.models import Memoire
from assessments.rubrics.models import Grid
from assessments.rubrics.selectors import scheme_for
from assessments.rubrics.services import grid_save, grid_start
from assessments.soutenance import permissions, selectors
from assessments.soutenance.enums import PvResult
from assessments.soutenance.models import (
    Booking,
    ConflictDeclaration,
    Jury,
    JuryMember,
    OralGrid,
    ProcesVerbal,
    Slot,
)
from assessments.soutenance.pdf import pv_pdf
from assessments.soutenance.rules import SLOT_TAKEN
from assessments.soutenance.tasks import send_booking_invitations
from courses.attendance.services import SIGNATURE_POLICY
from courses.cohorts.models import Cohort
from lms.enums import Role
from lms.uploads import upload_check

HAS_BOOKINGS = "Ce jury a déjà des soutenances réservées : sa composition ne change plus."
SLOT_BOOKED = "Ce créneau est réservé : il ne se modifie plus."


def _team_or_denied(by) -> None:
    if not permissions.can_manage_soutenances(by):
        raise PermissionDenied("Seule l'équipe pédagogique organise les soutenances.")


# --- juries and slots (the team) ------------------------------------------------------------------


@transaction.atomic
def jury_save(*, jury: Jury | None = None, cohort: Cohort, name: str, president, members, by) -> Jury:
    """Create or recompose a jury: trainers only, exactly one president and at least one other
    member. A jury with a booked soutenance keeps its composition."""
    _team_or_denied(by)
    members = [m for m in members if president is None or m.pk != president.pk]
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = "Donnez un nom au jury, par exemple « Jury 1 — juin »."
    if president is None or president.role != Role.TRAINER or not president.is_active:
        errors["president"] = "Choisissez un·e formateur·rice pour présider le jury."
    if any(m.role != Role.TRAINER or not m.is_active for m in members):
        errors["members"] = "Seuls des formateur·rices siègent dans un jury."
    elif not members:
        errors["members"] = "Un jury compte au moins un membre en plus de son ou sa président·e."
    if errors:
        raise ValidationError(errors)
    if jury is not None:
        jury = Jury.objects.select_for_update().get(pk=jury.pk)
        if Booking.objects.active().filter(slot__jury=jury).exists():
            raise ValidationError(HAS_BOOKINGS)
        jury.cohort, jury.name = cohort, name
        jury.save()
        jury.members.all().delete()
    else:
        jury = Jury.objects.create(cohort=cohort, name=name, created_by=by)
    JuryMember.objects.bulk_create(
        [JuryMember(jury=jury, member=president, is_president=True)]
        + [JuryMember(jury=jury, member=m) for m in members]
    )
    return jury


def local_to_utc(value: datetime.datetime, *, zone: str) -> datetime.datetime:
    """A naive date and time read in the region's zone, as an aware UTC datetime."""
    if timezone.is_aware(value):
        return value.astimezone(datetime.UTC)
    return value.replace(tzinfo=ZoneInfo(zone)).astimezone(datetime.UTC)


@transaction.atomic
def slot_save(
    *,
    slot: Slot | None = None,
    jury: Jury,
    starts_at: datetime.datetime,
    duration_minutes: int,
    place: str,
    video_link: str,
    change_deadline: datetime.datetime,
    by,
    now: datetime.datetime | None = None,
) -> Slot:
    """Open (or, before it is booked, change) a slot. `starts_at` and `change_deadline` are read in
    the time zone of the jury's cohort's region when they carry none."""
    _team_or_denied(by)
    now = now or timezone.now()
    zone = jury.cohort.region.timezone
    starts_at = local_to_utc(starts_at, zone=zone)
    change_deadline = local_to_utc(change_deadline, zone=zone)
    place, video_link = (place or "").strip(), (video_link or "").strip()
    errors = {}
    if starts_at <= now:
        errors["starts_at"] = "Le créneau doit commencer dans le futur."
    if change_deadline > starts_at:
        errors["change_deadline"] = "La date limite de réservation doit précéder le début du créneau."
    if not 10 <= (duration_minutes or 0) <= 240:
        errors["duration_minutes"] = "La durée va de 10 à 240 minutes."
    if not place and not video_link:
        errors["place"] = "Indiquez un lieu ou un lien de visioconférence."
    if errors:
        raise ValidationError(errors)
    if slot is not None:
        slot = Slot.objects.select_for_update().get(pk=slot.pk)
        if Booking.objects.active().filter(slot=slot).exists():
            raise ValidationError(SLOT_BOOKED)
    else:
        slot = Slot(jury=jury, created_by=by)
    slot.starts_at, slot.duration_minutes, slot.change_deadline = starts_at, duration_minutes, change_deadline
    slot.place, slot.video_link = place, video_link
    slot.save()
    return slot


# --- bookings (the learner) -----------------------------------------------------------------------


def _booking_create(*, memoire: Memoire, slot: Slot, now) -> Booking:
    try:
        with transaction.atomic():
            booking = Booking.objects.create(slot=slot, memoire=memoire, booked_at=now)
    except IntegrityError:
        raise ValidationError(SLOT_TAKEN) from None
    transaction.on_commit(lambda: send_booking_invitations.delay(booking_id=booking.pk))
    return booking


@transaction.atomic
def soutenance_book(*, memoire: Memoire, slot: Slot, by, now: datetime.datetime | None = None) -> Booking:
    """The learner books `slot` for their released mémoire. Two learners clicking the same slot at
    once: the database keeps one booking, the other hears the slot is taken."""
    now = now or timezone.now()
    memoire_transition(memoire=memoire, transition="book", by=by, slot=slot, now=now)
    return _booking_create(memoire=memoire, slot=slot, now=now)


@transaction.atomic
def soutenance_rebook(*, memoire: Memoire, slot: Slot, by, now: datetime.datetime | None = None) -> Booking:
    """The learner moves their booking to `slot`, until the current slot's change deadline: the old
    booking is cancelled and the new one created in one transaction."""
    now = now or timezone.now()
    memoire_transition(memoire=memoire, transition="rebook", by=by, slot=slot, now=now)
    Booking.objects.active().filter(memoire=memoire).update(cancelled_at=now)
    return _booking_create(memoire=memoire, slot=slot, now=now)


# --- the jury -------------------------------------------------------------------------------------


@transaction.atomic
def conflict_declare(*, memoire: Memoire, by, confirmed: bool, now=None) -> ConflictDeclaration:
    """A jury member declares no conflict of interest with this soutenance (once), before grading."""
    memoire_transition(memoire=memoire, transition="declare_no_conflict", by=by, confirmed=confirmed)
    return ConflictDeclaration.objects.create(memoire=memoire, member=by, declared_at=now or timezone.now())


def oral_grid_of(*, memoire: Memoire, member) -> Grid | None:
    link = OralGrid.objects.select_related("grid").filter(memoire=memoire, member=member).first()
    return link.grid if link else None


@transaction.atomic
def oral_grid_save(*, memoire: Memoire, by, scores: dict, comment: str = "", submit: bool = False) -> Grid:
    """A jury member saves (or submits, then it is sealed) their oral grid on the programme's oral
    rubric. Only a member who declared no conflict of interest grades."""
    if not permissions.is_jury_member(by, memoire):
        raise PermissionDenied("Seul·es les membres du jury de cette soutenance la notent.")
    if submit:
        memoire_transition(memoire=memoire, transition="submit_oral_grid", by=by)
    else:
        if not ConflictDeclaration.objects.filter(memoire=memoire, member=by).exists():
            raise ValidationError(
                "Déclarez d'abord n'avoir aucun conflit d'intérêts avec cette soutenance, puis notez-la."
            )
    grid = oral_grid_of(memoire=memoire, member=by)
    if grid is None:
        rubric = scheme_for(programme=memoire.enrolment.programme).oral_rubric
        if rubric is None:
            raise ValidationError(
                "Aucune grille de soutenance n'est choisie dans les règles de notation : "
                "l'équipe pédagogique doit la désigner."
            )
        grid = grid_start(rubric=rubric, author=by)
        OralGrid.objects.create(memoire=memoire, member=by, grid=grid)
    return grid_save(grid=grid, scores=scores, comment=comment, submit=submit, by=by)


# --- the procès-verbal (the president) -----------------------------------------------------------


def _signature(image_png: bytes) -> bytes:
    if not image_png:
        raise ValidationError({"signature": "Signez dans le cadre avant de valider."})
    return upload_check(name="signature.png", data=image_png, policy=SIGNATURE_POLICY).content


def _pv_create(
    *,
    memoire: Memoire,
    by,
    result,
    corrections,
    new_deadline,
    signature,
    now,
    supersedes=None,
    correction_reason: str = "",
) -> ProcesVerbal:
    marks = selectors.soutenance_marks(memoire=memoire)
    booking = Booking.objects.active().select_related("slot__jury__cohort__region").get(memoire=memoire)
    jury = selectors.jury_composition(jury=booking.slot.jury)
    corrections = (corrections or "").strip() if result == PvResult.ADJOURNED else ""
    new_deadline = new_deadline if result == PvResult.ADJOURNED else None
    jury_text = "\n".join(
        [f"Président·e : {jury.president.display_name}"]
        + [f"Membre : {m.display_name}" for m in jury.members]
    )
    pdf = pv_pdf(
        learner=memoire.enrolment.user.display_name,
        title=memoire.title,
        cohort=booking.slot.jury.cohort.name,
        held_at=booking.slot.starts_at,
        zone=booking.slot.jury.cohort.region.timezone,
        president=jury.president.display_name,
        members=[m.display_name for m in jury.members],
        written_mark=marks.written,
        oral_mark=marks.oral,
        final_mark=marks.final,
        written_weight=marks.written_weight,
        oral_weight=marks.oral_weight,
        result=PvResult(result).label,
        corrections=corrections,
        new_deadline=new_deadline,
        signature_png=signature,
        signed_at=now,
        supersedes_text=(
            f"Rectifie le procès-verbal signé le {timezone.localtime(supersedes.signed_at):%d/%m/%Y à %H:%M}"
            f" — motif : {correction_reason}"
            if supersedes
            else ""
        ),
    )
    return ProcesVerbal.objects.create(
        memoire=memoire,
        booking=booking,
        supersedes=supersedes,
        result=result,
        corrections=corrections,
        new_deadline=new_deadline,
        correction_reason=correction_reason,
        written_mark=marks.written,
        oral_mark=marks.oral,
        final_mark=marks.final,
        written_weight=marks.written_weight,
        oral_weight=marks.oral_weight,
        jury_text=jury_text,
        president=by,
        signature_png=signature,
        pdf=pdf,
        signed_at=now,
    )


def _result_checked(result) -> str:
    if result not in PvResult.values:
        raise ValidationError({"result": "Choisissez le résultat : admis·e ou ajourné·e."})
    return result


@transaction.atomic
def pv_sign(
    *,
    memoire: Memoire,
    by,
    result: str,
    corrections: str = "",
    new_deadline=None,
    signature_png: bytes,
    now: datetime.datetime | None = None,
) -> ProcesVerbal:
    """The president signs the PV once every member has graded: admitted, or adjourned with the
    corrections required and a new deadline. The PDF is made now and stored: it never changes."""
    now = now or timezone.now()
    result = _result_checked(result)
    transition = "sign_pv_admit" if result == PvResult.ADMITTED else "sign_pv_adjourn"
    memoire = memoire_transition(
        memoire=memoire,
        transition=transition,
        by=by,
        result=result,
        corrections=corrections,
        new_deadline=new_deadline,
        now=now,
    )
    signature = _signature(signature_png)
    return _pv_create(
        memoire=memoire,
        by=by,
        result=result,
        corrections=corrections,
        new_deadline=new_deadline,
        signature=signature,
        now=now,
    )


@transaction.atomic
def pv_correct(
    *,
    memoire: Memoire,
    by,
    result: str,
    corrections: str = "",
    new_deadline=None,
    correction_reason: str,
    signature_png: bytes,
    now: datetime.datetime | None = None,
) -> ProcesVerbal:
    """A correction: a new PV, signed again by the president, that supersedes the current one (which
    stays as it was)."""
    now = now or timezone.now()
    result = _result_checked(result)
    transition = "correct_pv_admit" if result == PvResult.ADMITTED else "correct_pv_adjourn"
    memoire = memoire_transition(
        memoire=memoire,
        transition=transition,
        by=by,
        comment=correction_reason,
        result=result,
        corrections=corrections,
        new_deadline=new_deadline,
        correction_reason=correction_reason,
        now=now,
    )
    signature = _signature(signature_png)
    current = ProcesVerbal.objects.current().get(memoire=memoire)
    return _pv_create(
        memoire=memoire,
        by=by,
        result=result,
        corrections=corrections,
        new_deadline=new_deadline,
        signature=signature,
        now=now,
        supersedes=current,
        correction_reason=correction_reason.strip(),
    )
