"""Wagtail discovers an app's hooks in its top-level `wagtail_hooks.py`: this one gathers the
rooms' hooks (the deliverables' and rubrics' admin screens and the sections and columns the
deliverables and the mémoire add to the courses pages)."""

from assessments.deliverables import wagtail_hooks as deliverables_hooks
from assessments.memoire import wagtail_hooks as memoire_hooks
from assessments.rubrics import wagtail_hooks as rubrics_hooks

__all__ = ["deliverables_hooks", "memoire_hooks", "rubrics_hooks"]
