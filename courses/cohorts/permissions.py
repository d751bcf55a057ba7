from __future__ import annotations

from django.db.models import QuerySet

from courses.cohorts.models import Cohort, Enrolment
from lms.permissions import is_ars_staff, is_learner, is_pedagogical_team, is_trainer, regions_managed_by


def cohorts_visible_to(user) -> QuerySet[Cohort]:

    if is_pedagogical_team(user) or is_trainer(user):
        return Cohort.objects.all()
    if is_ars_staff(user):
        return Cohort.objects.filter(region__in=user.regions.all())
    return Cohort.objects.none()


def enrolments_visible_to(user) -> QuerySet[Enrolment]:

    if is_pedagogical_team(user) or is_trainer(user):
        return Enrolment.objects.all()
    if is_ars_staff(user):
        return Enrolment.objects.filter(cohort__region__in=user.regions.all())
    if is_learner(user):
        return Enrolment.objects.filter(user=user)
    return Enrolment.objects.none()


def can_view_enrolment(user, enrolment: Enrolment) -> bool:
    return enrolments_visible_to(user).filter(pk=enrolment.pk).exists()


def can_manage_cohort(user, cohort: Cohort) -> bool:
    """Create, edit, close, enrol and export: the pedagogical team, or ARS staff of the cohort's region."""
    if is_pedagogical_team(user):
        return True
    return is_ars_staff(user) and user.regions.filter(pk=cohort.region_id).exists()


def can_manage_enrolment(user, enrolment: Enrolment) -> bool:
    return can_manage_cohort(user, enrolment.cohort)


def cohorts_managed_by(user) -> QuerySet[Cohort]:
    """Cohorts the user may manage: lists and direct URLs both go through this scope."""

    return Cohort.objects.filter(region__in=regions_managed_by(user))


def enrolments_managed_by(user) -> QuerySet[Enrolment]:

    return Enrolment.objects.filter(cohort__region__in=regions_managed_by(user))


def can_manage_cohorts(user) -> bool:
    """Whether the user has the cohort management space at all."""
    return is_ars_staff(user) or is_pedagogical_team(user)
