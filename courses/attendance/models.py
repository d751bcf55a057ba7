"""Attendance per half-day of a presential session, and the signatures drawn on screen."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

from courses.catalogue.models import HOURS_FIELD
from courses.cohorts.models import Enrolment
from courses.enums import HalfDay
from courses.sessions.models import PresentialSession


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Présent·e"
    ABSENT = "absent", "Absent·e"
    EXCUSED = "excused", "Absence excusée"
    PARTIAL = "partial", "Présence partielle"


class Attendance(models.Model):
    """One learner's attendance for one half-day of a session (émargement). Credited in the ledger
    once confirmed by staff."""

    session = models.ForeignKey(PresentialSession, on_delete=models.CASCADE, related_name="attendances")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="attendances")
    day = models.DateField("jour")
    half_day = models.CharField("demi-journée", max_length=2, choices=HalfDay.choices)
    status = models.CharField("statut", max_length=16, choices=AttendanceStatus.choices)
    hours = models.DecimalField(
        "heures", default=Decimal(0), validators=[MinValueValidator(0)], **HOURS_FIELD
    )
    source = models.CharField("saisie", max_length=16, default="staff")
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["day", "half_day"]
        verbose_name = "présence"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment", "day", "half_day"],
                name="attendance_once_per_half_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.user} — {self.session} {self.day} {self.get_half_day_display()}"


class Signature(models.Model):
    """A signature drawn on screen for one half-day, kept with who signed and when."""

    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="signatures", null=True)
    session = models.ForeignKey(PresentialSession, on_delete=models.CASCADE, related_name="signatures")
    day = models.DateField()
    half_day = models.CharField(max_length=2, choices=HalfDay.choices)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    image_png = models.BinaryField("signature (PNG)")
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "day", "half_day", "signer"], name="signature_once"),
        ]

    def __str__(self) -> str:
        return f"{self.signer} — {self.session} {self.day} {self.half_day}"
