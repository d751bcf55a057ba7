"""The team's board of mémoires (filters, pagination, CSV and XLSX exports) and the bulk
assignment of tutors. Team only: the mémoire room's `can_see_board` and `can_decide_subject`
decide; the rules are the mémoire's flows."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from assessments.board import exports, selectors
from assessments.board.forms import BoardFilterForm
from assessments.memoire import permissions as memoire_permissions
from assessments.memoire import selectors as memoire_selectors
from assessments.memoire import services as memoire_services
from assessments.memoire.enums import MemoireState
from assessments.memoire.models import Memoire
from courses.cohorts.models import Cohort
from lms.enums import Role
from lms.models import Region, User

PAGE_SIZE = 50


def _team_or_denied(user) -> None:
    if not memoire_permissions.can_see_board(user):
        raise PermissionDenied("Le tableau des mémoires est réservé à l'équipe pédagogique.")


def _trainers():
    return User.objects.filter(role=Role.TRAINER, is_active=True).order_by("last_name", "first_name", "pk")


def _filter_form(request) -> tuple[BoardFilterForm, dict]:
    cohorts = Cohort.objects.select_related("region").order_by("name")
    form = BoardFilterForm(
        request.GET or None,
        cohorts=cohorts,
        regions=Region.objects.order_by("name"),
        trainers=_trainers(),
    )
    filters = form.filters()
    cohort = filters.pop("cohort", None)
    filters["cohorts"] = cohorts.filter(pk=cohort.pk) if cohort else cohorts
    return form, filters


@login_required
def board(request):
    _team_or_denied(request.user)
    form, filters = _filter_form(request)
    page = Paginator(selectors.board_queryset(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    filters.pop("state", None)
    query_string = form.query_string()
    return render(
        request,
        "assessments/board/board.html",
        {
            "form": form,
            "page_obj": page,
            "rows": selectors.board_rows(page.object_list),
            "counts": memoire_selectors.board_counts(**filters),
            "filters": query_string,
            "extra_query": f"&{query_string}" if query_string else "",
            "state_labels": dict(MemoireState.choices),
            "awaiting_tutor": memoire_selectors.awaiting_tutor().count(),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@login_required
def board_export(request, fmt):
    _team_or_denied(request.user)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _, filters = _filter_form(request)
    rows = selectors.board_export_rows(**filters)
    filename = f"memoires-{timezone.localdate():%Y-%m-%d}"
    if fmt == "csv":
        response = StreamingHttpResponse(exports.board_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    response = HttpResponse(
        exports.board_xlsx(rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


@dataclass
class TutorRow:
    memoire: Memoire
    chosen: str = ""
    errors: list[str] = field(default_factory=list)


@login_required
def tutors_assign(request):
    """Every mémoire waiting for a tutor, with a trainer to choose per row. Each chosen row is
    assigned through `memoire_tutor_assign` on its own; a refused row keeps its choice and shows
    why, the others are saved."""
    _team_or_denied(request.user)
    trainers = list(_trainers())
    by_id = {str(trainer.pk): trainer for trainer in trainers}
    page = Paginator(memoire_selectors.awaiting_tutor(), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [TutorRow(memoire) for memoire in page.object_list]
    problems: list[TutorRow] = []
    if request.method == "POST":
        posted = [
            (int(name.removeprefix("tuteur-")), value)
            for name, value in request.POST.items()
            if name.startswith("tuteur-") and name.removeprefix("tuteur-").isdigit() and value
        ]
        memoires = Memoire.objects.select_related("enrolment__user", "tutor").in_bulk(
            [memoire_id for memoire_id, _ in posted]
        )
        done = 0
        for memoire_id, value in posted:
            memoire = memoires.get(memoire_id)
            if memoire is None:
                continue
            row = TutorRow(memoire, chosen=value)
            tutor = by_id.get(value)
            if tutor is None:
                row.errors.append("Choisissez un·e formateur·rice dans la liste.")
            else:
                try:
                    memoire_services.memoire_tutor_assign(
                        memoire=memoire, tutor=tutor, by=request.user, first_only=True
                    )
                except (ValidationError, PermissionDenied) as exc:
                    row.errors.extend(getattr(exc, "messages", None) or [str(exc)])
                else:
                    done += 1
                    continue
            problems.append(row)
        if done:
            plural = "s" if done > 1 else ""
            messages.success(
                request,
                f"{done} mémoire{plural} confié{plural} à un·e tuteur·rice : "
                "chaque apprenant·e concerné·e est prévenu·e par e-mail.",
            )
        if not posted:
            messages.error(request, "Choisissez un·e tuteur·rice pour au moins un mémoire.")
        if not problems:
            return redirect("board:tutors")
        page = Paginator(memoire_selectors.awaiting_tutor(), PAGE_SIZE).get_page(request.GET.get("page"))
        failed = {row.memoire.pk: row for row in problems}
        rows = [failed.pop(memoire.pk, TutorRow(memoire)) for memoire in page.object_list]
        # A refused row that no longer waits for a tutor is still shown, with why.
        rows = list(failed.values()) + rows
    return render(
        request,
        "assessments/board/tutors.html",
        {
            "page_obj": page,
            "rows": rows,
            "problems": problems,
            "trainers": trainers,
        },
        status=400 if problems else 200,
    )
