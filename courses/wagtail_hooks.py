from django import forms
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from lms.models import Region, time_zone_names

from .models import Cohort, Enrolment


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "site"
    menu_label = "Régions"
    list_display = ["name", "timezone"]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        # A list of the known zones rather than free text: the model refuses any other name too.
        FieldPanel(
            "timezone",
            widget=forms.Select(choices=[(name, name) for name in sorted(time_zone_names())]),
        ),
    ]


class CohortViewSet(SnippetViewSet):
    model = Cohort
    icon = "group"
    menu_label = "Promotions"
    list_display = ["name", "region", "start_date", "end_date"]
    list_filter = ["region"]
    search_fields = ["name"]


class EnrolmentViewSet(SnippetViewSet):
    model = Enrolment
    icon = "user"
    menu_label = "Inscriptions"
    list_display = ["user", "cohort", "created_at"]
    list_filter = ["cohort"]
    panels = [FieldPanel("user"), FieldPanel("cohort")]


class ProgrammeGroup(SnippetViewSetGroup):
    menu_label = "Promotions"
    menu_icon = "group"
    menu_order = 200
    items = (RegionViewSet, CohortViewSet, EnrolmentViewSet)


register_snippet(ProgrammeGroup)
