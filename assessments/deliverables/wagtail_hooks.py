"""The deliverables room in Wagtail: the team's « Productions écrites » menu (deliverables with
their due dates per cohort, due dates on their own screen, reviewer assignments), and the
sections it adds to the learner's dashboard and to the staff enrolment page (statuses only)."""

from django.template.loader import render_to_string
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from assessments.deliverables import selectors
from assessments.deliverables.models import Deliverable, DeliverableDueDate, ReviewerAssignment
from lms.useradmin.policies import TeamOnlyPermissionPolicy

for _model in (Deliverable, DeliverableDueDate, ReviewerAssignment):
    register_permission_policy(_model, TeamOnlyPermissionPolicy(_model))


class DeliverableViewSet(SnippetViewSet):
    model = Deliverable
    icon = "doc-full"
    menu_label = "Productions"
    list_display = ["title", "module", "formats_label", "required_for_diploma"]
    list_filter = ["required_for_diploma"]
    search_fields = ["title"]
    panels = [
        FieldPanel("module"),
        FieldPanel("title"),
        FieldPanel("instructions"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("accepts_pdf"), FieldPanel("accepts_docx"), FieldPanel("accepts_odt")]
                )
            ],
            heading="Formats acceptés",
        ),
        FieldPanel("max_size_mb"),
        FieldPanel("required_for_diploma"),
        InlinePanel("due_dates", heading="Dates limites par promotion", label="date limite"),
    ]


class DueDateViewSet(SnippetViewSet):
    model = DeliverableDueDate
    icon = "date"
    menu_label = "Dates limites"
    list_display = ["deliverable", "cohort", "due_on"]
    list_filter = ["cohort"]


class ReviewerAssignmentViewSet(SnippetViewSet):
    model = ReviewerAssignment
    icon = "user"
    menu_label = "Correcteur·rices"
    list_display = ["trainer", "module", "cohort"]
    list_filter = ["cohort"]
    panels = [FieldPanel("module"), FieldPanel("cohort"), FieldPanel("trainer")]


class DeliverablesGroup(SnippetViewSetGroup):
    menu_label = "Productions écrites"
    menu_icon = "doc-full"
    menu_order = 250
    items = (DeliverableViewSet, DueDateViewSet, ReviewerAssignmentViewSet)


register_snippet(DeliverablesGroup)


@hooks.register("courses_learner_dashboard_sections")
def learner_dashboard_section(*, request, enrolment) -> str:
    modules = selectors.learner_deliverables(enrolment=enrolment, with_history=False)
    return render_to_string(
        "assessments/deliverables/_dashboard_section.html", {"deliverable_modules": modules}, request=request
    )


@hooks.register("courses_enrolment_detail_sections")
def enrolment_detail_section(*, request, enrolment) -> str:
    """Statuses only: ARS staff never get a file link here."""
    modules = selectors.learner_deliverables(enrolment=enrolment, with_history=False)
    return render_to_string(
        "assessments/deliverables/_enrolment_section.html", {"deliverable_modules": modules}, request=request
    )
