"""Small view helpers shared by every app's pages."""

from django.shortcuts import render


def form_page(request, template_name: str, context: dict | None = None):
    """Render a page that holds a form: 200 when it is first shown, 400 when it comes back from a
    refused POST (a valid POST redirects before reaching this), so that tests, browsers and logs
    see the refusal."""
    return render(request, template_name, context, status=400 if request.method == "POST" else 200)
