"""The FAQ in the Wagtail admin: the pedagogical team edits entries as drafts and publishes them;
the listing shows each entry's module, theme, status and the members' feedback counts."""

import django_filters
from django.db.models import Count, Q
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.catalogue.models import ModulePage
from forum.faq.models import FaqEntry


def _theme_choices():
    themes = FaqEntry.objects.order_by("theme").values_list("theme", flat=True).distinct()
    return [(theme, theme) for theme in themes]


class FaqEntryFilterSet(WagtailFilterSet):
    module = django_filters.ModelChoiceFilter(
        label="Module", queryset=ModulePage.objects.order_by("number"), empty_label="Tous"
    )
    general = django_filters.BooleanFilter(
        label="Questions générales (sans module)", field_name="module", lookup_expr="isnull"
    )
    theme = django_filters.ChoiceFilter(label="Thème", choices=_theme_choices, empty_label="Tous")

    class Meta:
        model = FaqEntry
        fields = ["module", "general", "theme"]


class FaqEntryViewSet(SnippetViewSet):
    model = FaqEntry
    icon = "help"
    menu_label = "FAQ"
    menu_name = "faq"
    menu_order = 250
    add_to_admin_menu = True
    filterset_class = FaqEntryFilterSet
    list_display = [
        "question",
        Column("module", label="Module", accessor=lambda entry: entry.module or "Général"),
        "theme",
        Column("helpful_count", label="« Oui, utile »"),
        Column("unhelpful_count", label="« Non »"),
    ]
    list_per_page = 50

    def get_queryset(self, request):
        return FaqEntry.objects.select_related("module").annotate(
            helpful_count=Count("feedback", filter=Q(feedback__helpful=True)),
            unhelpful_count=Count("feedback", filter=Q(feedback__helpful=False)),
        )


register_snippet(FaqEntryViewSet)
