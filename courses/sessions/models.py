"""Training providers (with their Qualiopi certificate), presential sessions and their reminders."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from courses.catalogue.models import HOURS_FIELD, ModulePage
from courses.cohorts.models import Cohort
from lms.text import SingleLineCharField


class TrainingProvider(models.Model):
    """A training organisation (organisme de formation); its sessions count toward the target only
    while its Qualiopi certification is valid."""

    name = SingleLineCharField("nom", max_length=200, unique=True)
    siret = models.CharField("SIRET", max_length=14, unique=True)
    qualiopi_number = SingleLineCharField("n° de certificat Qualiopi", max_length=100, blank=True)
    qualiopi_valid_from = models.DateField("certificat valable du", null=True, blank=True)
    qualiopi_valid_until = models.DateField("certificat valable jusqu'au", null=True, blank=True)
    expiry_reminder_sent_for = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "organisme de formation"
        verbose_name_plural = "organismes de formation"

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from courses.sessions.rules import siret_is_valid

        if self.siret and not siret_is_valid(self.siret):
            raise ValidationError(
                {"siret": "Ce numéro SIRET n'est pas valide (14 chiffres, clé de contrôle)."}
            )
        if (
            self.qualiopi_valid_from
            and self.qualiopi_valid_until
            and self.qualiopi_valid_until < self.qualiopi_valid_from
        ):
            raise ValidationError({"qualiopi_valid_until": "La fin de validité doit suivre son début."})
        if (self.qualiopi_valid_from or self.qualiopi_valid_until) and not self.qualiopi_number:
            raise ValidationError({"qualiopi_number": "Indiquez le numéro du certificat Qualiopi."})

    def is_certified_on(self, day) -> bool:
        return bool(
            self.qualiopi_number
            and self.qualiopi_valid_from
            and self.qualiopi_valid_until
            and self.qualiopi_valid_from <= day <= self.qualiopi_valid_until
        )


class PresentialSession(models.Model):
    """A regional seminar: times stored in UTC, shown and reasoned about in the region's zone."""

    module = models.ForeignKey(ModulePage, on_delete=models.PROTECT, related_name="+", verbose_name="module")
    provider = models.ForeignKey(
        TrainingProvider,
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name="organisme",
    )
    region = models.ForeignKey(
        "lms.Region", on_delete=models.PROTECT, related_name="sessions", verbose_name="région"
    )
    title = SingleLineCharField("intitulé", max_length=200)
    place = SingleLineCharField("lieu", max_length=300, blank=True)
    is_remote = models.BooleanField("à distance", default=False)
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    hours = models.DecimalField("heures", validators=[MinValueValidator(Decimal("0.5"))], **HOURS_FIELD)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="led_sessions",
        verbose_name="formateur·rices",
    )
    cohorts = models.ManyToManyField(Cohort, related_name="sessions", verbose_name="promotions invitées")
    checkin_secret = models.CharField(max_length=64, editable=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = "session en présentiel"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.region})"

    def save(self, *args, **kwargs):
        if not self.checkin_secret:
            import secrets

            self.checkin_secret = secrets.token_hex(32)
        super().save(*args, **kwargs)


class SessionReminder(models.Model):
    """The reminder of a session sent to one learner: a retry after a failure halfway through the
    list emails only those who have not been reminded yet."""

    session = models.ForeignKey(PresentialSession, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "rappel de session envoyé"
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="session_reminder_once_per_learner"),
        ]

    def __str__(self) -> str:
        return f"{self.session} → {self.user}"
