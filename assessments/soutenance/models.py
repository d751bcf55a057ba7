"""The soutenance (oral defence): juries of trainers for a cohort, the slots the team opens, the
learners' bookings (the database holds one booking per slot and one active booking per mémoire),
each member's declaration of no conflict of interest and oral grid, and the signed procès-verbal,
which never changes (a correction is a new PV that supersedes it)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from assessments.memoire.models import Memoire
from assessments.rubrics.models import Grid
from assessments.soutenance.enums import PvResult
from courses.cohorts.models import Cohort
from lms.text import SingleLineCharField

PV_SIGNED = "Un procès-verbal signé ne se modifie ni ne s'efface : établissez un procès-verbal rectificatif."


class SignedPvError(Exception):
    """Raised on any attempt to change or remove a signed procès-verbal."""


class Jury(models.Model):
    """A soutenance jury of one cohort: a president and at least one other member, all trainers."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="juries", verbose_name="promotion"
    )
    name = SingleLineCharField("nom", max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cohort__name", "name", "pk"]
        verbose_name = "jury de soutenance"
        verbose_name_plural = "jurys de soutenance"

    def __str__(self) -> str:
        return self.name


class JuryMember(models.Model):
    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="members")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jury_seats", verbose_name="membre"
    )
    is_president = models.BooleanField("président·e", default=False)

    class Meta:
        ordering = ["-is_president", "member__last_name", "member__first_name", "pk"]
        verbose_name = "membre du jury"
        verbose_name_plural = "membres du jury"
        constraints = [
            models.UniqueConstraint(fields=["jury", "member"], name="jury_member_once"),
            models.UniqueConstraint(
                fields=["jury"], condition=Q(is_president=True), name="jury_one_president"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} ({'président·e' if self.is_president else 'membre'})"


class Slot(models.Model):
    """A soutenance slot of a jury. Times are stored in UTC and entered and shown in the region's
    time zone (the cohort's region)."""

    jury = models.ForeignKey(Jury, on_delete=models.PROTECT, related_name="slots")
    starts_at = models.DateTimeField("début")
    duration_minutes = models.PositiveSmallIntegerField("durée (minutes)", default=45)
    place = SingleLineCharField("lieu", max_length=250, blank=True)
    video_link = models.URLField("lien de visioconférence", blank=True)
    change_deadline = models.DateTimeField("réservation modifiable jusqu'au")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = "créneau de soutenance"
        verbose_name_plural = "créneaux de soutenance"
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gte=10), name="slot_duration_min"),
            models.CheckConstraint(
                condition=Q(change_deadline__lte=models.F("starts_at")), name="slot_deadline_before_start"
            ),
            models.CheckConstraint(condition=~Q(place="") | ~Q(video_link=""), name="slot_has_place"),
        ]

    def __str__(self) -> str:
        return f"{self.jury} — {self.starts_at:%Y-%m-%d %H:%M} UTC"

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)


class BookingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(cancelled_at__isnull=True)


class Booking(models.Model):
    """A learner's booking of a slot for their mémoire. A change cancels it and creates another;
    the database holds at most one active booking per slot and per mémoire."""

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    memoire = models.ForeignKey(Memoire, on_delete=models.PROTECT, related_name="soutenance_bookings")
    booked_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    invitations_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["slot__starts_at", "pk"]
        verbose_name = "réservation de soutenance"
        verbose_name_plural = "réservations de soutenance"
        constraints = [
            models.UniqueConstraint(
                fields=["slot"], condition=Q(cancelled_at__isnull=True), name="booking_one_per_slot"
            ),
            models.UniqueConstraint(
                fields=["memoire"], condition=Q(cancelled_at__isnull=True), name="booking_one_per_memoire"
            ),
        ]

    def __str__(self) -> str:
        return f"Soutenance — {self.memoire}"


class ConflictDeclaration(models.Model):
    """A jury member declares, for one mémoire they hear, that they have no conflict of interest."""

    memoire = models.ForeignKey(Memoire, on_delete=models.PROTECT, related_name="conflict_declarations")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "déclaration d'absence de conflit d'intérêts"
        verbose_name_plural = "déclarations d'absence de conflit d'intérêts"
        constraints = [models.UniqueConstraint(fields=["memoire", "member"], name="conflict_declared_once")]

    def __str__(self) -> str:
        return f"Absence de conflit d'intérêts — {self.member} — {self.memoire}"


class OralGrid(models.Model):
    """A jury member's oral grid for one mémoire (a rubrics Grid, sealed once submitted)."""

    memoire = models.ForeignKey(Memoire, on_delete=models.PROTECT, related_name="oral_grids")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    grid = models.OneToOneField(Grid, on_delete=models.PROTECT, related_name="oral_for")

    class Meta:
        verbose_name = "grille de soutenance"
        verbose_name_plural = "grilles de soutenance"
        constraints = [models.UniqueConstraint(fields=["memoire", "member"], name="oral_grid_once")]

    def __str__(self) -> str:
        return f"Grille de soutenance — {self.member} — {self.memoire}"


class ProcesVerbalQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise SignedPvError(PV_SIGNED)

    def delete(self):
        raise SignedPvError(PV_SIGNED)

    def current(self):
        """The PVs no later PV supersedes."""
        return self.filter(superseded_by__isnull=True)


class ProcesVerbal(models.Model):
    """The signed procès-verbal of a soutenance, written once at signing with its PDF: never
    changed nor deleted (the model refuses; on PostgreSQL a trigger too). A correction is a new PV
    whose `supersedes` names the one it replaces."""

    memoire = models.ForeignKey(Memoire, on_delete=models.PROTECT, related_name="pvs")
    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="pvs")
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    result = models.CharField("résultat", max_length=10, choices=PvResult.choices)
    corrections = models.TextField("corrections demandées", blank=True, max_length=5000)
    new_deadline = models.DateField("nouvelle échéance", null=True, blank=True)
    correction_reason = models.TextField("motif de la rectification", blank=True, max_length=2000)
    written_mark = models.DecimalField("note de l'écrit", max_digits=4, decimal_places=2)
    oral_mark = models.DecimalField("note de l'oral", max_digits=4, decimal_places=2)
    final_mark = models.DecimalField("note finale", max_digits=4, decimal_places=2)
    written_weight = models.PositiveSmallIntegerField("poids de l'écrit")
    oral_weight = models.PositiveSmallIntegerField("poids de l'oral")
    jury_text = models.TextField("composition du jury")
    president = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="président·e"
    )
    signature_png = models.BinaryField("signature")
    pdf = models.BinaryField("PDF signé")
    signed_at = models.DateTimeField("signé le", default=timezone.now)

    objects = ProcesVerbalQuerySet.as_manager()

    class Meta:
        ordering = ["signed_at", "pk"]
        verbose_name = "procès-verbal de soutenance"
        verbose_name_plural = "procès-verbaux de soutenance"
        constraints = [
            models.UniqueConstraint(
                fields=["memoire"], condition=Q(supersedes__isnull=True), name="pv_first_once_per_memoire"
            ),
            models.CheckConstraint(
                condition=~Q(result=PvResult.ADJOURNED)
                | (Q(new_deadline__isnull=False) & ~Q(corrections="")),
                name="pv_adjourned_has_corrections",
            ),
        ]

    def __str__(self) -> str:
        return f"Procès-verbal — {self.memoire}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise SignedPvError(PV_SIGNED)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SignedPvError(PV_SIGNED)
