"""Wagtail discovers an app's hooks in its top-level `wagtail_hooks.py`: this one gathers the
rooms' hooks (the cohorts' admin screens, the catalogue's and the learning room's page hooks)."""

from courses.catalogue import wagtail_hooks as catalogue_hooks
from courses.cohorts import wagtail_hooks as cohorts_hooks
from courses.learning import wagtail_hooks as learning_hooks

__all__ = ["catalogue_hooks", "cohorts_hooks", "learning_hooks"]
