"""Who manages which cohort and enrolment, and which modules a learner follows; lists, counts and
exports use the `*_visible_to` / `*_managed_by` querysets so they agree with access by URL."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from courses.catalogue.models import ModulePage
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


def can_follow_module(enrolment: Enrolment, module: ModulePage, chosen_option_ids: set[int]) -> bool:
    """A learner follows every core module of their programme and the options they chose."""
    if not module.path.startswith(enrolment.programme.path):
        return False
    return not module.is_optional or module.pk in chosen_option_ids


def cohort_staff_or_denied(user) -> None:
    """The cohort tools (/gestion/) are for ARS staff and the pedagogical team; others get a 403
    saying so."""
    if not can_manage_cohorts(user):
        raise PermissionDenied("Cet espace est réservé aux référent·es ARS et à l'équipe pédagogique.")


def managed_cohort_or_404(user, cohort_id: int) -> Cohort:
    """A cohort the user manages, by id; another region's cohort is « not found »."""
    cohort_staff_or_denied(user)
    return get_object_or_404(cohorts_managed_by(user).select_related("region"), pk=cohort_id)
