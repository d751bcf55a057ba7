from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from .enums import AuditAction

APPEND_ONLY_MESSAGE = "Le journal d'audit est en ajout seul : une entrée ne se modifie ni ne se supprime."


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove a row of an append-only record."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(APPEND_ONLY_MESSAGE)

    def delete(self):
        raise AppendOnlyError(APPEND_ONLY_MESSAGE)


class AuditEntry(models.Model):
    """One decision: who (`actor`, or the platform itself when empty), what (`action`), on what
    (`target`, with its description at the time), the before and after (`details`), and when.

    Rows are only ever added. The one change the database makes to a row is clearing `actor` when
    that account is deleted; `actor_email` keeps who it was."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="auteur·rice",
    )
    actor_email = models.EmailField("adresse de l'auteur·rice", blank=True)
    action = models.CharField("action", max_length=64, choices=AuditAction.choices)
    target_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="type d'objet",
    )
    # Text, so that any kind of key fits and the entry outlives the object it names.
    target_id = models.CharField("identifiant de l'objet", max_length=64, blank=True)
    target_repr = models.CharField("objet", max_length=255, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    details = models.JSONField("détails", default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField("date", default=timezone.now, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "entrée du journal d'audit"
        verbose_name_plural = "journal d'audit"
        # Only reading is a permission: nobody, however privileged, is granted to add, change or delete.
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["target_type", "target_id", "-created_at"], name="audit_target_idx"),
            models.Index(fields=["action", "-created_at"], name="audit_action_idx"),
            models.Index(fields=["actor", "-created_at"], name="audit_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%d/%m/%Y %H:%M} — {self.get_action_display()} — {self.target_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError(APPEND_ONLY_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(APPEND_ONLY_MESSAGE)

    @property
    def actor_display(self) -> str:
        """Who acted, readable even once their account is gone."""
        if self.actor is not None:
            return f"{self.actor} <{self.actor_email}>"
        return self.actor_email or "la plateforme"
