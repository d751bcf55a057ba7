"""The FAQ: reads (live entries grouped by module and theme, search through Wagtail's backend, a
member's own feedback) and writes (feedback, « Ajouter à la FAQ »).

Entries are Wagtail snippets with drafts: only `live` rows are ever shown outside the admin, and
a live row holds the published content (a draft edit of a published entry stays in its revision
until the team publishes it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.search.backends import get_search_backend

from forum.enums import SpaceKind
from forum.faq.models import FaqEntry, FaqFeedback
from forum.threads import permissions
from forum.threads.models import Thread

FORUM_THEME = "Forum"
GENERAL_TITLE = "Questions générales sur la formation"
# The formatting FaqEntry.answer's rich text editor offers; anything else from a post is unwrapped.
ANSWER_TAGS = {"p", "br", "strong", "b", "em", "i", "a", "ul", "ol", "li", "h3", "h4"}


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


class FaqEntryExists(ValidationError):
    """The thread already has a FAQ entry (draft or published): `entry` is it."""

    def __init__(self, entry: FaqEntry):
        self.entry = entry
        state = "publiée" if entry.live else "en brouillon"
        super().__init__(f"Ce fil est déjà dans la FAQ (entrée {state}).")


# --- Reads -------------------------------------------------------------------------------------


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
    from forum.search.selectors import search_text

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


def can_promote_to_faq(user, thread: Thread) -> bool:
    """« Ajouter à la FAQ » is for trainers and the pedagogical team, on threads they moderate."""
    if not permissions.can_animate_forum(user):
        return False
    return permissions.space_access(user, thread.space).moderate


def faq_answer_html(post_html: str) -> str:
    """A post's sanitised HTML reduced to the formatting the FAQ editor knows (text is kept)."""
    return nh3.clean(
        post_html,
        tags=ANSWER_TAGS,
        clean_content_tags={"script", "style"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )


# --- Writes ------------------------------------------------------------------------------------


@transaction.atomic
def faq_feedback_set(*, entry: FaqEntry, user, helpful: bool) -> FaqFeedback:
    """Record or change the member's answer on a published entry; one row per member and entry."""
    if not (user and user.is_authenticated and user.is_active):
        raise PermissionDenied("Connectez-vous pour donner votre avis.")
    if not FaqEntry.objects.filter(pk=entry.pk, live=True).exists():
        raise ValidationError("Cette réponse n'est pas publiée : votre avis n'a pas été enregistré.")
    feedback, _ = FaqFeedback.objects.update_or_create(
        entry=entry, user=user, defaults={"helpful": helpful, "created_at": timezone.now()}
    )
    return feedback


@transaction.atomic
def faq_entry_from_thread(*, thread: Thread, by) -> FaqEntry:
    """« Ajouter à la FAQ »: a DRAFT entry (never published here) with the thread's title as
    question and its marked answer as answer, in the thread's module if it is a module space,
    linked to the thread, with a first revision by `by`. One entry per thread at most."""
    thread = (
        Thread.objects.select_for_update(of=("self",))
        .select_related("space", "space__module")
        .get(pk=thread.pk)
    )
    if not can_promote_to_faq(by, thread):
        raise PermissionDenied(
            "Seul·es les formateur·rices et l'équipe pédagogique peuvent ajouter une discussion à la FAQ."
        )
    existing = FaqEntry.objects.filter(source_thread=thread).order_by("pk").first()
    if existing is not None:
        raise FaqEntryExists(existing)
    if thread.is_hidden:
        raise ValidationError("Ce fil est masqué par la modération : il ne peut pas entrer dans la FAQ.")
    answer = thread.answer
    if answer is None:
        raise ValidationError(
            "Ce fil n'a pas de réponse retenue : marquez d'abord la réponse, puis ajoutez le fil à la FAQ."
        )
    if answer.is_hidden or answer.deleted_at is not None:
        raise ValidationError("La réponse retenue de ce fil n'est plus visible : choisissez-en une autre.")
    entry = FaqEntry(
        question=thread.title[:255],
        answer=faq_answer_html(answer.html),
        module=thread.space.module if thread.space.kind == SpaceKind.MODULE else None,
        theme=FORUM_THEME,
        source_thread=thread,
        live=False,
    )
    entry.full_clean()
    entry.save()
    revision = entry.save_revision(user=by, clean=False)
    log(instance=entry, action="wagtail.create", user=by, revision=revision, content_changed=True)
    return entry
