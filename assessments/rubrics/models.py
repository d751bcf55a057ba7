"""Rubrics (grilles d'évaluation) and marking schemes, edited by the pedagogical team in Wagtail,
and the grids markers and jury members fill. A grid keeps a copy of each criterion's label and
weight as they were when it was filled, and cannot change once submitted."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from assessments.rubrics.grading import Rounding
from courses.catalogue.models import ProgrammePage
from lms.text import SingleLineCharField

SEALED = "Cette grille est remise : elle ne se modifie plus."


class RubricKind(models.TextChoices):
    WRITTEN = "written", "Mémoire écrit"
    ORAL = "oral", "Soutenance orale"


class Rubric(ClusterableModel):
    """A grid of criteria, each weighted and described, giving a mark out of 20."""

    name = SingleLineCharField("nom", max_length=200)
    kind = models.CharField("usage", max_length=8, choices=RubricKind.choices)
    guidance = models.TextField("consignes aux correcteur·rices", blank=True, max_length=3000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = "grille d'évaluation"
        verbose_name_plural = "grilles d'évaluation"

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display().lower()})"


class RubricCriterion(Orderable):
    rubric = ParentalKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    label = SingleLineCharField("critère", max_length=200)
    weight = models.PositiveSmallIntegerField(
        "coefficient", default=1, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    descriptors = models.TextField(
        "descripteurs",
        blank=True,
        max_length=3000,
        help_text="Ce qu'on attend à chaque niveau, par exemple "
        "« insuffisant : … ; satisfaisant : … ; très bien : … ».",
    )

    class Meta(Orderable.Meta):
        verbose_name = "critère"
        verbose_name_plural = "critères"
        constraints = [models.CheckConstraint(condition=Q(weight__gte=1), name="rubric_criterion_weighted")]

    def __str__(self) -> str:
        return f"{self.label} (×{self.weight})"


class MarkingScheme(models.Model):
    """The rules in force for one programme's mémoires and soutenances, shown on every marking
    screen: the grids, the pass mark, when two marks must be reconciled, how an average is rounded,
    the weights of the written and oral marks, the similarity threshold and the tutor's roles."""

    programme = models.OneToOneField(
        ProgrammePage, on_delete=models.CASCADE, related_name="marking_scheme", verbose_name="programme"
    )
    written_rubric = models.ForeignKey(
        Rubric,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": RubricKind.WRITTEN},
        verbose_name="grille du mémoire écrit",
    )
    oral_rubric = models.ForeignKey(
        Rubric,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": RubricKind.ORAL},
        verbose_name="grille de la soutenance",
    )
    pass_mark = models.DecimalField(
        "note de validation (sur 20)",
        max_digits=4,
        decimal_places=2,
        default=Decimal(10),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(20))],
    )
    discrepancy_threshold = models.DecimalField(
        "écart déclenchant une conciliation (points)",
        max_digits=4,
        decimal_places=2,
        default=Decimal(3),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(20))],
    )
    rounding = models.CharField(
        "arrondi des moyennes", max_length=10, choices=Rounding.choices, default=Rounding.HALF
    )
    written_weight = models.PositiveSmallIntegerField(
        "poids de l'écrit dans la note finale", default=60, validators=[MaxValueValidator(100)]
    )
    oral_weight = models.PositiveSmallIntegerField(
        "poids de l'oral dans la note finale", default=40, validators=[MaxValueValidator(100)]
    )
    similarity_threshold = models.PositiveSmallIntegerField(
        "seuil de similarité (%)",
        default=25,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Au-delà de cette part du texte retrouvée ailleurs, la publication de la note attend "
        "l'avis de l'équipe pédagogique.",
    )
    tutor_may_mark = models.BooleanField(
        "le ou la tuteur·rice peut corriger le mémoire qu'il ou elle a suivi", default=False
    )
    tutor_may_preside = models.BooleanField(
        "le ou la tuteur·rice peut présider le jury de soutenance", default=False
    )

    class Meta:
        verbose_name = "règles de notation"
        verbose_name_plural = "règles de notation"
        constraints = [
            models.CheckConstraint(
                condition=Q(written_weight__gt=0) | Q(oral_weight__gt=0), name="marking_scheme_weighted"
            ),
            models.CheckConstraint(
                condition=Q(pass_mark__gte=0) & Q(pass_mark__lte=20), name="marking_scheme_pass_mark_bounded"
            ),
        ]

    def __str__(self) -> str:
        return f"Règles de notation — {self.programme.title}"

    def clean(self):
        super().clean()
        if not (self.written_weight or self.oral_weight):
            raise ValidationError({"written_weight": "Donnez un poids à l'écrit, à l'oral ou aux deux."})


class GridQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(submitted_at__isnull=False)


class Grid(models.Model):
    """One person's marking of one piece of work on one rubric. Saved as a draft, then submitted;
    a submitted grid never changes (services.grid_save refuses; the model refuses too)."""

    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="grids")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="auteur·rice"
    )
    mark = models.DecimalField("note sur 20", max_digits=5, decimal_places=3, null=True, blank=True)
    comment = models.TextField("appréciation générale", blank=True, max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField("remise le", null=True, blank=True)

    objects = GridQuerySet.as_manager()

    class Meta:
        verbose_name = "grille remplie"
        verbose_name_plural = "grilles remplies"
        constraints = [
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(mark__isnull=False), name="grid_submitted_has_mark"
            ),
            models.CheckConstraint(
                condition=Q(mark__isnull=True) | (Q(mark__gte=0) & Q(mark__lte=20)), name="grid_mark_bounded"
            ),
        ]

    def __str__(self) -> str:
        return f"Grille de {self.author} ({self.rubric.name})"

    def save(self, *args, **kwargs):
        if self.pk is not None and Grid.objects.filter(pk=self.pk, submitted_at__isnull=False).exists():
            raise ValidationError(SEALED)
        super().save(*args, **kwargs)

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class GridScore(models.Model):
    """One criterion's score in one grid, with the criterion's label and weight as they were."""

    grid = models.ForeignKey(Grid, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(RubricCriterion, null=True, on_delete=models.SET_NULL, related_name="+")
    label = models.CharField("critère", max_length=200)
    weight = models.PositiveSmallIntegerField("coefficient")
    score = models.DecimalField(
        "note sur 20",
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(20))],
    )
    justification = models.TextField("justification", blank=True, max_length=3000)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "note par critère"
        verbose_name_plural = "notes par critère"
        constraints = [
            models.UniqueConstraint(fields=["grid", "criterion"], name="grid_score_once_per_criterion"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=20), name="grid_score_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.label} : {self.score}/20"

    def save(self, *args, **kwargs):
        if Grid.objects.filter(pk=self.grid_id, submitted_at__isnull=False).exists():
            raise ValidationError(SEALED)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if Grid.objects.filter(pk=self.grid_id, submitted_at__isnull=False).exists():
            raise ValidationError(SEALED)
        return super().delete(*args, **kwargs)
