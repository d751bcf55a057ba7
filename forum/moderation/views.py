"""The answer, moderation and report pages. A space the user may not read is « not found »; one
they read but do not moderate is « forbidden »; writes go through forum.moderation, which checks
again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from forum.enums import ReportStatus
from forum.moderation import selectors as moderation_selectors
from forum.moderation import services as moderation
from forum.moderation.forms import LogFilterForm, MoveForm, ReasonForm, ReportForm
from forum.moderation.permissions import report_refusal
from forum.threads import permissions, selectors
from forum.threads.models import Post, Space, Thread
from forum.threads.views import readable_space, readable_thread

LOG_PER_PAGE = 30
QUEUE_PER_PAGE = 20
NOT_MODERATOR = "Seul·es les formateur·rices et l'équipe pédagogique accèdent à la modération."


@dataclass(frozen=True)
class Action:
    service: Callable
    title: str
    button: str
    done: str
    help: str


THREAD_ACTIONS = {
    "pin": Action(
        moderation.thread_pin,
        "Épingler le fil",
        "Épingler",
        "Le fil est épinglé en tête de l'espace.",
        "Le fil restera en tête de la liste de l'espace.",
    ),
    "unpin": Action(
        moderation.thread_unpin,
        "Désépingler le fil",
        "Désépingler",
        "Le fil n'est plus épinglé.",
        "Le fil reprendra sa place selon sa dernière activité.",
    ),
    "lock": Action(
        moderation.thread_lock,
        "Verrouiller le fil",
        "Verrouiller",
        "Le fil est verrouillé : il n'accepte plus de réponse.",
        "Le fil restera lisible mais n'acceptera plus de réponse.",
    ),
    "unlock": Action(
        moderation.thread_unlock,
        "Déverrouiller le fil",
        "Déverrouiller",
        "Le fil est déverrouillé : les réponses sont de nouveau possibles.",
        "Les membres de l'espace pourront de nouveau répondre.",
    ),
    "hide": Action(
        moderation.thread_hide,
        "Masquer le fil",
        "Masquer le fil",
        "Le fil est masqué : seule la modération le voit.",
        "Seul·es les formateur·rices et l'équipe pédagogique verront encore le fil.",
    ),
    "unhide": Action(
        moderation.thread_unhide,
        "Rétablir le fil",
        "Rétablir le fil",
        "Le fil est de nouveau visible.",
        "Les membres de l'espace verront de nouveau le fil.",
    ),
}
POST_ACTIONS = {
    "hide": Action(
        moderation.post_hide,
        "Masquer le message",
        "Masquer le message",
        "Le message est masqué.",
        "Les membres verront « Message masqué par la modération » à sa place ; "
        "les signalements en attente sur ce message seront clos.",
    ),
    "unhide": Action(
        moderation.post_unhide,
        "Rétablir le message",
        "Rétablir le message",
        "Le message est de nouveau visible.",
        "Les membres de l'espace verront de nouveau le message.",
    ),
}
QUEUE_ACTIONS = {
    "hide": POST_ACTIONS["hide"],
    "dismiss": Action(
        moderation.report_dismiss,
        "Classer sans suite",
        "Classer sans suite",
        "Les signalements sont classés sans suite.",
        "Le message reste visible ; les signalements en attente sur ce message seront clos.",
    ),
}


def _moderated_thread(request, slug, thread_id) -> Thread:
    space, access = readable_space(request, slug)
    if not access.moderate:
        raise PermissionDenied(NOT_MODERATOR)
    thread = get_object_or_404(Thread, space=space, pk=thread_id)
    thread.space = space
    return thread


def _thread_post(thread: Thread, post_id) -> Post:
    post = get_object_or_404(Post.objects.select_related("author"), pk=post_id, thread=thread)
    post.thread = thread
    return post


def _post_url(post: Post) -> str:
    url = reverse("forum:thread_detail", kwargs={"slug": post.thread.space.slug, "thread_id": post.thread_id})
    return f"{url}?page={selectors.post_page(post=post)}#message-{post.pk}"


def _thread_url(thread: Thread) -> str:
    return reverse("forum:thread_detail", kwargs={"slug": thread.space.slug, "thread_id": thread.pk})


def _moderated_spaces(request) -> list[Space]:
    spaces = moderation_selectors.spaces_moderated_by(request.user)
    if not spaces:
        raise PermissionDenied(NOT_MODERATOR)
    return spaces


def _action_form(request, *, action: Action, form, thread: Thread, back: str, post: Post | None = None):
    """The confirmation page of a moderation act on a thread or a post, with its reason field;
    400 when a posted form was refused."""
    context = {"space": thread.space, "thread": thread, "action": action, "form": form, "back": back}
    if post is not None:
        context["post"] = post
    return render(
        request, "forum/moderation/action_form.html", context, status=400 if request.method == "POST" else 200
    )


def _act(form, call) -> bool:
    """Run the service with the form's reason; its refusals become form errors."""
    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    return True


# --- The answer -----------------------------------------------------------------------------------


@login_required
@require_POST
def answer_mark(request, slug, thread_id, post_id):
    thread, _ = readable_thread(request, slug, thread_id)
    post = _thread_post(thread, post_id)
    try:
        moderation.answer_mark(thread=thread, post=post, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_post_url(post))
    messages.success(request, "Réponse retenue : elle s'affiche désormais sous la question.")
    return redirect(f"{_thread_url(thread)}#reponse-retenue")


@login_required
@require_POST
def answer_unmark(request, slug, thread_id):
    thread, _ = readable_thread(request, slug, thread_id)
    try:
        moderation.answer_unmark(thread=thread, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "La réponse n'est plus retenue.")
    return redirect(_thread_url(thread))


# --- Moderating threads and posts -----------------------------------------------------------------


def _reason_act(request, *, act: Action, target: dict, thread: Thread, back: str, post: Post | None = None):
    """A moderation act with its reason on `target` (thread=… or post=…): on a valid POST the
    service runs, then back to `back` with act.done; otherwise (or refused) its confirmation page."""
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and _act(
        form, lambda data: act.service(**target, by=request.user, reason=data["reason"])
    ):
        messages.success(request, act.done)
        return redirect(back)
    return _action_form(request, action=act, form=form, thread=thread, post=post, back=back)


@login_required
def thread_moderate(request, slug, thread_id, action):
    thread = _moderated_thread(request, slug, thread_id)
    act = THREAD_ACTIONS[action]
    return _reason_act(request, act=act, target={"thread": thread}, thread=thread, back=_thread_url(thread))


@login_required
def thread_move(request, slug, thread_id):
    thread = _moderated_thread(request, slug, thread_id)
    moderated = [s.pk for s in moderation_selectors.spaces_moderated_by(request.user)]
    destinations = Space.objects.filter(pk__in=moderated, programme_id=thread.space.programme_id).exclude(
        pk=thread.space.pk
    )
    form = MoveForm(request.POST or None, spaces=destinations)
    if request.method == "POST" and _act(
        form,
        lambda data: moderation.thread_move(
            thread=thread, to_space=data["to_space"], by=request.user, reason=data["reason"]
        ),
    ):
        messages.success(request, f"Le fil est déplacé dans « {thread.space.title} ».")
        return redirect(_thread_url(thread))
    action = Action(
        moderation.thread_move,
        "Déplacer le fil",
        "Déplacer le fil",
        "",
        "Le fil et tous ses messages rejoindront l'espace choisi ; ses membres pourront le lire.",
    )
    return _action_form(request, action=action, form=form, thread=thread, back=_thread_url(thread))


@login_required
def post_moderate(request, slug, thread_id, post_id, action):
    thread = _moderated_thread(request, slug, thread_id)
    post = _thread_post(thread, post_id)
    act = POST_ACTIONS[action]
    return _reason_act(
        request, act=act, target={"post": post}, thread=thread, post=post, back=_post_url(post)
    )


# --- Reports --------------------------------------------------------------------------------------


@login_required
def post_report(request, slug, thread_id, post_id):
    thread, _ = readable_thread(request, slug, thread_id)
    post = _thread_post(thread, post_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST":
        if _act(
            form,
            lambda data: moderation.report_create(post=post, by=request.user, reason=data["reason"]),
        ):
            messages.success(
                request, "Merci : votre signalement est transmis à la modération, qui l'examinera."
            )
            return redirect(_post_url(post))
        refusal = None
    else:
        refusal = report_refusal(post=post, by=request.user)
    return render(
        request,
        "forum/moderation/report_form.html",
        {
            "space": thread.space,
            "thread": thread,
            "post": post,
            "form": form,
            "refusal": refusal,
            "back": _post_url(post),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def report_queue(request):
    _moderated_spaces(request)
    page = Paginator(moderation_selectors.report_queue(user=request.user), QUEUE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "forum/moderation/queue.html", {"page_obj": page})


@login_required
def report_resolve(request, post_id, action):
    post = get_object_or_404(
        Post.objects.select_related("author", "thread__space").filter(
            thread__space__in=permissions.spaces_readable_by(request.user)
        ),
        pk=post_id,
    )
    if not permissions.space_access(request.user, post.thread.space).moderate:
        raise PermissionDenied(NOT_MODERATOR)
    act = QUEUE_ACTIONS[action]
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and _act(
        form, lambda data: act.service(post=post, by=request.user, reason=data["reason"])
    ):
        messages.success(request, act.done)
        return redirect("forum:report_queue")
    reports = (
        post.reports.filter(status=ReportStatus.OPEN).select_related("reporter").order_by("created_at", "pk")
    )
    return render(
        request,
        "forum/moderation/action_form.html",
        {
            "space": post.thread.space,
            "thread": post.thread,
            "post": post,
            "reports": reports,
            "action": act,
            "form": form,
            "back": reverse("forum:report_queue"),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def moderation_log(request):
    spaces = _moderated_spaces(request)
    form = LogFilterForm(request.GET or None, spaces=Space.objects.filter(pk__in=[s.pk for s in spaces]))
    space = form.cleaned_data["espace"] if form.is_bound and form.is_valid() else None
    entries = moderation_selectors.moderation_log_list(user=request.user, space=space)
    page = Paginator(entries, LOG_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "forum/moderation/log.html",
        {
            "page_obj": page,
            "form": form,
            "space": space,
            "extra_query": f"&espace={space.slug}" if space else "",
        },
    )
