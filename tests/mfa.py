"""Two-factor helpers for tests: an activated authenticator app and the code it shows now,
computed with allauth's own TOTP functions (the same ones that check the code)."""

import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value


def totp_activate(user) -> str:
    """Give `user` an activated authenticator app; return its secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str, *, valid_for_at_least: int = 5) -> str:
    """The code an authenticator app holding `secret` displays, still valid for a few seconds
    (near the end of a period, waits for the next one so that the code is not stale on arrival)."""
    period = app_settings.TOTP_PERIOD
    if period - time.time() % period < valid_for_at_least:
        time.sleep(period - time.time() % period + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))
