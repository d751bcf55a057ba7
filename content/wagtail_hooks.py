from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Competency, CompetencyDomain, GlossaryTerm, Resource


class CompetencyDomainViewSet(SnippetViewSet):
    model = CompetencyDomain
    icon = "list-ul"
    menu_label = "Domaines"
    list_display = ["code", "title", "order"]


class CompetencyViewSet(SnippetViewSet):
    model = Competency
    icon = "tick"
    menu_label = "Compétences"
    list_display = ["code", "title", "kind", "domain"]
    list_filter = ["domain", "kind"]
    search_fields = ["code", "title"]


class GlossaryTermViewSet(SnippetViewSet):
    model = GlossaryTerm
    icon = "help"
    menu_label = "Glossaire"
    list_display = ["acronym", "expansion"]
    search_fields = ["acronym", "expansion"]


class ResourceViewSet(SnippetViewSet):
    model = Resource
    icon = "doc-full"
    menu_label = "Ressources"
    list_display = ["title", "category", "order"]
    list_filter = ["category"]
    search_fields = ["title", "summary"]


class ReferenceGroup(SnippetViewSetGroup):
    menu_label = "Référentiel et ressources"
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (CompetencyDomainViewSet, CompetencyViewSet, GlossaryTermViewSet, ResourceViewSet)


register_snippet(ReferenceGroup)
