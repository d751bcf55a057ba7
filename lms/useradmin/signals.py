"""allauth's account pages change a password, an address or a second factor without going through
the admin: their signals say who (the account's owner), and these receivers write it to the audit log.
Connected from lms.apps.LmsConfig.ready()."""

from lms.audit.enums import AuditAction

from . import services


def password_changed(sender, request, user, **kwargs):
    services.password_change_record(user=user, action=AuditAction.PASSWORD_CHANGED, via="change")


def password_set(sender, request, user, **kwargs):
    services.password_change_record(user=user, action=AuditAction.PASSWORD_CHANGED, via="set")


def password_reset(sender, request, user, **kwargs):
    services.password_change_record(user=user, action=AuditAction.PASSWORD_RESET, via="reset")


def email_changed(sender, request, user, from_email_address, to_email_address, **kwargs):
    services.email_change_record(
        user=user,
        before=from_email_address.email if from_email_address else "",
        after=to_email_address.email,
    )


def authenticator_added(sender, request, user, authenticator, **kwargs):
    services.authenticator_change_record(
        user=user, action=AuditAction.MFA_AUTHENTICATOR_ADDED, kind=authenticator.type
    )


def authenticator_removed(sender, request, user, authenticator, **kwargs):
    services.authenticator_change_record(
        user=user, action=AuditAction.MFA_AUTHENTICATOR_REMOVED, kind=authenticator.type
    )


def authenticator_reset(sender, request, user, authenticator, **kwargs):
    services.authenticator_change_record(
        user=user, action=AuditAction.MFA_AUTHENTICATOR_RENEWED, kind=authenticator.type
    )


def connect() -> None:
    from allauth.account import signals
    from allauth.mfa import signals as mfa_signals

    signals.password_changed.connect(password_changed, dispatch_uid="lms_audit_password_changed")
    signals.password_set.connect(password_set, dispatch_uid="lms_audit_password_set")
    signals.password_reset.connect(password_reset, dispatch_uid="lms_audit_password_reset")
    signals.email_changed.connect(email_changed, dispatch_uid="lms_audit_email_changed")
    mfa_signals.authenticator_added.connect(authenticator_added, dispatch_uid="lms_audit_mfa_added")
    mfa_signals.authenticator_removed.connect(authenticator_removed, dispatch_uid="lms_audit_mfa_removed")
    mfa_signals.authenticator_reset.connect(authenticator_reset, dispatch_uid="lms_audit_mfa_reset")
