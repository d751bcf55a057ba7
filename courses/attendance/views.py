"""Attendance pages: the half-day sheets of a session for staff and its trainers (marking,
confirmation, PDF, QR code, trainer signature), and the learner's check-in (QR code or typed code)
and signature."""

import datetime

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from courses.attendance import selectors, services
from courses.attendance.forms import AttendanceSheetForm, CheckinCodeForm, SignatureForm
from courses.attendance.models import Attendance, AttendanceStatus, Signature
from courses.attendance.pdf import attendance_sheet_pdf
from courses.sessions import permissions as sessions_permissions
from courses.sessions.models import PresentialSession
from courses.sessions.selectors import half_day_hours, last_half_day_hours, session_counts, session_half_days
from lms import permissions
from lms.pages import form_page

STATUS_BADGES = {
    AttendanceStatus.PRESENT: "success",
    AttendanceStatus.PARTIAL: "info",
    AttendanceStatus.EXCUSED: "warning",
    AttendanceStatus.ABSENT: "error",
}


def _messages(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _slot(session, day: str, half_day: str) -> tuple[datetime.date, str]:
    """The URL's half-day, which must be one of the session's (else 404)."""
    try:
        parsed = datetime.date.fromisoformat(day)
    except ValueError:
        raise Http404("Date invalide.") from None
    if (parsed, half_day) not in session_half_days(session):
        raise Http404("La session n'a pas lieu pendant cette demi-journée.")
    return parsed, half_day


def _session_for_attendance(request, session_id) -> PresentialSession:
    session = get_object_or_404(
        sessions_permissions.sessions_visible_to(request.user).select_related("module", "provider", "region"),
        pk=session_id,
    )
    if not sessions_permissions.can_take_attendance(request.user, session):
        raise PermissionDenied("Seul·es les formateur·rices de la session et ses gestionnaires font l'appel.")
    return session


def _slot_links(session, slots):
    counts: dict[tuple, dict] = {}
    for day, half_day, status, confirmed in Attendance.objects.filter(session=session).values_list(
        "day", "half_day", "status", "confirmed_at"
    ):
        entry = counts.setdefault((day, half_day), {"marked": 0, "present": 0, "confirmed": False})
        entry["marked"] += 1
        entry["present"] += status in services.PRESENCE
        entry["confirmed"] = entry["confirmed"] or confirmed is not None
    return [
        {
            "day": day,
            "half_day": half_day,
            "label": selectors.half_day_label(half_day),
            "iso": day.isoformat(),
            **counts.get((day, half_day), {"marked": 0, "present": 0, "confirmed": False}),
        }
        for day, half_day in slots
    ]


@login_required
def session_attendance(request, session_id):
    session = _session_for_attendance(request, session_id)
    return render(
        request,
        "courses/attendance/overview.html",
        {
            "session": session,
            "slots": _slot_links(session, session_half_days(session)),
            "half_day_hours": half_day_hours(session),
            "last_half_day_hours": last_half_day_hours(session),
            "can_manage": sessions_permissions.can_manage_session(request.user, session),
        },
    )


@login_required
def sheet(request, session_id, day, half_day):
    session = _session_for_attendance(request, session_id)
    day, half_day = _slot(session, day, half_day)
    sheet = selectors.attendance_sheet(session=session, day=day, half_day=half_day)
    form = AttendanceSheetForm(request.POST if request.method == "POST" else None, rows=sheet.rows)
    if request.method == "POST" and form.is_valid():
        try:
            written = services.attendance_mark(
                session=session, day=day, half_day=half_day, marks=form.marks, by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Appel enregistré : {written} statut(s) mis à jour.")
            return redirect(
                "attendances:sheet", session_id=session.pk, day=day.isoformat(), half_day=half_day
            )
    rows = []
    for row in sheet.rows:
        status, hours = form.value_for(row)
        rows.append(
            {
                "row": row,
                "status": status,
                "hours": hours,
                "error": form.row_errors.get(row.enrolment.pk),
                "badge": STATUS_BADGES.get(row.attendance.status) if row.attendance else None,
            }
        )
    return form_page(
        request,
        "courses/attendance/sheet.html",
        {
            "session": session,
            "sheet": sheet,
            "rows": rows,
            "form": form,
            "statuses": AttendanceStatus.choices,
            "label": selectors.half_day_label(half_day),
            "can_manage": sessions_permissions.can_manage_session(request.user, session),
            "is_trainer": session.trainers.filter(pk=request.user.pk).exists(),
            "trainer_signed": request.user.pk in sheet.trainer_signer_ids,
            "counts": session_counts(session),
        },
    )


@login_required
def confirm(request, session_id, day, half_day):
    session = _session_for_attendance(request, session_id)
    if not sessions_permissions.can_manage_session(request.user, session):
        raise PermissionDenied(
            "Seul·es les référent·es ARS de la région et l'équipe pédagogique confirment l'appel."
        )
    day, half_day = _slot(session, day, half_day)
    back = reverse("attendances:sheet", args=[session.pk, day.isoformat(), half_day])
    error = None
    if request.method == "POST":
        try:
            entries = services.attendance_confirm(
                session=session, day=day, half_day=half_day, by=request.user
            )
        except ValidationError as exc:
            error = _messages(exc)
        else:
            messages.success(
                request,
                f"Demi-journée confirmée : {len(entries)} présence(s) créditée(s) en heures de présentiel.",
            )
            return redirect(back)
    sheet = selectors.attendance_sheet(session=session, day=day, half_day=half_day)
    return render(
        request,
        "courses/attendance/confirm.html",
        {
            "session": session,
            "sheet": sheet,
            "label": selectors.half_day_label(half_day),
            "back": back,
            "error": error,
            "certified": session.provider.is_certified_on(day),
            "present": sheet.count(AttendanceStatus.PRESENT),
            "partial": sheet.count(AttendanceStatus.PARTIAL),
            "absent": sheet.count(AttendanceStatus.ABSENT),
            "excused": sheet.count(AttendanceStatus.EXCUSED),
        },
        status=400 if error else 200,
    )


@login_required
def sheet_pdf(request, session_id, day, half_day):
    session = _session_for_attendance(request, session_id)
    day, half_day = _slot(session, day, half_day)
    sheet = selectors.attendance_sheet(session=session, day=day, half_day=half_day)
    response = HttpResponse(attendance_sheet_pdf(sheet=sheet), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="emargement-{session.pk}-{day.isoformat()}-{half_day}.pdf"'
    )
    return response


def _signature_page(request, session, day, half_day, *, back, template_context):
    form = SignatureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.signature_save(
                session=session,
                day=day,
                half_day=half_day,
                signer=request.user,
                image_png=form.cleaned_data["signature"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, f"Votre signature est enregistrée {selectors.slot_text(day, half_day)}."
            )
            return redirect(back)
    return form_page(
        request,
        "courses/attendance/sign.html",
        {
            "session": session,
            "day": day,
            "label": selectors.half_day_label(half_day),
            "form": form,
            "back": back,
            "pad": services.SIGNATURE_CANVAS,
            **template_context,
        },
    )


@login_required
def trainer_sign(request, session_id, day, half_day):
    session = _session_for_attendance(request, session_id)
    if not session.trainers.filter(pk=request.user.pk).exists():
        raise PermissionDenied("Seul·es les formateur·rices de la session signent la feuille.")
    day, half_day = _slot(session, day, half_day)
    back = reverse("attendances:sheet", args=[session.pk, day.isoformat(), half_day])
    return _signature_page(request, session, day, half_day, back=back, template_context={"as_trainer": True})


def checkin_context(request, session, *, now=None) -> dict:
    """What the QR panel shows: the QR code (inline SVG) of this minute's check-in link, the typed
    code, and whether check-in is open; for ``courses/attendance/qr_panel.html``."""
    now = now or timezone.now()
    window = selectors.checkin_window(now)
    url = request.build_absolute_uri(
        reverse("attendances:checkin", args=[session.pk, selectors.checkin_token(session, window)])
    )
    return {
        "checkin_open": selectors.current_half_day(session, now) is not None,
        "checkin_url": url,
        "checkin_qr": segno.make(url, error="m").svg_inline(scale=6, title="QR code d'émargement"),
        "checkin_code": selectors.checkin_code(session, window),
        "checkin_code_url": request.build_absolute_uri(reverse("attendances:code", args=[session.pk])),
        "checkin_window_message": selectors.window_message(session),
        "checkin_seconds_left": 60 - int(now.timestamp()) % 60,
    }


@login_required
def checkin_display(request, session_id):
    session = _session_for_attendance(request, session_id)
    return render(
        request,
        "courses/attendance/qr.html",
        {"session": session, **checkin_context(request, session)},
    )


def _invited_session(request, session_id):
    """A learner invited to the session (403 otherwise, as for every other account)."""
    if not permissions.is_learner(request.user):
        raise PermissionDenied("L'émargement en ligne est réservé aux apprenant·es invité·es.")
    session = get_object_or_404(
        PresentialSession.objects.select_related("module", "provider", "region"), pk=session_id
    )
    enrolment = sessions_permissions.invited_enrolment(request.user, session)
    if enrolment is None:
        raise PermissionDenied("Vous n'êtes pas invité·e à cette session.")
    return session, enrolment


@login_required
def learner_attendance(request, session_id):
    session, enrolment = _invited_session(request, session_id)
    records = {
        (a.day, a.half_day): a for a in Attendance.objects.filter(session=session, enrolment=enrolment)
    }
    signed = set(
        Signature.objects.filter(session=session, signer=request.user).values_list("day", "half_day")
    )
    now = timezone.now()
    slots = []
    for day, half_day in session_half_days(session):
        begin, end = selectors.slot_bounds(session, day, half_day)
        record = records.get((day, half_day))
        slots.append(
            {
                "day": day,
                "iso": day.isoformat(),
                "half_day": half_day,
                "label": selectors.half_day_label(half_day),
                "record": record,
                "badge": STATUS_BADGES.get(record.status) if record else None,
                "listed": enrolment.created_at <= end,
                "signed": (day, half_day) in signed,
                "can_sign": record is not None
                and record.status in services.PRESENCE
                and (day, half_day) not in signed,
            }
        )
    return render(
        request,
        "courses/attendance/learner.html",
        {
            "session": session,
            "slots": slots,
            "checkin_open": selectors.current_half_day(session, now) is not None,
            "window_message": selectors.window_message(session),
        },
    )


@login_required
def checkin(request, session_id, token):
    session, _ = _invited_session(request, session_id)
    now = timezone.now()
    if selectors.current_half_day(session, now) is None:
        messages.error(request, selectors.window_message(session))
    elif not selectors.checkin_token_valid(session, token, now):
        messages.error(
            request,
            "Ce QR code a expiré : scannez celui affiché en ce moment, ou saisissez le code à 6 chiffres.",
        )
        return redirect("attendances:code", session_id=session.pk)
    else:
        try:
            record = services.attendance_checkin(session=session, user=request.user, now=now)
        except ValidationError as exc:
            messages.info(request, _messages(exc))
        else:
            _checked_in(request, record)
    return redirect("attendances:learner", session_id=session.pk)


def _checked_in(request, record: Attendance) -> None:
    messages.success(
        request,
        f"Votre présence est enregistrée {selectors.slot_text(record.day, record.half_day)}. "
        "Vous pouvez maintenant signer.",
    )


@login_required
def checkin_by_code(request, session_id):
    session, _ = _invited_session(request, session_id)
    form = CheckinCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.attendance_code_checkin(
                session=session, user=request.user, code=form.cleaned_data["code"], now=timezone.now()
            )
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            _checked_in(request, record)
            return redirect("attendances:learner", session_id=session.pk)
    return form_page(request, "courses/attendance/code.html", {"session": session, "form": form})


@login_required
def learner_sign(request, session_id, day, half_day):
    session, _ = _invited_session(request, session_id)
    day, half_day = _slot(session, day, half_day)
    back = reverse("attendances:learner", args=[session.pk])
    return _signature_page(request, session, day, half_day, back=back, template_context={"as_trainer": False})
