"""Changes to accounts' powers and second factors, recorded in the audit log with who made them.

The changes themselves are made where they always were (Wagtail's user forms and bulk actions,
allauth's password pages, enrolment); these functions wrap them and write what changed. An
explicit call rather than a `post_save` / `m2m_changed` receiver, because only the caller knows
who acted: a receiver would see the change but not the person, and a role change and the group
it brings would land in separate, actor-less entries. The price: a change made outside these
paths (a Django shell, `createsuperuser`) is not recorded; whoever has a shell
on the server is beyond what a log inside the application can hold to account."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from lms.accounts.policies import mfa_required_for
from lms.accounts.services import user_sessions_end
from lms.audit.enums import AuditAction
from lms.audit.services import audit_record, audit_record_many
from lms.enums import Role
from lms.tasks import send_email

# Each attribute of an account's access and the action its change is recorded as.
ACCESS_ACTIONS = {
    "role": AuditAction.USER_ROLE_CHANGED,
    "regions": AuditAction.USER_REGIONS_CHANGED,
    "groups": AuditAction.USER_GROUPS_CHANGED,
    "is_superuser": AuditAction.USER_SUPERUSER_CHANGED,
    "is_active": AuditAction.USER_ACTIVE_CHANGED,
    "email": AuditAction.USER_EMAIL_CHANGED,
    "password": AuditAction.USER_PASSWORD_SET,
}
# Never written to the log, only compared: a hash has no business in an audit trail.
_SECRET = {"password"}


def user_access_snapshots(*, user_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The access of each account as stored now (role, regions, groups, superuser, active, email,
    password hash), read from the database in three queries whatever the number of accounts."""
    from lms.models import User

    ids = list(user_ids)
    snapshots = {
        row["pk"]: {**row, "regions": [], "groups": []}
        for row in User.objects.filter(pk__in=ids).values(
            "pk", "role", "is_superuser", "is_active", "email", "password"
        )
    }
    regions = User.regions.through.objects.filter(user_id__in=ids).order_by("region__name")
    for user_id, name in regions.values_list("user_id", "region__name"):
        snapshots[user_id]["regions"].append(name)
    groups = User.groups.through.objects.filter(user_id__in=ids).order_by("group__name")
    for user_id, name in groups.values_list("user_id", "group__name"):
        snapshots[user_id]["groups"].append(name)
    for snapshot in snapshots.values():
        snapshot.pop("pk")
    return snapshots


def user_access_changes_record(*, actor, user, before: dict[str, Any], after: dict[str, Any]) -> int:
    """One audit entry per attribute of `user`'s access that differs between the two snapshots,
    with its before and after (only the fact, for a password). Returns the number written."""
    written = 0
    for attribute, action in ACCESS_ACTIONS.items():
        if before[attribute] == after[attribute]:
            continue
        details = {} if attribute in _SECRET else {"before": before[attribute], "after": after[attribute]}
        audit_record(actor=actor, action=action, target=user, details=details, target_repr=_describe(user))
        written += 1
    return written


@contextmanager
def user_access_recorded(*, actor, users: Iterable) -> Iterator[None]:
    """Run the block, then record every change it made to the access of `users` (see
    `user_access_changes_record`), in the same transaction: no change without its entry."""
    users = list(users)
    with transaction.atomic():
        before = user_access_snapshots(user_ids=[u.pk for u in users])
        yield
        after = user_access_snapshots(user_ids=[u.pk for u in users])
        for user in users:
            if user.pk in before and user.pk in after:
                user_access_changes_record(
                    actor=actor, user=user, before=before[user.pk], after=after[user.pk]
                )


def _users_access_record(*, actor, users: Iterable, action: str, side: str) -> None:
    """One audit entry per account, with its access as `side` ("before" or "after") the action."""
    users = list(users)
    snapshots = user_access_snapshots(user_ids=[u.pk for u in users])
    for user in users:
        audit_record(
            actor=actor,
            action=action,
            target=user,
            details={side: _public(snapshots[user.pk])},
            target_repr=_describe(user),
        )


def user_created_record(*, actor, users: Iterable) -> None:
    """Record the creation of accounts, each with the access it starts with."""
    _users_access_record(actor=actor, users=users, action=AuditAction.USER_CREATED, side="after")


def learners_created_record(*, actor, users: Iterable) -> None:
    """Record learner accounts created by enrolment or import, in one query however many."""
    audit_record_many(
        actor=actor,
        action=AuditAction.USER_CREATED,
        targets=users,
        details={"after": {"role": Role.LEARNER.value}},
        describe=_describe,
    )


def user_deleted_record(*, actor, users: Iterable) -> None:
    """Record, before they go, the deletion of accounts with the access they had."""
    _users_access_record(actor=actor, users=users, action=AuditAction.USER_DELETED, side="before")


def password_change_record(*, user, action: AuditAction, via: str) -> None:
    """Record that `user` chose a new password themselves (`via`: change, set or reset)."""
    audit_record(actor=user, action=action, target=user, details={"via": via}, target_repr=_describe(user))


def email_change_record(*, user, before: str, after: str) -> None:
    """Record that `user` made another of their verified addresses the primary one."""
    audit_record(
        actor=user,
        action=AuditAction.USER_EMAIL_CHANGED,
        target=user,
        details={"before": before, "after": after},
        target_repr=_describe(user),
    )


def user_mfa_reset(*, actor, user) -> list[str]:
    """Remove every second factor of `user` (authenticator app, recovery codes, security keys), so
    that their next sign-in asks for the password only and staff are then held on the setup page,
    and end their open sessions (one may be on the lost phone). Recorded in the audit log with
    `actor`; once committed, `user` is told by email. Returns the kinds removed, sorted; none
    (nothing removed, ended, written or sent) when `user` had no second factor.

    allauth's own deactivation flows are for the signed-in owner (they ask the owner to
    reauthenticate, and signal, message and email the request's user); an administrator's reset
    deletes the rows, as allauth's Django admin does, and sends no `authenticator_removed` signal,
    which would be recorded as the person's own doing."""
    from allauth.mfa.models import Authenticator

    with transaction.atomic():
        authenticators = Authenticator.objects.select_for_update().filter(user_id=user.pk)
        kinds = sorted({authenticator.type for authenticator in authenticators})
        if not kinds:
            return []
        Authenticator.objects.filter(user_id=user.pk).delete()
        sessions_ended = user_sessions_end(user=user)
        audit_record(
            actor=actor,
            action=AuditAction.USER_MFA_RESET,
            target=user,
            details={"removed": kinds, "sessions_ended": sessions_ended},
            target_repr=_describe(user),
        )
        email = _mfa_reset_email(user=user)
        transaction.on_commit(lambda: send_email.delay(**email))
    return kinds


def _mfa_reset_email(*, user) -> dict[str, Any]:
    context = {
        "user": user,
        "login_url": settings.SITE_BASE_URL + reverse("account_login"),
        "mfa_url": settings.SITE_BASE_URL + reverse("mfa_index"),
        "required": mfa_required_for(user),
    }
    return {
        "subject": "[DE Coordinateur CLS] La double authentification de votre compte a été réinitialisée",
        "body": render_to_string("useradmin/emails/mfa_reset.txt", context),
        "to": [user.email],
    }


def authenticator_change_record(*, user, action: AuditAction, kind: str) -> None:
    """Record that `user` added, removed or renewed one of their own second factors (`kind`: totp,
    recovery_codes, webauthn) on their « Mon compte » pages."""
    audit_record(actor=user, action=action, target=user, details={"kind": kind}, target_repr=_describe(user))


def _public(snapshot: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in snapshot.items() if k not in _SECRET}


def _describe(user) -> str:
    name = user.get_full_name()
    return f"{name} <{user.email}>" if name else user.email
