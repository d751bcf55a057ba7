"""Writes of in-organisation declarations: a learner declares hours, ARS staff validate or refuse.

The lifecycle is a small state machine: « submitted » is the only state a declaration leaves, to
« validated » (the ledger is credited once), « refused » (with a reason) or « withdrawn » (by the
learner). Every rule lives here, whatever calls it; nothing is written when one fails.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from courses.catalogue.models import ModulePage
from courses.cohorts import permissions as cohorts_permissions
from courses.cohorts import selectors as cohorts_selectors
from courses.cohorts.models import Enrolment
from courses.enums import HoursSource, Modality
from courses.hours import permissions as hours_permissions
from courses.hours.models import DeclarationStatus, HoursEntry, OrganisationDeclaration
from courses.hours.selectors import day_hours, learner_today
from courses.hours.tasks import send_declaration_refused, send_declaration_validated
from lms import permissions
from lms.text import hours_text
from lms.uploads import (
    CheckedUpload,
    Kind,
    UploadPolicy,
    upload_check,
    upload_store,
)

#: One correction moves a line by at most this many hours; beyond, it is a typing mistake.
MAX_CORRECTION_HOURS = Decimal(24)


def hours_correction_refusal(*, net: Decimal, hours: Decimal) -> str | None:
    """Why a correction of `hours` (signed) cannot apply to a line whose total is `net`, or None.
    The one rule for the service and the correction form alike."""
    if hours == 0:
        return "Une correction de 0 h ne change rien."
    if abs(hours) > MAX_CORRECTION_HOURS:
        return f"Une correction porte sur {MAX_CORRECTION_HOURS} h au plus : au-delà, vérifiez la saisie."
    if net + hours < 0:
        return "La correction rendrait le total de cette ligne négatif : retirez au plus ce qui reste."
    return None


@transaction.atomic
def hours_entry_correct(*, entry: HoursEntry, hours: Decimal, reason: str, by) -> HoursEntry:
    """Adjust a ledger entry by adding a correction entry of `hours` (signed), with who and why.

    Only someone who manages the learner's enrolment may correct; the entry is locked while its
    corrections are summed, so two concurrent corrections cannot drive the line below zero."""
    if not cohorts_permissions.can_manage_enrolment(by, entry.enrolment):
        raise PermissionDenied(
            "Vous ne gérez pas la promotion de cette personne : vous ne pouvez pas corriger ses heures."
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Indiquez le motif de la correction.")
    HoursEntry.objects.select_for_update().filter(pk=entry.pk).first()
    already = HoursEntry.objects.filter(corrects=entry).aggregate(total=Sum("hours"))["total"] or Decimal(0)
    refusal = hours_correction_refusal(net=entry.hours + already, hours=hours)
    if refusal:
        raise ValidationError(refusal)
    return HoursEntry.objects.create(
        enrolment=entry.enrolment,
        modality=entry.modality,
        source=HoursSource.CORRECTION,
        module=entry.module,
        hours=hours,
        occurred_on=entry.occurred_on,
        recorded_by=by,
        corrects=entry,
        reason=reason,
        counts_toward_target=entry.counts_toward_target,
        not_counted_reason=entry.not_counted_reason,
    )


@transaction.atomic
def declaration_credit(*, declaration: OrganisationDeclaration, by) -> HoursEntry:
    """Credit a validated in-organisation declaration, once."""
    if declaration.status != DeclarationStatus.VALIDATED:
        raise ValidationError("Seule une déclaration validée est créditée.")
    existing = HoursEntry.objects.filter(declaration=declaration).first()
    if existing is not None:
        return existing
    return HoursEntry.objects.create(
        enrolment=declaration.enrolment,
        modality=Modality.ORGANISATION,
        source=HoursSource.DECLARATION,
        module=declaration.module,
        hours=declaration.hours,
        occurred_on=declaration.occurred_on,
        recorded_by=by,
        declaration=declaration,
    )


MAX_HOURS_PER_DECLARATION = Decimal(10)
MAX_HOURS_PER_DAY = Decimal(10)
HOURS_STEP = Decimal("0.25")
MAX_DESCRIPTION_CHARS = 2000
MAX_REASON_CHARS = 2000
#: In-organisation evidence: what ARS staff open to validate hours. Judged by the upload gate.
EVIDENCE_POLICY = UploadPolicy(
    label="le justificatif",
    kinds=frozenset({Kind.PDF, Kind.PNG, Kind.JPEG, Kind.DOCX, Kind.ODT}),
    max_bytes=5 * 1024 * 1024,
    max_pdf_pages=50,
)


def evidence_check(evidence, *, user) -> CheckedUpload:
    """Check an evidence file uploaded by `user` through the upload gate (which counts their refused
    files); returns what to store. Raises UploadRefused (a ValidationError) whose French message
    names the file otherwise."""
    return upload_check(name=evidence.name, data=evidence, policy=EVIDENCE_POLICY, user=user)


def review_refusal(declaration: OrganisationDeclaration) -> str | None:
    """Why this declaration cannot be validated or refused now, or None if it can."""
    return {
        DeclarationStatus.VALIDATED: "Cette déclaration est déjà validée : rien n'a été modifié.",
        DeclarationStatus.REFUSED: "Cette déclaration est déjà refusée : rien n'a été modifié.",
        DeclarationStatus.WITHDRAWN: (
            "L'apprenant·e a retiré cette déclaration : elle ne peut plus être examinée."
        ),
    }.get(declaration.status)


def withdraw_refusal(declaration: OrganisationDeclaration) -> str | None:
    """Why the learner cannot withdraw this declaration now, or None if they can."""
    return {
        DeclarationStatus.VALIDATED: "Cette déclaration est validée : elle ne peut plus être retirée.",
        DeclarationStatus.REFUSED: "Cette déclaration a été refusée : elle ne peut plus être retirée.",
        DeclarationStatus.WITHDRAWN: "Cette déclaration est déjà retirée.",
    }.get(declaration.status)


def _locked(declaration: OrganisationDeclaration) -> OrganisationDeclaration:
    """The declaration re-read under a row lock, so two reviewers cannot both act on it."""
    return OrganisationDeclaration.objects.select_for_update().get(pk=declaration.pk)


def _hours_fr(value: Decimal) -> str:
    return hours_text(value.quantize(Decimal("0.01"))) + " h"


@transaction.atomic
def declaration_submit(
    *,
    enrolment: Enrolment,
    module: ModulePage,
    occurred_on: date,
    hours: Decimal,
    description: str,
    evidence=None,
    by,
) -> OrganisationDeclaration:
    """Record the learner's declaration of in-organisation hours, awaiting validation. Every
    failed rule is reported (by field) and nothing, not even the file, is stored."""
    if not permissions.is_learner(by) or by.pk != enrolment.user_id:
        raise PermissionDenied("Seul·e l'apprenant·e déclare ses propres heures.")
    # The file is checked first, outside the lock: a PDF's check can take seconds, and other
    # writes for this learner (lessons, check-in) would wait on the lock meanwhile.
    checked, evidence_errors = None, []
    if evidence:
        try:
            checked = evidence_check(evidence, user=by)
        except ValidationError as exc:
            evidence_errors = exc.messages
    # Serialise the learner's submissions: two at once cannot both pass the daily ceiling.
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
    errors: dict[str, list[str]] = {}

    def error(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    date_ok = False
    if occurred_on is None:
        error("occurred_on", "Indiquez la date du travail réalisé.")
    elif occurred_on > learner_today(enrolment):
        error("occurred_on", "La date ne peut pas être dans le futur.")
    elif occurred_on < enrolment.cohort.start_date:
        error(
            "occurred_on",
            "La date précède le début de votre promotion "
            f"(le {enrolment.cohort.start_date:%d/%m/%Y}) : ces heures ne peuvent pas être déclarées.",
        )
    else:
        date_ok = True

    hours_ok = False
    try:
        hours = Decimal(str(hours))
        valid_number = hours.is_finite()
    except (InvalidOperation, ValueError, TypeError):
        valid_number = False
    if not valid_number:
        error("hours", "Indiquez un nombre d'heures.")
    elif hours <= 0:
        error("hours", "Le nombre d'heures doit être supérieur à zéro.")
    elif hours % HOURS_STEP:
        error("hours", "Les heures se déclarent par quarts d'heure : par exemple 1,25 ; 1,5 ou 1,75.")
    elif hours > MAX_HOURS_PER_DECLARATION:
        error("hours", f"Une déclaration compte au plus {_hours_fr(MAX_HOURS_PER_DECLARATION)}.")
    else:
        hours_ok = True

    if date_ok and hours_ok:
        already = day_hours(enrolment=enrolment, day=occurred_on)
        if already + hours > MAX_HOURS_PER_DAY:
            left = max(MAX_HOURS_PER_DAY - already, Decimal(0))
            error(
                "hours",
                f"Vous avez déjà déclaré {_hours_fr(already)} le {occurred_on:%d/%m/%Y} : une journée "
                f"compte au plus {_hours_fr(MAX_HOURS_PER_DAY)} (il vous en reste {_hours_fr(left)}).",
            )

    if module is None:
        error("module", "Choisissez le module concerné.")
    elif not cohorts_permissions.can_follow_module(
        enrolment, module, cohorts_selectors.chosen_option_ids(enrolment=enrolment)
    ):
        error(
            "module",
            f"Vous ne suivez pas le module « {module.title} » : choisissez un module socle "
            "ou l'une de vos deux options.",
        )

    description = (description or "").strip()
    if not description:
        error("description", "Décrivez en quelques lignes ce qui a été fait.")
    elif len(description) > MAX_DESCRIPTION_CHARS:
        error(
            "description",
            f"{MAX_DESCRIPTION_CHARS} caractères au plus (le texte en compte {len(description)}).",
        )

    if evidence_errors:
        errors.setdefault("evidence", []).extend(evidence_errors)

    if errors:
        raise ValidationError(errors)
    storage = OrganisationDeclaration._meta.get_field("evidence").storage
    stored = upload_store(storage=storage, folder="evidence", checked=checked) if checked else ""
    try:
        return OrganisationDeclaration.objects.create(
            enrolment=enrolment,
            module=module,
            occurred_on=occurred_on,
            hours=hours,
            description=description,
            evidence=stored or None,
            evidence_name=checked.original_name if checked else "",
            evidence_content_type=checked.content_type if checked else "",
            status=DeclarationStatus.SUBMITTED,
        )
    except BaseException:
        # No file may outlive a row that was not written.
        if stored:
            storage.delete(stored)
        raise


@transaction.atomic
def declaration_withdraw(*, declaration: OrganisationDeclaration, by) -> OrganisationDeclaration:
    """The learner takes back a declaration not yet reviewed."""
    if not permissions.is_learner(by) or by.pk != declaration.enrolment.user_id:
        raise PermissionDenied("Seul·e l'apprenant·e qui a déclaré ces heures peut les retirer.")
    current = _locked(declaration)
    refusal = withdraw_refusal(current)
    if refusal:
        raise ValidationError(refusal)
    current.status = DeclarationStatus.WITHDRAWN
    current.save(update_fields=["status"])
    return current


def _require_reviewer(by, declaration: OrganisationDeclaration) -> OrganisationDeclaration:
    if not hours_permissions.can_review_declaration(by, declaration):
        raise PermissionDenied("Vous ne validez pas les déclarations de cette région.")
    current = _locked(declaration)
    refusal = review_refusal(current)
    if refusal:
        raise ValidationError(refusal)
    return current


@transaction.atomic
def declaration_validate(*, declaration: OrganisationDeclaration, by) -> OrganisationDeclaration:
    """Validate a pending declaration: its hours are credited to the ledger once, and the learner
    is told by email after the commit."""
    current = _require_reviewer(by, declaration)
    current.status = DeclarationStatus.VALIDATED
    current.reviewed_by = by
    current.reviewed_at = timezone.now()
    current.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    declaration_credit(declaration=current, by=by)
    transaction.on_commit(lambda: send_declaration_validated.delay(declaration_id=current.pk))
    return current


@transaction.atomic
def declaration_refuse(*, declaration: OrganisationDeclaration, reason: str, by) -> OrganisationDeclaration:
    """Refuse a pending declaration with a reason the learner receives by email."""
    reason = (reason or "").strip()
    current = _require_reviewer(by, declaration)
    if not reason:
        raise ValidationError({"reason": "Indiquez le motif du refus : il est transmis à l'apprenant·e."})
    if len(reason) > MAX_REASON_CHARS:
        raise ValidationError({"reason": f"Le motif compte au plus {MAX_REASON_CHARS} caractères."})
    current.status = DeclarationStatus.REFUSED
    current.refusal_reason = reason
    current.reviewed_by = by
    current.reviewed_at = timezone.now()
    current.save(update_fields=["status", "refusal_reason", "reviewed_by", "reviewed_at"])
    transaction.on_commit(lambda: send_declaration_refused.delay(declaration_id=current.pk))
    return current
