"""Forum search: posts of the spaces a member may read, through Wagtail's search backend (the
database backend: PostgreSQL full-text search in production, SQLite FTS in tests).

The permission filter is part of the queryset handed to the backend (`thread_id` is a FilterField
of Post and the database backends run the search inside that queryset), so a post the member may
not read is never a result, never counted and never paginated over."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import strip_tags
from wagtail.search.backends import get_search_backend

from forum.threads import permissions, selectors
from forum.threads.models import Post, Space, Thread

MAX_QUERY_CHARS = 200
EXCERPT_CHARS = 240
RESULTS_PER_PAGE = 20
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class SearchHit:
    """One matching post as the results list shows it."""

    post: Post
    thread: Thread
    space: Space
    url: str
    excerpt: list[tuple[str, bool]]


def posts_searchable_by(user) -> QuerySet[Post]:
    """Visible posts (not hidden, not deleted) of visible threads in the spaces `user` may read,
    by lms.permissions.spaces_readable_by: the same rule as the forum's pages."""
    threads = Thread.objects.filter(space__in=permissions.spaces_readable_by(user), is_hidden=False)
    return Post.objects.filter(thread_id__in=threads.values("pk"), is_hidden=False, deleted_at__isnull=True)


def search_text(query: str) -> str:
    """The words of a query (two letters or more), without the punctuation that the backends'
    query languages would read as syntax (an unpaired quote breaks SQLite's FTS5)."""
    return " ".join(word for word in _WORD.findall(query or "") if len(word) > 1)


def post_search(*, user, query: str):
    """Lazy, sliceable and countable search results (best first) for `query` among the posts
    `user` may read; each result comes with its thread, space and author. Every word must match."""
    queryset = posts_searchable_by(user).select_related("thread__space", "author")
    text = search_text(query)
    if not text:
        return queryset.none()
    return get_search_backend().search(text, queryset, operator="and")


def search_hits(*, posts: list[Post], query: str) -> list[SearchHit]:
    """The results of one page with their link (thread page holding the post, and its anchor) and
    an excerpt around the first matching word; one query for every post's position."""
    pages = selectors.post_pages([post.pk for post in posts])
    terms = query_terms(query)
    hits = []
    for post in posts:
        thread = post.thread
        page = pages.get(post.pk, 1)
        url = reverse("forum:thread_detail", kwargs={"slug": thread.space.slug, "thread_id": thread.pk})
        hits.append(
            SearchHit(
                post=post,
                thread=thread,
                space=thread.space,
                url=f"{url}?page={page}#message-{post.pk}",
                excerpt=excerpt(post.html, terms),
            )
        )
    return hits


def query_terms(query: str) -> list[str]:
    """The words of a query, folded (lower case, no accents), longest first, for highlighting."""
    words = {_fold(word) for word in search_text(query).split()}
    return sorted(words, key=len, reverse=True)


def _fold(text: str) -> str:
    """Lower case without accents, one character for one character (positions are kept)."""
    return "".join(unicodedata.normalize("NFD", char)[0].lower()[:1] for char in text)


def excerpt(post_html: str, terms: list[str], width: int = EXCERPT_CHARS) -> list[tuple[str, bool]]:
    """Plain text of a post around the first matching term, as (text, is_match) segments the
    template escapes and marks; the post's start when no term is found."""
    text = " ".join(html.unescape(strip_tags(post_html)).split())
    folded = _fold(text)
    pattern = re.compile("|".join(re.escape(term) for term in terms)) if terms else None
    first = pattern.search(folded) if pattern else None
    start = 0
    if first and first.start() > width // 3:
        start = text.rfind(" ", 0, first.start() - width // 3) + 1
    end = min(len(text), start + width)
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    segments: list[tuple[str, bool]] = []
    if start > 0:
        segments.append(("… ", False))
    position = start
    if pattern:
        for match in pattern.finditer(folded, start, end):
            if match.start() > position:
                segments.append((text[position : match.start()], False))
            segments.append((text[match.start() : match.end()], True))
            position = match.end()
    if position < end:
        segments.append((text[position:end], False))
    if end < len(text):
        segments.append((" …", False))
    return segments
