"""Defences that hold for every request whatever the view: the request body size limit and the
Content-Security-Policy of HTML pages (see docs/operations.md « Sécurité HTTP »)."""
