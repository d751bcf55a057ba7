"""The forum search: for members, and only ever returning posts of the spaces they may read
(forum.threads.permissions), with the matching FAQ entries."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from forum.faq.selectors import faq_search
from forum.search.forms import search_query
from forum.search.selectors import RESULTS_PER_PAGE, post_search, search_hits

FAQ_RESULTS_IN_FORUM_SEARCH = 5


@login_required
def forum_search(request):
    """Posts matching `?q=` in the spaces the member may read, with the matching FAQ entries."""
    form, query = search_query(request)
    page_obj, hits, faq_entries = None, [], []
    if query:
        results = post_search(user=request.user, query=query)
        page_obj = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        hits = search_hits(posts=list(page_obj.object_list), query=query)
        faq_entries = faq_search(query=query, limit=FAQ_RESULTS_IN_FORUM_SEARCH)
    invalid = form.is_bound and not form.is_valid()
    return render(
        request,
        "forum/search.html",
        {"form": form, "query": query, "page_obj": page_obj, "hits": hits, "faq_entries": faq_entries},
        status=400 if invalid else 200,
    )
