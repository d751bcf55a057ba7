"""The double marking's pages: the team assigns markers (and a third one), sets blind marking per
cohort and releases agreed marks; markers list what they have to do, fill their grid, download the
final version (a blind copy when the cohort marks blind) and reconcile.

Mémoires are fetched through permissions.memoires_marked_by: a trainer who does not mark a mémoire
gets a 404 for it; learners and ARS staff get a 403 on every marking page (they never see marks
before the release, and then only on « Mon mémoire »). The rules are in memoire/flows.py and
services.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from assessments.marking import permissions, selectors, services
from assessments.marking.blind import blind_code, blind_copy, blind_file_name
from assessments.marking.forms import (
    BlindMarkingForm,
    ConfirmForm,
    MarkersForm,
    PublicationFilterForm,
    ThirdMarkerForm,
)
from assessments.marking.models import CohortMarkingOptions, MarkerRole
from assessments.memoire.enums import MemoireState
from assessments.memoire.flows import transition_refusal
from assessments.memoire.models import Memoire
from assessments.rubrics import grading
from assessments.rubrics.forms import GridForm
from assessments.rubrics.models import SEALED, Grid
from assessments.rubrics.selectors import scheme_for
from courses.cohorts.models import Cohort
from lms.enums import Role
from lms.models import User
from lms.pages import form_page
from lms.permissions import is_pedagogical_team, is_trainer
from lms.uploads import upload_response

PAGE_SIZE = 50
TEAM_ONLY = "Cette page est réservée à l'équipe pédagogique."
MARKERS_ONLY = "Cette page est réservée aux correcteur·rices du mémoire."


def _trainers():
    return User.objects.filter(role=Role.TRAINER, is_active=True).order_by("last_name", "first_name")


def _team_or_denied(user) -> None:
    if not is_pedagogical_team(user):
        raise PermissionDenied(TEAM_ONLY)


def _memoire(request, memoire_id: int) -> Memoire:
    """The mémoire, if the user marks it or is on the team (404 for a trainer who does not mark it,
    403 for other roles)."""
    if not (is_trainer(request.user) or is_pedagogical_team(request.user)):
        raise PermissionDenied(MARKERS_ONLY)
    return get_object_or_404(
        permissions.memoires_marked_by(request.user).select_related(
            "enrolment__user", "enrolment__cohort", "enrolment__programme", "tutor"
        ),
        pk=memoire_id,
    )


def _context(request, memoire: Memoire, **extra) -> dict:
    blind = permissions.is_blind_for(request.user, blind=selectors.is_blind(memoire))
    return {
        "memoire": memoire,
        "blind": blind,
        "who": blind_code(memoire) if blind else memoire.enrolment.user.display_name,
        "scheme": scheme_for(programme=memoire.enrolment.programme),
        "MemoireState": MemoireState,
        **extra,
    }


# --- the team ---------------------------------------------------------------------------------------


@login_required
def markers_assign(request, memoire_id):
    _team_or_denied(request.user)
    memoire = _memoire(request, memoire_id)
    assignments = selectors.assignments_of(memoire=memoire)
    by_role = {a.role: a for a in assignments}
    initial = {
        "first": by_role[MarkerRole.FIRST].marker_id if MarkerRole.FIRST in by_role else None,
        "second": by_role[MarkerRole.SECOND].marker_id if MarkerRole.SECOND in by_role else None,
    }
    form = MarkersForm(request.POST or None, trainers=_trainers(), initial=initial)
    refusal = transition_refusal(memoire, "assign_markers")
    if request.method == "POST":
        if refusal:
            form.add_error(None, refusal)
        elif form.is_valid():
            try:
                services.markers_assign(memoire=memoire, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, "Les correcteur·rices sont désigné·es.")
                return redirect("marking:markers", memoire_id=memoire.pk)
    context = _context(
        request,
        memoire,
        form=form,
        assignments=assignments,
        refusal=refusal,
        can_name_third=transition_refusal(memoire, "name_third_marker") is None,
        tutor_may_mark=scheme_for(programme=memoire.enrolment.programme).tutor_may_mark,
    )
    return form_page(request, "assessments/marking/markers.html", context)


def _add_errors(form, exc: ValidationError) -> None:
    """A service's refusal on the form: by field when it names one, above the form otherwise."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


@login_required
def third_marker(request, memoire_id):
    _team_or_denied(request.user)
    memoire = _memoire(request, memoire_id)
    form = ThirdMarkerForm(request.POST or None, trainers=_trainers())
    refusal = transition_refusal(memoire, "name_third_marker")
    if request.method == "POST":
        if refusal:
            form.add_error(None, refusal)
        elif form.is_valid():
            try:
                services.third_marker_name(memoire=memoire, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, "Le ou la tiers correcteur·rice est désigné·e.")
                return redirect("marking:reconciliation", memoire_id=memoire.pk)
    context = _context(request, memoire, form=form, refusal=refusal)
    return form_page(request, "assessments/marking/third_marker.html", context)


@login_required
def publication(request):
    _team_or_denied(request.user)
    cohorts = Cohort.objects.order_by("name")
    form = PublicationFilterForm(request.GET or None, cohorts=cohorts)
    chosen, state = cohorts, None
    if form.is_valid():
        if form.cleaned_data["cohort"]:
            chosen = cohorts.filter(pk=form.cleaned_data["cohort"].pk)
        state = form.cleaned_data["state"] or None
    page = Paginator(selectors.publication_rows(cohorts=chosen, state=state), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    extra = "".join(
        f"&{name}={request.GET[name]}"
        for name in ("cohort", "state")
        if form.is_valid() and request.GET.get(name)
    )
    blind_ids = set(
        CohortMarkingOptions.objects.filter(blind_marking=True).values_list("cohort_id", flat=True)
    )
    chosen_cohort = form.cleaned_data["cohort"] if form.is_valid() else None
    return render(
        request,
        "assessments/marking/publication.html",
        {
            "form": form,
            "page_obj": page,
            "extra_query": extra,
            "MemoireState": MemoireState,
            "cohorts": cohorts,
            "blind_ids": blind_ids,
            "chosen_cohort": chosen_cohort,
        },
    )


@login_required
def release(request, memoire_id):
    """A confirmation page, then the release."""
    _team_or_denied(request.user)
    memoire = _memoire(request, memoire_id)
    agreed = selectors.agreed_mark_of(memoire=memoire)
    form = ConfirmForm(request.POST or None)
    refusal = transition_refusal(memoire, "release")
    if request.method == "POST":
        try:
            services.mark_release(memoire=memoire, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"La note de {memoire.enrolment.user.display_name} est publiée : "
                "l'apprenant·e la voit dans « Mon mémoire » et en est averti·e par courriel.",
            )
            return redirect("marking:publication")
    context = _context(request, memoire, form=form, agreed=agreed, refusal=refusal)
    return form_page(request, "assessments/marking/release.html", context)


@login_required
def release_cohort(request, cohort_id):
    _team_or_denied(request.user)
    cohort = get_object_or_404(Cohort, pk=cohort_id)
    ready = Memoire.objects.filter(enrolment__cohort=cohort, state=MemoireState.MARKED).count()
    form = ConfirmForm(request.POST or None)
    if request.method == "POST":
        released = services.marks_release_cohort(cohort=cohort, by=request.user)
        messages.success(
            request,
            f"Notes publiées pour « {cohort.name} » : {released}.",
        )
        return redirect(reverse("marking:publication") + f"?cohort={cohort.pk}")
    return render(
        request, "assessments/marking/release_cohort.html", {"cohort": cohort, "ready": ready, "form": form}
    )


@login_required
def blind_marking(request, cohort_id):
    _team_or_denied(request.user)
    cohort = get_object_or_404(Cohort, pk=cohort_id)
    current = (
        CohortMarkingOptions.objects.filter(cohort=cohort).values_list("blind_marking", flat=True).first()
    )
    form = BlindMarkingForm(request.POST or None, initial={"blind_marking": bool(current)})
    if request.method == "POST" and form.is_valid():
        blind = form.cleaned_data["blind_marking"]
        services.blind_marking_set(cohort=cohort, blind=blind, by=request.user)
        messages.success(
            request,
            f"Correction anonyme {'activée' if blind else 'désactivée'} pour « {cohort.name} ».",
        )
        return redirect(reverse("marking:publication"))
    return form_page(request, "assessments/marking/blind.html", {"cohort": cohort, "form": form})


# --- the markers ------------------------------------------------------------------------------------


@login_required
def my_marking(request):
    if not is_trainer(request.user):
        raise PermissionDenied("Cette page est réservée aux formateur·rices.")
    page = Paginator(selectors.marking_queue_for(trainer=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "assessments/marking/mine.html", {"page_obj": page})


def _own_assignment(request, memoire: Memoire):
    assignments = selectors.assignments_of(memoire=memoire)
    own = next((a for a in assignments if a.marker_id == request.user.pk), None)
    if own is None:
        raise PermissionDenied(MARKERS_ONLY)
    return own, assignments


def _others_visible(request, assignments) -> tuple[bool, list]:
    both = (
        sum(
            1
            for a in assignments
            if a.role in (MarkerRole.FIRST, MarkerRole.SECOND) and a.grid and a.grid.is_submitted
        )
        == 2
    )
    others = [
        a
        for a in assignments
        if a.marker_id != request.user.pk
        and a.role in (MarkerRole.FIRST, MarkerRole.SECOND)
        and a.grid is not None
        and a.grid.is_submitted
        and permissions.can_see_grid(request.user, a, both_submitted=both)
    ]
    return both, others


@login_required
def grid(request, memoire_id):
    """The marker's own grid: a draft they save as often as they like, then submit (after a
    confirmation page). Once submitted it is shown read only, with the other grid once both are in."""
    memoire = _memoire(request, memoire_id)
    own, assignments = _own_assignment(request, memoire)
    if own.role == MarkerRole.THIRD:
        return redirect("marking:reconciliation", memoire_id=memoire.pk)
    rubric = scheme_for(programme=memoire.enrolment.programme).written_rubric
    context = _context(request, memoire, own=own, rubric=rubric)
    if rubric is None:
        context["no_rubric"] = services.NO_RUBRIC
        return render(request, "assessments/marking/grid.html", context)
    both, others = _others_visible(request, assignments)
    context.update({"both": both, "others": others})
    sealed = own.grid is not None and own.grid.is_submitted
    if sealed:
        context["own_grid"] = own.grid
        if request.method == "POST":
            context["sealed_refusal"] = SEALED
        return form_page(request, "assessments/marking/grid.html", context)
    submitting = request.POST.get("action") == "submit"
    form = GridForm(request.POST or None, rubric=rubric, grid=own.grid, submitting=submitting)
    refusal = transition_refusal(memoire, "submit_grid")
    if request.method == "POST":
        if refusal:
            form.add_error(None, refusal)
        elif form.is_valid():
            try:
                services.marker_grid_save(
                    memoire=memoire,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                    by=request.user,
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
            else:
                if submitting:
                    return redirect("marking:grid_submit", memoire_id=memoire.pk)
                messages.success(
                    request, "Votre grille est enregistrée comme brouillon : personne d'autre ne la voit."
                )
                return redirect("marking:grid", memoire_id=memoire.pk)
    context.update({"form": form, "refusal": refusal})
    return form_page(request, "assessments/marking/grid.html", context)


@login_required
def grid_submit(request, memoire_id):
    """The confirmation step: the draft as it will be sealed, with its weighted mark."""
    memoire = _memoire(request, memoire_id)
    own, _ = _own_assignment(request, memoire)
    if own.role == MarkerRole.THIRD or own.grid is None:
        messages.error(request, "Remplissez d'abord votre grille.")
        return redirect("marking:grid", memoire_id=memoire.pk)
    if own.grid.is_submitted:
        return redirect("marking:grid", memoire_id=memoire.pk)
    draft = own.grid
    scores = list(draft.scores.all())
    criteria = list(draft.rubric.criteria.all())
    complete = {s.criterion_id for s in scores} >= {c.pk for c in criteria}
    preview = grading.weighted_mark((s.score, s.weight) for s in scores) if complete and scores else None
    form = ConfirmForm(request.POST or None)
    if request.method == "POST":
        try:
            services.marker_grid_submit(memoire=memoire, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            memoire.refresh_from_db()
            if memoire.state == MemoireState.RECONCILIATION:
                messages.success(
                    request,
                    "Votre grille est remise. Les deux notes doivent être conciliées : "
                    "la conciliation est ouverte.",
                )
                return redirect("marking:reconciliation", memoire_id=memoire.pk)
            if memoire.state == MemoireState.MARKED:
                messages.success(
                    request,
                    "Votre grille est remise. La note retenue est la moyenne des deux grilles ; "
                    "l'équipe pédagogique la publiera.",
                )
            else:
                messages.success(
                    request,
                    "Votre grille est remise et scellée. Vous verrez l'autre grille quand elle sera remise.",
                )
            return redirect("marking:grid", memoire_id=memoire.pk)
    draft.preview_scores = scores
    context = _context(request, memoire, draft=draft, complete=complete, preview=preview, form=form)
    return form_page(request, "assessments/marking/grid_submit.html", context)


@login_required
def grid_detail(request, memoire_id, grid_id):
    """One grid of this mémoire, read only: its author's; the team's; the other markers' once both
    independent grids are submitted (403 with the reason before)."""
    memoire = _memoire(request, memoire_id)
    assignments = selectors.assignments_of(memoire=memoire)
    assignment = next((a for a in assignments if a.grid_id == grid_id), None)
    if assignment is None:
        agreed = selectors.agreed_mark_of(memoire=memoire)
        if agreed is None or agreed.grid_id != grid_id:
            raise Http404("Aucune grille de ce mémoire ne porte ce numéro.")
        shown = Grid.objects.prefetch_related("scores").get(pk=grid_id)
        title = "Grille conciliée"
    else:
        both = permissions.both_grids_submitted(memoire)
        if not permissions.can_see_grid(request.user, assignment, both_submitted=both):
            raise PermissionDenied(permissions.SEALED_GRID)
        if not assignment.grid.is_submitted and assignment.marker_id != request.user.pk:
            raise PermissionDenied("Cette grille n'est pas encore remise.")
        shown, title = assignment.grid, f"Grille — {assignment.get_role_display()}"
    context = _context(request, memoire, grid=shown, title=title)
    return render(request, "assessments/marking/grid_detail.html", context)


@login_required
def final_copy(request, memoire_id):
    """The final version for a marker or the team: when the cohort marks blind, markers get a copy
    under a code, without the author's name in the file name nor in the PDF's metadata."""
    memoire = _memoire(request, memoire_id)
    final = getattr(memoire, "final", None)
    if final is None:
        raise Http404("Aucune version finale.")
    if permissions.is_blind_for(request.user, blind=selectors.is_blind(memoire)):
        with final.file.open("rb") as handle:
            data = blind_copy(handle.read())
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{blind_file_name(memoire)}"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "sandbox"
        response["Cache-Control"] = "private, no-store"
        return response
    return upload_response(
        file=final.file.open("rb"), filename=final.file_name, content_type="application/pdf"
    )


def _side_by_side(originals) -> list[dict]:
    """One row per criterion with each original grid's score and justification, in the rubric's
    order (the grids keep the criterion's label and weight as they were)."""
    grids = [a.grid for a in originals if a.grid is not None and a.grid.is_submitted]
    rows: dict[object, dict] = {}
    for index, grid in enumerate(grids):
        for score in grid.scores.all():
            row = rows.setdefault(
                score.criterion_id or score.label,
                {"label": score.label, "weight": score.weight, "cells": [None] * len(grids)},
            )
            row["cells"][index] = score
    return list(rows.values())


@login_required
def reconciliation(request, memoire_id):
    """Both original grids side by side (read only), the reason, and the reconciliation grid,
    every criterion justified, filled by one of the markers or the third marker."""
    memoire = _memoire(request, memoire_id)
    assignments = selectors.assignments_of(memoire=memoire)
    own = next((a for a in assignments if a.marker_id == request.user.pk), None)
    team = is_pedagogical_team(request.user)
    if own is None and not team:
        raise PermissionDenied(MARKERS_ONLY)
    agreed = selectors.agreed_mark_of(memoire=memoire)
    opened = memoire.state == MemoireState.RECONCILIATION or (agreed and agreed.reconciliation_reason)
    if not opened:
        raise PermissionDenied("Aucune conciliation n'est ouverte pour ce mémoire.")
    originals = [a for a in assignments if a.role in (MarkerRole.FIRST, MarkerRole.SECOND)]
    side_by_side = _side_by_side(originals)
    rubric = scheme_for(programme=memoire.enrolment.programme).written_rubric
    context = _context(
        request,
        memoire,
        originals=originals,
        side_by_side=side_by_side,
        third=next((a for a in assignments if a.role == MarkerRole.THIRD), None),
        reason=agreed.reconciliation_reason if agreed else services.reconciliation_reason(memoire),
        agreed=agreed,
        team=team,
        can_name_third=team and transition_refusal(memoire, "name_third_marker") is None,
    )
    can_fill = own is not None and memoire.state == MemoireState.RECONCILIATION and rubric is not None
    if rubric is None:
        context["no_rubric"] = services.NO_RUBRIC
    if can_fill:
        submitting = request.POST.get("action") == "submit"
        draft = (
            Grid.objects.filter(pk=own.reconciliation_grid_id).first() if own.reconciliation_grid_id else None
        )
        form = GridForm(
            request.POST or None,
            rubric=rubric,
            grid=draft,
            submitting=submitting,
            justification_required=True,
        )
        if request.method == "POST":
            if submitting and request.POST.get("confirm") != "on":
                form.is_valid()
                form.add_error(
                    None, "Cochez la case pour confirmer la note conciliée : elle ne pourra plus changer."
                )
            elif form.is_valid():
                act = services.reconciliation_submit if submitting else services.reconciliation_save
                try:
                    act(
                        memoire=memoire,
                        scores=form.scores(),
                        comment=form.cleaned_data["comment"],
                        by=request.user,
                    )
                except (ValidationError, PermissionDenied) as exc:
                    form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
                else:
                    messages.success(
                        request,
                        "La note conciliée est retenue : l'équipe pédagogique la publiera."
                        if submitting
                        else "La grille de conciliation est enregistrée comme brouillon.",
                    )
                    return redirect("marking:reconciliation", memoire_id=memoire.pk)
        context["form"] = form
        context["confirm_checked"] = request.POST.get("confirm") == "on"
    elif request.method == "POST":
        raise PermissionDenied("La conciliation de ce mémoire n'est pas ouverte à votre saisie.")
    return form_page(request, "assessments/marking/reconciliation.html", context)
