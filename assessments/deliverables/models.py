"""Written deliverables (productions écrites): what the team asks per module, when it is due per
cohort, the learner's versions, the reviewers' decisions and who reviews which module and cohort."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.fields import RichTextField

from courses.catalogue.models import ModulePage
from courses.cohorts.models import Cohort, Enrolment
from lms.enums import Role
from lms.text import SingleLineCharField

MIN_SIZE_MB = 1
MAX_SIZE_MB = 20


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", "Déposée, à corriger"
    ACCEPTED = "accepted", "Acceptée"
    REVISION = "revision", "Révision demandée"


class ReviewDecision(models.TextChoices):
    ACCEPTED = "accepted", "Accepter"
    REVISION = "revision", "Demander une révision"


class Deliverable(ClusterableModel):
    """A written production the pedagogical team asks of the learners of one module."""

    module = models.ForeignKey(
        ModulePage, on_delete=models.PROTECT, related_name="deliverables", verbose_name="module"
    )
    title = SingleLineCharField("titre", max_length=200)
    instructions = RichTextField(
        "consignes", blank=True, features=["bold", "italic", "ul", "ol", "link", "h3"]
    )
    accepts_pdf = models.BooleanField("PDF accepté", default=True)
    accepts_docx = models.BooleanField("DOCX accepté", default=False)
    accepts_odt = models.BooleanField("ODT accepté", default=False)
    max_size_mb = models.PositiveSmallIntegerField(
        "taille maximale (Mo)",
        default=10,
        validators=[MinValueValidator(MIN_SIZE_MB), MaxValueValidator(MAX_SIZE_MB)],
        help_text=f"De {MIN_SIZE_MB} à {MAX_SIZE_MB} Mo.",
    )
    required_for_diploma = models.BooleanField("exigée pour le diplôme", default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["module__path", "title"]
        verbose_name = "production écrite"
        verbose_name_plural = "productions écrites"
        constraints = [
            models.CheckConstraint(
                condition=Q(accepts_pdf=True) | Q(accepts_docx=True) | Q(accepts_odt=True),
                name="deliverable_accepts_a_format",
            ),
            models.CheckConstraint(
                condition=Q(max_size_mb__gte=MIN_SIZE_MB) & Q(max_size_mb__lte=MAX_SIZE_MB),
                name="deliverable_size_limit_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.module.title})"

    def clean(self):
        super().clean()
        if not (self.accepts_pdf or self.accepts_docx or self.accepts_odt):
            raise ValidationError({"accepts_pdf": "Cochez au moins un format accepté : PDF, DOCX ou ODT."})

    @property
    def formats_label(self) -> str:
        names = [
            name
            for name, accepted in (
                ("PDF", self.accepts_pdf),
                ("DOCX", self.accepts_docx),
                ("ODT", self.accepts_odt),
            )
            if accepted
        ]
        return ", ".join(names)


class DeliverableDueDate(models.Model):
    """When a deliverable is due for one cohort. A later submission is accepted and marked late."""

    deliverable = ParentalKey(Deliverable, on_delete=models.CASCADE, related_name="due_dates")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+", verbose_name="promotion")
    due_on = models.DateField("date limite", help_text="Dernier jour de dépôt, à l'heure de la région.")

    class Meta:
        ordering = ["due_on"]
        verbose_name = "date limite de dépôt"
        verbose_name_plural = "dates limites de dépôt"
        constraints = [
            models.UniqueConstraint(
                fields=["deliverable", "cohort"], name="deliverable_due_date_once_per_cohort"
            )
        ]

    def __str__(self) -> str:
        return f"{self.deliverable.title} — {self.cohort.name} : {self.due_on:%d/%m/%Y}"


class Submission(models.Model):
    """One version of a learner's deliverable. Never overwritten: a new file is a new version."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.PROTECT, related_name="submissions")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="deliverable_submissions")
    version = models.PositiveSmallIntegerField("version")
    file = models.FileField("fichier", upload_to="deliverables/%Y/")
    original_name = models.CharField("nom du fichier", max_length=255)
    content_type = models.CharField("type du fichier", max_length=100)
    comment = models.TextField("commentaire", blank=True, max_length=2000)
    submitted_at = models.DateTimeField("déposée le", default=timezone.now)
    is_late = models.BooleanField("en retard", default=False)
    status = models.CharField(
        "statut", max_length=16, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED
    )

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = "dépôt de production écrite"
        constraints = [
            models.UniqueConstraint(
                fields=["deliverable", "enrolment", "version"], name="submission_version_once"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="submission_version_positive"),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"], name="submission_queue_idx")]

    def __str__(self) -> str:
        return f"{self.deliverable.title} — {self.enrolment.user} (version {self.version})"


#: The only fields of a Review that change once it is written: when the learner was emailed and
#: when they saw it (set by queryset updates in the services and the email task).
REVIEW_DELIVERY_STAMPS = frozenset({"emailed_at", "seen_by_learner_at"})
REVIEW_SEALED = "Une décision de correction ne se modifie pas : seul son suivi d'envoi et de lecture change."


class ReviewSealedError(Exception):
    """Raised on any attempt to change a review's decision, feedback, file, reviewer or date."""


class ReviewQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if set(kwargs) - REVIEW_DELIVERY_STAMPS:
            raise ReviewSealedError(REVIEW_SEALED)
        return super().update(**kwargs)

    def delete(self):
        raise ReviewSealedError(REVIEW_SEALED)


class Review(models.Model):
    """A reviewer's decision on one submission: accepted, or a revision asked with feedback.
    Sealed once written: only the delivery stamps (`REVIEW_DELIVERY_STAMPS`) change afterwards."""

    submission = models.OneToOneField(Submission, on_delete=models.PROTECT, related_name="review")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="correcteur·rice"
    )
    decision = models.CharField("décision", max_length=16, choices=ReviewDecision.choices)
    feedback = models.TextField("retour", blank=True, max_length=5000)
    annotated_file = models.FileField("fichier annoté", upload_to="deliverables/reviews/%Y/", blank=True)
    annotated_name = models.CharField("nom du fichier annoté", max_length=255, blank=True)
    annotated_content_type = models.CharField(max_length=100, blank=True)
    reviewed_at = models.DateTimeField("corrigée le", default=timezone.now)
    seen_by_learner_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = "correction de production écrite"
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="revision") | ~Q(feedback=""),
                name="review_revision_has_feedback",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} — {self.submission}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        only_stamps = update_fields is not None and set(update_fields) <= REVIEW_DELIVERY_STAMPS
        if not self._state.adding and not only_stamps and self._sealed_fields_changed():
            raise ReviewSealedError(REVIEW_SEALED)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ReviewSealedError(REVIEW_SEALED)

    def _sealed_fields_changed(self) -> bool:
        """Whether a field other than the delivery stamps differs from the stored row."""
        names = [
            f.attname
            for f in self._meta.concrete_fields
            if f.name not in REVIEW_DELIVERY_STAMPS and not f.primary_key
        ]
        stored = type(self).objects.filter(pk=self.pk).values(*names).first()
        if stored is None:
            return False
        return any(_stored_value(getattr(self, name)) != stored[name] for name in names)


def _stored_value(value):
    """A field's value as `.values()` returns it (a FieldFile as its name)."""
    return getattr(value, "name", value) if hasattr(value, "storage") else value


class ReviewerAssignment(models.Model):
    """A trainer reviews the deliverables of one module for one cohort; set by the team."""

    module = models.ForeignKey(ModulePage, on_delete=models.CASCADE, related_name="+", verbose_name="module")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+", verbose_name="promotion")
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="deliverable_assignments",
        verbose_name="formateur·rice",
        limit_choices_to={"role": Role.TRAINER},
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["cohort__name", "module__path"]
        verbose_name = "correcteur·rice des productions écrites"
        verbose_name_plural = "correcteur·rices des productions écrites"
        constraints = [
            models.UniqueConstraint(fields=["module", "cohort", "trainer"], name="reviewer_assignment_once")
        ]

    def __str__(self) -> str:
        return f"{self.trainer} — {self.module.title} · {self.cohort.name}"

    def clean(self):
        super().clean()
        if self.trainer_id and self.trainer.role != Role.TRAINER:
            raise ValidationError(
                {"trainer": "Seul·e un·e formateur·rice peut corriger les productions écrites."}
            )
