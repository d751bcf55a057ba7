"""Reading and posting on the forum. Access comes from lms.permissions only: a space the user may
not read is « not found », whatever the URL; writes go through forum.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from forum.attachments import checks as attachment_checks
from forum.attachments.models import Attachment
from forum.enums import SpaceKind
from forum.notifications import services as notifications
from forum.threads import permissions, selectors, services
from forum.threads.forms import PostEditForm, ReplyForm, ThreadForm
from forum.threads.models import Post, Space, Thread
from forum.threads.rendering import post_html
from lms.security.decorators import body_limit
from lms.uploads import human_size

THREADS_PER_PAGE = 30
# Every file a post may carry, plus the text and the multipart framing: refused before it is read.
ATTACHMENTS_BODY_MAX_BYTES = (
    attachment_checks.MAX_FILES * attachment_checks.FORUM_POLICY.max_bytes + 1024 * 1024
)
GROUP_TITLES = {
    SpaceKind.GENERAL: "Espace général",
    SpaceKind.MODULE: "Espaces des modules",
    SpaceKind.COHORT: "Espaces de promotion",
}
POSTS_PER_PAGE = selectors.POSTS_PER_PAGE
# The key of the browser draft (static/js/forum-draft.js) of the form just published: the next
# thread page tells the script to drop it.
DRAFT_PUBLISHED = "forum_draft_published"


def readable_space(request, slug) -> tuple[Space, permissions.SpaceAccess]:
    """The space (404 unless the user reads it) and the user's access to it; the other rooms'
    pages on a space use it too."""
    space = get_object_or_404(permissions.spaces_readable_by(request.user), slug=slug)
    return space, permissions.space_access(request.user, space)


def readable_thread(request, slug, thread_id) -> tuple[Thread, permissions.SpaceAccess]:
    """The thread of a space the user reads (404 otherwise; a hidden one only for moderators)."""
    space, access = readable_space(request, slug)
    # The accepted answer is shown under the question: fetched with the thread, not per post.
    threads = Thread.objects.filter(space=space).select_related("answer__author")
    if not access.moderate:
        threads = threads.filter(is_hidden=False)
    thread = get_object_or_404(threads, pk=thread_id)
    thread.space = space
    return thread, access


def _own_post(request, thread, post_id) -> Post:
    post = get_object_or_404(Post.objects.select_related("author"), pk=post_id, thread=thread)
    if post.author_id != request.user.pk:
        raise PermissionDenied("Vous ne pouvez agir que sur vos propres messages.")
    return post


def _add_errors(form, exc: ValidationError) -> None:
    """A service's refusal on the form: file refusals under the file field, the rest on top."""
    on_field = "attachments" in form.fields
    field_errors = [e for e in exc.error_list if on_field and e.code == "attachment"]
    other_errors = [e for e in exc.error_list if not (on_field and e.code == "attachment")]
    if field_errors:
        form.add_error("attachments", field_errors)
    if other_errors:
        form.add_error(None, other_errors)


def _preview(request, form) -> str | None:
    """The sanitised HTML of the submitted text when « Aperçu » was pressed, else None. The chosen
    files are checked too, so that a refused one is known before publishing."""
    if request.method == "POST" and request.POST.get("action") == "preview" and form.is_valid():
        if form.cleaned_data.get("attachments"):
            try:
                attachment_checks.attachments_check(form.cleaned_data["attachments"], user=request.user)
            except ValidationError as exc:
                _add_errors(form, exc)
        return post_html(form.cleaned_data["message"] or "")
    return None


def _quote_text(post: Post) -> str:
    quoted = "\n".join(f"> {line}" if line else ">" for line in post.source.splitlines())
    return f"> **{post.author.display_name}** a écrit :\n>\n{quoted}\n\n"


@login_required
def space_list(request):
    spaces = selectors.spaces_with_unread(user=request.user)
    groups = {kind: [] for kind in SpaceKind}
    for space in spaces:
        groups[SpaceKind(space.kind)].append(space)
    return render(
        request,
        "forum/space_list.html",
        {"groups": [(GROUP_TITLES[kind], rows) for kind, rows in groups.items() if rows]},
    )


@login_required
def space_detail(request, slug):
    space, access = readable_space(request, slug)
    threads = selectors.space_threads(space=space, include_hidden=access.moderate)
    threads = selectors.threads_with_unread(threads=threads, user=request.user)
    page = Paginator(threads, THREADS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "forum/space_detail.html", {"space": space, "access": access, "page_obj": page})


@body_limit(ATTACHMENTS_BODY_MAX_BYTES)
@login_required
def thread_create(request, slug):
    space, access = readable_space(request, slug)
    if not access.post:
        raise PermissionDenied("Vous ne pouvez pas publier dans cet espace.")
    form = ThreadForm(request.POST or None, request.FILES or None)
    preview = _preview(request, form)
    if request.method == "POST" and preview is None and form.is_valid():
        try:
            thread = services.thread_start(
                space=space,
                title=form.cleaned_data["title"],
                source=form.cleaned_data["message"],
                by=request.user,
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Votre question est publiée.")
            request.session[DRAFT_PUBLISHED] = f"question:{space.slug}"
            return redirect("forum:thread_detail", slug=space.slug, thread_id=thread.pk)
    failed = request.method == "POST" and preview is None
    return render(
        request,
        "forum/thread_form.html",
        {"space": space, "form": form, "preview": preview},
        status=400 if failed else 200,
    )


def _editable(post: Post, user, now) -> bool:
    """Whether to offer « Modifier »; forum.services.post_edit decides for real."""
    return (
        post.author_id == user.pk
        and post.deleted_at is None
        and not post.is_hidden
        and now - post.created_at <= services.EDIT_WINDOW
    )


def _mark_read(user, thread: Thread, posts: list[Post]) -> int | None:
    """Record that the member has seen the page's posts; returns the id of the first post on the
    page they had not read before (None if none), for the page to point it out."""
    if not posts:
        return None
    seen = selectors.thread_seen_until(thread=thread, user=user) or selectors.NEVER
    first_unread = next(
        (
            post
            for post in posts
            if post.created_at > seen
            and post.author_id != user.pk
            and post.deleted_at is None
            and not post.is_hidden
        ),
        None,
    )
    selectors.thread_visit_record(thread=thread, user=user, seen_until=max(post.created_at for post in posts))
    notifications.notifications_mark_read_for_posts(user=user, post_ids=[post.pk for post in posts])
    return first_unread.pk if first_unread else None


@body_limit(ATTACHMENTS_BODY_MAX_BYTES)
@login_required
def thread_detail(request, slug, thread_id):
    thread, access = readable_thread(request, slug, thread_id)
    space = thread.space
    posts = (
        Post.objects.filter(thread=thread)
        .select_related("author")
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("pk"), to_attr="attachments_list")
        )
        .order_by("created_at", "pk")
    )
    paginator = Paginator(posts, POSTS_PER_PAGE)
    form = ReplyForm(request.POST or None, request.FILES or None)
    preview = _preview(request, form)
    if request.method == "POST" and preview is None and form.is_valid():
        quote = None
        quote_id = form.cleaned_data["quote"]
        try:
            if quote_id:
                quote = Post.objects.filter(pk=quote_id).first()
                if quote is None:
                    raise ValidationError("Le message cité n'est plus disponible.")
            reply = services.post_reply(
                thread=thread,
                source=form.cleaned_data["message"],
                by=request.user,
                quote=quote,
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Votre réponse est publiée.")
            request.session[DRAFT_PUBLISHED] = f"reponse:{thread.pk}"
            last = Paginator(posts, POSTS_PER_PAGE).num_pages
            url = reverse("forum:thread_detail", kwargs={"slug": space.slug, "thread_id": thread.pk})
            return redirect(f"{url}?page={last}#message-{reply.pk}")
    elif request.method == "GET" and request.GET.get("citer", "").isdigit():
        quoted = (
            Post.objects.filter(
                pk=int(request.GET["citer"]), thread=thread, is_hidden=False, deleted_at__isnull=True
            )
            .select_related("author")
            .first()
        )
        if quoted is not None:
            form = ReplyForm(initial={"message": _quote_text(quoted), "quote": quoted.pk})
    page = paginator.get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [(post, _editable(post, request.user, now)) for post in page.object_list]
    first_unread_id = _mark_read(request.user, thread, [post for post, _ in rows])
    for post, _ in rows:
        for attachment in post.attachments_list:
            attachment.size_label = human_size(attachment.size)
    failed = request.method == "POST" and preview is None
    return render(
        request,
        "forum/thread_detail.html",
        {
            "space": space,
            "thread": thread,
            "access": access,
            "page_obj": page,
            "rows": rows,
            "form": form,
            "preview": preview,
            "can_reply": access.post and not thread.is_locked and not thread.is_hidden,
            "first_unread_id": first_unread_id,
            "draft_published": request.session.pop(DRAFT_PUBLISHED, None)
            if request.method == "GET"
            else None,
        },
        status=400 if failed else 200,
    )


@login_required
def post_update(request, slug, thread_id, post_id):
    thread, access = readable_thread(request, slug, thread_id)
    post = _own_post(request, thread, post_id)
    form = PostEditForm(request.POST or None, initial={"message": post.source})
    preview = _preview(request, form)
    if request.method == "POST" and preview is None and form.is_valid():
        try:
            services.post_edit(post=post, source=form.cleaned_data["message"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Votre message est modifié.")
            url = reverse("forum:thread_detail", kwargs={"slug": thread.space.slug, "thread_id": thread.pk})
            return redirect(f"{url}?page={selectors.post_page(post=post)}#message-{post.pk}")
    failed = request.method == "POST" and preview is None
    return render(
        request,
        "forum/post_form.html",
        {"space": thread.space, "thread": thread, "post": post, "form": form, "preview": preview},
        status=400 if failed else 200,
    )


@login_required
def post_remove(request, slug, thread_id, post_id):
    thread, access = readable_thread(request, slug, thread_id)
    post = _own_post(request, thread, post_id)
    if request.method == "POST":
        services.post_delete(post=post, by=request.user)
        messages.success(request, "Votre message est supprimé.")
        url = reverse("forum:thread_detail", kwargs={"slug": thread.space.slug, "thread_id": thread.pk})
        return redirect(f"{url}?page={selectors.post_page(post=post)}#message-{post.pk}")
    return render(
        request, "forum/post_confirm_delete.html", {"space": thread.space, "thread": thread, "post": post}
    )


@login_required
def thread_unread(request, slug, thread_id):
    """« Premier message non lu »: to the page and anchor of the first post the member has not read
    (the last post when all are read, the first when they never opened the thread)."""
    thread, access = readable_thread(request, slug, thread_id)
    url = reverse("forum:thread_detail", kwargs={"slug": thread.space.slug, "thread_id": thread.pk})
    post = selectors.thread_first_unread(thread=thread, user=request.user)
    if post is None:
        return redirect(url)
    return redirect(f"{url}?page={selectors.post_page(post=post)}#message-{post.pk}")


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW, for the whole site: a form refused by the CSRF check (an old page,
    a session renewed in another tab) gets a French page saying that nothing was saved and that a
    forum text is kept in the browser (static/js/forum-draft.js), with a way back to the form."""
    referer = request.META.get("HTTP_REFERER", "")
    safe = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return render(
        request, "forum/csrf_failure.html", {"back_url": referer if safe else "/mon-espace/"}, status=403
    )
