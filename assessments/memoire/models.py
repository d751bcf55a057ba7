"""The mémoire (one per enrolment), its append-only event log, drafts with the tutor's comments,
and the final version with its counted pages."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from assessments.memoire.enums import MemoireKind, MemoireState
from courses.cohorts.models import Enrolment
from lms.text import SingleLineCharField

APPEND_ONLY = "L'historique du mémoire est en ajout seul : il ne se modifie ni ne s'efface."


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove a mémoire event."""


class Memoire(models.Model):
    """A learner's mémoire. Its `state` only changes through `flows.memoire_transition`."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="memoire")
    state = models.CharField(
        "étape", max_length=24, choices=MemoireState.choices, default=MemoireState.NOT_STARTED
    )
    title = SingleLineCharField("titre", max_length=250, blank=True)
    kind = models.CharField("type de mémoire", max_length=16, choices=MemoireKind.choices, blank=True)
    summary = models.TextField("résumé", blank=True)
    cls_name = SingleLineCharField("CLS concerné", max_length=200, blank=True)
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tutored_memoires",
        verbose_name="tuteur·rice",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "mémoire"
        constraints = [
            models.CheckConstraint(condition=Q(state__in=MemoireState.values), name="memoire_state_known"),
            models.CheckConstraint(
                condition=~Q(state="in_progress") | Q(tutor__isnull=False),
                name="memoire_in_progress_has_tutor",
            ),
        ]
        indexes = [models.Index(fields=["state"]), models.Index(fields=["tutor", "state"])]

    def __str__(self) -> str:
        return self.title or f"Mémoire de {self.enrolment.user}"


class MemoireEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(APPEND_ONLY)

    def delete(self):
        raise AppendOnlyError(APPEND_ONLY)


class MemoireEvent(models.Model):
    """One transition of a mémoire: who made it, when, from which state to which, with a comment."""

    memoire = models.ForeignKey(Memoire, on_delete=models.PROTECT, related_name="events")
    transition = models.CharField("transition", max_length=32)
    from_state = models.CharField("de", max_length=24, choices=MemoireState.choices)
    to_state = models.CharField("vers", max_length=24, choices=MemoireState.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField("commentaire", blank=True)

    objects = MemoireEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "étape du mémoire"

    def __str__(self) -> str:
        return f"{self.transition} ({self.from_state} → {self.to_state})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(APPEND_ONLY)


class MemoireDraft(models.Model):
    """One version of a draft, never overwritten: a new upload is a new version."""

    memoire = models.ForeignKey(Memoire, on_delete=models.PROTECT, related_name="drafts")
    version = models.PositiveSmallIntegerField("version")
    file = models.FileField("fichier", upload_to="memoires/brouillons/%Y/")
    file_name = models.CharField("nom du fichier", max_length=255)
    content_type = models.CharField("type du fichier", max_length=100)
    note = models.TextField("note de l'apprenant·e", blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        verbose_name = "brouillon de mémoire"
        constraints = [
            models.UniqueConstraint(fields=["memoire", "version"], name="memoire_draft_version_unique"),
        ]

    def __str__(self) -> str:
        return f"Brouillon {self.version} — {self.memoire}"


class DraftComment(models.Model):
    """The tutor's comment on one draft version."""

    draft = models.ForeignKey(MemoireDraft, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField("commentaire")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "commentaire de brouillon"
        constraints = [models.CheckConstraint(condition=~Q(body=""), name="draft_comment_not_empty")]

    def __str__(self) -> str:
        return f"Commentaire sur {self.draft}"


class MemoireFinal(models.Model):
    """The final version: a PDF whose distinct pages were counted at submission, and an optional
    annexes file that is not counted."""

    memoire = models.OneToOneField(Memoire, on_delete=models.PROTECT, related_name="final")
    file = models.FileField("mémoire (PDF)", upload_to="memoires/finales/%Y/")
    file_name = models.CharField("nom du fichier", max_length=255)
    pages = models.PositiveSmallIntegerField("pages comptées")
    annexes = models.FileField("annexes", upload_to="memoires/annexes/%Y/", blank=True)
    annexes_name = models.CharField("nom des annexes", max_length=255, blank=True)
    annexes_content_type = models.CharField("type des annexes", max_length=100, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "version finale du mémoire"
        constraints = [models.CheckConstraint(condition=Q(pages__gt=0), name="memoire_final_has_pages")]

    def __str__(self) -> str:
        return f"Version finale — {self.memoire}"
