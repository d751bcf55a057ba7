"""The guards of the soutenance's transitions (flows.TRANSITIONS names them): whether a slot may be
booked or a booking changed, whether a jury member may grade, whether the president may sign the
procès-verbal. Each answers why not, in French, or None; field errors raise ValidationError."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments.memoire.models import Memoire
from assessments.rubrics.selectors import scheme_for
from assessments.soutenance.enums import PvResult
from assessments.soutenance.models import Booking, ConflictDeclaration, JuryMember, OralGrid, ProcesVerbal

SLOT_TAKEN = "Ce créneau vient d'être réservé par une autre personne : choisissez-en un autre."
MAX_CORRECTIONS_CHARS = 5000


def tutor_presides_refusal(*, memoire: Memoire, president_id: int | None) -> str | None:
    """Why the mémoire's tutor may not preside its jury, or None."""
    if president_id is None or memoire.tutor_id != president_id:
        return None
    if scheme_for(programme=memoire.enrolment.programme).tutor_may_preside:
        return None
    return (
        "Le ou la président·e de ce jury est le tuteur ou la tutrice de votre mémoire, ce que les "
        "règles de notation ne permettent pas : choisissez un créneau d'un autre jury."
    )


def _slot_refusal(memoire: Memoire, slot, now) -> str | None:
    if slot is None:
        return "Choisissez un créneau."
    if slot.jury.cohort_id != memoire.enrolment.cohort_id:
        return "Ce créneau n'est pas ouvert à votre promotion."
    if now > slot.change_deadline:
        return "Ce créneau n'est plus réservable : sa date limite de réservation est passée."
    if Booking.objects.active().filter(slot=slot).exists():
        return SLOT_TAKEN
    president = JuryMember.objects.filter(jury_id=slot.jury_id, is_president=True).values_list(
        "member_id", flat=True
    )
    return tutor_presides_refusal(memoire=memoire, president_id=president.first())


def book_guard(memoire: Memoire, by, comment: str, data: dict) -> str | None:
    return _slot_refusal(memoire, data.get("slot"), data.get("now") or timezone.now())


def rebook_guard(memoire: Memoire, by, comment: str, data: dict) -> str | None:
    now = data.get("now") or timezone.now()
    current = Booking.objects.active().select_related("slot").filter(memoire=memoire).first()
    if current is None:
        return "Vous n'avez aucune réservation à modifier."
    if now > current.slot.change_deadline:
        deadline = timezone.localtime(current.slot.change_deadline).strftime("%d/%m/%Y à %H:%M")
        return f"Votre réservation ne se modifie plus : la date limite ({deadline}) est passée."
    slot = data.get("slot")
    if slot is not None and slot.pk == current.slot_id:
        return "Vous avez déjà réservé ce créneau."
    return _slot_refusal(memoire, slot, now)


def conflict_guard(memoire: Memoire, by, comment: str, data: dict) -> str | None:
    if not data.get("confirmed"):
        raise ValidationError(
            {"confirmed": "Cochez la case pour déclarer que vous n'avez aucun conflit d'intérêts."}
        )
    if ConflictDeclaration.objects.filter(memoire=memoire, member=by).exists():
        return "Vous avez déjà déclaré n'avoir aucun conflit d'intérêts pour cette soutenance."
    return None


def grade_guard(memoire: Memoire, by, comment: str, data: dict) -> str | None:
    if not ConflictDeclaration.objects.filter(memoire=memoire, member=by).exists():
        return "Déclarez d'abord n'avoir aucun conflit d'intérêts avec cette soutenance, puis notez-la."
    if OralGrid.objects.filter(memoire=memoire, member=by, grid__submitted_at__isnull=False).exists():
        return "Vous avez déjà remis votre grille : elle ne se modifie plus."
    return None


def _pv_fields(data: dict) -> None:
    """The result and, for an adjournment, the corrections and the new deadline, by field."""
    errors = {}
    corrections = (data.get("corrections") or "").strip()
    if data.get("result") == PvResult.ADJOURNED:
        if not corrections:
            errors["corrections"] = "Indiquez les corrections demandées à l'apprenant·e."
        if data.get("new_deadline") is None:
            errors["new_deadline"] = "Indiquez la nouvelle échéance de remise du mémoire corrigé."
        elif data["new_deadline"] <= timezone.localdate(data.get("now") or timezone.now()):
            errors["new_deadline"] = "La nouvelle échéance doit être postérieure à aujourd'hui."
    if len(corrections) > MAX_CORRECTIONS_CHARS:
        errors["corrections"] = f"Les corrections comptent au plus {MAX_CORRECTIONS_CHARS} caractères."
    if errors:
        raise ValidationError(errors)


def _graded_refusal(memoire: Memoire) -> str | None:
    if not hasattr(memoire, "agreed_mark") or memoire.agreed_mark.released_at is None:
        return "La note de l'écrit n'est pas publiée : le procès-verbal ne peut pas être établi."
    booking = Booking.objects.active().filter(memoire=memoire).first()
    if booking is None:
        return "Aucune soutenance n'est réservée pour ce mémoire."
    members = set(JuryMember.objects.filter(jury__slots=booking.slot_id).values_list("member_id", flat=True))
    graded = set(
        OralGrid.objects.filter(
            memoire=memoire, member_id__in=members, grid__submitted_at__isnull=False
        ).values_list("member_id", flat=True)
    )
    if members - graded:
        return "Chaque membre du jury doit avoir remis sa grille avant la signature du procès-verbal."
    return None


def sign_guard(memoire: Memoire, by, comment: str, data: dict) -> str | None:
    _pv_fields(data)
    return _graded_refusal(memoire)


def correct_guard(memoire: Memoire, by, comment: str, data: dict) -> str | None:
    if not (data.get("correction_reason") or "").strip():
        raise ValidationError({"correction_reason": "Indiquez pourquoi le procès-verbal est rectifié."})
    _pv_fields(data)
    if not ProcesVerbal.objects.current().filter(memoire=memoire).exists():
        return "Aucun procès-verbal signé n'est à rectifier."
    return _graded_refusal(memoire)
