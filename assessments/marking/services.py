"""Writes of the double marking. Every step is a transition of the mémoire's state machine
(memoire/flows.py: assign_markers, submit_grid, settle_average, open_reconciliation,
name_third_marker, reconcile, release), made first so that the mémoire's row is locked, who may
act and the order are checked, and the step is logged; the rows of this room are written after it,
in the same transaction, so that a refusal leaves nothing half-written."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.marking.models import (
    AgreedMark,
    AgreedMarkRule,
    CohortMarkingOptions,
    MarkerAssignment,
    MarkerRole,
)
from assessments.marking.permissions import can_assign_markers
from assessments.marking.tasks import send_marker_assignment_email
from assessments.memoire.enums import MemoireState
from assessments.memoire.flows import memoire_transition
from assessments.memoire.models import Memoire
from assessments.rubrics import grading
from assessments.rubrics.models import Grid, MarkingScheme
from assessments.rubrics.selectors import scheme_for
from assessments.rubrics.services import grid_save, grid_start

NO_RUBRIC = (
    "L'équipe pédagogique n'a pas encore choisi la grille d'évaluation du mémoire écrit "
    "(Notation › Règles de notation) : la correction ne peut pas commencer."
)


def _scheme(memoire: Memoire) -> MarkingScheme:
    return scheme_for(programme=memoire.enrolment.programme)


def written_rubric_or_error(memoire: Memoire):
    rubric = _scheme(memoire).written_rubric
    if rubric is None:
        raise ValidationError(NO_RUBRIC)
    return rubric


@transaction.atomic
def markers_assign(*, memoire: Memoire, first, second, by, comment: str = "") -> list[MarkerAssignment]:
    """The team assigns the first and second markers (two distinct trainers; the tutor only if the
    programme's scheme allows it). While marking, a marker who has not submitted may be replaced;
    their draft grid goes with them."""
    current = memoire_transition(
        memoire=memoire, transition="assign_markers", by=by, comment=comment, first=first, second=second
    )
    held = {a.role: a for a in MarkerAssignment.objects.select_related("grid").filter(memoire=current)}
    wanted = {MarkerRole.FIRST: first, MarkerRole.SECOND: second}
    # Free the roles that change hands first (the unique constraints are on marker and on role).
    for role, marker in wanted.items():
        old = held.get(role)
        if old is not None and old.marker_id != marker.pk:
            grid = old.grid
            old.delete()
            if grid is not None:
                grid.delete()
            held.pop(role)
    result = []
    for role, marker in wanted.items():
        if role in held:
            result.append(held[role])
        else:
            assignment = MarkerAssignment.objects.create(
                memoire=current, marker=marker, role=role, assigned_by=by
            )
            _notify(assignment)
            result.append(assignment)
    return result


def _notify(assignment: MarkerAssignment) -> None:
    """Email the marker after the commit (through Celery)."""
    transaction.on_commit(lambda: send_marker_assignment_email.delay(assignment_id=assignment.pk))


def _assignment(memoire: Memoire, user) -> MarkerAssignment:
    assignment = MarkerAssignment.objects.select_related("grid").filter(memoire=memoire, marker=user).first()
    if assignment is None:
        raise PermissionDenied("Ce mémoire ne vous est pas confié en correction.")
    return assignment


@transaction.atomic
def marker_grid(*, memoire: Memoire, by) -> Grid:
    """The marker's own grid for this mémoire (started on the programme's written rubric the first
    time). Refused when no rubric is chosen."""
    assignment = _assignment(memoire, by)
    if assignment.role == MarkerRole.THIRD:
        raise PermissionDenied("Le ou la tiers correcteur·rice remplit la grille de conciliation.")
    if assignment.grid is not None:
        return assignment.grid
    grid = grid_start(rubric=written_rubric_or_error(memoire), author=by)
    MarkerAssignment.objects.filter(pk=assignment.pk).update(grid=grid)
    return grid


def marker_grid_save(*, memoire: Memoire, scores: dict, comment: str = "", by) -> Grid:
    """Save the marker's grid as a draft (nothing is checked but the scores' range and criteria)."""
    grid = marker_grid(memoire=memoire, by=by)
    return grid_save(grid=grid, scores=scores, comment=comment, by=by)


@transaction.atomic
def marker_grid_submit(
    *, memoire: Memoire, by, scores: dict | None = None, comment: str | None = None
) -> Grid:
    """Submit the marker's grid (sealed from then on). When it is the second one, the agreed mark is
    decided in the same transaction: the rounded average, or a reconciliation with its reason."""
    current = memoire_transition(memoire=memoire, transition="submit_grid", by=by)
    grid = marker_grid(memoire=current, by=by)
    if scores is None:
        scores = {s.criterion_id: (s.score, s.justification) for s in grid.scores.all() if s.criterion_id}
    grid = grid_save(
        grid=grid, scores=scores, comment=grid.comment if comment is None else comment, submit=True, by=by
    )
    _decide_when_both_in(current, by=by)
    return grid


def _decide_when_both_in(memoire: Memoire, *, by) -> None:
    grids = {
        a.role: a.grid
        for a in MarkerAssignment.objects.select_related("grid").filter(
            memoire=memoire, role__in=[MarkerRole.FIRST, MarkerRole.SECOND], grid__submitted_at__isnull=False
        )
    }
    if len(grids) < 2:
        return
    first, second = grids[MarkerRole.FIRST].mark, grids[MarkerRole.SECOND].mark
    scheme = _scheme(memoire)
    reason = grading.needs_reconciliation(
        first, second, threshold=scheme.discrepancy_threshold, pass_mark=scheme.pass_mark
    )
    if reason:
        memoire_transition(memoire=memoire, transition="open_reconciliation", by=by, comment=reason)
        return
    mark = grading.average_mark(first, second, rule=scheme.rounding)
    rule_text = average_rule_text(first, second, mark, rounding=scheme.rounding)
    memoire_transition(memoire=memoire, transition="settle_average", by=by, comment=rule_text)
    AgreedMark.objects.create(memoire=memoire, mark=mark, rule=AgreedMarkRule.AVERAGE, rule_text=rule_text)


ROUNDING_WORDS = {
    grading.Rounding.HALF: "arrondie au demi-point",
    grading.Rounding.TENTH: "arrondie au dixième",
    grading.Rounding.HUNDREDTH: "arrondie au centième",
}


def average_rule_text(first: Decimal, second: Decimal, mark: Decimal, *, rounding: str) -> str:
    """« Moyenne de 12 et 13,5, arrondie au demi-point : 13 »."""
    t = grading.mark_text
    return f"Moyenne de {t(first)} et {t(second)}, {ROUNDING_WORDS[rounding]} : {t(mark)}"


def reconciliation_reason(memoire: Memoire) -> str:
    event = memoire.events.filter(transition="open_reconciliation").order_by("-at", "-pk").first()
    return event.comment if event else ""


@transaction.atomic
def third_marker_name(*, memoire: Memoire, marker, by, comment: str = "") -> MarkerAssignment:
    """The team names a third marker for an open reconciliation (replacing one who has not
    submitted a reconciliation grid)."""
    current = memoire_transition(
        memoire=memoire, transition="name_third_marker", by=by, comment=comment, marker=marker
    )
    old = MarkerAssignment.objects.select_related("reconciliation_grid").filter(
        memoire=current, role=MarkerRole.THIRD
    )
    for assignment in old:
        grid = assignment.reconciliation_grid
        assignment.delete()
        if grid is not None:
            grid.delete()
    assignment = MarkerAssignment.objects.create(
        memoire=current, marker=marker, role=MarkerRole.THIRD, assigned_by=by
    )
    _notify(assignment)
    return assignment


@transaction.atomic
def reconciliation_grid(*, memoire: Memoire, by) -> Grid:
    """The reconciliation grid this marker (first, second or third) fills, started the first time."""
    assignment = _assignment(memoire, by)
    if assignment.reconciliation_grid_id:
        return Grid.objects.get(pk=assignment.reconciliation_grid_id)
    grid = grid_start(rubric=written_rubric_or_error(memoire), author=by)
    MarkerAssignment.objects.filter(pk=assignment.pk).update(reconciliation_grid=grid)
    return grid


def reconciliation_save(*, memoire: Memoire, scores: dict, comment: str = "", by) -> Grid:
    grid = reconciliation_grid(memoire=memoire, by=by)
    return grid_save(grid=grid, scores=scores, comment=comment, by=by)


@transaction.atomic
def reconciliation_submit(*, memoire: Memoire, scores: dict, comment: str = "", by) -> AgreedMark:
    """Submit the agreed grid, every criterion justified: the mémoire is marked with the grid's
    weighted mark, rounded by the scheme's rule."""
    grid = reconciliation_grid(memoire=memoire, by=by)
    current = memoire_transition(memoire=memoire, transition="reconcile", by=by, grid=grid, comment=comment)
    grid = grid_save(
        grid=grid, scores=scores, comment=comment, submit=True, by=by, justification_required=True
    )
    scheme = _scheme(current)
    mark = grading.round_mark(grid.mark, scheme.rounding)
    return AgreedMark.objects.create(
        memoire=current,
        mark=mark,
        rule=AgreedMarkRule.RECONCILED,
        rule_text=(
            f"Note conciliée critère par critère : {grading.mark_text(grid.mark)}, "
            f"{ROUNDING_WORDS[scheme.rounding]} : {grading.mark_text(mark)}"
        ),
        reconciliation_reason=reconciliation_reason(current),
        grid=grid,
    )


@transaction.atomic
def mark_release(*, memoire: Memoire, by, now=None) -> AgreedMark:
    """The team releases the agreed mark: the learner sees it and is emailed (after the commit)."""
    current = memoire_transition(memoire=memoire, transition="release", by=by)
    agreed = AgreedMark.objects.select_for_update().get(memoire=current)
    agreed.released_at = now or timezone.now()
    agreed.released_by = by
    agreed.save(update_fields=["released_at", "released_by"])
    return agreed


def marks_release_cohort(*, cohort, by) -> int:
    """Release every mark ready in `cohort` (each in its own transaction); returns how many."""
    released = 0
    for memoire in Memoire.objects.filter(enrolment__cohort=cohort, state=MemoireState.MARKED).order_by("pk"):
        try:
            mark_release(memoire=memoire, by=by)
        except ValidationError:
            continue
        released += 1
    return released


def blind_marking_set(*, cohort, blind: bool, by) -> CohortMarkingOptions:
    """The team turns blind marking on or off for a cohort."""
    if not can_assign_markers(by):
        raise PermissionDenied("Seule l'équipe pédagogique règle la correction anonyme.")
    options, _ = CohortMarkingOptions.objects.update_or_create(
        cohort=cohort, defaults={"blind_marking": blind}
    )
    return options
