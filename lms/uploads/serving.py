"""Serving an uploaded file: only from a permission-checked view, always as a download."""

from __future__ import annotations

from django.http import FileResponse


def upload_response(*, file, filename: str, content_type: str) -> FileResponse:
    """A download of `file` under its cleaned original name. The browser never sniffs it
    (`nosniff`) and, should it still render it, the page runs sandboxed: no script, no access to
    the site's origin (`Content-Security-Policy: sandbox`). Cached by the browser only."""
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response
