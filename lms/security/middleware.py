"""Middlewares of `lms.security`: the request body limit, and the Content-Security-Policy."""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from fnmatch import fnmatchcase

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve

from .decorators import BODY_LIMIT_ATTRIBUTE

current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "current_request", default=None
)


def current_csp_nonce(request: HttpRequest | None = None) -> str:
    """The nonce that this response's `script-src` allows (reading it puts it in the header), for
    `request` or else the request being handled; "" outside a request."""
    nonce = getattr(request or current_request.get(), "csp_nonce", None)
    return str(nonce) if nonce is not None else ""


def _content_length(request: HttpRequest) -> int | None:
    """The declared body length; None when absent. An unreadable value counts as 0, as for
    Django's own `WSGIRequest`, which then reads nothing."""
    raw = request.META.get("CONTENT_LENGTH")
    if raw in (None, ""):
        return None
    try:
        return max(int(raw), 0)
    except (TypeError, ValueError):
        return 0


def request_body_limit(request: HttpRequest) -> int:
    """The largest body the view at this URL accepts: its `@body_limit`, else its entry in
    `settings.REQUEST_BODY_MAX_BYTES_BY_VIEW` (views of Wagtail, which we do not decorate; a key may
    hold `*` for any part of the view name), else `settings.REQUEST_BODY_MAX_BYTES`. Resolving reads
    only the path, never the body."""
    try:
        match = resolve(request.path_info, urlconf=getattr(request, "urlconf", None))
    except Resolver404:
        return settings.REQUEST_BODY_MAX_BYTES
    own = getattr(match.func, BODY_LIMIT_ATTRIBUTE, None)
    if own is not None:
        return own
    by_view = settings.REQUEST_BODY_MAX_BYTES_BY_VIEW
    if match.view_name in by_view:
        return by_view[match.view_name]
    for pattern, limit in by_view.items():
        if "*" in pattern and fnmatchcase(match.view_name, pattern):
            return limit
    return settings.REQUEST_BODY_MAX_BYTES


def _refusal(status: int, *, max_bytes: int | None = None) -> HttpResponse:
    """A short French page. Rendered without the request: the middlewares that the base layout
    needs (session, user) have not run, and must not, since they may read the body."""
    body = render_to_string(
        "security/request_refused.html",
        {"status": status, "max_megabytes": f"{max_bytes / (1024 * 1024):.0f}" if max_bytes else ""},
    )
    return HttpResponse(body, status=status)


class RequestBodyLimitMiddleware:
    """Refuse, before any byte of it is read, a request body larger than its view accepts (413),
    and a body of unknown length (`Transfer-Encoding` without `Content-Length`, 411).

    Placed before the session, CSRF and authentication middlewares: CsrfViewMiddleware reads
    `request.POST` in `process_view`, so the limit is found here in `__call__`, by resolving the
    URL. Bodies within the default limit pass without resolving anything."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        length = _content_length(request)
        if length is None:
            if request.META.get("HTTP_TRANSFER_ENCODING"):
                # Django's WSGI request reads no more than Content-Length (none here: nothing), so
                # the view would silently see an empty form; say so instead.
                return _refusal(411)
        elif length > settings.REQUEST_BODY_MAX_BYTES:
            limit = request_body_limit(request)
            if length > limit:
                return _refusal(413, max_bytes=limit)
        return self.get_response(request)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware (`settings.CONTENT_SECURITY_POLICY`; the nonce is added to the header
    only if a template used it), plus:

    - the request is kept in `current_request` while it is handled, so that templates rendered
      without it (Wagtail's form widgets, through the form renderer) can still give their inline
      script the nonce (`{% csp_nonce %}` of `lms_security`);
    - a response that lets its own site frame it (`X-Frame-Options: SAMEORIGIN`, Wagtail's preview)
      gets `frame-ancestors 'self'` instead of `'none'`;
    - a response that already has a Content-Security-Policy (attachments: `sandbox`) keeps it."""

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        token = current_request.set(request)
        try:
            return super().__call__(request)
        finally:
            current_request.reset(token)

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        return parts
