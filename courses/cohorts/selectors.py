"""Reads for the staff spaces; each runs a fixed number of queries."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from courses.cohorts import permissions as cohorts_permissions
from courses.cohorts.models import ElectiveChoice, Enrolment
from lms import permissions


def enrolment_for_user(*, user) -> Enrolment | None:
    """The learner's current enrolment (the most recent), with cohort, region and programme."""
    if not permissions.is_learner(user):
        return None
    return (
        Enrolment.objects.filter(user=user)
        .select_related("cohort__region", "programme")
        .order_by("-created_at")
        .first()
    )


def enrolment_for_page(*, user, page) -> Enrolment | None:
    """The user's enrolment in the programme that holds `page`, if any."""
    if not (user and user.is_authenticated):
        return None
    # Kept on the user object for the request: the permission check and the page context share it.
    if not hasattr(user, "_lms_enrolments"):
        user._lms_enrolments = list(
            Enrolment.objects.filter(user=user).select_related("programme", "cohort__region")
        )
    for enrolment in user._lms_enrolments:
        if page.path.startswith(enrolment.programme.path):
            return enrolment
    return None


def cohort_rows_managed(*, user):
    """The cohorts the user manages, with learner counts, eligible counts and region (one query)."""
    from django.db.models import Count, Q

    return (
        cohorts_permissions.cohorts_managed_by(user)
        .select_related("region")
        .annotate(
            learners=Count("enrolments"),
            eligible=Count(
                "enrolments",
                filter=Q(
                    enrolments__ars_agreement_on__isnull=False,
                    enrolments__employer_agreement_on__isnull=False,
                ),
            ),
        )
        .order_by("closed_at", "region__name", "-start_date")
    )


def learner_enrolment_or_denied(user) -> Enrolment:
    """The learner's own enrolment, for the pages of the learner's path; anyone else, or a learner
    enrolled nowhere, is refused with the reason."""
    if not permissions.is_learner(user):
        raise PermissionDenied("Cet espace est réservé aux apprenant·es.")
    enrolment = enrolment_for_user(user=user)
    if enrolment is None:
        raise PermissionDenied("Vous n'êtes inscrit·e dans aucune promotion.")
    return enrolment


def chosen_option_ids(*, enrolment: Enrolment) -> set[int]:
    return set(ElectiveChoice.objects.filter(enrolment=enrolment).values_list("module_id", flat=True))
