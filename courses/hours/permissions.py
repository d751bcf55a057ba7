"""Who sees and reviews in-organisation declarations."""

from __future__ import annotations

from courses.hours.models import OrganisationDeclaration
from lms.permissions import is_ars_staff, is_learner, is_pedagogical_team


def declarations_visible_to(user):

    if is_pedagogical_team(user):
        return OrganisationDeclaration.objects.all()
    if is_ars_staff(user):
        return OrganisationDeclaration.objects.filter(enrolment__cohort__region__in=user.regions.all())
    if is_learner(user):
        return OrganisationDeclaration.objects.filter(enrolment__user=user)
    return OrganisationDeclaration.objects.none()


def can_review_declaration(user, declaration) -> bool:
    """Validate or refuse: ARS staff of the learner's region, or the team."""
    if is_pedagogical_team(user):
        return True
    return is_ars_staff(user) and user.regions.filter(pk=declaration.enrolment.cohort.region_id).exists()
