"""Template tags of the answer and moderation: who may choose the answer, why content was hidden,
where the answer sits, and the open report count for moderators."""

from django import template

from forum.moderation import permissions as moderation_permissions
from forum.moderation import selectors as moderation_selectors
from forum.threads import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def open_report_count(context) -> int:
    """Open reports in the spaces the current user moderates (0 for everyone else); computed once
    per request: `{% open_report_count as n %}`."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return 0
    if not hasattr(request, "_forum_open_report_count"):
        request._forum_open_report_count = moderation_selectors.open_report_count(user=request.user)
    return request._forum_open_report_count


@register.simple_tag(takes_context=True)
def can_mark_answer(context, thread) -> bool:
    """`{% can_mark_answer thread as may_mark %}`: whether to offer « Marquer comme réponse »;
    forum.moderation.services.answer_mark decides for real."""
    request = context.get("request")
    return bool(
        request
        and request.user.is_authenticated
        and moderation_permissions.can_mark_answer(request.user, thread)
    )


@register.simple_tag(takes_context=True)
def moderation_reasons(context, thread, rows) -> dict:
    """`{% moderation_reasons thread rows as reasons %}`: the reasons for hiding the thread and the
    page's hidden posts, for moderators only (one query)."""
    from forum.threads import permissions

    request = context.get("request")
    if not (request and permissions.space_access(request.user, thread.space).moderate):
        return {"thread": None, "posts": {}}
    return moderation_selectors.moderation_reasons(thread=thread, posts=[post for post, *_ in rows])


@register.filter
def reason_for(reasons: dict, post_id):
    """`reasons.posts|reason_for:post.pk`: the log entry that hid this post, if any."""
    return (reasons or {}).get(post_id)


@register.simple_tag
def post_url(thread, post) -> str:
    """`{% post_url thread post %}`: the URL of the post in its thread, on the right page."""
    from django.urls import reverse

    url = reverse("forum:thread_detail", kwargs={"slug": thread.space.slug, "thread_id": thread.pk})
    return f"{url}?page={selectors.post_page(post=post)}#message-{post.pk}"


@register.inclusion_tag("forum/moderation/_links.html", takes_context=True)
def moderation_links(context) -> dict:
    """`{% moderation_links %}`: for moderators, « Signalements à traiter » with the open count and
    « Journal de modération »; nothing (and no query) for everyone else."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not moderation_selectors.spaces_moderated_by(user):
        return {"show": False}
    return {"show": True, "count": open_report_count(context)}
