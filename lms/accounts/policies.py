"""Who must use two-factor authentication, and how long a session may live, per role.

Decided from the user's role fields only (no query), so the middlewares that ask on every request
cost nothing on top of the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from lms.permissions import is_ars_staff, is_pedagogical_team, is_trainer


@dataclass(frozen=True)
class SessionPolicy:
    """A session ends after `idle_seconds` without a request, or `max_seconds` after sign-in."""

    idle_seconds: int
    max_seconds: int


def is_staff_role(user) -> bool:
    """ARS staff, trainers, the pedagogical team and superusers: those who see other people's
    data and certify hours."""
    return is_ars_staff(user) or is_trainer(user) or is_pedagogical_team(user)


def mfa_required_for(user) -> bool:
    """Whether `user` must have an activated authenticator app to use the platform."""
    return bool(settings.MFA_REQUIRED_FOR_STAFF) and is_staff_role(user)


def session_policy_for(user) -> SessionPolicy:
    """The session lifetimes that apply to `user` (settings SESSION_STAFF_* / SESSION_LEARNER_*)."""
    if is_staff_role(user):
        return SessionPolicy(
            idle_seconds=settings.SESSION_STAFF_IDLE_SECONDS, max_seconds=settings.SESSION_STAFF_MAX_SECONDS
        )
    return SessionPolicy(
        idle_seconds=settings.SESSION_LEARNER_IDLE_SECONDS, max_seconds=settings.SESSION_LEARNER_MAX_SECONDS
    )


def duration_in_words(seconds: int) -> str:
    """« 30 minutes », « 10 heures », « 7 jours »: a lifetime as the French message says it."""
    for unit, singular, plural in (
        (86400, "jour", "jours"),
        (3600, "heure", "heures"),
        (60, "minute", "minutes"),
    ):
        if seconds >= unit and seconds % unit == 0:
            count = seconds // unit
            return f"{count} {singular if count == 1 else plural}"
    return f"{seconds} secondes"
