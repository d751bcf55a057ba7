"""What the session remembers about its own sign-in: when it started, when it was last used, and
whether its user has an activated authenticator app (so staff pages do not ask the database on
every request)."""

from __future__ import annotations

import time

from allauth.mfa.models import Authenticator

STARTED_KEY = "lms.session.started"
LAST_ACTIVITY_KEY = "lms.session.last_activity"
TOTP_ACTIVE_KEY = "lms.mfa.totp_active"


def session_start(*, session, now: int | None = None) -> None:
    """Mark `session` as opened now: its idle and maximum lifetimes count from this moment."""
    now = int(time.time()) if now is None else now
    session[STARTED_KEY] = now
    session[LAST_ACTIVITY_KEY] = now


def totp_active(*, request) -> bool:
    """Whether the signed-in user has an activated authenticator app. A yes is remembered in the
    session (cleared when an authenticator is removed); a no is asked again on the next request,
    so that activating it in another tab lets this one through."""
    if request.session.get(TOTP_ACTIVE_KEY) == request.user.pk:
        return True
    active = Authenticator.objects.filter(user_id=request.user.pk, type=Authenticator.Type.TOTP).exists()
    if active:
        request.session[TOTP_ACTIVE_KEY] = request.user.pk
    return active


def totp_forget(*, session) -> None:
    """Forget that the session's user has an authenticator app (one was removed)."""
    session.pop(TOTP_ACTIVE_KEY, None)


def user_sessions_end(*, user) -> int:
    """End every open session of `user` (the database session store: each unexpired session is
    decoded to find its owner, fine for the rare administrative action that calls this). Returns
    how many were ended."""
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    theirs = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    return Session.objects.filter(pk__in=theirs).delete()[0]
