from django.http import HttpResponse


def bare_view(request):
    """The floor of the comparison: the full middleware stack, no database, no template."""
    return HttpResponse(b"ok", content_type="text/plain")
