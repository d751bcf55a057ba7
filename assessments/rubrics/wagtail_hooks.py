"""The rubrics room in Wagtail: the team edits the grids (criteria, weights, descriptors) and each
programme's marking rules, under « Notation »."""

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from assessments.rubrics.models import MarkingScheme, Rubric
from lms.useradmin.policies import TeamOnlyPermissionPolicy

for _model in (Rubric, MarkingScheme):
    register_permission_policy(_model, TeamOnlyPermissionPolicy(_model))


class RubricViewSet(SnippetViewSet):
    model = Rubric
    icon = "table"
    menu_label = "Grilles d'évaluation"
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("guidance"),
        InlinePanel("criteria", heading="Critères", label="critère", min_num=1),
    ]


class MarkingSchemeViewSet(SnippetViewSet):
    model = MarkingScheme
    icon = "cog"
    menu_label = "Règles de notation"
    list_display = ["programme", "pass_mark", "discrepancy_threshold", "rounding"]
    panels = [
        FieldPanel("programme"),
        FieldRowPanel([FieldPanel("written_rubric"), FieldPanel("oral_rubric")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("discrepancy_threshold")]),
                FieldPanel("rounding"),
                FieldRowPanel([FieldPanel("written_weight"), FieldPanel("oral_weight")]),
            ],
            heading="Notes",
        ),
        FieldPanel("similarity_threshold"),
        MultiFieldPanel(
            [FieldPanel("tutor_may_mark"), FieldPanel("tutor_may_preside")], heading="Tuteur·rice"
        ),
    ]


class MarkingGroup(SnippetViewSetGroup):
    menu_label = "Notation"
    menu_icon = "table"
    menu_order = 260
    items = (RubricViewSet, MarkingSchemeViewSet)


register_snippet(MarkingGroup)
