"""What the base layout offers, learned from the apps rather than imported from them.

The core draws the main menu and « Mon espace » but knows none of the domain apps: each app
registers its menu entries (`nav_register`) and the personal space it gives a role
(`space_register`) in its `AppConfig.ready()`, with the role predicates of `lms.permissions`
or its own permission functions deciding who sees what.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    """A main-menu entry. It is current when the path equals `current_path`, or contains one of
    `current_parts` and none of `current_excluded`."""

    order: int
    label: str
    url_name: str  # or a path such as "/"
    visible: Callable[[object], bool]
    current_path: str | None = None
    current_parts: tuple[str, ...] = ()
    current_excluded: tuple[str, ...] = ()

    def is_current(self, path: str) -> bool:
        if self.current_path is not None:
            return path == self.current_path
        return any(part in path for part in self.current_parts) and not any(
            part in path for part in self.current_excluded
        )


@dataclass(frozen=True)
class Space:
    """The page « Mon espace » shows to the users `applies` accepts (the first that applies)."""

    order: int
    applies: Callable[[object], bool]
    view: Callable


_nav: dict[str, NavItem] = {}
_spaces: dict[str, Space] = {}


def nav_register(*items: NavItem) -> None:
    """Add menu entries; registering the same URL name again replaces the entry."""
    for item in items:
        _nav[item.url_name] = item


def nav_entries(user, path: str) -> list[dict]:
    """The entries this user sees, in order, each with its URL and whether it is the current page."""
    return [
        {
            "label": item.label,
            "url": item.url_name if item.url_name.startswith("/") else reverse(item.url_name),
            "current": item.is_current(path),
        }
        for item in sorted(_nav.values(), key=lambda item: item.order)
        if item.visible(user)
    ]


def space_register(name: str, space: Space) -> None:
    _spaces[name] = space


def space_view_for(user) -> Callable | None:
    """The view of the first registered space that applies to this user, or None."""
    for space in sorted(_spaces.values(), key=lambda space: space.order):
        if space.applies(user):
            return space.view
    return None
