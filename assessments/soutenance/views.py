"""The soutenance's pages: the team's juries, slots and cohort lists; the trainer's « Mes
soutenances » with the declaration of no conflict of interest, the oral grid and, for the
president, the PV; the learner's booking page; the .ics and the PV download.

Bookings and PVs are fetched through permissions.bookings_visible_to / pvs_visible_to, so another
learner's booking or PV, or a soutenance a trainer does not hear, is « not found »; ARS staff see
none. The rules are in memoire/flows.py, soutenance/rules.py and soutenance/services.py."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from assessments.memoire import selectors as memoire_selectors
from assessments.memoire.enums import MemoireState
from assessments.memoire.flows import transition_refusal
from assessments.rubrics.forms import GridForm
from assessments.rubrics.selectors import scheme_for
from assessments.soutenance import permissions, selectors, services
from assessments.soutenance.enums import PvResult
from assessments.soutenance.forms import ConflictForm, JuryForm, PvForm, SlotForm
from assessments.soutenance.ics import booking_ics
from assessments.soutenance.models import Booking, ConflictDeclaration, Jury, Slot
from courses.attendance.services import SIGNATURE_CANVAS
from courses.cohorts import selectors as cohorts_selectors
from courses.cohorts.models import Cohort
from lms.enums import Role
from lms.models import User
from lms.pages import form_page
from lms.permissions import is_trainer

PAGE_SIZE = 30


def _team_or_denied(user) -> None:
    if not permissions.can_manage_soutenances(user):
        raise PermissionDenied("L'organisation des soutenances est réservée à l'équipe pédagogique.")


def _trainers():
    return User.objects.filter(role=Role.TRAINER, is_active=True).order_by("last_name", "first_name")


def _local(value: datetime.datetime, zone: str) -> datetime.datetime:
    return value.astimezone(ZoneInfo(zone))


# --- the pedagogical team -------------------------------------------------------------------------


@login_required
def juries(request):
    _team_or_denied(request.user)
    page = Paginator(selectors.juries_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assessments/soutenance/juries.html",
        {"page_obj": page, "cohorts": Cohort.objects.order_by("name")},
    )


def _jury_form_page(request, *, jury: Jury | None):
    initial = None
    if jury is not None:
        composition = selectors.jury_composition(jury=jury)
        initial = {
            "cohort": jury.cohort_id,
            "name": jury.name,
            "president": composition.president.pk if composition.president else None,
            "members": [m.pk for m in composition.members],
        }
    form = JuryForm(
        request.POST or None, initial=initial, cohorts=Cohort.objects.order_by("name"), trainers=_trainers()
    )
    if request.method == "POST" and form.is_valid():
        try:
            jury = services.jury_save(jury=jury, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Le jury « {jury.name} » est enregistré.")
            return redirect("soutenance:jury", jury_id=jury.pk)
    return form_page(request, "assessments/soutenance/jury_form.html", {"form": form, "jury": jury})


def _add_errors(form, exc: ValidationError) -> None:
    """A service's refusal on the form: by field when it names the form's fields, on top otherwise."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def jury_create(request):
    _team_or_denied(request.user)
    return _jury_form_page(request, jury=None)


def _team_jury(request, jury_id: int) -> Jury:
    _team_or_denied(request.user)
    return get_object_or_404(Jury.objects.select_related("cohort__region"), pk=jury_id)


@login_required
def jury_edit(request, jury_id):
    jury = _team_jury(request, jury_id)
    if Booking.objects.active().filter(slot__jury=jury).exists():
        messages.error(request, services.HAS_BOOKINGS)
        return redirect("soutenance:jury", jury_id=jury.pk)
    return _jury_form_page(request, jury=jury)


@login_required
def jury_detail(request, jury_id):
    jury = _team_jury(request, jury_id)
    zone = jury.cohort.region.timezone
    slots = selectors.jury_slots(jury=jury)
    rows = [
        {
            "slot": slot,
            "starts": _local(slot.starts_at, zone),
            "deadline": _local(slot.change_deadline, zone),
            "booking": slot.active_bookings[0] if slot.active_bookings else None,
        }
        for slot in slots
    ]
    return render(
        request,
        "assessments/soutenance/jury.html",
        {"jury": jury, "composition": selectors.jury_composition(jury=jury), "rows": rows, "zone": zone},
    )


def _slot_form_page(request, *, jury: Jury, slot: Slot | None):
    zone = jury.cohort.region.timezone
    initial = None
    if slot is not None:
        initial = {
            "starts_at": _local(slot.starts_at, zone).replace(tzinfo=None),
            "duration_minutes": slot.duration_minutes,
            "place": slot.place,
            "video_link": slot.video_link,
            "change_deadline": _local(slot.change_deadline, zone).replace(tzinfo=None),
        }
    form = SlotForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.slot_save(slot=slot, jury=jury, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request, "Le créneau est enregistré : les apprenant·es de la promotion peuvent le réserver."
            )
            return redirect("soutenance:jury", jury_id=jury.pk)
    return form_page(
        request,
        "assessments/soutenance/slot_form.html",
        {"form": form, "jury": jury, "slot": slot, "zone": zone},
    )


@login_required
def slot_create(request, jury_id):
    return _slot_form_page(request, jury=_team_jury(request, jury_id), slot=None)


@login_required
def slot_edit(request, slot_id):
    _team_or_denied(request.user)
    slot = get_object_or_404(Slot.objects.select_related("jury__cohort__region"), pk=slot_id)
    if Booking.objects.active().filter(slot=slot).exists():
        messages.error(request, services.SLOT_BOOKED)
        return redirect("soutenance:jury", jury_id=slot.jury_id)
    return _slot_form_page(request, jury=slot.jury, slot=slot)


@login_required
def cohort_soutenances(request, cohort_id):
    _team_or_denied(request.user)
    cohort = get_object_or_404(Cohort.objects.select_related("region"), pk=cohort_id)
    page = Paginator(selectors.cohort_soutenances(cohort=cohort), PAGE_SIZE).get_page(request.GET.get("page"))
    zone = cohort.region.timezone
    rows = [
        {
            "memoire": memoire,
            "booking": memoire.active_bookings[0] if memoire.active_bookings else None,
            "starts": _local(memoire.active_bookings[0].slot.starts_at, zone)
            if memoire.active_bookings
            else None,
            "pv": memoire.current_pvs[0] if memoire.current_pvs else None,
        }
        for memoire in page
    ]
    return render(
        request,
        "assessments/soutenance/cohort.html",
        {"cohort": cohort, "page_obj": page, "rows": rows, "zone": zone},
    )


# --- the jury -------------------------------------------------------------------------------------


@login_required
def hearings(request):
    if not is_trainer(request.user):
        raise PermissionDenied("Cette page est réservée aux formateur·rices.")
    page = Paginator(selectors.soutenances_of(member=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        {"booking": b, "starts": _local(b.slot.starts_at, b.slot.jury.cohort.region.timezone)} for b in page
    ]
    return render(request, "assessments/soutenance/hearings.html", {"page_obj": page, "rows": rows})


def _visible_booking(request, booking_id: int, *, active: bool = True) -> Booking:
    bookings = permissions.bookings_visible_to(request.user)
    if active:
        bookings = bookings.active()
    return get_object_or_404(
        bookings.select_related(
            "slot__jury__cohort__region", "memoire__enrolment__user", "memoire__enrolment__programme"
        ).distinct(),
        pk=booking_id,
    )


def _hearing_booking(request, booking_id: int) -> Booking:
    booking = _visible_booking(request, booking_id)
    if not (
        permissions.is_jury_member(request.user, booking.memoire)
        or permissions.can_manage_soutenances(request.user)
    ):
        raise PermissionDenied("Cette page est réservée au jury de la soutenance et à l'équipe pédagogique.")
    return booking


@login_required
def hearing(request, booking_id):
    booking = _hearing_booking(request, booking_id)
    memoire = booking.memoire
    member = permissions.is_jury_member(request.user, memoire)
    scheme = scheme_for(programme=memoire.enrolment.programme)
    declared = member and ConflictDeclaration.objects.filter(memoire=memoire, member=request.user).exists()
    grid = services.oral_grid_of(memoire=memoire, member=request.user) if member else None
    conflict_form = ConflictForm()
    grid_form = None
    action = request.POST.get("action")
    if request.method == "POST":
        if not member:
            raise PermissionDenied("Seul·es les membres du jury de cette soutenance la notent.")
        if action == "conflict":
            conflict_form = ConflictForm(request.POST)
            if conflict_form.is_valid():
                try:
                    services.conflict_declare(memoire=memoire, by=request.user, confirmed=True)
                except ValidationError as exc:
                    conflict_form.add_error(None, exc)
                else:
                    messages.success(
                        request, "Votre déclaration est enregistrée : vous pouvez noter la soutenance."
                    )
                    return redirect("soutenance:hearing", booking_id=booking.pk)
        elif scheme.oral_rubric is not None:
            submit = action == "submit"
            grid_form = GridForm(request.POST, rubric=scheme.oral_rubric, grid=grid, submitting=submit)
            if grid_form.is_valid():
                try:
                    services.oral_grid_save(
                        memoire=memoire,
                        by=request.user,
                        scores=grid_form.scores(),
                        comment=grid_form.cleaned_data["comment"],
                        submit=submit,
                    )
                except ValidationError as exc:
                    grid_form.add_error(None, exc)
                else:
                    messages.success(
                        request,
                        "Votre grille est remise : elle ne se modifie plus."
                        if submit
                        else "Votre grille est enregistrée comme brouillon.",
                    )
                    return redirect("soutenance:hearing", booking_id=booking.pk)
    if grid_form is None and scheme.oral_rubric is not None and member and declared:
        grid_form = GridForm(rubric=scheme.oral_rubric, grid=grid)
    grids = selectors.oral_grids(memoire=memoire)
    composition = selectors.jury_composition(jury=booking.slot.jury)
    seats = [composition.president, *composition.members]
    submitted = {g.member_id for g in grids if g.grid.submitted_at}
    all_graded = all(s.pk in submitted for s in seats)
    context = {
        "booking": booking,
        "memoire": memoire,
        "starts": _local(booking.slot.starts_at, booking.slot.jury.cohort.region.timezone),
        "zone": booking.slot.jury.cohort.region.timezone,
        "composition": composition,
        "submitted": submitted,
        "is_member": member,
        "is_president": permissions.is_jury_president(request.user, memoire),
        "declared": declared,
        "my_grid": grid,
        "conflict_form": conflict_form,
        "grid_form": grid_form,
        "scheme": scheme,
        "marks": selectors.soutenance_marks(memoire=memoire),
        # Another member's grid shows once every member has graded (like the written marking).
        "grids": grids if all_graded else [],
        "all_graded": all_graded,
        "pv": selectors.current_pv(memoire=memoire),
        "pv_history": selectors.pv_history(memoire=memoire),
        "can_grade": member and declared and transition_refusal(memoire, "submit_oral_grid") is None,
    }
    return form_page(request, "assessments/soutenance/hearing.html", context)


@login_required
def pv(request, booking_id):
    """The president drafts the PV, previews it, then signs it on screen (or, once signed, signs a
    correction that supersedes it)."""
    booking = _visible_booking(request, booking_id)
    memoire = booking.memoire
    if not permissions.is_jury_president(request.user, memoire):
        raise PermissionDenied("Seul·e le ou la président·e du jury signe le procès-verbal.")
    current = selectors.current_pv(memoire=memoire)
    correcting = current is not None
    previewing = request.POST.get("action") == "preview"
    form = PvForm(request.POST or None, correcting=correcting, previewing=previewing)
    marks = selectors.soutenance_marks(memoire=memoire)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if previewing:
            preview = {
                "result": PvResult(data["result"]).label,
                "corrections": data["corrections"] if data["result"] == PvResult.ADJOURNED else "",
                "new_deadline": data["new_deadline"] if data["result"] == PvResult.ADJOURNED else None,
            }
        else:
            try:
                kwargs = {
                    "memoire": memoire,
                    "by": request.user,
                    "result": data["result"],
                    "corrections": data["corrections"],
                    "new_deadline": data["new_deadline"],
                    "signature_png": data["signature"],
                }
                if correcting:
                    services.pv_correct(correction_reason=data["correction_reason"], **kwargs)
                else:
                    services.pv_sign(**kwargs)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, "Le procès-verbal est signé : l'apprenant·e peut le télécharger.")
                return redirect("soutenance:hearing", booking_id=booking.pk)
    context = {
        "booking": booking,
        "memoire": memoire,
        "form": form,
        "marks": marks,
        "composition": selectors.jury_composition(jury=booking.slot.jury),
        "scheme": scheme_for(programme=memoire.enrolment.programme),
        "starts": _local(booking.slot.starts_at, booking.slot.jury.cohort.region.timezone),
        "current": current,
        "correcting": correcting,
        "preview": preview,
        "refusal": transition_refusal(memoire, "correct_pv_admit" if correcting else "sign_pv_admit"),
        "pad": SIGNATURE_CANVAS,
    }
    if preview is not None:
        return render(request, "assessments/soutenance/pv.html", context)
    return form_page(request, "assessments/soutenance/pv.html", context)


# --- the learner ----------------------------------------------------------------------------------


def _learner_memoire(request):
    enrolment = cohorts_selectors.learner_enrolment_or_denied(request.user)
    return enrolment, memoire_selectors.memoire_of(enrolment=enrolment)


@login_required
def mine(request):
    enrolment, memoire = _learner_memoire(request)
    booking = selectors.active_booking(memoire=memoire) if memoire else None
    zone = enrolment.cohort.region.timezone if enrolment.cohort.region_id else settings.TIME_ZONE
    state = memoire.state if memoire else MemoireState.NOT_STARTED
    can_book = memoire is not None and transition_refusal(memoire, "book") is None
    can_rebook = (
        booking is not None
        and transition_refusal(memoire, "rebook") is None
        and timezone.now() <= booking.slot.change_deadline
    )
    slots = []
    if can_book or can_rebook:
        page = Paginator(selectors.open_slots(cohort=enrolment.cohort), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        slots = [{"slot": s, "starts": _local(s.starts_at, zone)} for s in page]
    else:
        page = None
    pv = selectors.current_pv(memoire=memoire) if memoire else None
    context = {
        "memoire": memoire,
        "state": MemoireState(state),
        "booking": booking,
        "booking_starts": _local(booking.slot.starts_at, zone) if booking else None,
        "booking_deadline": _local(booking.slot.change_deadline, zone) if booking else None,
        "composition": selectors.jury_composition(jury=booking.slot.jury) if booking else None,
        "can_book": can_book,
        "can_rebook": can_rebook,
        "slots": slots,
        "page_obj": page,
        "zone": zone,
        "pv": pv,
        "waiting": transition_refusal(memoire, "book") if memoire and not booking and not can_book else None,
    }
    return render(request, "assessments/soutenance/mine.html", context)


@login_required
def book(request, slot_id):
    """A confirmation page, then the booking (or the change of booking)."""
    enrolment, memoire = _learner_memoire(request)
    slot = get_object_or_404(
        Slot.objects.select_related("jury__cohort__region"), pk=slot_id, jury__cohort=enrolment.cohort
    )
    if memoire is None:
        messages.error(request, "La soutenance se réserve une fois la note de l'écrit publiée.")
        return redirect("soutenance:mine")
    rebooking = memoire.state == MemoireState.SOUTENANCE_BOOKED
    if refusal := transition_refusal(memoire, "rebook" if rebooking else "book"):
        messages.error(request, refusal)
        return redirect("soutenance:mine")
    error = None
    if request.method == "POST":
        try:
            if rebooking:
                services.soutenance_rebook(memoire=memoire, slot=slot, by=request.user)
            else:
                services.soutenance_book(memoire=memoire, slot=slot, by=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                "Votre soutenance est réservée : l'invitation vous est envoyée par courriel."
                if not rebooking
                else "Votre réservation est modifiée : la nouvelle invitation vous est envoyée par courriel.",
            )
            return redirect("soutenance:mine")
    zone = slot.jury.cohort.region.timezone
    return render(
        request,
        "assessments/soutenance/book.html",
        {
            "slot": slot,
            "starts": _local(slot.starts_at, zone),
            "deadline": _local(slot.change_deadline, zone),
            "zone": zone,
            "rebooking": rebooking,
            "error": error,
            "composition": selectors.jury_composition(jury=slot.jury),
        },
        status=400 if error else 200,
    )


# --- files ----------------------------------------------------------------------------------------


@login_required
def invitation_ics(request, booking_id):
    booking = _visible_booking(request, booking_id)
    learner = booking.memoire.enrolment.user_id == request.user.pk
    link = settings.SITE_BASE_URL + (
        reverse("soutenance:mine") if learner else reverse("soutenance:hearing", args=[booking.pk])
    )
    response = HttpResponse(booking_ics(booking, link=link), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="soutenance.ics"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def pv_file(request, pv_id):
    """The PV's PDF as stored at signing (never made again)."""
    record = get_object_or_404(permissions.pvs_visible_to(request.user).distinct(), pk=pv_id)
    if not record.pdf:
        raise Http404("Aucun PDF.")
    response = HttpResponse(bytes(record.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="proces-verbal-{record.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response
