"""Receivers connected in lms.apps.LmsConfig.ready()."""

from . import services


def session_started_on_sign_in(sender, request, user, **kwargs):
    """Every sign-in (allauth's, after the second factor if any) starts the session's clock."""
    if getattr(request, "session", None) is not None:
        services.session_start(session=request.session)


def totp_forgotten_on_removal(sender, request, user, authenticator, **kwargs):
    """A removed authenticator app no longer counts for the two-factor requirement."""
    if request is not None and getattr(request, "session", None) is not None:
        services.totp_forget(session=request.session)


def connect() -> None:
    from allauth.mfa.signals import authenticator_removed
    from django.contrib.auth.signals import user_logged_in

    user_logged_in.connect(session_started_on_sign_in, dispatch_uid="lms_accounts_session_started")
    authenticator_removed.connect(totp_forgotten_on_removal, dispatch_uid="lms_accounts_totp_forgotten")
