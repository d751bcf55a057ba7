"""What an administrator may do to an account: the one place the user screens, their bulk actions
and their forms ask.

The pedagogical team manages who has which role and regions, and whether an account is active.
Everything that hands over an account or the whole platform is kept for superusers: superuser
status, a password, the email address (the key to a password reset), Wagtail groups, and any
superuser's account. Nobody changes their own powers through these screens: a slip or a stolen
session cannot lock the last superuser out or raise its owner's rights; one's own password and
address are changed on the « Mon compte » pages, which ask for the current password."""

from __future__ import annotations

from lms.permissions import is_pedagogical_team


def _is_superuser(actor) -> bool:
    return bool(actor and actor.is_authenticated and actor.is_active and actor.is_superuser)


def _is_self(actor, target) -> bool:
    return target is not None and target.pk is not None and target.pk == actor.pk


def can_manage_users(actor) -> bool:
    """Open the user screens at all: the pedagogical team (superusers included)."""
    return is_pedagogical_team(actor)


def can_edit_user(actor, target) -> bool:
    """Open and save `target`'s edit screen: a superuser's account is for superusers only."""
    return can_manage_users(actor) and (not target.is_superuser or _is_superuser(actor))


def can_change_access(actor, target) -> bool:
    """Change `target`'s role, regions and active status: whoever may edit the account, except on
    their own."""
    return can_edit_user(actor, target) and not _is_self(actor, target)


def can_delete_user(actor, target) -> bool:
    """Delete `target`: the same rule as changing their access (never oneself, a superuser only by
    a superuser)."""
    return can_change_access(actor, target)


def can_grant_superuser(actor, target=None) -> bool:
    """Give or remove superuser status (on `target`, None for a new account): superusers only, and
    never on themselves."""
    return _is_superuser(actor) and not _is_self(actor, target)


def can_set_password(actor, target=None) -> bool:
    """Set `target`'s password (None: a new account): superusers only, never their own here."""
    return _is_superuser(actor) and not _is_self(actor, target)


def can_change_email(actor, target=None) -> bool:
    """Change the address of an existing account: superusers only, never their own here. Whoever
    manages users sets the address of an account they create (`target` None)."""
    if target is None or target.pk is None:
        return can_manage_users(actor)
    return _is_superuser(actor) and not _is_self(actor, target)


def can_assign_groups(actor, target=None) -> bool:
    """Put accounts in Wagtail groups directly (rather than through their role): superusers only,
    never on themselves."""
    return _is_superuser(actor) and not _is_self(actor, target)


def can_edit_groups(actor) -> bool:
    """Create or change Wagtail groups and their permissions: superusers only."""
    return _is_superuser(actor)


def can_reset_mfa(actor, target) -> bool:
    """Remove `target`'s second factor (a lost phone), so that their next sign-in sets up a new
    one: superusers only, never on themselves (their own is managed under « Mon compte »)."""
    return _is_superuser(actor) and not _is_self(actor, target)


def can_read_audit(actor) -> bool:
    """Read the audit log in the admin: superusers only (it names every account's changes)."""
    return _is_superuser(actor)
