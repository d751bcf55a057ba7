"""The hours ledger (append-only) and in-organisation declarations."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from courses.catalogue.models import HOURS_FIELD, LessonPage, ModulePage
from courses.cohorts.models import Enrolment
from courses.enums import HoursSource, Modality


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove a ledger entry."""


class HoursEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Le relevé d'heures est en ajout seul : ajoutez une correction.")

    def delete(self):
        raise AppendOnlyError("Le relevé d'heures est en ajout seul : ajoutez une correction.")


class HoursEntry(models.Model):
    """One line of the append-only hours ledger, for all three modalities. A correction is a new
    entry (source CORRECTION) pointing at the entry it adjusts, with who and why."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="hours_entries")
    modality = models.CharField("modalité", max_length=16, choices=Modality.choices)
    source = models.CharField("origine", max_length=16, choices=HoursSource.choices)
    module = models.ForeignKey(ModulePage, on_delete=models.PROTECT, related_name="+", verbose_name="module")
    hours = models.DecimalField("heures", **HOURS_FIELD)
    occurred_on = models.DateField("date")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="enregistré par",
    )
    recorded_at = models.DateTimeField("enregistré le", default=timezone.now)
    lesson = models.ForeignKey(
        LessonPage,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        verbose_name="corrige",
    )
    reason = models.TextField("motif", blank=True)
    attendance = models.OneToOneField(
        "courses.Attendance",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hours_entry",
    )
    declaration = models.OneToOneField(
        "courses.OrganisationDeclaration",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hours_entry",
    )
    counts_toward_target = models.BooleanField("compte pour l'objectif", default=True)
    not_counted_reason = models.CharField("pourquoi elle ne compte pas", max_length=300, blank=True)

    objects = HoursEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-recorded_at"]
        verbose_name = "ligne du relevé d'heures"
        constraints = [
            models.CheckConstraint(condition=~Q(hours=0), name="hours_entry_not_zero"),
            models.UniqueConstraint(
                fields=["enrolment", "lesson"],
                condition=Q(source=HoursSource.LESSON),
                name="hours_entry_lesson_credited_once",
            ),
            models.CheckConstraint(
                condition=~Q(source=HoursSource.CORRECTION) | (Q(corrects__isnull=False) & ~Q(reason="")),
                name="hours_entry_correction_has_target_and_reason",
            ),
            models.CheckConstraint(
                condition=Q(counts_toward_target=True) | ~Q(not_counted_reason=""),
                name="hours_entry_uncounted_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["enrolment", "modality"])]

    def __str__(self) -> str:
        return f"{self.hours} h {self.get_modality_display()} — {self.enrolment.user}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Le relevé d'heures est en ajout seul : ajoutez une correction.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Le relevé d'heures est en ajout seul : ajoutez une correction.")


class DeclarationStatus(models.TextChoices):
    SUBMITTED = "submitted", "En attente de validation"
    VALIDATED = "validated", "Validée"
    REFUSED = "refused", "Refusée"
    WITHDRAWN = "withdrawn", "Retirée"


class OrganisationDeclaration(models.Model):
    """Hours of work done in the learner's organisation, declared by the learner and validated or
    refused (with a reason) by ARS staff."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="declarations")
    module = models.ForeignKey(ModulePage, on_delete=models.PROTECT, related_name="+", verbose_name="module")
    occurred_on = models.DateField("date")
    hours = models.DecimalField(
        "heures",
        validators=[MinValueValidator(Decimal("0.25"))],
        **HOURS_FIELD,
    )
    description = models.TextField("ce qui a été fait", max_length=2000)
    evidence = models.FileField("justificatif", upload_to="evidence/%Y/", null=True, blank=True)
    evidence_name = models.CharField("nom du justificatif", max_length=255, blank=True)
    evidence_content_type = models.CharField("type du justificatif", max_length=100, blank=True)
    status = models.CharField(
        "statut",
        max_length=16,
        choices=DeclarationStatus.choices,
        default=DeclarationStatus.SUBMITTED,
    )
    created_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.TextField("motif du refus", blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "déclaration d'heures en organisation"
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="declaration_refusal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.user} — {self.hours} h le {self.occurred_on}"
