"""Wagtail discovers an app's hooks in its top-level `wagtail_hooks.py`: this one gathers the
rooms' hooks (the deliverables' admin screens and the sections they add to the courses pages)."""

from assessments.deliverables import wagtail_hooks as deliverables_hooks

__all__ = ["deliverables_hooks"]
