"""Template tags of the forum notifications: follow buttons and the unread count of the header."""

from django import template
from django.db.models import Q
from django.urls import reverse

from forum.notifications.models import Follow
from forum.notifications.selectors import unread_count_for

register = template.Library()


def _user(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


@register.inclusion_tag("forum/notifications/_follow_button.html", takes_context=True)
def follow_thread_button(context, thread):
    """« Suivre ce fil » / « Ne plus suivre ce fil » (one query), for a page whose view already
    checked that the user reads the thread's space; says so when the whole space is followed."""
    user = _user(context)
    if user is None:
        return {"show": False}
    rows = list(
        Follow.objects.filter(user=user)
        .filter(Q(thread=thread) | Q(space_id=thread.space_id))
        .values_list("thread_id", flat=True)
    )
    return {
        "show": True,
        "following": thread.pk in rows,
        "space_followed": None in rows,
        "action_url": reverse("forum:follow_thread", args=[thread.pk]),
        "kind": "thread",
        "next": context["request"].get_full_path(),
    }


@register.inclusion_tag("forum/notifications/_follow_button.html", takes_context=True)
def follow_space_button(context, space):
    """« Suivre cet espace » / « Ne plus suivre cet espace » (one query)."""
    user = _user(context)
    if user is None:
        return {"show": False}
    return {
        "show": True,
        "following": Follow.objects.filter(user=user, space=space).exists(),
        "action_url": reverse("forum:follow_space", args=[space.pk]),
        "kind": "space",
        "next": context["request"].get_full_path(),
    }


@register.simple_tag(takes_context=True)
def notification_unread_count(context) -> int:
    """How many unread notifications the signed-in user has (one query per request)."""
    if _user(context) is None:
        return 0
    return unread_count_for(context["request"])
