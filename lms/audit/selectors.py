"""Reading the audit log."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from .enums import AuditAction
from .models import AuditEntry


def audit_entries(
    *,
    target: models.Model | None = None,
    actor=None,
    action: AuditAction | None = None,
) -> QuerySet[AuditEntry]:
    """Entries, newest first, narrowed to a target, an actor and/or an action when given."""
    entries = AuditEntry.objects.select_related("actor", "target_type")
    if target is not None:
        entries = entries.filter(
            target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
            target_id=str(target.pk),
        )
    if actor is not None:
        entries = entries.filter(actor=actor)
    if action is not None:
        entries = entries.filter(action=action)
    return entries
