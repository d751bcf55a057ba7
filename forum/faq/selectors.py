"""What the FAQ pages read: live entries grouped by module and theme, search through Wagtail's
backend, a member's own feedback and a thread's entry. Nothing here writes.

Entries are Wagtail snippets with drafts: only `live` rows are ever shown outside the admin, and
a live row holds the published content (a draft edit of a published entry stays in its revision
until the team publishes it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from wagtail.search.backends import get_search_backend

from forum.faq.models import FaqEntry, FaqFeedback
from forum.search.selectors import search_text
from forum.threads.models import Thread

GENERAL_TITLE = "Questions générales sur la formation"


@dataclass
class FaqSection:
    """The entries of one module (or the general ones), theme by theme."""

    module: object | None
    title: str
    anchor: str
    themes: list[tuple[str, list[FaqEntry]]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(entries) for _, entries in self.themes)


def faq_entries_live() -> QuerySet[FaqEntry]:
    """Published entries, with what the FAQ page shows next to each (module, source thread's space)."""
    return FaqEntry.objects.filter(live=True).select_related("module", "source_thread__space")


def faq_sections(*, entries: Iterable[FaqEntry]) -> list[FaqSection]:
    """General entries first, then one section per module by module number; inside a section,
    themes in the order of their first entry (entries come ordered by sort_order, question)."""
    sections: dict[int | None, FaqSection] = {}
    for entry in entries:
        section = sections.get(entry.module_id)
        if section is None:
            module = entry.module
            if module is None:
                section = FaqSection(module=None, title=GENERAL_TITLE, anchor="general")
            else:
                section = FaqSection(
                    module=module,
                    title=f"Module {module.number} — {module.title}",
                    anchor=f"module-{module.pk}",
                )
            sections[entry.module_id] = section
        for theme, rows in section.themes:
            if theme == entry.theme:
                rows.append(entry)
                break
        else:
            section.themes.append((entry.theme, [entry]))
    return sorted(sections.values(), key=lambda s: (s.module is not None, s.module.number if s.module else 0))


def faq_search(*, query: str, limit: int | None = None) -> list[FaqEntry]:
    """Published entries matching every word of `query`, best first (Wagtail search backend:
    PostgreSQL full-text search in production)."""
    text = search_text(query)
    if not text:
        return []
    results = get_search_backend().search(text, faq_entries_live(), operator="and")
    return list(results[:limit] if limit else results)


def faq_feedback_of(*, user, entries: Iterable[FaqEntry]) -> dict[int, bool]:
    """The member's answers to « Cette réponse vous a-t-elle aidé ? », by entry id (one query)."""
    if not (user and user.is_authenticated):
        return {}
    ids = [entry.pk for entry in entries]
    rows = FaqFeedback.objects.filter(user=user, entry_id__in=ids).values_list("entry_id", "helpful")
    return dict(rows)


def faq_entry_of_thread(*, thread: Thread) -> FaqEntry | None:
    """The FAQ entry (draft or published) made from the thread, if any (one query)."""
    return FaqEntry.objects.filter(source_thread=thread).order_by("pk").first()
