"""Template tags of the FAQ and the forum search:

- `{% faq_promote_button thread %}` on a thread page: « Ajouter à la FAQ » for trainers and the
  pedagogical team once the thread has an answer (or a note when it is already in the FAQ);
  renders nothing, without a query, for anyone else or a thread without answer;
- `{% forum_search_box %}`: the forum search form (space list, space pages)."""

from __future__ import annotations

from django import template

from forum.faq.permissions import can_promote_to_faq
from forum.faq.selectors import faq_entry_of_thread
from forum.faq.views import faq_admin_edit_url
from forum.threads import permissions

register = template.Library()


@register.inclusion_tag("forum/faq/_promote_button.html", takes_context=True)
def faq_promote_button(context, thread):
    request = context.get("request")
    user = getattr(request, "user", None)
    if not thread.answer_id or not permissions.can_animate_forum(user):
        return {"show": False}
    if not can_promote_to_faq(user, thread):
        return {"show": False}
    entry = faq_entry_of_thread(thread=thread)
    team = permissions.is_pedagogical_team(user)
    return {
        "show": True,
        "thread": thread,
        "entry": entry,
        "edit_url": faq_admin_edit_url(entry) if entry is not None and team else None,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("forum/faq/_search_box.html", takes_context=True)
def forum_search_box(context, query: str = ""):
    return {"query": query}
