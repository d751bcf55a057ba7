"""The role predicates every app builds its permission functions on.

Each app decides access to its own objects in its rooms' `permissions.py`
(`courses/cohorts/permissions.py: can_manage_cohort`, `forum/threads/permissions.py:
space_access`…), from these predicates; the core knows roles and regions, not courses or posts.
"""

from __future__ import annotations

from lms.enums import Role


def is_signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def has_role(user, role: str) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role == role)


def is_learner(user) -> bool:
    return has_role(user, Role.LEARNER)


def is_ars_staff(user) -> bool:
    return has_role(user, Role.ARS_STAFF)


def is_trainer(user) -> bool:
    return has_role(user, Role.TRAINER)


def is_pedagogical_team(user) -> bool:
    return has_role(user, Role.PEDAGOGICAL_TEAM) or bool(
        user and user.is_authenticated and user.is_active and user.is_superuser
    )


def can_edit_content(user) -> bool:
    """Only the pedagogical team edits the course, the glossary and the framework in Wagtail."""
    return is_pedagogical_team(user)


def regions_managed_by(user):
    """The regions whose cohorts the user may create and manage."""
    from lms.models import Region

    if is_pedagogical_team(user):
        return Region.objects.all()
    if is_ars_staff(user):
        return user.regions.all()
    return Region.objects.none()
