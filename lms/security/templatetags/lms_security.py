"""`{% csp_nonce %}`: the Content-Security-Policy nonce of the current response, for inline scripts."""

from django import template

from lms.security.middleware import current_csp_nonce

register = template.Library()


@register.simple_tag(takes_context=True)
def csp_nonce(context) -> str:
    """The nonce that the response's `script-src` allows (using it puts it in the header). Taken from
    the context's request, else from the request being handled: Wagtail's form widgets are rendered
    with no request in their context."""
    return current_csp_nonce(context.get("request"))
