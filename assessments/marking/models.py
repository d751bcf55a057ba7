"""Double marking of the final mémoire: who marks it (two markers, and a third named for a
reconciliation), each with their own sealed grid; whether a cohort's markers work blind; and the
agreed written mark, with how it was reached and when the team released it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from assessments.memoire.models import Memoire
from assessments.rubrics.models import Grid
from courses.cohorts.models import Cohort


class MarkerRole(models.TextChoices):
    FIRST = "first", "Correcteur·rice 1"
    SECOND = "second", "Correcteur·rice 2"
    THIRD = "third", "Tiers correcteur·rice (conciliation)"


class MarkerAssignment(models.Model):
    """A trainer marks one mémoire, in one role. Their grid is theirs alone until both first and
    second grids are submitted."""

    memoire = models.ForeignKey(Memoire, on_delete=models.PROTECT, related_name="marker_assignments")
    marker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="marking_assignments",
        verbose_name="correcteur·rice",
    )
    role = models.CharField("rôle", max_length=8, choices=MarkerRole.choices)
    grid = models.OneToOneField(
        Grid, null=True, blank=True, on_delete=models.PROTECT, related_name="assignment"
    )
    #: The grid this marker fills during a reconciliation (the agreed scores, each justified); the
    #: first one submitted becomes the agreed grid. The original `grid` never changes.
    reconciliation_grid = models.OneToOneField(
        Grid, null=True, blank=True, on_delete=models.PROTECT, related_name="reconciliation_assignment"
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["memoire", "role"]
        verbose_name = "correction de mémoire confiée"
        verbose_name_plural = "corrections de mémoire confiées"
        constraints = [
            models.UniqueConstraint(fields=["memoire", "role"], name="marker_role_once_per_memoire"),
            models.UniqueConstraint(fields=["memoire", "marker"], name="marker_once_per_memoire"),
        ]
        indexes = [models.Index(fields=["marker", "memoire"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.memoire}"


class CohortMarkingOptions(models.Model):
    """A cohort's marking options: blind marking gives markers a copy without the author's name."""

    cohort = models.OneToOneField(Cohort, on_delete=models.CASCADE, related_name="marking_options")
    blind_marking = models.BooleanField("correction anonyme", default=False)

    class Meta:
        verbose_name = "options de correction de la promotion"
        verbose_name_plural = "options de correction des promotions"

    def __str__(self) -> str:
        return f"Options de correction — {self.cohort}"


class AgreedMarkRule(models.TextChoices):
    AVERAGE = "average", "Moyenne des deux notes, arrondie"
    RECONCILED = "reconciled", "Note conciliée, critère par critère"


class AgreedMark(models.Model):
    """The written mark the mémoire receives: the rounded average of the two grids, or the mark
    agreed in a reconciliation (its grid holds a justification per criterion). The learner sees it
    only once `released_at` is set by the team."""

    memoire = models.OneToOneField(Memoire, on_delete=models.PROTECT, related_name="agreed_mark")
    mark = models.DecimalField("note retenue sur 20", max_digits=4, decimal_places=2)
    rule = models.CharField("règle appliquée", max_length=12, choices=AgreedMarkRule.choices)
    rule_text = models.TextField("règle telle qu'appliquée", blank=True)
    reconciliation_reason = models.TextField("motif de la conciliation", blank=True)
    grid = models.OneToOneField(
        Grid, null=True, blank=True, on_delete=models.PROTECT, related_name="agreed_for"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField("publiée le", null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "note retenue du mémoire"
        verbose_name_plural = "notes retenues des mémoires"
        constraints = [
            models.CheckConstraint(condition=Q(mark__gte=0) & Q(mark__lte=20), name="agreed_mark_bounded"),
            models.CheckConstraint(
                condition=~Q(rule="reconciled") | Q(grid__isnull=False),
                name="agreed_mark_reconciled_has_grid",
            ),
            models.CheckConstraint(
                condition=Q(released_at__isnull=True) | Q(released_by__isnull=False),
                name="agreed_mark_released_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mark}/20 — {self.memoire}"
