"""Following threads and spaces, the notifications page, the preferences and the one-click
unsubscribe. Access comes from lms.permissions (through forum.notifications): a thread or a space
the user may not read is « not found »; writes go through forum.notifications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from forum.notifications import selectors as notification_selectors
from forum.notifications import services as notifications
from forum.notifications.forms import FollowForm, PreferenceForm
from forum.notifications.models import Follow
from forum.threads import permissions, selectors
from forum.threads.models import Space, Thread

NOTIFICATIONS_PER_PAGE = 30


def _back(request, form: FollowForm, default: str):
    target = form.cleaned_data.get("next") if form.is_valid() else ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def _follow(request, *, thread: Thread | None = None, space: Space | None = None, default: str):
    form = FollowForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "forum/notifications/follow_error.html",
            {"errors": form.errors.get("action"), "back": default},
            status=400,
        )
    following = form.cleaned_data["action"] == "follow"
    notifications.follow_set(user=request.user, following=following, thread=thread, space=space)
    what = f"le fil « {thread.title} »" if thread is not None else f"l'espace « {space.title} »"
    messages.success(request, f"Vous suivez {what}." if following else f"Vous ne suivez plus {what}.")
    return _back(request, form, default)


@login_required
@require_POST
def follow_thread(request, thread_id):
    """Follow or stop following a thread of a readable space (hidden threads: moderators only)."""
    thread = get_object_or_404(
        Thread.objects.select_related("space").filter(space__in=permissions.spaces_readable_by(request.user)),
        pk=thread_id,
    )
    if thread.is_hidden and not permissions.space_access(request.user, thread.space).moderate:
        raise Http404
    default = reverse("forum:thread_detail", kwargs={"slug": thread.space.slug, "thread_id": thread.pk})
    return _follow(request, thread=thread, default=default)


@login_required
@require_POST
def follow_space(request, space_id):
    """Follow or stop following a readable space: every new post there is notified."""
    space = get_object_or_404(permissions.spaces_readable_by(request.user), pk=space_id)
    return _follow(request, space=space, default=reverse("forum:space_detail", kwargs={"slug": space.slug}))


@login_required
def notification_list(request):
    """The member's notifications, newest first; unread ones marked « Non lu »."""
    notes = (
        notification_selectors.notifications_visible_to(request.user)
        .select_related("post__author", "post__thread__space")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(notes, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(n, notifications.post_excerpt(n.post, 200)) for n in page.object_list]
    return render(
        request,
        "forum/notifications/list.html",
        {"page_obj": page, "rows": rows, "unread": notification_selectors.unread_count_for(request)},
    )


@login_required
@require_POST
def notification_read_all(request):
    count = notifications.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, "Toutes vos notifications sont marquées comme lues.")
    return redirect("forum:notification_list")


@login_required
def notification_open(request, pk):
    """Mark the notification read and go to its post (page and anchor). A GET, so that the link
    works from the notifications page and from emails; marking read is harmless to repeat."""
    notification = get_object_or_404(
        notification_selectors.notifications_visible_to(request.user).select_related("post__thread__space"),
        pk=pk,
    )
    notifications.notification_mark_read(notification=notification)
    post = notification.post
    url = reverse("forum:thread_detail", kwargs={"slug": post.thread.space.slug, "thread_id": post.thread_id})
    return redirect(f"{url}?page={selectors.post_page(post=post)}#message-{post.pk}")


@login_required
def notification_preferences(request):
    """Email mode and automatic following; the threads and spaces followed, and those one may follow."""
    user = request.user
    preference = notification_selectors.preference_of(user)
    form = PreferenceForm(
        request.POST or None,
        initial={"email_mode": preference.email_mode, "follow_own_threads": preference.follow_own_threads},
    )
    if request.method == "POST" and form.is_valid():
        notifications.preference_update(user=user, **form.cleaned_data)
        messages.success(request, "Vos préférences de notification sont enregistrées.")
        return redirect("forum:notification_preferences")
    readable = permissions.spaces_readable_by(user)
    followed_threads = (
        Follow.objects.filter(user=user, thread__space__in=readable, thread__is_hidden=False)
        .select_related("thread__space")
        .order_by("-thread__last_post_at", "-pk")
    )
    followed_space_ids = set(
        Follow.objects.filter(user=user, space__isnull=False).values_list("space_id", flat=True)
    )
    spaces = list(readable)
    return render(
        request,
        "forum/notifications/preferences.html",
        {
            "form": form,
            "followed_threads": followed_threads,
            "followed_spaces": [s for s in spaces if s.pk in followed_space_ids],
            "other_spaces": [s for s in spaces if s.pk not in followed_space_ids],
        },
        status=400 if request.method == "POST" else 200,
    )


@csrf_exempt
def unsubscribe(request, token):
    """The link of the emails, without sign-in. GET shows one « Me désabonner » button (link
    scanners only GET); POST does it, including the RFC 8058 one-click POST of mail clients, which
    carries no CSRF token: the signed token is the proof instead."""
    try:
        unsubscription = notifications.unsubscribe_read(token)
    except signing.BadSignature:
        return render(request, "forum/notifications/unsubscribe_invalid.html", status=400)
    if not get_user_model().objects.filter(pk=unsubscription.user_id).exists():
        return render(request, "forum/notifications/unsubscribe_invalid.html", status=400)
    thread = space = None
    if unsubscription.scope == "thread":
        thread = Thread.objects.filter(pk=unsubscription.target_id).select_related("space").first()
    elif unsubscription.scope == "space":
        space = Space.objects.filter(pk=unsubscription.target_id).first()
    done = request.method == "POST"
    if done:
        notifications.unsubscribe_apply(unsubscription=unsubscription)
    also_space = (
        thread is not None
        and Follow.objects.filter(user_id=unsubscription.user_id, space_id=thread.space_id).exists()
    )
    return render(
        request,
        "forum/notifications/unsubscribe.html",
        {
            "scope": unsubscription.scope,
            "thread": thread,
            "space": space,
            "done": done,
            "also_space": also_space,
        },
    )
