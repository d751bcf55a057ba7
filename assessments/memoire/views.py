"""The mémoire's pages: « Mon mémoire » and its forms for the learner, the team's decisions (the
board is the `board` room's), the tutor's « Mes tutorés » and draft page, and the
permission-checked file downloads.

Every mémoire and draft is fetched through permissions.memoires_visible_to / drafts_visible_to,
so another learner's mémoire, or one a trainer does not tutor, is « not found »; ARS staff see
none. The rules are in flows.py and services.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from assessments.marking import permissions as marking_permissions
from assessments.marking import selectors as marking_selectors
from assessments.memoire import permissions, selectors, services
from assessments.memoire.enums import LEARNER_STATE, NEXT_STEP, STEPS, MemoireState
from assessments.memoire.flows import (
    HIDDEN_FROM_LEARNER,
    TEAM_ONLY_TRANSITIONS,
    TRANSITION_LABELS,
    transition_refusal,
)
from assessments.memoire.forms import (
    CommentForm,
    DecisionForm,
    DraftForm,
    FinalForm,
    ReturnForm,
    SubjectForm,
    TutorForm,
)
from assessments.memoire.models import Memoire
from courses.cohorts import selectors as cohorts_selectors
from lms.enums import Role
from lms.models import User
from lms.pages import form_page
from lms.permissions import is_trainer
from lms.security.decorators import body_limit
from lms.uploads import upload_response

PAGE_SIZE = 50
#: No mark can exist in these states: « Mon mémoire » does not look for one.
BEFORE_MARK_STATES = frozenset(
    {
        MemoireState.NOT_STARTED,
        MemoireState.SUBJECT_PROPOSED,
        MemoireState.SUBJECT_RETURNED,
        MemoireState.SUBJECT_APPROVED,
        MemoireState.IN_PROGRESS,
        MemoireState.FINAL_SUBMITTED,
    }
)
FORM_OVERHEAD = 1024 * 1024

#: The states in which « Mon mémoire » links to the soutenance page.
SOUTENANCE_STATES = frozenset(
    {MemoireState.RELEASED, MemoireState.SOUTENANCE_BOOKED, MemoireState.ADMITTED, MemoireState.ADJOURNED}
)


def _steps(state: str) -> tuple[list[str], int]:
    labels = [label for label, _ in STEPS]
    current = next(i for i, (_, states) in enumerate(STEPS) if state in states)
    return labels, current


def _learner_memoire(request) -> tuple:
    enrolment = cohorts_selectors.learner_enrolment_or_denied(request.user)
    return enrolment, selectors.memoire_of(enrolment=enrolment)


def _history(events, *, hide_marking: bool = False) -> list[dict]:
    return [
        {"event": event, "label": TRANSITION_LABELS.get(event.transition, event.transition)}
        for event in events
        if not (hide_marking and event.transition in HIDDEN_FROM_LEARNER | TEAM_ONLY_TRANSITIONS)
    ]


def _page_context(memoire: Memoire | None, *, hide_marking: bool = False) -> dict:
    """The mémoire page's context; with `hide_marking` (anyone but the team: the learner, the
    tutor, the markers), the marking's steps, gaps and marks are left out until the release, and
    the team's decisions on a similarity flag always."""
    state = memoire.state if memoire else MemoireState.NOT_STARTED
    labels, current = _steps(state)
    detail = (
        selectors.memoire_detail(memoire=memoire) if memoire else {"drafts": [], "events": [], "final": None}
    )
    shown_state = LEARNER_STATE.get(state, state) if hide_marking else state
    return {
        "memoire": memoire,
        "state": MemoireState(shown_state),
        "step_labels": labels,
        "step_number": current + 1,
        "step_title": labels[current],
        "next_step_title": labels[current + 1] if current + 1 < len(labels) else None,
        "next_step": NEXT_STEP.get(state, ""),
        "history": _history(detail["events"], hide_marking=hide_marking),
        "drafts": detail["drafts"],
        "final": detail["final"],
        "MemoireState": MemoireState,
    }


@login_required
def my_memoire(request):
    enrolment, memoire = _learner_memoire(request)
    context = _page_context(memoire, hide_marking=True)
    context["enrolment"] = enrolment
    context["released"] = (
        marking_selectors.released_mark_for(memoire=memoire)
        if memoire is not None and memoire.state not in BEFORE_MARK_STATES
        else None
    )
    context["can_propose"] = memoire is None or transition_refusal(memoire, "propose") is None
    context["can_upload"] = memoire is not None and transition_refusal(memoire, "upload_draft") is None
    context["can_submit_final"] = memoire is not None and transition_refusal(memoire, "submit_final") is None
    context["programme"] = enrolment.programme
    context["soutenance_open"] = memoire is not None and memoire.state in SOUTENANCE_STATES
    return render(request, "assessments/memoire/mine.html", context)


@login_required
def subject_propose(request):
    enrolment, memoire = _learner_memoire(request)
    if memoire is not None and (refusal := transition_refusal(memoire, "propose")):
        messages.error(request, refusal)
        return redirect("memoire:mine")
    initial = (
        {
            "title": memoire.title,
            "kind": memoire.kind,
            "summary": memoire.summary,
            "cls_name": memoire.cls_name,
        }
        if memoire
        else None
    )
    form = SubjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.memoire_subject_propose(enrolment=enrolment, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Votre sujet est proposé : l'équipe pédagogique va l'examiner.")
            return redirect("memoire:mine")
    last_return = None
    if memoire is not None and memoire.state == MemoireState.SUBJECT_RETURNED:
        last_return = memoire.events.filter(transition="return_subject").order_by("-at", "-pk").first()
    return form_page(
        request, "assessments/memoire/subject_form.html", {"form": form, "last_return": last_return}
    )


@body_limit(services.DRAFT_POLICY.max_bytes + FORM_OVERHEAD)
@login_required
def draft_upload(request):
    _, memoire = _learner_memoire(request)
    if memoire is None or (refusal := transition_refusal(memoire, "upload_draft")):
        messages.error(request, refusal if memoire else "Proposez d'abord le sujet de votre mémoire.")
        return redirect("memoire:mine")
    form = DraftForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.memoire_draft_upload(
                memoire=memoire,
                file=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Votre brouillon (version {draft.version}) est déposé.")
            return redirect("memoire:mine")
    return form_page(request, "assessments/memoire/draft_form.html", {"form": form, "memoire": memoire})


@body_limit(services.FINAL_POLICY.max_bytes + services.ANNEXES_POLICY.max_bytes + FORM_OVERHEAD)
@login_required
def final_submit(request):
    enrolment, memoire = _learner_memoire(request)
    if memoire is None or (refusal := transition_refusal(memoire, "submit_final")):
        messages.error(
            request, refusal if memoire else "Déposez la version finale une fois le sujet approuvé."
        )
        return redirect("memoire:mine")
    form = FinalForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            final = services.memoire_final_submit(
                memoire=memoire,
                file=form.cleaned_data["file"],
                annexes=form.cleaned_data["annexes"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Votre version finale ({final.pages} pages) est déposée.")
            return redirect("memoire:mine")
    return form_page(
        request,
        "assessments/memoire/final_form.html",
        {"form": form, "memoire": memoire, "programme": enrolment.programme},
    )


# --- the pedagogical team -------------------------------------------------------------------------


def _visible_memoire(request, memoire_id: int) -> Memoire:
    return get_object_or_404(
        permissions.memoires_visible_to(request.user).select_related(
            "enrolment__user", "enrolment__cohort", "enrolment__programme", "tutor"
        ),
        pk=memoire_id,
    )


def _trainers():
    return User.objects.filter(role=Role.TRAINER, is_active=True).order_by("last_name", "first_name")


@login_required
def memoire_detail(request, memoire_id):
    memoire = _visible_memoire(request, memoire_id)
    context = _page_context(memoire, hide_marking=not permissions.can_see_board(request.user))
    deciding = permissions.can_decide_subject(request.user, memoire)
    context.update(
        {
            "deciding": deciding,
            "can_decide": deciding and transition_refusal(memoire, "approve") is None,
            "can_assign": deciding and transition_refusal(memoire, "assign_tutor") is None,
            "can_assign_markers": marking_permissions.can_assign_markers(request.user, memoire)
            and memoire.state not in BEFORE_MARK_STATES - {MemoireState.FINAL_SUBMITTED},
            "approve_form": DecisionForm(),
            "return_form": ReturnForm(),
            "tutor_form": TutorForm(trainers=_trainers(), initial={"tutor": memoire.tutor_id}),
        }
    )
    return render(request, "assessments/memoire/detail.html", context)


def _decided_memoire(request, memoire_id: int) -> Memoire:
    memoire = _visible_memoire(request, memoire_id)
    if not permissions.can_decide_subject(request.user, memoire):
        raise PermissionDenied("Seule l'équipe pédagogique décide du sujet et du tutorat.")
    return memoire


def _decision(request, memoire_id, *, form_class, act, done: str, template: str, **form_kwargs):
    memoire = _decided_memoire(request, memoire_id)
    form = form_class(request.POST or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            act(memoire=memoire, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return redirect("memoire:detail", memoire_id=memoire.pk)
    return form_page(request, template, {"form": form, "memoire": memoire})


@login_required
def subject_approve(request, memoire_id):
    """A confirmation page, then the approval."""
    return _decision(
        request,
        memoire_id,
        form_class=DecisionForm,
        act=services.memoire_subject_approve,
        done="Le sujet est approuvé.",
        template="assessments/memoire/approve.html",
    )


@login_required
def subject_return(request, memoire_id):
    return _decision(
        request,
        memoire_id,
        form_class=ReturnForm,
        act=services.memoire_subject_return,
        done="Le sujet est renvoyé à l'apprenant·e avec vos commentaires.",
        template="assessments/memoire/return.html",
    )


@login_required
def tutor_assign(request, memoire_id):
    return _decision(
        request,
        memoire_id,
        form_class=TutorForm,
        act=services.memoire_tutor_assign,
        done="Le tuteur ou la tutrice est désigné·e.",
        template="assessments/memoire/tutor.html",
        trainers=_trainers(),
    )


# --- the tutor ------------------------------------------------------------------------------------


@login_required
def tutees(request):
    if not is_trainer(request.user):
        raise PermissionDenied("Cette page est réservée aux formateur·rices.")
    page = Paginator(selectors.tutees_of(tutor=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    for memoire in page:
        memoire.shown_state = permissions.state_shown_to(request.user, memoire.state)
    return render(
        request,
        "assessments/memoire/tutees.html",
        {"page_obj": page, "state_labels": dict(MemoireState.choices)},
    )


@login_required
def draft_detail(request, draft_id):
    draft = get_object_or_404(
        permissions.drafts_visible_to(request.user).select_related(
            "memoire__enrolment__user", "memoire__tutor"
        ),
        pk=draft_id,
    )
    memoire = draft.memoire
    can_comment = permissions.can_comment_draft(request.user, memoire)
    form = CommentForm(request.POST or None)
    if request.method == "POST":
        if not can_comment:
            raise PermissionDenied("Seul·e le tuteur ou la tutrice de ce mémoire commente ses brouillons.")
        if form.is_valid():
            try:
                services.draft_comment_add(draft=draft, body=form.cleaned_data["body"], by=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, "Votre commentaire est enregistré : l'apprenant·e le lit dans « Mon mémoire »."
                )
                return redirect("memoire:draft", draft_id=draft.pk)
    context = {
        "draft": draft,
        "memoire": memoire,
        "comments": selectors.draft_detail(draft=draft),
        "form": form,
        "can_comment": can_comment and transition_refusal(memoire, "comment_draft") is None,
    }
    return form_page(request, "assessments/memoire/draft.html", context)


# --- files ----------------------------------------------------------------------------------------


@login_required
def draft_file(request, draft_id):
    draft = get_object_or_404(permissions.drafts_visible_to(request.user), pk=draft_id)
    return upload_response(
        file=draft.file.open("rb"), filename=draft.file_name, content_type=draft.content_type
    )


@login_required
def final_file(request, memoire_id):
    memoire = _visible_memoire(request, memoire_id)
    final = getattr(memoire, "final", None)
    if final is None:
        raise Http404("Aucune version finale.")
    return upload_response(
        file=final.file.open("rb"), filename=final.file_name, content_type="application/pdf"
    )


@login_required
def annexes_file(request, memoire_id):
    memoire = _visible_memoire(request, memoire_id)
    final = getattr(memoire, "final", None)
    if final is None or not final.annexes:
        raise Http404("Aucune annexe.")
    return upload_response(
        file=final.annexes.open("rb"), filename=final.annexes_name, content_type=final.annexes_content_type
    )
