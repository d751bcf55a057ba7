"""Follows and notifications of the forum (filled in by the notifications work)."""

from __future__ import annotations


def post_published(post) -> None:
    """Called by forum.services inside the transaction that creates `post`."""
