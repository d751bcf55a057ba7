"""Attendance (émargement) per half-day of a presential session: the sheet, marking, staff
confirmation (which credits the ledger), QR / code check-in and on-screen signatures.

A half-day is a (local day, "am"/"pm") slot of ``courses.sessions.session_half_days``. A learner is on
a half-day's sheet when their cohort is invited and they were enrolled before that half-day ended;
the others are never listed, so never counted absent.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.attendance.models import Attendance, AttendanceStatus, Signature
from courses.attendance.selectors import (
    CHECKIN_OPENS_BEFORE,
    checkin_code_valid,
    current_half_day,
    sheet_enrolments,
    slot_bounds,
    slot_text,
    window_message,
)
from courses.cohorts.models import Enrolment
from courses.enums import HoursSource, Modality
from courses.hours.models import HoursEntry
from courses.sessions import permissions as sessions_permissions
from courses.sessions.models import PresentialSession
from courses.sessions.selectors import half_day_hours, session_half_days
from lms import permissions
from lms.text import hours_text
from lms.uploads import Kind, UploadPolicy, upload_check

WRONG_CODE_LIMIT = 5
WRONG_CODE_PERIOD = 600
SIGNATURE_MAX_BYTES = 200 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
#: The drawing pad of templates/courses/attendance/sign.html (its canvas's width and height).
SIGNATURE_CANVAS = (500, 180)
SIGNATURE_POLICY = UploadPolicy(
    label="la signature",
    kinds=frozenset({Kind.PNG}),
    max_bytes=SIGNATURE_MAX_BYTES,
    # The pad sends its own size; four times its pixels leaves room for any other client while
    # a decompression bomb (a few Ko inflating to gigabytes) is refused before a pixel is decoded.
    max_image_pixels=4 * SIGNATURE_CANVAS[0] * SIGNATURE_CANVAS[1],
    image_box=SIGNATURE_CANVAS,
    image_advice="Signez à nouveau dans le cadre, avec la souris, le doigt ou un stylet.",
)
SOURCE_STAFF = "staff"
SOURCE_QR = "qr"
SOURCE_CODE = "code"
PRESENCE = (AttendanceStatus.PRESENT, AttendanceStatus.PARTIAL)


@dataclass(frozen=True)
class Mark:
    """One learner's status for a half-day, as typed on the sheet (hours only for a partial presence)."""

    enrolment_id: int
    status: str
    hours: Decimal | None = None


def _require_slot(session: PresentialSession, day: datetime.date, half_day: str) -> None:
    if (day, half_day) not in session_half_days(session):
        raise ValidationError(
            f"La session « {session.title} » n'a pas lieu {slot_text(day, half_day)} : "
            "choisissez une de ses demi-journées."
        )


def _mark_hours(mark: Mark, full: Decimal, name: str) -> Decimal:
    if mark.status == AttendanceStatus.PRESENT:
        return full
    if mark.status in (AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED):
        return Decimal(0)
    if mark.status != AttendanceStatus.PARTIAL:
        raise ValidationError(
            f"Statut inconnu pour {name} : choisissez présent·e, absent·e, excusé·e ou partiel."
        )
    hours = mark.hours
    if hours is None or hours <= 0:
        raise ValidationError(f"Présence partielle de {name} : indiquez un nombre d'heures supérieur à zéro.")
    if hours > full:
        raise ValidationError(
            f"Présence partielle de {name} : {hours_text(hours)} h, c'est plus que la demi-journée "
            f"({hours_text(full)} h)."
        )
    if hours == full:
        raise ValidationError(
            f"Présence partielle de {name} : {hours_text(hours)} h, c'est toute la demi-journée ; "
            "choisissez « Présent·e »."
        )
    return hours


def _refuse_if_confirmed(session, day, half_day) -> None:
    locked = Attendance.objects.select_for_update().filter(session=session, day=day, half_day=half_day)
    if any(a.confirmed_at for a in locked):
        raise ValidationError(
            f"La feuille d'émargement {slot_text(day, half_day)} est déjà confirmée : "
            "elle ne peut plus être modifiée."
        )


@transaction.atomic
def attendance_mark(
    *, session: PresentialSession, day: datetime.date, half_day: str, marks: list[Mark], by
) -> int:
    """Record the statuses of one half-day in one go; returns how many were written. Refuses,
    writing nothing: a user who may not take attendance, a half-day the session does not cover, a
    sheet already confirmed, a learner not on the sheet, an unknown status, partial hours not
    strictly between 0 and the half-day's hours."""
    if not sessions_permissions.can_take_attendance(by, session):
        raise PermissionDenied("Vous ne pouvez pas faire l'appel de cette session.")
    _require_slot(session, day, half_day)
    if not marks:
        raise ValidationError("Aucun statut n'a été saisi : choisissez un statut pour au moins une personne.")
    _refuse_if_confirmed(session, day, half_day)
    listed = {e.pk: e for e in sheet_enrolments(session=session, day=day, half_day=half_day)}
    full = half_day_hours(session, day, half_day)
    resolved: list[tuple[Enrolment, str, Decimal]] = []
    for mark in marks:
        enrolment = listed.get(mark.enrolment_id)
        if enrolment is None:
            raise ValidationError(
                "Une personne ne figure pas sur la feuille de cette demi-journée (promotion non invitée "
                "ou inscription postérieure) : rien n'a été enregistré."
            )
        resolved.append((enrolment, mark.status, _mark_hours(mark, full, enrolment.user.display_name)))
    existing = {
        a.enrolment_id: a for a in Attendance.objects.filter(session=session, day=day, half_day=half_day)
    }
    now = timezone.now()
    created, changed = [], []
    for enrolment, status, hours in resolved:
        attendance = existing.get(enrolment.pk)
        if attendance is None:
            created.append(
                Attendance(
                    session=session,
                    enrolment=enrolment,
                    day=day,
                    half_day=half_day,
                    status=status,
                    hours=hours,
                    source=SOURCE_STAFF,
                    marked_by=by,
                    marked_at=now,
                )
            )
        elif attendance.status != status or attendance.hours != hours:
            attendance.status, attendance.hours = status, hours
            attendance.source, attendance.marked_by, attendance.marked_at = SOURCE_STAFF, by, now
            changed.append(attendance)
    Attendance.objects.bulk_create(created)
    Attendance.objects.bulk_update(changed, ["status", "hours", "source", "marked_by", "marked_at"])
    return len(created) + len(changed)


@transaction.atomic
def attendance_confirm(
    *, session: PresentialSession, day: datetime.date, half_day: str, by
) -> list[HoursEntry]:
    """Confirm a half-day once: listed learners left without a status are recorded absent, every
    record gets confirmed_by/at and presences are credited in the ledger (services.attendance_credit,
    which flags hours of a provider without a valid Qualiopi certificate as not counting). Returns the
    ledger entries written."""
    if not sessions_permissions.can_manage_session(by, session):
        raise PermissionDenied("Seul·es les référent·es ARS de la région et l'équipe pédagogique confirment.")
    _require_slot(session, day, half_day)
    begin, _ = slot_bounds(session, day, half_day)
    now = timezone.now()
    if now < begin:
        raise ValidationError(f"La demi-journée {slot_text(day, half_day)} n'a pas encore commencé.")
    _refuse_if_confirmed(session, day, half_day)
    listed = list(sheet_enrolments(session=session, day=day, half_day=half_day))
    records = {
        a.enrolment_id: a
        for a in Attendance.objects.filter(session=session, day=day, half_day=half_day, enrolment__in=listed)
    }
    if not records:
        raise ValidationError(
            f"Aucune présence n'est saisie {slot_text(day, half_day)} : faites l'appel avant de confirmer."
        )
    Attendance.objects.bulk_create(
        Attendance(
            session=session,
            enrolment=e,
            day=day,
            half_day=half_day,
            status=AttendanceStatus.ABSENT,
            hours=Decimal(0),
            source=SOURCE_STAFF,
            marked_by=by,
            marked_at=now,
        )
        for e in listed
        if e.pk not in records
    )
    Attendance.objects.filter(session=session, day=day, half_day=half_day, enrolment__in=listed).update(
        confirmed_by=by, confirmed_at=now
    )
    entries = []
    for attendance in Attendance.objects.filter(
        session=session, day=day, half_day=half_day, status__in=PRESENCE, enrolment__in=listed
    ).select_related("session__provider", "session__module", "enrolment"):
        entry = attendance_credit(attendance=attendance, by=by)
        if entry is not None:
            entries.append(entry)
    return entries


def _invited(session: PresentialSession, user) -> Enrolment:
    enrolment = sessions_permissions.invited_enrolment(user, session)
    if enrolment is None:
        raise PermissionDenied("Vous n'êtes pas invité·e à cette session.")
    return enrolment


@transaction.atomic
def attendance_checkin(
    *, session: PresentialSession, user, now: datetime.datetime, source: str = SOURCE_QR
) -> Attendance:
    """The invited learner checks in for the current half-day (present, the half-day's hours, not
    confirmed). Refuses a learner not invited (PermissionDenied), outside the window (30 minutes
    before the start to the end), a replay, or a half-day already confirmed."""
    enrolment = _invited(session, user)
    slot = current_half_day(session, now)
    if slot is None:
        raise ValidationError(window_message(session))
    day, half_day = slot
    # FOR NO KEY UPDATE: it serialises the learner's check-ins without blocking the foreign-key
    # checks of a marking or confirmation inserting this learner's record, which this check-in may
    # be waiting for (a deadlock with a plain FOR UPDATE).
    Enrolment.objects.select_for_update(no_key=True).filter(pk=enrolment.pk).first()
    # The record is locked as the sheet's confirmation and marking lock it: a confirmation in
    # progress is waited for, then seen, instead of being written over once committed.
    attendance = (
        Attendance.objects.select_for_update()
        .filter(session=session, enrolment=enrolment, day=day, half_day=half_day)
        .first()
    )
    if attendance is not None and attendance.confirmed_at:
        raise ValidationError(f"La feuille d'émargement {slot_text(day, half_day)} est déjà confirmée.")
    if attendance is not None and attendance.status in PRESENCE:
        raise ValidationError(f"Vous êtes déjà enregistré·e {slot_text(day, half_day)}.")
    hours = half_day_hours(session, day, half_day)
    if attendance is None:
        try:
            with transaction.atomic():
                return Attendance.objects.create(
                    session=session,
                    enrolment=enrolment,
                    day=day,
                    half_day=half_day,
                    status=AttendanceStatus.PRESENT,
                    hours=hours,
                    source=source,
                    marked_by=user,
                    marked_at=now,
                )
        except IntegrityError:
            # Recorded meanwhile (another check-in, the marking or the confirmation of the sheet,
            # now committed): judge again against that record.
            return attendance_checkin(session=session, user=user, now=now, source=source)
    attendance.status, attendance.hours, attendance.source = AttendanceStatus.PRESENT, hours, source
    attendance.marked_by, attendance.marked_at = user, now
    attendance.save(update_fields=["status", "hours", "source", "marked_by", "marked_at"])
    return attendance


def _wrong_codes_key(user) -> str:
    return f"attendance:wrong-codes:{user.pk}"


def attendance_code_checkin(
    *, session: PresentialSession, user, code: str, now: datetime.datetime
) -> Attendance:
    """Check in with the 6-digit code shown under the QR code. At most 5 wrong codes per user in
    10 minutes; the attempts are counted in the cache."""
    _invited(session, user)
    key = _wrong_codes_key(user)
    if (cache.get(key) or 0) >= WRONG_CODE_LIMIT:
        raise ValidationError(
            "Trop de codes erronés : attendez 10 minutes avant de réessayer, ou demandez à la personne "
            "qui anime la session de vous inscrire sur la feuille."
        )
    if current_half_day(session, now) is None:
        raise ValidationError(window_message(session))
    if not checkin_code_valid(session, code, now):
        cache.add(key, 0, WRONG_CODE_PERIOD)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, WRONG_CODE_PERIOD)
        raise ValidationError(
            "Ce code n'est pas valable : saisissez le code affiché en ce moment sous le QR code."
        )
    return attendance_checkin(session=session, user=user, now=now, source=SOURCE_CODE)


def _signature_checked(image_png: bytes) -> bytes:
    """The signature as it is stored: through the upload gate, re-encoded to fit the pad's size
    (pixels only, nothing appended kept)."""
    if not image_png:
        raise ValidationError("Signez dans le cadre avant de valider.")
    return upload_check(name="signature.png", data=image_png, policy=SIGNATURE_POLICY).content


@transaction.atomic
def signature_save(
    *,
    session: PresentialSession,
    day: datetime.date,
    half_day: str,
    signer,
    image_png: bytes,
    now: datetime.datetime | None = None,
) -> Signature:
    """Keep a signature drawn on screen for one half-day, once per signer. A learner signs a half-day
    they are recorded present at (the signature is tied to that attendance); a trainer signs a
    half-day of a session they lead. The image must be a PNG of at most 200 KB and of bounded
    dimensions (SIGNATURE_POLICY); what is stored is its re-encoding, fitted into the pad's size."""
    now = now or timezone.now()
    attendance = None
    if permissions.is_learner(signer):
        enrolment = _invited(session, signer)
    elif permissions.is_trainer(signer) and session.trainers.filter(pk=signer.pk).exists():
        enrolment = None
    else:
        raise PermissionDenied(
            "Seul·es les apprenant·es invité·es et les formateur·rices de la session signent."
        )
    _require_slot(session, day, half_day)
    begin, _ = slot_bounds(session, day, half_day)
    if now < begin - CHECKIN_OPENS_BEFORE:
        raise ValidationError(
            f"Vous pourrez signer à partir du début de la demi-journée {slot_text(day, half_day)}."
        )
    image_png = _signature_checked(image_png)
    if enrolment is not None:
        attendance = Attendance.objects.filter(
            session=session, enrolment=enrolment, day=day, half_day=half_day, status__in=PRESENCE
        ).first()
        if attendance is None:
            raise ValidationError(
                f"Vous n'êtes pas enregistré·e présent·e {slot_text(day, half_day)} : émargez d'abord "
                "(QR code ou code), puis signez."
            )
    if Signature.objects.filter(session=session, day=day, half_day=half_day, signer=signer).exists():
        raise ValidationError(f"Vous avez déjà signé {slot_text(day, half_day)}.")
    try:
        with transaction.atomic():
            return Signature.objects.create(
                attendance=attendance,
                session=session,
                day=day,
                half_day=half_day,
                signer=signer,
                image_png=image_png,
                signed_at=now,
            )
    except IntegrityError:
        raise ValidationError(f"Vous avez déjà signé {slot_text(day, half_day)}.") from None


@transaction.atomic
def attendance_credit(*, attendance: Attendance, by) -> HoursEntry | None:
    """Credit a confirmed half-day of presence as presential hours, once. The entry is kept even
    when it cannot count toward the target (provider without a valid Qualiopi certification on
    that day), with the reason; the 72 h cap is applied when totals are read."""
    if attendance.confirmed_at is None:
        raise ValidationError("Cette présence n'est pas encore confirmée.")
    if attendance.status not in (AttendanceStatus.PRESENT, AttendanceStatus.PARTIAL) or attendance.hours <= 0:
        return None
    existing = HoursEntry.objects.filter(attendance=attendance).first()
    if existing is not None:
        return existing
    session = attendance.session
    provider = session.provider
    certified = provider.is_certified_on(attendance.day)
    return HoursEntry.objects.create(
        enrolment=attendance.enrolment,
        modality=Modality.PRESENTIAL,
        source=HoursSource.ATTENDANCE,
        module=session.module,
        hours=attendance.hours,
        occurred_on=attendance.day,
        recorded_by=by,
        attendance=attendance,
        counts_toward_target=certified,
        not_counted_reason=""
        if certified
        else (
            f"L'organisme « {provider.name} » n'avait pas de certification Qualiopi valide le "
            f"{attendance.day:%d/%m/%Y}."
        ),
    )
