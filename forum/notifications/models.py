"""Follows, notifications and each member's email preference."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from forum.enums import EmailMode
from forum.threads.models import Post, Space, Thread


class Follow(models.Model):
    """A member follows a thread or a whole space (exactly one of the two)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    space = models.ForeignKey(Space, null=True, blank=True, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "abonnement"
        constraints = [
            models.CheckConstraint(
                condition=Q(thread__isnull=False, space__isnull=True)
                | Q(thread__isnull=True, space__isnull=False),
                name="follow_thread_xor_space",
            ),
            models.UniqueConstraint(
                fields=["user", "thread"], condition=Q(thread__isnull=False), name="follow_one_per_thread"
            ),
            models.UniqueConstraint(
                fields=["user", "space"], condition=Q(space__isnull=False), name="follow_one_per_space"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} suit {self.thread or self.space}"


class Notification(models.Model):
    """A new post for a follower: counted in the site menu until read, emailed per their choice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "post"], name="notification_one_per_user_and_post")
        ]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["emailed_at", "user"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.post}"


class NotificationPreference(models.Model):
    """How a member wants forum emails; absent means the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_preference"
    )
    email_mode = models.CharField(
        "e-mails du forum", max_length=16, choices=EmailMode.choices, default=EmailMode.IMMEDIATE
    )
    follow_own_threads = models.BooleanField("suivre automatiquement mes questions", default=True)

    class Meta:
        verbose_name = "préférence de notification"

    def __str__(self) -> str:
        return f"{self.user} — {self.get_email_mode_display()}"
