"""Template tags of the forum's animation: the median time to a trainer's first answer on a space
page, and the « Questions sans réponse » tile of the trainers' and the team's personal space.
Both render nothing, without a query, for anyone who does not moderate."""

from __future__ import annotations

from django import template

from forum.animation import selectors as animation
from forum.threads import permissions

register = template.Library()


def _animator(context):
    """The signed-in trainer or team member of the context's request, else None (no query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if permissions.can_animate_forum(user):
        return user
    return None


@register.inclusion_tag("forum/animation/_answer_stats.html", takes_context=True)
def space_answer_stats(context, space, months: int = 6):
    """« Délai médian de première réponse » of `space`, month by month, for its moderators."""
    user = _animator(context)
    if user is None or not permissions.space_access(user, space).moderate:
        return {"rows": None}
    rows = [
        {
            "stats": stats,
            "median": animation.duration_fr(stats.median) if stats.median is not None else None,
        }
        for stats in animation.first_answer_medians(space=space, months=months)
    ]
    return {"space": space, "rows": rows}


@register.inclusion_tag("forum/animation/_unanswered_tile.html", takes_context=True)
def unanswered_tile(context):
    """A DSFR tile linking to « Questions sans réponse », with how many questions wait."""
    user = _animator(context)
    if user is None:
        return {"show": False}
    return {"show": True, "count": animation.unanswered_count(user=user)}
