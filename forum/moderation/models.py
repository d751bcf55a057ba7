"""The moderation log and the reports on posts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from forum.enums import ModerationAction, ReportStatus
from forum.threads.models import Post, Space, Thread


class ModerationLog(models.Model):
    """One moderation act, with its reason; never edited."""

    action = models.CharField("action", max_length=32, choices=ModerationAction.choices)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="moderation_log")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("motif", blank=True)
    from_space = models.ForeignKey(Space, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    to_space = models.ForeignKey(Space, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "acte de modération"
        verbose_name_plural = "journal de modération"

    def __str__(self) -> str:
        return f"{self.get_action_display()} — {self.thread}"


class Report(models.Model):
    """A member's report of a post; open reports form the moderation queue."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("motif du signalement")
    status = models.CharField("état", max_length=16, choices=ReportStatus.choices, default=ReportStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "signalement"
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=Q(status="open"),
                name="report_one_open_per_post_and_reporter",
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"Signalement de {self.reporter} — {self.post}"
