"""Session lifetimes per role, and the two-factor requirement for staff roles.

Both read what the page loads anyway (the session and the signed-in user) and write the session
only when something changes, so a page runs the same queries with them as without.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render

from . import policies, services
from .views import login_url_with_next

# A request refreshes the last-activity time in the session only if the stored one is at least
# this old: a session write per minute at most, not one per request (the lesson heartbeat posts
# every 30 s). The idle timeout may therefore fire up to this many seconds early.
ACTIVITY_WRITE_INTERVAL_SECONDS = 60

# What a staff member without an authenticator app may still open: the page explaining the
# requirement, the setup itself (with the reauthentication it may ask for), and signing out.
MFA_SETUP_VIEWS = frozenset(
    {
        "accounts:mfa_required",
        "mfa_index",
        "mfa_activate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "account_reauthenticate",
        "mfa_reauthenticate",
        "account_logout",
        "wagtailadmin_logout",
    }
)


class SessionLifetimeMiddleware:
    """Signs out a session idle for longer than its role allows, or older than its maximum age,
    with a French message. Every request of the signed-in user counts as activity, the lesson
    heartbeat included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            expired_after = self._expired_after(request, user)
            if expired_after is not None:
                return self._sign_out(request, expired_after)
        return self.get_response(request)

    def _expired_after(self, request, user) -> str | None:
        """The French reason if the session has outlived its policy; else None, after recording
        the activity (at most once a minute)."""
        policy = policies.session_policy_for(user)
        now = int(time.time())
        session = request.session
        started = session.get(services.STARTED_KEY)
        last_activity = session.get(services.LAST_ACTIVITY_KEY)
        if started is None or last_activity is None:
            # A session opened before lifetimes existed: it starts counting now.
            services.session_start(session=session, now=now)
            return None
        if now - last_activity > policy.idle_seconds:
            return f"après {policies.duration_in_words(policy.idle_seconds)} sans activité"
        if now - started > policy.max_seconds:
            return f"après {policies.duration_in_words(policy.max_seconds)} de connexion"
        if now - last_activity >= ACTIVITY_WRITE_INTERVAL_SECONDS:
            session[services.LAST_ACTIVITY_KEY] = now
        return None

    def _sign_out(self, request, reason: str):
        logout(request)
        text = f"Votre session a expiré {reason} : reconnectez-vous pour continuer."
        if request.method in ("GET", "HEAD"):
            messages.warning(request, text)
            return redirect(login_url_with_next(request.get_full_path()))
        # A form or the lesson heartbeat: the page says what happened; nothing is processed.
        return render(request, "accounts/session_expired.html", {"reason": text}, status=401)


class MfaRequiredMiddleware:
    """When MFA_REQUIRED_FOR_STAFF is on, a signed-in staff member without an activated
    authenticator app reaches only the page explaining why, the setup and signing out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not policies.mfa_required_for(request.user):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in MFA_SETUP_VIEWS:
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        if services.totp_active(request=request):
            return None
        return redirect("accounts:mfa_required")
