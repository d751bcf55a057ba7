"""`body_limit`: a view's own request body limit, read by `RequestBodyLimitMiddleware` before any
part of the body is read."""

from collections.abc import Callable
from typing import TypeVar

View = TypeVar("View", bound=Callable)

BODY_LIMIT_ATTRIBUTE = "request_body_max_bytes"


def body_limit(max_bytes: int) -> Callable[[View], View]:
    """Let this view accept request bodies of up to `max_bytes` (its files, the other fields and the
    multipart framing) instead of `settings.REQUEST_BODY_MAX_BYTES`.

    The limit is an attribute of the view function, so it is known as soon as the URL is resolved,
    before sessions, CSRF or the view read the body; `functools.wraps` in the other decorators
    carries it outwards, so the order of decorators does not matter."""
    if max_bytes <= 0:
        raise ValueError("body_limit needs a positive number of bytes.")

    def decorate(view: View) -> View:
        setattr(view, BODY_LIMIT_ATTRIBUTE, max_bytes)
        return view

    return decorate
