"""Cohorts, enrolments (with the learner's two options) and the spreadsheet imports that fill them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from courses.catalogue.models import ModulePage, ProgrammePage
from lms.text import SingleLineCharField


class Cohort(models.Model):
    programme = models.ForeignKey(
        ProgrammePage,
        on_delete=models.PROTECT,
        related_name="cohorts",
        verbose_name="programme",
    )
    region = models.ForeignKey(
        "lms.Region",
        on_delete=models.PROTECT,
        related_name="cohorts",
        verbose_name="région",
    )
    name = SingleLineCharField("nom", max_length=200)
    start_date = models.DateField("début")
    end_date = models.DateField("fin")
    capacity = models.PositiveIntegerField(
        "places",
        default=30,
        validators=[MinValueValidator(1)],
        help_text="Nombre maximal d'apprenant·es inscrit·es.",
    )
    closed_at = models.DateTimeField("clôturée le", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = "promotion"
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="cohort_unique_name_per_region"),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="cohort_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.region})"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "La date de fin doit suivre la date de début."})
        if self.pk is not None and self.capacity is not None:
            enrolled = self.enrolments.count()
            if self.capacity < enrolled:
                raise ValidationError(
                    {
                        "capacity": f"La promotion compte déjà {enrolled} inscrit·es : le nombre de "
                        "places ne peut pas être inférieur."
                    }
                )


class Enrolment(models.Model):
    """A learner's membership of a cohort, and so of its programme (one per programme)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name="apprenant·e",
    )
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name="promotion",
    )
    programme = models.ForeignKey(ProgrammePage, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("inscrit·e le", auto_now_add=True)
    employer = SingleLineCharField("employeur (collectivité)", max_length=200, blank=True)
    job_title = SingleLineCharField("fonction", max_length=200, blank=True)
    ars_agreement_on = models.DateField("accord de l'ARS le", null=True, blank=True)
    employer_agreement_on = models.DateField("accord de l'employeur le", null=True, blank=True)
    agreement_document = models.FileField(
        "document d'accord",
        upload_to="agreements/%Y/",
        null=True,
        blank=True,
    )
    agreement_document_name = models.CharField("nom du document d'accord", max_length=255, blank=True)
    invited_at = models.DateTimeField("invitation envoyée le", null=True, blank=True)
    dropout_reminded_at = models.DateTimeField("relance d'inactivité envoyée le", null=True, blank=True)
    options = models.ManyToManyField(
        ModulePage,
        through="ElectiveChoice",
        related_name="+",
        verbose_name="options choisies",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "inscription"
        constraints = [
            models.UniqueConstraint(fields=["user", "programme"], name="enrolment_one_per_programme"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.cohort}"

    def save(self, *args, **kwargs):
        self.programme_id = self.cohort.programme_id
        super().save(*args, **kwargs)

    def clean(self):
        """The same rules as services.enrolment_create, for the admin form."""
        from lms.permissions import is_learner

        if self.cohort_id is None or self.user_id is None:
            return
        self.programme_id = self.cohort.programme_id
        if not is_learner(self.user):
            raise ValidationError(
                {"user": "Seul un compte apprenant·e peut être inscrit dans une promotion."}
            )
        duplicate = Enrolment.objects.filter(user_id=self.user_id, programme_id=self.programme_id)
        if duplicate.exclude(pk=self.pk).exists():
            raise ValidationError({"user": "Cette personne est déjà inscrite à ce programme."})

    @property
    def is_eligible(self) -> bool:
        """The prerequisite: the joint agreement of the ARS and of the employer is recorded."""
        return self.ars_agreement_on is not None and self.employer_agreement_on is not None


class EnrolmentImport(models.Model):
    """A spreadsheet uploaded by staff: its parsed lines wait here between preview and confirmation."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filename = SingleLineCharField("fichier", max_length=255)
    rows = models.JSONField("lignes lues")
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField("résultat", default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "import d'inscriptions"

    def __str__(self) -> str:
        return f"{self.filename} → {self.cohort}"


class ElectiveChoice(models.Model):
    """One of the learner's optional modules (exactly two once chosen; see services)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="elective_choices")
    module = models.ForeignKey(ModulePage, on_delete=models.PROTECT, related_name="+")
    chosen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "module"], name="elective_unique_module"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} — option {self.module}"
