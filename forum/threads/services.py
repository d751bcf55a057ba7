"""Writes on the forum; each function checks the access rule of lms.permissions itself."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import contextmanager
from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from forum.attachments.checks import attachment_kind, attachments_check
from forum.attachments.models import Attachment
from forum.notifications import services as notifications
from forum.notifications import tasks as notification_tasks
from forum.threads import permissions
from forum.threads.models import Post, Space, Thread
from forum.threads.rendering import post_html
from lms.uploads import CheckedUpload, upload_store

MAX_POST_CHARS = 20_000
EDIT_WINDOW = timedelta(minutes=30)
FLOOD_LIMIT = 10  # posts
FLOOD_PERIOD = 300  # seconds


def _clean_source(source: str) -> str:
    source = (source or "").strip()
    if not source:
        raise ValidationError("Le message est vide.")
    if len(source) > MAX_POST_CHARS:
        raise ValidationError(
            f"Le message dépasse {MAX_POST_CHARS:,} caractères ({len(source):,}).".replace(",", " ")
        )
    return source


def _throttle(user) -> None:
    """At most FLOOD_LIMIT posts per FLOOD_PERIOD seconds per account."""
    key = f"forum-posts:{user.pk}"
    cache.add(key, 0, timeout=FLOOD_PERIOD)
    if cache.incr(key) > FLOOD_LIMIT:
        raise ValidationError(
            "Vous avez publié beaucoup de messages en peu de temps : patientez quelques minutes avant "
            "de publier à nouveau. Votre texte est conservé."
        )


def _require_post(user, space: Space) -> None:
    if not permissions.space_access(user, space).post:
        raise PermissionDenied("Vous ne pouvez pas publier dans cet espace.")


@contextmanager
def _attachments_stored(post: Post, files: list[CheckedUpload]):
    """Store the checked files of a new post, then run the block. Should storing or the block
    fail, the files already written are removed again, so that no file outlives a rolled-back row."""
    stored = []
    try:
        for checked in files:
            attachment = Attachment(
                post=post,
                original_name=checked.original_name,
                kind=attachment_kind(checked),
                content_type=checked.content_type,
                size=checked.size,
                created_at=post.created_at,
            )
            storage = attachment.file.storage
            attachment.file = upload_store(storage=storage, folder="forum", checked=checked)
            stored.append(attachment.file)
            attachment.save()
        yield
    except BaseException:
        for field_file in stored:
            field_file.storage.delete(field_file.name)
        raise


def _notify(post: Post) -> None:
    """Inside the transaction that creates `post`: its followers are notified, and the immediate
    emails are queued to go out once the transaction commits."""
    if notifications.post_published(post):
        notification_tasks.post_notifications_queue(post_id=post.pk)


@transaction.atomic
def thread_start(
    *, space: Space, title: str, source: str, by, attachments: Sequence[UploadedFile] = ()
) -> Thread:
    """Open a thread with its first post and its attachments (checked before anything is written).
    The title is kept on one line, its whitespace collapsed: it goes into email subjects."""
    _require_post(by, space)
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError("Donnez un titre à votre question.")
    if len(title) > 200:
        raise ValidationError("Le titre dépasse 200 caractères.")
    source = _clean_source(source)
    checked = attachments_check(attachments, user=by)
    _throttle(by)
    now = timezone.now()
    thread = Thread.objects.create(space=space, title=title, author=by, created_at=now, last_post_at=now)
    post = Post.objects.create(
        thread=thread, author=by, source=source, html=post_html(source), created_at=now
    )
    with _attachments_stored(post, checked):
        _notify(post)
    return thread


@transaction.atomic
def post_reply(
    *,
    thread: Thread,
    source: str,
    by,
    quote: Post | None = None,
    attachments: Sequence[UploadedFile] = (),
) -> Post:
    """Reply in a thread that is open, visible and readable; a quoted post must be visible; the
    attachments are checked before anything is written."""
    _require_post(by, thread.space)
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if thread.is_locked:
        raise ValidationError("Ce fil est verrouillé : il n'accepte plus de réponse.")
    if thread.is_hidden:
        raise ValidationError("Ce fil a été masqué par la modération.")
    if quote is not None and (quote.thread_id != thread.pk or quote.is_hidden or quote.deleted_at):
        raise ValidationError("Le message cité n'est plus disponible.")
    source = _clean_source(source)
    checked = attachments_check(attachments, user=by)
    _throttle(by)
    now = timezone.now()
    post = Post.objects.create(
        thread=thread,
        author=by,
        source=source,
        html=post_html(source),
        quote=quote,
        created_at=now,
    )
    thread.last_post_at = now
    fields = ["last_post_at"]
    if thread.first_trainer_reply_at is None and (
        permissions.is_trainer(by) or permissions.is_pedagogical_team(by)
    ):
        thread.first_trainer_reply_at = now
        fields.append("first_trainer_reply_at")
    thread.save(update_fields=fields)
    with _attachments_stored(post, checked):
        _notify(post)
    return post


@transaction.atomic
def post_edit(*, post: Post, source: str, by) -> Post:
    """The author edits their own post within EDIT_WINDOW; « modifié » is shown afterwards."""
    if post.author_id != by.pk:
        raise PermissionDenied("Vous ne pouvez modifier que vos propres messages.")
    if post.deleted_at or post.is_hidden:
        raise ValidationError("Ce message n'est plus modifiable.")
    if timezone.now() - post.created_at > EDIT_WINDOW:
        raise ValidationError("Un message se modifie dans les 30 minutes qui suivent sa publication.")
    post.source = _clean_source(source)
    post.html = post_html(post.source)
    post.edited_at = timezone.now()
    post.save(update_fields=["source", "html", "edited_at"])
    return post


@transaction.atomic
def post_delete(*, post: Post, by) -> Post:
    """Soft delete by its author: the thread stays readable, the post shows as deleted. A deleted
    post is no longer the thread's answer: the question is unanswered again."""
    if post.author_id != by.pk:
        raise PermissionDenied("Vous ne pouvez supprimer que vos propres messages.")
    if post.deleted_at is None:
        post.deleted_at = timezone.now()
        post.save(update_fields=["deleted_at"])
        Thread.objects.filter(pk=post.thread_id, answer_id=post.pk).update(answer=None)
    return post


def module_space_ensure(*, module, programme=None) -> Space:
    """The space of a module of a programme (its parent page unless given), created if missing
    (idempotent): called when a module page is published (forum.signals) and by spaces_ensure."""
    from courses.catalogue.models import ProgrammePage
    from forum.enums import SpaceKind

    space = Space.objects.filter(module=module).first()
    if space is not None:
        return space
    programme = programme or ProgrammePage.objects.parent_of(module).first()
    if programme is None:
        raise ValueError("A module's space needs the module to sit in a programme.")
    space, _ = Space.objects.get_or_create(
        module=module,
        defaults={
            "kind": SpaceKind.MODULE,
            "programme": programme,
            "title": f"Module {module.number} — {module.title}",
            "slug": f"module-{module.pk}",
        },
    )
    return space


def cohort_space_ensure(*, cohort) -> Space:
    """The private space of a cohort, created if missing (idempotent): called by
    courses' cohort_saved signal and by spaces_ensure."""
    from forum.enums import SpaceKind

    space, _ = Space.objects.get_or_create(
        cohort=cohort,
        defaults={
            "kind": SpaceKind.COHORT,
            "programme_id": cohort.programme_id,
            "title": cohort.name,
            "slug": f"promotion-{cohort.pk}",
        },
    )
    return space


@transaction.atomic
def spaces_ensure(*, programme) -> list[Space]:
    """The programme's spaces: one general, one per module, one per cohort; creates the missing
    ones, never duplicates. A new cohort (courses' cohort_saved signal) or a newly published
    module (forum/threads/signals.py) gets its space at once; this catches up on everything
    else."""
    from courses.catalogue.models import ModulePage
    from courses.cohorts.models import Cohort
    from forum.enums import SpaceKind

    general, _ = Space.objects.get_or_create(
        programme=programme,
        kind=SpaceKind.GENERAL,
        defaults={
            "title": "Espace général",
            "slug": f"general-{programme.pk}",
            "description": "Questions sur le parcours, les heures, le mémoire et la vie de la formation.",
        },
    )
    spaces = [general]
    spaces += [
        module_space_ensure(module=module, programme=programme)
        for module in ModulePage.objects.child_of(programme).order_by("number")
    ]
    spaces += [cohort_space_ensure(cohort=cohort) for cohort in Cohort.objects.filter(programme=programme)]
    return spaces
