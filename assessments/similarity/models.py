"""The similarity check's data: each indexed document (a final mémoire or a deliverable's
submission) with its text and its winnowed fingerprints, and one report per mémoire with the share
of its text found elsewhere, the matching passages and the team's decision on the flag."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from assessments.deliverables.models import Submission
from assessments.memoire.models import Memoire, MemoireFinal
from courses.cohorts.models import Enrolment


class SourceKind(models.TextChoices):
    MEMOIRE = "memoire", "Mémoire (version finale)"
    DELIVERABLE = "deliverable", "Production écrite"


class ReportStatus(models.TextChoices):
    PENDING = "pending", "Vérification en cours"
    DONE = "done", "Vérification faite"
    FAILED = "failed", "Vérification échouée"


class FlagState(models.TextChoices):
    NONE = "none", "Pas d'alerte"
    OPEN = "open", "Alerte à examiner"
    CLEARED = "cleared", "Alerte levée"
    CONFIRMED = "confirmed", "Alerte confirmée"


class IndexedDocument(models.Model):
    """The text of one document of the platform, as compared: a final mémoire or one version of a
    deliverable. Built once per source (re-indexing replaces its fingerprints)."""

    kind = models.CharField("type de document", max_length=12, choices=SourceKind.choices)
    memoire_final = models.OneToOneField(
        MemoireFinal, null=True, blank=True, on_delete=models.CASCADE, related_name="indexed_document"
    )
    submission = models.OneToOneField(
        Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="indexed_document"
    )
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="+")
    #: When the source was submitted (the report names a source by its cohort and year).
    submitted_at = models.DateTimeField("déposé le")
    text = models.TextField("texte extrait", blank=True)
    word_count = models.PositiveIntegerField("nombre de mots", default=0)
    fingerprint_count = models.PositiveIntegerField("nombre d'empreintes", default=0)
    indexed_at = models.DateTimeField("indexé le", default=timezone.now)

    class Meta:
        verbose_name = "document indexé"
        verbose_name_plural = "documents indexés"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=SourceKind.MEMOIRE, memoire_final__isnull=False, submission__isnull=True)
                    | Q(kind=SourceKind.DELIVERABLE, submission__isnull=False, memoire_final__isnull=True)
                ),
                name="indexed_document_one_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Fingerprint(models.Model):
    """One winnowed 5-word shingle hash of a document, at the word position where it starts."""

    document = models.ForeignKey(IndexedDocument, on_delete=models.CASCADE, related_name="fingerprints")
    hash = models.BigIntegerField("empreinte")
    position = models.PositiveIntegerField("position (mot)")

    class Meta:
        verbose_name = "empreinte"
        # The check asks « which documents hold these hashes »: the index answers it without
        # reading the table (document and position are in the index, on PostgreSQL).
        indexes = [
            models.Index(fields=["hash"], include=["document", "position"], name="similarity_fp_hash_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.hash} @ {self.position}"


class SimilarityReport(models.Model):
    """The similarity check of one mémoire's final version: pending, done (share and passages) or
    failed (with why); its flag opens when the share reaches the programme's threshold, and only
    the team closes it (clear or confirm, through the mémoire's transitions)."""

    memoire = models.OneToOneField(Memoire, on_delete=models.CASCADE, related_name="similarity_report")
    document = models.ForeignKey(
        IndexedDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        "état de la vérification", max_length=8, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    #: Why the check failed, or why its result needs a person's reading (no readable text).
    reason = models.TextField("motif", blank=True)
    share = models.DecimalField(
        "part retrouvée ailleurs (%)", max_digits=5, decimal_places=1, null=True, blank=True
    )
    threshold = models.PositiveSmallIntegerField("seuil appliqué (%)", null=True, blank=True)
    own_fingerprints = models.PositiveIntegerField("empreintes du mémoire", default=0)
    matched_fingerprints = models.PositiveIntegerField("empreintes retrouvées", default=0)
    #: [{"own": [start, end], "document": id, "other": [start, end], "fingerprints": n}, …] in word
    #: positions, by the mémoire's order.
    passages = models.JSONField("passages concordants", default=list, blank=True)
    #: [{"document": id, "matched": n}, …], the documents sharing the most fingerprints first.
    sources = models.JSONField("documents concordants", default=list, blank=True)
    requested_at = models.DateTimeField("demandée le", default=timezone.now)
    computed_at = models.DateTimeField("établi le", null=True, blank=True)
    flag = models.CharField("alerte", max_length=10, choices=FlagState.choices, default=FlagState.NONE)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    decision_comment = models.TextField("motif de la décision", blank=True)

    class Meta:
        verbose_name = "rapport de similarité"
        verbose_name_plural = "rapports de similarité"
        constraints = [
            models.CheckConstraint(
                condition=Q(share__isnull=True) | (Q(share__gte=0) & Q(share__lte=100)),
                name="similarity_share_bounded",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.DONE) | Q(share__isnull=False, computed_at__isnull=False),
                name="similarity_done_has_share",
            ),
            models.CheckConstraint(
                condition=Q(flag__in=[FlagState.NONE, FlagState.OPEN])
                | Q(decided_by__isnull=False, decided_at__isnull=False),
                name="similarity_decision_has_author",
            ),
        ]
        indexes = [models.Index(fields=["flag", "status"], name="similarity_report_queue_idx")]

    def __str__(self) -> str:
        return f"Similarité — {self.memoire}"

    @property
    def flag_is_open(self) -> bool:
        return self.flag == FlagState.OPEN
