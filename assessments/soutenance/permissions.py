"""Who sees and acts on a soutenance. The team manages juries and slots and sees every
soutenance; a trainer hears the soutenances of the juries they sit on; the learner books, sees
their own booking and downloads their own PV. ARS staff see none (no marks, no PV)."""

from __future__ import annotations

from django.db.models import QuerySet

from assessments.memoire.models import Memoire
from assessments.soutenance.models import Booking, JuryMember, ProcesVerbal
from lms.permissions import is_learner, is_pedagogical_team, is_trainer


def can_manage_soutenances(user) -> bool:
    """Juries, slots and every cohort's soutenances: the pedagogical team."""
    return is_pedagogical_team(user)


def can_book(user, memoire: Memoire) -> bool:
    """Book or change a soutenance slot: the mémoire's author."""
    return is_learner(user) and memoire.enrolment.user_id == user.pk


def _seat(user, memoire: Memoire) -> JuryMember | None:
    """The user's seat on the jury of the mémoire's active booking, or None."""
    if not is_trainer(user):
        return None
    return (
        JuryMember.objects.filter(
            member=user,
            jury__slots__bookings__memoire=memoire,
            jury__slots__bookings__cancelled_at__isnull=True,
        )
        .only("pk", "is_president")
        .first()
    )


def is_jury_member(user, memoire: Memoire) -> bool:
    """The user sits (as president or member) on the jury that hears this mémoire."""
    return _seat(user, memoire) is not None


def is_jury_president(user, memoire: Memoire) -> bool:
    seat = _seat(user, memoire)
    return seat is not None and seat.is_president


def bookings_visible_to(user) -> QuerySet[Booking]:
    """The bookings this user may open (lists and URLs both go through it)."""
    if is_pedagogical_team(user):
        return Booking.objects.all()
    if is_trainer(user):
        return Booking.objects.filter(slot__jury__members__member=user)
    if is_learner(user):
        return Booking.objects.filter(memoire__enrolment__user=user)
    return Booking.objects.none()


def pvs_visible_to(user) -> QuerySet[ProcesVerbal]:
    """The PVs this user may download: the learner's own, those of the juries the trainer sits on,
    every PV for the team; none for ARS staff."""
    if is_pedagogical_team(user):
        return ProcesVerbal.objects.all()
    if is_trainer(user):
        return ProcesVerbal.objects.filter(booking__slot__jury__members__member=user)
    if is_learner(user):
        return ProcesVerbal.objects.filter(memoire__enrolment__user=user)
    return ProcesVerbal.objects.none()
