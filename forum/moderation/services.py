"""The answer to a question, moderation and reports: the writes (what moderators read is in
forum.moderation.selectors). Every write checks lms.permissions itself, so a crafted request is
refused exactly like the form it bypasses; every write that moderates leaves a ModerationLog entry."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from forum.enums import ModerationAction, ReportStatus
from forum.moderation.models import ModerationLog, Report
from forum.moderation.permissions import can_mark_answer, report_refusal
from forum.threads import permissions
from forum.threads.models import Post, Space, Thread

MAX_REASON_CHARS = 1_000


def _require_moderate(user, space: Space) -> None:
    if not permissions.space_access(user, space).moderate:
        raise PermissionDenied("Seul·es les formateur·rices et l'équipe pédagogique modèrent cet espace.")


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": "Indiquez le motif : il est conservé dans le journal de modération."}
        )
    if len(reason) > MAX_REASON_CHARS:
        raise ValidationError(
            {
                "reason": f"Le motif dépasse {MAX_REASON_CHARS:,} caractères ({len(reason):,}).".replace(
                    ",", " "
                )
            }
        )
    return reason


def _log(
    *, action: str, thread: Thread, by, reason: str, post: Post | None = None, to_space: Space | None = None
) -> ModerationLog:
    """`from_space` is where the thread was when the act happened (for every act, so that the log
    filtered by space keeps the acts of threads moved away since); `to_space` is set by a move."""
    return ModerationLog.objects.create(
        action=action,
        thread=thread,
        post=post,
        actor=by,
        reason=reason,
        from_space_id=thread.space_id,
        to_space=to_space,
        created_at=timezone.now(),
    )


def _locked_thread(thread: Thread) -> Thread:
    return Thread.objects.select_for_update(of=("self",)).select_related("space").get(pk=thread.pk)


def _locked_post(post: Post) -> Post:
    return Post.objects.select_for_update(of=("self",)).select_related("thread__space").get(pk=post.pk)


# --- The answer -----------------------------------------------------------------------------------


def _first_post_id(thread: Thread) -> int | None:
    return (
        Post.objects.filter(thread=thread).order_by("created_at", "pk").values_list("pk", flat=True).first()
    )


@transaction.atomic
def answer_mark(*, thread: Thread, post: Post, by) -> Thread:
    """Make a visible reply of the thread (never the question itself) its answer, replacing any
    earlier one."""
    locked = _locked_thread(thread)
    if not can_mark_answer(by, locked):
        raise PermissionDenied(
            "Seul·es l'auteur·rice de la question, les formateur·rices et l'équipe pédagogique "
            "choisissent la réponse."
        )
    post = Post.objects.get(pk=post.pk)
    if post.thread_id != locked.pk:
        raise ValidationError("Ce message n'appartient pas à ce fil.")
    if post.pk == _first_post_id(locked):
        raise ValidationError("La question elle-même ne peut pas être retenue comme réponse.")
    if post.deleted_at or post.is_hidden:
        raise ValidationError("Ce message n'est plus visible : il ne peut pas être retenu comme réponse.")
    if locked.answer_id != post.pk:
        locked.answer = post
        locked.save(update_fields=["answer"])
    thread.answer = post
    return locked


@transaction.atomic
def answer_unmark(*, thread: Thread, by) -> Thread:
    """The thread has no answer any more (its posts are untouched)."""
    locked = _locked_thread(thread)
    if not can_mark_answer(by, locked):
        raise PermissionDenied(
            "Seul·es l'auteur·rice de la question, les formateur·rices et l'équipe pédagogique "
            "choisissent la réponse."
        )
    if locked.answer_id is None:
        raise ValidationError("Ce fil n'a pas de réponse retenue.")
    locked.answer = None
    locked.save(update_fields=["answer"])
    thread.answer = None
    return locked


# --- Moderating threads ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ThreadFlag:
    """One of the thread's moderation switches: the field it sets, to what, how it is logged and
    what a moderator is told when the thread is already so."""

    field: str
    value: bool
    action: str
    already: str


# pin/unpin: the thread stays at the top of its space, or takes its place by last activity again;
# lock/unlock: it stays readable but accepts no reply (forum.threads.services.post_reply refuses);
# hide/unhide: only moderators see it, or the space's members again.
THREAD_FLAGS = {
    "pin": ThreadFlag("is_pinned", True, ModerationAction.PIN, "Ce fil est déjà épinglé."),
    "unpin": ThreadFlag("is_pinned", False, ModerationAction.UNPIN, "Ce fil n'est pas épinglé."),
    "lock": ThreadFlag("is_locked", True, ModerationAction.LOCK, "Ce fil est déjà verrouillé."),
    "unlock": ThreadFlag("is_locked", False, ModerationAction.UNLOCK, "Ce fil n'est pas verrouillé."),
    "hide": ThreadFlag("is_hidden", True, ModerationAction.HIDE_THREAD, "Ce fil est déjà masqué."),
    "unhide": ThreadFlag("is_hidden", False, ModerationAction.SHOW_THREAD, "Ce fil n'est pas masqué."),
}


@transaction.atomic
def thread_flag_set(*, thread: Thread, by, reason: str, flag: str) -> ModerationLog:
    """Pin, unpin, lock, unlock, hide or unhide the thread (THREAD_FLAGS[flag]), with its reason
    logged; refused when the thread is already so."""
    switch = THREAD_FLAGS[flag]
    locked = _locked_thread(thread)
    _require_moderate(by, locked.space)
    reason = _clean_reason(reason)
    if getattr(locked, switch.field) == switch.value:
        raise ValidationError(switch.already)
    setattr(locked, switch.field, switch.value)
    locked.save(update_fields=[switch.field])
    setattr(thread, switch.field, switch.value)
    return _log(action=switch.action, thread=locked, by=by, reason=reason)


thread_pin = partial(thread_flag_set, flag="pin")
thread_unpin = partial(thread_flag_set, flag="unpin")
thread_lock = partial(thread_flag_set, flag="lock")
thread_unlock = partial(thread_flag_set, flag="unlock")
thread_hide = partial(thread_flag_set, flag="hide")
thread_unhide = partial(thread_flag_set, flag="unhide")


@transaction.atomic
def thread_move(*, thread: Thread, to_space: Space, by, reason: str) -> ModerationLog:
    """Move the thread, with all its posts, to another space of the same programme that the
    moderator also moderates."""
    locked = _locked_thread(thread)
    from_space = locked.space
    _require_moderate(by, from_space)
    reason = _clean_reason(reason)
    if to_space.pk == from_space.pk:
        raise ValidationError({"to_space": "Le fil est déjà dans cet espace."})
    if to_space.programme_id != from_space.programme_id:
        raise ValidationError({"to_space": "Un fil ne se déplace que vers un espace de la même formation."})
    if not permissions.space_access(by, to_space).moderate:
        raise PermissionDenied("Vous ne modérez pas l'espace de destination.")
    entry = _log(action=ModerationAction.MOVE, thread=locked, by=by, reason=reason, to_space=to_space)
    locked.space = to_space
    locked.save(update_fields=["space"])
    thread.space = to_space
    return entry


# --- Moderating posts -----------------------------------------------------------------------------


@transaction.atomic
def post_hide(*, post: Post, by, reason: str) -> ModerationLog:
    """Members see « Message masqué par la modération » in its place; moderators still read it.
    The open reports on the post are resolved as « Message masqué ». A hidden post is no longer
    the thread's answer: the answer is withdrawn, and that is logged too (« Réponse retenue
    retirée », same reason); unhiding the post does not make it the answer again."""
    locked = _locked_post(post)
    _require_moderate(by, locked.thread.space)
    reason = _clean_reason(reason)
    if locked.is_hidden:
        raise ValidationError("Ce message est déjà masqué.")
    locked.is_hidden = True
    locked.save(update_fields=["is_hidden"])
    post.is_hidden = True
    Report.objects.filter(post=locked, status=ReportStatus.OPEN).update(
        status=ReportStatus.HIDDEN, resolved_at=timezone.now(), resolved_by=by
    )
    entry = _log(action=ModerationAction.HIDE_POST, thread=locked.thread, post=locked, by=by, reason=reason)
    if Thread.objects.filter(pk=locked.thread_id, answer_id=locked.pk).update(answer=None):
        _log(action=ModerationAction.UNMARK_ANSWER, thread=locked.thread, post=locked, by=by, reason=reason)
    return entry


@transaction.atomic
def post_unhide(*, post: Post, by, reason: str) -> ModerationLog:
    """The post is visible to the space's members again."""
    locked = _locked_post(post)
    _require_moderate(by, locked.thread.space)
    reason = _clean_reason(reason)
    if not locked.is_hidden:
        raise ValidationError("Ce message n'est pas masqué.")
    locked.is_hidden = False
    locked.save(update_fields=["is_hidden"])
    post.is_hidden = False
    return _log(action=ModerationAction.SHOW_POST, thread=locked.thread, post=locked, by=by, reason=reason)


# --- Reports --------------------------------------------------------------------------------------


@transaction.atomic
def report_create(*, post: Post, by, reason: str) -> Report:
    """Any member who reads the space reports someone else's visible post, once while it is open."""
    post = Post.objects.select_related("thread__space").get(pk=post.pk)
    refusal = report_refusal(post=post, by=by)
    if refusal:
        raise ValidationError(refusal)
    reason = _clean_reason(reason)
    try:
        with transaction.atomic():
            return Report.objects.create(post=post, reporter=by, reason=reason, created_at=timezone.now())
    except IntegrityError as exc:  # the same report sent twice at once: the constraint decides
        raise ValidationError(
            "Vous avez déjà signalé ce message ; la modération ne l'a pas encore examiné."
        ) from exc


@transaction.atomic
def report_dismiss(*, post: Post, by, reason: str) -> ModerationLog:
    """Close the post's open reports without acting on the post (« Classer sans suite »)."""
    locked = _locked_post(post)
    _require_moderate(by, locked.thread.space)
    reason = _clean_reason(reason)
    closed = Report.objects.filter(post=locked, status=ReportStatus.OPEN).update(
        status=ReportStatus.DISMISSED, resolved_at=timezone.now(), resolved_by=by
    )
    if not closed:
        raise ValidationError("Aucun signalement en attente sur ce message : il a déjà été traité.")
    return _log(
        action=ModerationAction.DISMISS_REPORT, thread=locked.thread, post=locked, by=by, reason=reason
    )
