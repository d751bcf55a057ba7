"""The similarity room's pages: the team's screen of flags and checks, a mémoire's report (the
team and the mémoire's markers), the team's decision on a flag (a confirmation page with the
motive) and the re-run of a failed check.

A mémoire one may open but whose report one may not read (its author, its tutor) is a 403; a
mémoire one may not open at all (another learner's, ARS staff, other trainers) is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from assessments.memoire.flows import transition_refusal
from assessments.memoire.models import Memoire
from assessments.similarity import permissions, selectors, services, tasks
from assessments.similarity.forms import FlagDecisionForm
from assessments.similarity.models import FlagState, ReportStatus
from lms.pages import form_page

PAGE_SIZE = 50


@login_required
def flags(request):
    if not permissions.can_see_flags(request.user):
        raise PermissionDenied("Les alertes de similarité sont réservées à l'équipe pédagogique.")
    queue = request.GET.get("vue")
    if queue not in selectors.QUEUES:
        queue = "a-examiner"
    page = Paginator(selectors.queue_rows(queue=queue), PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.queue_counts()
    return render(
        request,
        "assessments/similarity/flags.html",
        {
            "page_obj": page,
            "queue": queue,
            "queue_label": selectors.QUEUES[queue][0],
            "queues": [(slug, label, counts[slug]) for slug, (label, _) in selectors.QUEUES.items()],
            "extra_query": f"&vue={queue}",
            "ReportStatus": ReportStatus,
        },
    )


def _memoire(request, memoire_id: int) -> Memoire:
    """The mémoire whose report the user may read; 403 if they may open the mémoire only, else 404."""
    memoire = get_object_or_404(
        Memoire.objects.select_related("enrolment__user", "enrolment__cohort", "enrolment__programme"),
        pk=memoire_id,
    )
    if permissions.can_view_report(request.user, memoire):
        return memoire
    if permissions.knows_of_memoire(request.user, memoire):
        raise PermissionDenied(
            "Le rapport de similarité est réservé à l'équipe pédagogique et aux correcteur·rices."
        )
    raise Http404("Aucun mémoire de ce numéro.")


def _decider(request, memoire_id: int) -> Memoire:
    memoire = _memoire(request, memoire_id)
    if not permissions.can_decide_flag(request.user, memoire):
        raise PermissionDenied("Seule l'équipe pédagogique décide d'une alerte de similarité.")
    return memoire


@login_required
def report(request, memoire_id):
    memoire = _memoire(request, memoire_id)
    found = selectors.report_for(memoire=memoire)
    with_names = permissions.can_see_names(request.user)
    passages, sources = ([], [])
    if found is not None and found.status == ReportStatus.DONE:
        passages, sources = selectors.report_passages(report=found, with_names=with_names)
    deciding = permissions.can_decide_flag(request.user, memoire)
    return render(
        request,
        "assessments/similarity/report.html",
        {
            "memoire": memoire,
            "report": found,
            "passages": passages,
            "sources": sources,
            "with_names": with_names,
            "hold": selectors.hold_reason(found),
            "can_decide": deciding
            and found is not None
            and found.flag == FlagState.OPEN
            and transition_refusal(memoire, "clear_similarity") is None,
            "can_rerun": deciding and found is not None and found.status == ReportStatus.FAILED,
            "ReportStatus": ReportStatus,
            "FlagState": FlagState,
        },
    )


#: decision → (title, button, message once done).
DECISION_TEXTS = {
    "clear": (
        "Lever l'alerte de similarité",
        "Confirmer : lever l'alerte",
        "L'alerte est levée : la note pourra être publiée.",
    ),
    "confirm": (
        "Confirmer l'alerte de similarité",
        "Confirmer : l'alerte est fondée",
        "L'alerte est confirmée : la décision est inscrite dans l'historique du mémoire.",
    ),
}


def _decide(request, memoire_id: int, decision: str):
    memoire = _decider(request, memoire_id)
    found = selectors.report_for(memoire=memoire)
    form = FlagDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.similarity_flag_decide(
                memoire=memoire, decision=decision, by=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, DECISION_TEXTS[decision][2])
            return redirect("similarity:report", memoire_id=memoire.pk)
    title, button, _ = DECISION_TEXTS[decision]
    return form_page(
        request,
        "assessments/similarity/decide.html",
        {
            "form": form,
            "memoire": memoire,
            "report": found,
            "title": title,
            "button": button,
            "decision": decision,
            "FlagState": FlagState,
        },
    )


@login_required
def clear(request, memoire_id):
    """A confirmation page with the motive, then the flag is cleared."""
    return _decide(request, memoire_id, "clear")


@login_required
def confirm(request, memoire_id):
    """A confirmation page with the motive, then the flag is confirmed."""
    return _decide(request, memoire_id, "confirm")


@login_required
@require_POST
def rerun(request, memoire_id):
    memoire = _decider(request, memoire_id)
    try:
        tasks.similarity_rerun_queue(memoire=memoire, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("similarity:report", memoire_id=memoire.pk)
    messages.success(request, "La vérification est relancée : le rapport sera établi dans quelques instants.")
    return redirect("similarity:report", memoire_id=memoire.pk)
