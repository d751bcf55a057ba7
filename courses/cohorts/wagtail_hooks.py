"""The admin's read-only screens for regions, cohorts and enrolments (writes go through /gestion/)."""

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from wagtail.admin.panels import FieldPanel
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import InspectView, SnippetViewSet, SnippetViewSetGroup

from courses.cohorts.models import Cohort, Enrolment
from lms.models import Region, time_zone_names

WRITE_ACTIONS = frozenset({"add", "change", "delete"})


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """The admin may list and inspect the model (for whoever may view or change it) but never add,
    change or delete it: those writes belong to the services behind the /gestion/ screens."""

    def user_has_permission(self, user, action):
        if action in WRITE_ACTIONS:
            return False
        if action == "view":
            return super().user_has_permission(user, "view") or super().user_has_permission(user, "change")
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        if "view" in actions:
            return super().users_with_any_permission(["view", "change"])
        return super().users_with_any_permission([a for a in actions if a not in WRITE_ACTIONS])


# Registered before any viewset asks for the model's policy.
register_permission_policy(Enrolment, ReadOnlyPermissionPolicy(Enrolment))


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


class EnrolmentInspectView(InspectView):
    """An enrolment as the admin shows it, with the way to the screen where it is managed."""

    def get_field_label(self, field_name, field):
        if field_name == "manage":
            return "Gérer cette inscription"
        return super().get_field_label(field_name, field)

    def get_manage_display_value(self):
        url = reverse("staff:enrolment_detail", args=[self.object.pk])
        return format_html(
            "<a href=\"{}\">Ouvrir dans l'espace de gestion des promotions (accord, relevé d'heures, "
            "corrections)</a>",
            url,
        )


class EnrolmentViewSet(SnippetViewSet):
    """Read-only: enrolling goes through the /gestion/ screens and their services, which check
    places, closed cohorts and send the invitation."""

    model = Enrolment
    icon = "user"
    menu_label = "Inscriptions"
    list_display = ["user", "cohort", "created_at"]
    list_filter = ["cohort"]
    inspect_view_enabled = True
    inspect_view_class = EnrolmentInspectView
    inspect_view_fields = [
        "user",
        "cohort",
        "created_at",
        "employer",
        "job_title",
        "ars_agreement_on",
        "employer_agreement_on",
        "invited_at",
        "manage",
    ]
    copy_view_enabled = False


class ProgrammeGroup(SnippetViewSetGroup):
    menu_label = "Promotions"
    menu_icon = "group"
    menu_order = 200
    items = (RegionViewSet, CohortViewSet, EnrolmentViewSet)


register_snippet(ProgrammeGroup)
