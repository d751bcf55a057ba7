"""The FAQ pages and « Ajouter à la FAQ ».

The FAQ is public information on the programme (hours, Qualiopi, mémoire, options): anyone may
read the published entries; giving feedback needs an account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from forum.faq import selectors as faq_selectors
from forum.faq import services as faq
from forum.faq.forms import FeedbackForm
from forum.faq.models import FaqEntry
from forum.search.forms import search_query
from forum.threads import permissions
from forum.threads.models import Thread


def faq_admin_edit_url(entry: FaqEntry) -> str:
    """Where the pedagogical team edits and publishes the entry in Wagtail."""
    return reverse("wagtailsnippets_forum_faqentry:edit", args=[entry.pk])


def _with_member_context(entries: list[FaqEntry], user) -> list[FaqEntry]:
    """Give each entry `my_feedback` (True, False or None) and `source_url` (the thread it came
    from, only if the member may read it), in two queries at most whatever the number of entries."""
    feedback = faq_selectors.faq_feedback_of(user=user, entries=entries)
    readable: set[int] = set()
    if user.is_authenticated and any(entry.source_thread_id for entry in entries):
        readable = set(permissions.spaces_readable_by(user).values_list("pk", flat=True))
    moderator = permissions.can_animate_forum(user)
    for entry in entries:
        entry.my_feedback = feedback.get(entry.pk)
        thread = entry.source_thread
        entry.source_url = None
        if thread is not None and thread.space_id in readable and (moderator or not thread.is_hidden):
            entry.source_url = reverse(
                "forum:thread_detail", kwargs={"slug": thread.space.slug, "thread_id": thread.pk}
            )
    return entries


def faq_index(request):
    """Published entries by module and theme, or the entries matching `?q=`."""
    form, query = search_query(request)
    if query:
        entries = faq_selectors.faq_search(query=query)
        sections = []
    else:
        entries = list(faq_selectors.faq_entries_live())
        sections = faq_selectors.faq_sections(entries=entries)
    _with_member_context(entries, request.user)
    invalid = form.is_bound and not form.is_valid()
    return render(
        request,
        "forum/faq/index.html",
        {"form": form, "query": query, "entries": entries, "sections": sections},
        status=400 if invalid else 200,
    )


def _live_entry(pk: int) -> FaqEntry:
    return get_object_or_404(faq_selectors.faq_entries_live(), pk=pk)


def faq_entry(request, pk: int):
    """One published entry: its permanent link, with the feedback form."""
    entry = _live_entry(pk)
    _with_member_context([entry], request.user)
    return render(request, "forum/faq/entry.html", {"entry": entry, "feedback_form": FeedbackForm()})


@login_required
@require_POST
def faq_feedback(request, pk: int):
    """« Cette réponse vous a-t-elle aidé ? »: Oui / Non, one answer per member, changeable."""
    entry = _live_entry(pk)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            faq.faq_feedback_set(entry=entry, user=request.user, helpful=form.is_helpful())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, "Merci pour votre avis : il aide l'équipe pédagogique à améliorer la FAQ."
            )
            return redirect(f"{reverse('forum:faq_entry', args=[entry.pk])}#avis")
    _with_member_context([entry], request.user)
    return render(request, "forum/faq/entry.html", {"entry": entry, "feedback_form": form}, status=400)


@login_required
@require_POST
def faq_promote(request, thread_id: int):
    """« Ajouter à la FAQ »: a draft entry from a thread with an answer, for the team to publish."""
    threads = Thread.objects.filter(space__in=permissions.spaces_readable_by(request.user))
    thread = get_object_or_404(threads.select_related("space"), pk=thread_id)
    if thread.is_hidden and not permissions.space_access(request.user, thread.space).moderate:
        raise Http404
    team = permissions.is_pedagogical_team(request.user)
    try:
        entry = faq.faq_entry_from_thread(thread=thread, by=request.user)
    except faq.FaqEntryExists as exc:
        messages.warning(request, _existing_entry_message(exc.entry, team=team))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if team:
            messages.success(
                request,
                format_html(
                    "{} <a href=\"{}\">Relire et publier l'entrée dans l'administration</a>",
                    "Brouillon de FAQ créé.",
                    faq_admin_edit_url(entry),
                ),
            )
        else:
            messages.success(
                request,
                "La discussion est ajoutée à la FAQ en brouillon : l'équipe pédagogique va la relire "
                "avant de la publier.",
            )
    return redirect("forum:thread_detail", slug=thread.space.slug, thread_id=thread.pk)


def _existing_entry_message(entry: FaqEntry, *, team: bool):
    base = "Ce fil est déjà dans la FAQ : rien n'a été ajouté."
    if team:
        return format_html(
            "{} <a href=\"{}\">Voir l'entrée dans l'administration</a>", base, faq_admin_edit_url(entry)
        )
    if entry.live:
        return format_html(
            '{} <a href="{}">Voir l\'entrée publiée</a>', base, reverse("forum:faq_entry", args=[entry.pk])
        )
    return f"{base} Son brouillon attend la relecture de l'équipe pédagogique."
