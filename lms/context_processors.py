from . import permissions


def platform(request):
    """The DSFR site identity and what the current user may reach, for the base layout."""
    user = getattr(request, "user", None)
    return {
        "SITE_CONFIG": {
            "site_title": "DE Coordinateur d'un contrat local de santé",
            "site_tagline": "Formation hybride EHESP — ARS",
            "header_brand_html": "République<br>française",
        },
        "abilities": permissions.get_abilities(user) if user is not None else {},
    }
