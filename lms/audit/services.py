"""Writing to the audit log: the one way an entry is made."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .enums import AuditAction
from .models import AuditEntry


def _actor_fields(actor) -> dict[str, Any]:
    """The acting account and its address; nobody (None, an anonymous visitor) is the platform."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_email": ""}
    return {"actor": actor, "actor_email": actor.email}


def _target_fields(target: models.Model | None, target_repr: str | None) -> dict[str, Any]:
    if target is None:
        return {"target_type": None, "target_id": "", "target_repr": (target_repr or "")[:255]}
    return {
        "target_type": ContentType.objects.get_for_model(target, for_concrete_model=False),
        "target_id": str(target.pk),
        "target_repr": (target_repr if target_repr is not None else str(target))[:255],
    }


def audit_record(
    *,
    actor,
    action: AuditAction,
    target: models.Model | None,
    details: dict[str, Any] | None = None,
    target_repr: str | None = None,
) -> AuditEntry:
    """Add one entry to the audit log, stamped now. `actor` is whoever decided (None: the platform
    itself); `target_repr` describes the target as it is now (default: its `str`), so the entry
    still reads after the target is gone. The entry can never be changed or deleted afterwards."""
    return AuditEntry.objects.create(
        **_actor_fields(actor),
        action=action,
        **_target_fields(target, target_repr),
        details=details or {},
    )


def audit_record_many(
    *,
    actor,
    action: AuditAction,
    targets: Iterable[models.Model],
    details: dict[str, Any] | None = None,
    describe: Callable[[models.Model], str] = str,
) -> list[AuditEntry]:
    """The same decision on many objects (an import, a bulk action): one entry per target, each
    described by `describe`, written in one query."""
    actor_fields = _actor_fields(actor)
    return AuditEntry.objects.bulk_create(
        AuditEntry(
            **actor_fields, action=action, **_target_fields(target, describe(target)), details=details or {}
        )
        for target in targets
    )
