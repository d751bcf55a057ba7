"""Reads of the mémoire: its state for one enrolment or a whole cohort (for the diploma's rules),
the learner's page, the team's board and the tutor's list."""

from __future__ import annotations

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from assessments.memoire.enums import MemoireState
from assessments.memoire.models import DraftComment, Memoire, MemoireDraft, MemoireFinal
from courses.cohorts.models import Cohort, Enrolment


def memoire_state_for(*, enrolment: Enrolment) -> MemoireState:
    """The state of the enrolment's mémoire (« not started » when there is none). One query."""
    state = Memoire.objects.filter(enrolment=enrolment).values_list("state", flat=True).first()
    return MemoireState(state or MemoireState.NOT_STARTED)


def memoire_states_for_cohort(*, cohort: Cohort) -> dict[int, MemoireState]:
    """Each enrolment of the cohort (by id) with its mémoire's state. One query, whatever the size."""
    rows = Enrolment.objects.filter(cohort=cohort).values_list("pk", "memoire__state")
    return {pk: MemoireState(state or MemoireState.NOT_STARTED) for pk, state in rows}


def memoire_of(*, enrolment: Enrolment) -> Memoire | None:
    return Memoire.objects.select_related("tutor", "enrolment__programme").filter(enrolment=enrolment).first()


def memoire_detail(*, memoire: Memoire) -> dict:
    """What a mémoire's page shows: events (oldest first), drafts (newest first) with their
    comments, and the final version. A fixed number of queries."""
    drafts = list(
        memoire.drafts.prefetch_related(
            Prefetch("comments", queryset=DraftComment.objects.select_related("author"))
        )
    )
    events = list(memoire.events.select_related("by"))
    final = MemoireFinal.objects.filter(memoire=memoire).first()
    return {"drafts": drafts, "events": events, "final": final}


def board_enrolments(
    *, cohorts: QuerySet[Cohort], region=None, tutor=None, query: str = ""
) -> QuerySet[Enrolment]:
    """The enrolments of these cohorts, narrowed to a region, a tutor and a search on the learner's
    name or address (every word must match); the board's rows before the state filter."""
    rows = Enrolment.objects.filter(cohort__in=cohorts)
    if region is not None:
        rows = rows.filter(cohort__region=region)
    if tutor is not None:
        rows = rows.filter(memoire__tutor=tutor)
    for word in query.split():
        rows = rows.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__email__icontains=word)
        )
    return rows


def board_rows(
    *, cohorts: QuerySet[Cohort], state: str | None = None, region=None, tutor=None, query: str = ""
) -> QuerySet[Enrolment]:
    """The enrolments of these cohorts with their mémoire (or none yet), for the team's board,
    ordered by cohort then learner; `state` filters (« not started » included), and so do the
    region, the tutor and the search (see `board_enrolments`)."""
    rows = board_enrolments(cohorts=cohorts, region=region, tutor=tutor, query=query).select_related(
        "user", "cohort__region", "memoire", "memoire__tutor"
    )
    if state == MemoireState.NOT_STARTED:
        rows = rows.filter(Q(memoire__isnull=True) | Q(memoire__state=MemoireState.NOT_STARTED))
    elif state:
        rows = rows.filter(memoire__state=state)
    return rows.order_by("cohort__name", "user__last_name", "user__first_name", "pk")


def board_counts(*, cohorts: QuerySet[Cohort], region=None, tutor=None, query: str = "") -> dict[str, int]:
    """How many learners of these cohorts (narrowed as `board_enrolments` does) are at each
    state. One query."""
    counts = dict.fromkeys(MemoireState.values, 0)
    rows = (
        board_enrolments(cohorts=cohorts, region=region, tutor=tutor, query=query)
        .values("memoire__state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["memoire__state"] or MemoireState.NOT_STARTED] += row["n"]
    return counts


def awaiting_tutor() -> QuerySet[Memoire]:
    """The mémoires whose subject is approved and that wait for a tutor, the longest waiting first."""
    return (
        Memoire.objects.filter(state=MemoireState.SUBJECT_APPROVED)
        .select_related("enrolment__user", "enrolment__cohort")
        .order_by("updated_at", "pk")
    )


def tutees_of(*, tutor) -> QuerySet[Memoire]:
    """The mémoires this trainer tutors, with the number of drafts, of drafts with no comment yet
    and the last upload, oldest waiting first."""
    return (
        Memoire.objects.filter(tutor=tutor)
        .select_related("enrolment__user", "enrolment__cohort")
        .annotate(
            draft_count=Count("drafts", distinct=True),
            uncommented=Count("drafts", filter=Q(drafts__comments__isnull=True), distinct=True),
            last_upload=Max("drafts__uploaded_at"),
        )
        .order_by("-uncommented", "last_upload", "pk")
    )


def uncommented_drafts(*, tutor) -> QuerySet[MemoireDraft]:
    """The drafts of this trainer's tutees in progress that have no comment yet, oldest first."""
    return (
        MemoireDraft.objects.filter(
            memoire__tutor=tutor, memoire__state=MemoireState.IN_PROGRESS, comments__isnull=True
        )
        .select_related("memoire__enrolment__user", "memoire__enrolment__cohort")
        .order_by("uploaded_at", "pk")
    )


def draft_detail(*, draft: MemoireDraft) -> list[DraftComment]:
    return list(draft.comments.select_related("author"))
