from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import render

from .models import Competency, CompetencyDomain, GlossaryTerm, Resource


def glossary(request):
    """The acronyms of the field, filterable by a search string."""
    query = request.GET.get("q", "").strip()[:100]
    terms = GlossaryTerm.objects.all()
    if query:
        terms = terms.filter(Q(acronym__icontains=query) | Q(expansion__icontains=query))
    page = Paginator(terms, 50).get_page(request.GET.get("page"))
    return render(request, "content/glossary.html", {"page_obj": page, "query": query})


def resources(request):
    category = request.GET.get("categorie", "")
    items = Resource.objects.select_related("document").prefetch_related("modules")
    if category in Resource.Category.values:
        items = items.filter(category=category)
    page = Paginator(items, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "content/resources.html",
        {"page_obj": page, "categories": Resource.Category.choices, "category": category},
    )


def competency_framework(request):
    domains = CompetencyDomain.objects.prefetch_related(
        Prefetch("competencies", queryset=Competency.objects.prefetch_related("modules"))
    )
    return render(request, "content/framework.html", {"domains": domains})
