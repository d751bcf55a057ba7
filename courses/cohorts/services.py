"""Writes of the learning path. Each function enforces its rule itself, whatever calls it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from courses.cohorts import permissions as cohorts_permissions
from courses.cohorts import signals
from courses.cohorts.models import Cohort, Enrolment, EnrolmentImport
from lms import permissions
from lms.uploads import Kind, UploadPolicy, UploadRefused, clean_name, upload_check, upload_store


@transaction.atomic
def enrolment_create(*, user, cohort: Cohort) -> Enrolment:
    """Enrol a learner in a cohort; a learner has one enrolment per programme."""
    if not permissions.is_learner(user):
        raise ValidationError("Seul un compte apprenant·e peut être inscrit dans une promotion.")
    if Enrolment.objects.filter(user=user, programme_id=cohort.programme_id).exists():
        raise ValidationError(f"{user.display_name} est déjà inscrit·e à ce programme.")
    return Enrolment.objects.create(user=user, cohort=cohort, programme_id=cohort.programme_id)


def _require_manager(by, cohort: Cohort) -> None:
    if not cohorts_permissions.can_manage_cohort(by, cohort):
        raise PermissionDenied("Vous ne gérez pas la région de cette promotion.")


@transaction.atomic
def cohort_save(*, cohort: Cohort, by) -> Cohort:
    """Create or update a cohort of a region the user manages; capacity never below enrolments.
    Apps listening to `signals.cohort_saved` (the forum's private space) act in the same
    transaction."""
    if not permissions.regions_managed_by(by).filter(pk=cohort.region_id).exists():
        raise PermissionDenied("Vous ne gérez pas cette région.")
    if cohort.pk is not None:
        # Locked so that no enrolment slips in between Cohort.clean counting them and the save.
        Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
    cohort.full_clean()
    cohort.save()
    signals.cohort_saved.send(sender=Cohort, cohort=cohort)
    return cohort


@transaction.atomic
def cohort_close(*, cohort: Cohort, by) -> Cohort:
    """Close a cohort: no more enrolments; its learners keep their records."""
    _require_manager(by, cohort)
    if cohort.closed_at is None:
        cohort.closed_at = timezone.now()
        cohort.save(update_fields=["closed_at"])
    return cohort


@transaction.atomic
def cohort_reopen(*, cohort: Cohort, by) -> Cohort:
    _require_manager(by, cohort)
    cohort.closed_at = None
    cohort.save(update_fields=["closed_at"])
    return cohort


@dataclass
class EnrolmentRequest:
    """One person to enrol, as typed in the form or read from a spreadsheet line."""

    email: str
    last_name: str
    first_name: str
    employer: str = ""
    job_title: str = ""
    ars_agreement_on: date | None = None
    employer_agreement_on: date | None = None


@dataclass
class PreviewLine:
    line: int
    request: EnrolmentRequest | None
    action: str  # "create", "enrol_existing" or "error"
    errors: list[str]


def _users_by_email(emails) -> dict:
    """The accounts with these (lower-cased) emails, keyed by lower-cased email, whatever the case
    they were stored in (accounts made before emails were normalised on save); one query."""
    from lms.models import User

    return {
        u.email.lower(): u
        for u in User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
    }


#: For an address whose account the staff member cannot see (a staff account, a learner of a cohort
#: they do not manage): one wording for all, so that it reveals nothing about that account.
ACCOUNT_NOT_ENROLLABLE = (
    "Cette adresse ne peut pas être inscrite par vous : contactez l'équipe pédagogique, qui vérifiera "
    "à quel compte elle correspond."
)
#: The precise reason, for the pedagogical team only (it sees every account).
NOT_A_LEARNER = "Cette adresse appartient à un compte qui n'est pas apprenant·e."


def enrolment_preview(
    *, cohort: Cohort, lines: list[tuple[int, EnrolmentRequest | None, list[str]]], by
) -> list[PreviewLine]:
    """What confirming would do with each line: create an account and enrol it, enrol an existing
    account (same email whatever its case, never a duplicate), or nothing, with the reasons.

    The reasons never tell apart accounts that `by` cannot see: a staff account and a learner
    enrolled in a cohort `by` does not manage get the same ACCOUNT_NOT_ENROLLABLE message, through
    the same queries. A learner of a cohort `by` manages is named with that cohort; the pedagogical
    team, who sees every account, gets precise reasons. Runs four queries."""

    emails = {req.email.strip().lower() for _, req, errors in lines if req is not None and not errors}
    users = _users_by_email(emails)
    enrolled = {
        e.user_id: e
        for e in Enrolment.objects.filter(
            user__in=users.values(), programme_id=cohort.programme_id
        ).select_related("cohort")
    }
    elsewhere = {e.cohort_id for e in enrolled.values() if e.cohort_id != cohort.pk}
    # Asked even when empty, so that the answer takes the same path whoever the addresses belong to.
    nameable = set(
        cohorts_permissions.cohorts_managed_by(by).filter(pk__in=elsewhere).values_list("pk", flat=True)
    )
    sees_every_account = permissions.is_pedagogical_team(by)
    places = cohort.capacity - cohort.enrolments.count()
    preview = []
    for line, req, errors in lines:
        errors = list(errors)
        action = "error"
        if req is not None and not errors:
            user = users.get(req.email.strip().lower())
            if cohort.is_closed:
                errors.append("La promotion est clôturée : elle n'accepte plus d'inscription.")
            elif user is not None and not permissions.is_learner(user):
                errors.append(NOT_A_LEARNER if sees_every_account else ACCOUNT_NOT_ENROLLABLE)
            elif user is not None and user.pk in enrolled:
                other = enrolled[user.pk].cohort
                if other.pk == cohort.pk:
                    errors.append("Déjà inscrit·e dans cette promotion.")
                elif other.pk in nameable:
                    errors.append(f"Déjà inscrit·e dans la promotion « {other.name} ».")
                else:
                    errors.append(ACCOUNT_NOT_ENROLLABLE)
            elif places <= 0:
                errors.append(f"Plus de place : la promotion est limitée à {cohort.capacity} places.")
            else:
                places -= 1
                action = "enrol_existing" if user is not None else "create"
        preview.append(PreviewLine(line=line, request=req, action=action, errors=errors))
    return preview


@transaction.atomic
def enrolment_enrol(*, cohort: Cohort, request: EnrolmentRequest, by) -> Enrolment:
    """Enrol one person; a new account gets an invitation email after commit."""
    _require_manager(by, cohort)
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
    [line] = enrolment_preview(cohort=cohort, lines=[(1, request, [])], by=by)
    if line.errors:
        raise ValidationError(line.errors)
    return _enrol(cohort=cohort, request=request, create=line.action == "create", by=by)


def _enrol(*, cohort: Cohort, request: EnrolmentRequest, create: bool, by) -> Enrolment:
    from allauth.account.models import EmailAddress

    from courses.cohorts.tasks import send_invitation
    from lms.models import User
    from lms.useradmin.services import learners_created_record

    email = request.email.strip().lower()
    if create:
        user = User.objects.create_user(
            email=email,
            password=None,
            first_name=request.first_name,
            last_name=request.last_name,
        )
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
        learners_created_record(actor=by, users=[user])
    else:
        user = User.objects.get(email__iexact=email)
    enrolment = Enrolment.objects.create(
        user=user,
        cohort=cohort,
        programme_id=cohort.programme_id,
        employer=request.employer,
        job_title=request.job_title,
        ars_agreement_on=request.ars_agreement_on,
        employer_agreement_on=request.employer_agreement_on,
    )
    transaction.on_commit(lambda: send_invitation.delay(enrolment_id=enrolment.pk))
    return enrolment


@transaction.atomic
def enrolment_import_confirm(*, batch: EnrolmentImport, by) -> dict:
    """Enrol every valid line of a previewed spreadsheet in one transaction (all or nothing);
    the preview is recomputed under a lock, so places and duplicates are checked again. Accounts
    and enrolments are written in bulk; the invitations go out in one background task."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password

    from courses.cohorts.tasks import send_invitations
    from lms.enums import Role
    from lms.models import User
    from lms.useradmin.services import learners_created_record

    _require_manager(by, batch.cohort)
    batch = EnrolmentImport.objects.select_for_update().get(pk=batch.pk)
    if batch.confirmed_at is not None:
        raise ValidationError("Cet import a déjà été confirmé.")
    cohort = batch.cohort
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
    outcome = enrolment_preview(cohort=cohort, lines=import_lines(batch), by=by)
    preview = [line for line in outcome if line.action != "error"]
    new_lines = [line for line in preview if line.action == "create"]
    created_users = User.objects.bulk_create(
        User(
            email=line.request.email.strip().lower(),
            first_name=line.request.first_name,
            last_name=line.request.last_name,
            role=Role.LEARNER,
            password=make_password(None),
        )
        for line in new_lines
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, primary=True, verified=False) for user in created_users
    )
    learners_created_record(actor=by, users=created_users)
    users = {u.email: u for u in created_users}
    existing_emails = [
        line.request.email.strip().lower() for line in preview if line.action == "enrol_existing"
    ]
    users.update(_users_by_email(existing_emails))
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(
            user=users[line.request.email.strip().lower()],
            cohort=cohort,
            programme_id=cohort.programme_id,
            employer=line.request.employer,
            job_title=line.request.job_title,
            ars_agreement_on=line.request.ars_agreement_on,
            employer_agreement_on=line.request.employer_agreement_on,
        )
        for line in preview
    )
    ids = [e.pk for e in enrolments]
    transaction.on_commit(lambda: send_invitations.delay(enrolment_ids=ids))
    batch.confirmed_at = timezone.now()
    batch.result = {
        "created": len(new_lines),
        "existing": len(preview) - len(new_lines),
        "skipped": len(batch.rows) - len(preview),
        # What was done with each line, shown on the batch's page after confirmation.
        "lines": [{"line": line.line, "action": line.action, "errors": line.errors} for line in outcome],
    }
    batch.save(update_fields=["confirmed_at", "result"])
    return batch.result


def enrolment_import_outcome(batch: EnrolmentImport) -> list[PreviewLine]:
    """The lines of a confirmed import as they were when it was confirmed (action and reasons)."""
    stored = {line["line"]: line for line in batch.result.get("lines", [])}
    outcome = []
    for number, request, errors in import_lines(batch):
        line = stored.get(number, {"action": "error" if errors else "imported", "errors": errors})
        outcome.append(
            PreviewLine(line=number, request=request, action=line["action"], errors=line["errors"])
        )
    return outcome


def import_lines(batch: EnrolmentImport) -> list[tuple[int, EnrolmentRequest | None, list[str]]]:
    """The stored spreadsheet lines as enrolment requests with their reading errors."""
    lines = []
    for row in batch.rows:
        request = EnrolmentRequest(
            email=row["email"],
            last_name=row["last_name"],
            first_name=row["first_name"],
            employer=row["employer"],
            job_title=row["job_title"],
            ars_agreement_on=date.fromisoformat(row["ars_agreement_on"]) if row["ars_agreement_on"] else None,
            employer_agreement_on=(
                date.fromisoformat(row["employer_agreement_on"]) if row["employer_agreement_on"] else None
            ),
        )
        lines.append((row["line"], request, row["errors"]))
    return lines


@transaction.atomic
def enrolment_import_create(
    *, cohort: Cohort, filename: str, content: bytes | IO[bytes], by
) -> EnrolmentImport:
    """Read a spreadsheet (bytes, or an uploaded file read only within the size limit) through the
    upload gate and keep its lines for preview; nothing is enrolled yet, and nothing is stored when
    the file is refused (ImportFileError)."""
    from courses.cohorts.imports import enrolment_rows_read

    _require_manager(by, cohort)
    rows = enrolment_rows_read(filename=filename, content=content)
    return EnrolmentImport.objects.create(
        cohort=cohort,
        uploaded_by=by,
        filename=clean_name(filename),
        rows=[
            {
                "line": r.line,
                "email": r.email,
                "last_name": r.last_name,
                "first_name": r.first_name,
                "employer": r.employer,
                "job_title": r.job_title,
                "ars_agreement_on": r.ars_agreement_on.isoformat() if r.ars_agreement_on else "",
                "employer_agreement_on": r.employer_agreement_on.isoformat()
                if r.employer_agreement_on
                else "",
                "errors": r.errors,
            }
            for r in rows
        ],
    )


#: The joint agreement document: a PDF, judged by the upload gate.
AGREEMENT_POLICY = UploadPolicy(
    label="le document d'accord", kinds=frozenset({Kind.PDF}), max_bytes=5 * 1024 * 1024, max_pdf_pages=50
)


@transaction.atomic
def enrolment_agreement_record(
    *,
    enrolment: Enrolment,
    ars_agreement_on: date | None,
    employer_agreement_on: date | None,
    document=None,
    by,
) -> Enrolment:
    """Record the joint ARS + employer agreement (the prerequisite); dates cannot be in the future.
    A document goes through the upload gate (AGREEMENT_POLICY; a refusal is reported on the
    `document` field and nothing is written) and is stored under a server-made name; the document
    it replaces is deleted once the transaction commits, never before, so a rollback keeps it."""
    if not cohorts_permissions.can_manage_enrolment(by, enrolment):
        raise PermissionDenied("Vous ne gérez pas la région de cette inscription.")
    today = timezone.localdate()
    for label, value in (("de l'ARS", ars_agreement_on), ("de l'employeur", employer_agreement_on)):
        if value is not None and value > today:
            raise ValidationError(f"La date de l'accord {label} ne peut pas être dans le futur.")
    checked = None
    if document is not None:
        try:
            checked = upload_check(name=document.name, data=document, policy=AGREEMENT_POLICY, user=by)
        except UploadRefused as exc:
            raise ValidationError({"document": exc.messages}) from exc
    enrolment.ars_agreement_on = ars_agreement_on
    enrolment.employer_agreement_on = employer_agreement_on
    fields = ["ars_agreement_on", "employer_agreement_on"]
    storage, stored = Enrolment._meta.get_field("agreement_document").storage, ""
    if checked is not None:
        # Read under a row lock: two replacements at once must each delete the file they replaced.
        previous = Enrolment.objects.select_for_update().values_list("agreement_document", flat=True)
        previous = previous.get(pk=enrolment.pk)
        stored = upload_store(storage=storage, folder="agreements", checked=checked)
        enrolment.agreement_document = stored
        enrolment.agreement_document_name = checked.original_name
        fields += ["agreement_document", "agreement_document_name"]
        if previous:
            transaction.on_commit(lambda: storage.delete(previous))
    try:
        enrolment.save(update_fields=fields)
    except BaseException:
        if stored:
            storage.delete(stored)
        raise
    return enrolment
