"""Reads of the user administration."""

from __future__ import annotations

MFA_KIND_LABELS = {
    "totp": "application d'authentification",
    "webauthn": "clé de sécurité",
    "recovery_codes": "codes de secours",
}


def user_mfa_kinds(*, user) -> list[str]:
    """The second factors `user` has, in words (« application d'authentification », « codes de
    secours »), in the order of MFA_KIND_LABELS; empty when they have none."""
    from allauth.mfa.models import Authenticator

    kinds = set(Authenticator.objects.filter(user_id=user.pk).values_list("type", flat=True))
    return [label for kind, label in MFA_KIND_LABELS.items() if kind in kinds]
