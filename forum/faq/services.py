"""The FAQ's writes: a member's feedback and « Ajouter à la FAQ » (what the FAQ pages read is in
forum.faq.selectors, who may add a thread in forum.faq.permissions).

Entries are Wagtail snippets with drafts: an entry made here is a draft, which the pedagogical
team edits and publishes in Wagtail."""

from __future__ import annotations

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from forum.enums import SpaceKind
from forum.faq.models import FaqEntry, FaqFeedback
from forum.faq.permissions import can_promote_to_faq
from forum.faq.selectors import faq_entry_of_thread
from forum.threads.models import Thread

FORUM_THEME = "Forum"
# The formatting FaqEntry.answer's rich text editor offers; anything else from a post is unwrapped.
ANSWER_TAGS = {"p", "br", "strong", "b", "em", "i", "a", "ul", "ol", "li", "h3", "h4"}


class FaqEntryExists(ValidationError):
    """The thread already has a FAQ entry (draft or published): `entry` is it."""

    def __init__(self, entry: FaqEntry):
        self.entry = entry
        state = "publiée" if entry.live else "en brouillon"
        super().__init__(f"Ce fil est déjà dans la FAQ (entrée {state}).")


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
    existing = faq_entry_of_thread(thread=thread)
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
