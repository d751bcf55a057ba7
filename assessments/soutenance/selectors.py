"""Reads of the soutenance: the marks (written, oral, final) with their weights, a jury's
composition, the slots a learner may book, the trainer's « Mes soutenances », the team's lists,
and the outcome the diploma's rules read (`memoire_outcome_for`, `memoire_outcomes_for_cohort`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from assessments.marking.models import AgreedMark
from assessments.memoire.enums import MemoireState
from assessments.memoire.models import Memoire
from assessments.rubrics.grading import final_mark, round_mark
from assessments.rubrics.models import MarkingScheme
from assessments.rubrics.selectors import scheme_for
from assessments.soutenance.enums import PvResult
from assessments.soutenance.models import Booking, Jury, JuryMember, OralGrid, ProcesVerbal, Slot
from courses.cohorts.models import Cohort, Enrolment


@dataclass(frozen=True)
class Marks:
    written: Decimal | None
    oral: Decimal | None
    final: Decimal | None
    written_weight: int
    oral_weight: int


@dataclass(frozen=True)
class Composition:
    president: object
    members: list


@dataclass(frozen=True)
class Outcome:
    """What the diploma's rules read about one enrolment's mémoire."""

    memoire_passed: bool
    soutenance_passed: bool
    written_mark: Decimal | None
    oral_mark: Decimal | None
    final_mark: Decimal | None
    pv_id: int | None


NO_OUTCOME = Outcome(False, False, None, None, None, None)


def released_written_mark(*, memoire: Memoire) -> Decimal | None:
    agreed = AgreedMark.objects.filter(memoire=memoire, released_at__isnull=False).only("mark").first()
    return agreed.mark if agreed else None


def active_booking(*, memoire: Memoire) -> Booking | None:
    return (
        Booking.objects.active().select_related("slot__jury__cohort__region").filter(memoire=memoire).first()
    )


def jury_composition(*, jury: Jury) -> Composition:
    seats = list(JuryMember.objects.select_related("member").filter(jury=jury))
    president = next((s.member for s in seats if s.is_president), None)
    return Composition(president=president, members=[s.member for s in seats if not s.is_president])


def oral_grids(*, memoire: Memoire) -> list[OralGrid]:
    """The oral grids of the members of the jury that hears the mémoire."""
    booking = Booking.objects.active().filter(memoire=memoire).values_list("slot__jury_id", flat=True).first()
    return list(
        OralGrid.objects.select_related("grid", "member")
        .prefetch_related("grid__scores")
        .filter(memoire=memoire, member__jury_seats__jury_id=booking)
        .order_by("member__last_name", "member__first_name")
    )


def soutenance_marks(*, memoire: Memoire) -> Marks:
    """The written mark (released), the oral mark (the members' submitted grids averaged, rounded
    by the scheme, once every member has graded) and the final mark, with the scheme's weights."""
    scheme = scheme_for(programme=memoire.enrolment.programme)
    written = released_written_mark(memoire=memoire)
    booking = Booking.objects.active().filter(memoire=memoire).values_list("slot__jury_id", flat=True).first()
    oral = None
    if booking is not None:
        seats = JuryMember.objects.filter(jury_id=booking).count()
        marks = list(
            OralGrid.objects.filter(
                memoire=memoire, member__jury_seats__jury_id=booking, grid__submitted_at__isnull=False
            ).values_list("grid__mark", flat=True)
        )
        if seats and len(marks) == seats:
            oral = round_mark(sum(marks, Decimal(0)) / len(marks), scheme.rounding)
    final = None
    if written is not None and oral is not None:
        final = final_mark(
            written,
            oral,
            written_weight=scheme.written_weight,
            oral_weight=scheme.oral_weight,
            rule=scheme.rounding,
        )
    return Marks(written, oral, final, scheme.written_weight, scheme.oral_weight)


def open_slots(*, cohort: Cohort, now=None) -> QuerySet[Slot]:
    """The slots of the cohort's juries still free and bookable now, soonest first."""
    now = now or timezone.now()
    return (
        Slot.objects.filter(jury__cohort=cohort, change_deadline__gte=now)
        .exclude(pk__in=Booking.objects.active().values("slot_id"))
        .select_related("jury")
        .prefetch_related(Prefetch("jury__members", queryset=JuryMember.objects.select_related("member")))
        .order_by("starts_at", "pk")
    )


def current_pv(*, memoire: Memoire) -> ProcesVerbal | None:
    return (
        ProcesVerbal.objects.current()
        .defer("pdf", "signature_png")
        .filter(memoire=memoire)
        .order_by("-signed_at", "-pk")
        .first()
    )


def pv_history(*, memoire: Memoire) -> list[ProcesVerbal]:
    return list(
        ProcesVerbal.objects.defer("pdf", "signature_png").filter(memoire=memoire).order_by("signed_at", "pk")
    )


def soutenances_of(*, member) -> QuerySet[Booking]:
    """The active bookings of the juries the trainer sits on, soonest first, with what the list shows."""
    return (
        Booking.objects.active()
        .filter(slot__jury__members__member=member)
        .select_related("slot__jury__cohort__region", "memoire__enrolment__user")
        .annotate(
            president=Count(
                "slot__jury__members",
                filter=Q(slot__jury__members__member=member, slot__jury__members__is_president=True),
            )
        )
        .order_by("slot__starts_at", "pk")
    )


def juries_list() -> QuerySet[Jury]:
    """Every jury with its members and its slots' counts, for the team's list."""
    return (
        Jury.objects.select_related("cohort")
        .prefetch_related(Prefetch("members", queryset=JuryMember.objects.select_related("member")))
        .annotate(
            slot_count=Count("slots", distinct=True),
            booked_count=Count(
                "slots__bookings", filter=Q(slots__bookings__cancelled_at__isnull=True), distinct=True
            ),
        )
        .order_by("cohort__name", "name", "pk")
    )


def jury_slots(*, jury: Jury) -> list[Slot]:
    """The jury's slots with their active booking (or none) and the learner."""
    return list(
        Slot.objects.filter(jury=jury)
        .prefetch_related(
            Prefetch(
                "bookings",
                queryset=Booking.objects.active().select_related("memoire__enrolment__user"),
                to_attr="active_bookings",
            )
        )
        .order_by("starts_at", "pk")
    )


SOUTENANCE_STATES = (
    MemoireState.RELEASED,
    MemoireState.SOUTENANCE_BOOKED,
    MemoireState.ADMITTED,
    MemoireState.ADJOURNED,
)


def cohort_soutenances(*, cohort: Cohort) -> QuerySet[Memoire]:
    """The cohort's mémoires from the written mark's release on, with their active booking and
    current PV, by learner."""
    return (
        Memoire.objects.filter(enrolment__cohort=cohort, state__in=SOUTENANCE_STATES)
        .select_related("enrolment__user", "agreed_mark")
        .prefetch_related(
            Prefetch(
                "soutenance_bookings",
                queryset=Booking.objects.active().select_related("slot__jury"),
                to_attr="active_bookings",
            ),
            Prefetch(
                "pvs",
                queryset=ProcesVerbal.objects.current().defer("pdf", "signature_png"),
                to_attr="current_pvs",
            ),
        )
        .order_by("enrolment__user__last_name", "enrolment__user__first_name", "pk")
    )


def _outcome(*, written, pass_mark, pv) -> Outcome:
    return Outcome(
        memoire_passed=written is not None and written >= pass_mark,
        soutenance_passed=pv is not None and pv.result == PvResult.ADMITTED,
        written_mark=written,
        oral_mark=pv.oral_mark if pv else None,
        final_mark=pv.final_mark if pv else None,
        pv_id=pv.pk if pv else None,
    )


def memoire_outcome_for(*, enrolment: Enrolment) -> Outcome:
    """Whether the enrolment's mémoire passed (written mark released and at or above the pass
    mark) and its soutenance passed (the current signed PV says admitted), with the marks and the
    PV's id."""
    return _outcomes(
        enrolments=Enrolment.objects.filter(pk=enrolment.pk),
        programme_id=enrolment.programme_id,
        ids={enrolment.pk},
    )[enrolment.pk]


def memoire_outcomes_for_cohort(*, cohort: Cohort) -> dict[int, Outcome]:
    """Each enrolment of the cohort (by id) with its Outcome. Four queries, whatever the size."""
    enrolments = Enrolment.objects.filter(cohort=cohort)
    return _outcomes(
        enrolments=enrolments,
        programme_id=cohort.programme_id,
        ids=set(enrolments.values_list("pk", flat=True)),
    )


def _outcomes(*, enrolments: QuerySet[Enrolment], programme_id: int, ids: set[int]) -> dict[int, Outcome]:
    pass_mark = (
        MarkingScheme.objects.filter(programme_id=programme_id).values_list("pass_mark", flat=True).first()
    )
    if pass_mark is None:
        pass_mark = MarkingScheme._meta.get_field("pass_mark").default
    written = dict(
        enrolments.filter(memoire__agreed_mark__released_at__isnull=False).values_list(
            "pk", "memoire__agreed_mark__mark"
        )
    )
    pvs = {
        pv.memoire.enrolment_id: pv
        for pv in ProcesVerbal.objects.current()
        .filter(memoire__enrolment__in=enrolments)
        .select_related("memoire")
        .only("pk", "result", "oral_mark", "final_mark", "memoire__enrolment_id")
    }
    return {pk: _outcome(written=written.get(pk), pass_mark=pass_mark, pv=pvs.get(pk)) for pk in ids}
