"""Wagtail discovers an app's hooks in its top-level `wagtail_hooks.py`: this one gathers the
rooms' hooks (the deliverables' and rubrics' admin screens and the sections they add to the courses pages)."""

from assessments.deliverables import wagtail_hooks as deliverables_hooks
from assessments.rubrics import wagtail_hooks as rubrics_hooks

__all__ = ["deliverables_hooks", "rubrics_hooks"]
