from django.contrib.auth.views import redirect_to_login
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import permissions
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


@hooks.register("before_serve_document")
def require_sign_in_for_private_documents(document, request):
    """Wagtail serves every document at /documents/<id>/<file>: send anonymous visitors to the
    sign-in page unless the document is one the public may download."""
    if not permissions.can_download_document(request.user, document):
        return redirect_to_login(request.get_full_path())
    return None
