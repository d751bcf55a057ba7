from . import navigation


def platform(request):
    """The DSFR site identity and the main menu the current user sees, for the base layout."""
    user = getattr(request, "user", None)
    return {
        "SITE_CONFIG": {
            "site_title": "DE Coordinateur d'un contrat local de santé",
            "site_tagline": "Formation hybride EHESP — ARS",
            "header_brand_html": "République<br>française",
        },
        "nav_entries": navigation.nav_entries(user, request.path) if user is not None else [],
    }
