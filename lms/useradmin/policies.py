"""Wagtail permission policies that carry the platform's rules into Wagtail's own checks (menus,
buttons, the generic views), whatever the permission table says."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from wagtail.permission_policies.base import BasePermissionPolicy

from lms.enums import Role
from lms.permissions import is_pedagogical_team

from . import permissions


class TeamOnlyPermissionPolicy(BasePermissionPolicy):
    """The pedagogical team (and superusers) do everything with these models; nobody else."""

    def user_has_permission(self, user, action):
        return is_pedagogical_team(user)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        return users.filter(role=Role.PEDAGOGICAL_TEAM) | users.filter(is_superuser=True)


class GroupsForSuperusersPolicy(BasePermissionPolicy):
    """Wagtail groups and their permissions are for superusers only: a group given
    `auth.change_group` by mistake still cannot edit groups, its own included."""

    def user_has_permission(self, user, action):
        return permissions.can_edit_groups(user)

    def user_has_any_permission(self, user, actions):
        return permissions.can_edit_groups(user)

    def users_with_any_permission(self, actions):
        return get_user_model().objects.filter(is_active=True, is_superuser=True)


class AuditReadPolicy(BasePermissionPolicy):
    """The audit log is read by superusers, and nobody adds, changes or deletes through the admin."""

    def user_has_permission(self, user, action):
        return action == "view" and permissions.can_read_audit(user)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and permissions.can_read_audit(user)

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return get_user_model().objects.none()
        return get_user_model().objects.filter(is_active=True, is_superuser=True)


def register() -> None:
    """Called once from the Wagtail users app's ready(), before any view asks for a policy."""
    from django.contrib.auth.models import Group
    from wagtail.permissions import register_permission_policy

    from lms.audit.models import AuditEntry

    register_permission_policy(Group, GroupsForSuperusersPolicy(Group), exact_class=True)
    register_permission_policy(AuditEntry, AuditReadPolicy(AuditEntry), exact_class=True)
