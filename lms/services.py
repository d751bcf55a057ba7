"""Writes on accounts and roles."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .enums import Role

PEDAGOGICAL_GROUP = "Équipe pédagogique"
_EDITABLE_APPS = ("content", "courses", "lms", "wagtaildocs", "wagtailimages", "wagtailredirects")
_PAGE_PERMISSIONS = (
    "add_page",
    "change_page",
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
)
_COLLECTION_PERMISSIONS = (
    "add_document",
    "change_document",
    "choose_document",
    "delete_document",
    "add_image",
    "change_image",
    "choose_image",
    "delete_image",
)


@transaction.atomic
def pedagogical_group_ensure() -> Group:
    """The Wagtail group of the pedagogical team: admin access, every page, every snippet of the
    programme (content, cohorts, regions, FAQ), documents and images, and the user screens (what
    it may do there is narrowed per account by lms.useradmin.permissions). Never groups,
    permissions or the audit log. Idempotent."""
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    group, _ = Group.objects.get_or_create(name=PEDAGOGICAL_GROUP)
    group.permissions.add(
        # The audit log is read by superusers only (lms.useradmin.permissions.can_read_audit).
        *Permission.objects.filter(content_type__app_label__in=_EDITABLE_APPS).exclude(
            content_type__app_label="lms", content_type__model="auditentry"
        ),
        *Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin"),
        # The FAQ (drafts from « Ajouter à la FAQ » included) is edited and published by the team.
        *Permission.objects.filter(content_type__app_label="forum", content_type__model="faqentry"),
    )
    root = Page.get_first_root_node()
    if root is not None:
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=_PAGE_PERMISSIONS
        ):
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
    collection = Collection.get_first_root_node()
    if collection is not None:
        for permission in Permission.objects.filter(codename__in=_COLLECTION_PERMISSIONS):
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=permission,
            )
    return group


def user_role_sync(*, user) -> None:
    """Give the pedagogical team the Wagtail admin and take it away from every other role."""
    from .models import User

    if user.role == Role.PEDAGOGICAL_TEAM:
        user.groups.add(pedagogical_group_ensure())
        if not user.is_staff:
            User.objects.filter(pk=user.pk).update(is_staff=True)
            user.is_staff = True
    else:
        group = Group.objects.filter(name=PEDAGOGICAL_GROUP).first()
        if group is not None:
            user.groups.remove(group)
        if user.is_staff and not user.is_superuser:
            User.objects.filter(pk=user.pk).update(is_staff=False)
            user.is_staff = False
