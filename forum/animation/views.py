"""The trainers' animation pages: the questions still waiting for a trainer's answer."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from forum.animation import selectors as animation
from forum.threads import permissions

QUESTIONS_PER_PAGE = 30
WAIT_WARNING = datetime.timedelta(days=2)
WAIT_TOO_LONG = datetime.timedelta(days=7)


def _badge_level(waited: datetime.timedelta) -> str:
    """The DSFR badge colour of a waiting time."""
    if waited >= WAIT_TOO_LONG:
        return "error"
    if waited >= WAIT_WARNING:
        return "warning"
    return "info"


@login_required
def unanswered(request):
    """« Questions sans réponse »: for trainers and the pedagogical team, the questions of the
    spaces they moderate that no trainer has answered yet, oldest first, filterable by space."""
    user = request.user
    if not permissions.can_animate_forum(user):
        raise PermissionDenied("Cette page est réservée aux formateur·rices et à l'équipe pédagogique.")
    spaces = animation.spaces_moderated_by(user)
    summary = animation.unanswered_by_space(spaces=spaces)
    waiting_by_space = {row.space.pk: row.waiting for row in summary}
    slug = request.GET.get("espace", "").strip()
    chosen = next((s for s in spaces if s.slug == slug), None) if slug else None
    threads = animation.unanswered_threads(spaces=[chosen] if chosen else spaces)
    page = Paginator(threads, QUESTIONS_PER_PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [
        {
            "thread": thread,
            "since": animation.waiting_since_fr(now - thread.created_at),
            "level": _badge_level(now - thread.created_at),
        }
        for thread in page.object_list
    ]
    return render(
        request,
        "forum/animation/unanswered.html",
        {
            "space_options": [(space, waiting_by_space.get(space.pk, 0)) for space in spaces],
            "summary": [
                {"row": row, "since": animation.waiting_since_fr(now - row.oldest)} for row in summary
            ],
            "waiting_total": sum(waiting_by_space.values()),
            "chosen": chosen,
            "unknown_space": bool(slug) and chosen is None,
            "page_obj": page,
            "rows": rows,
            "extra_query": "&" + urlencode({"espace": chosen.slug}) if chosen else "",
        },
    )
