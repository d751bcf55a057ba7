"""Who sees, manages and takes attendance at presential sessions; who manages providers."""

from __future__ import annotations

from courses.cohorts.models import Enrolment
from courses.sessions.models import PresentialSession
from lms.permissions import is_ars_staff, is_learner, is_pedagogical_team, is_trainer


def can_manage_providers(user) -> bool:
    """Training providers and their Qualiopi certificates are the pedagogical team's."""
    return is_pedagogical_team(user)


def sessions_visible_to(user):
    """Sessions a user may see: all for the team, their regions' for ARS staff, those they lead
    for trainers, those inviting their cohort for learners."""

    if is_pedagogical_team(user):
        return PresentialSession.objects.all()
    if is_ars_staff(user):
        return PresentialSession.objects.filter(region__in=user.regions.all())
    if is_trainer(user):
        return PresentialSession.objects.filter(trainers=user)
    if is_learner(user):
        return PresentialSession.objects.filter(cohorts__enrolments__user=user).distinct()
    return PresentialSession.objects.none()


def can_manage_session(user, session) -> bool:
    """Schedule, edit, invite cohorts, confirm attendance: the team, or ARS staff of the region."""
    if is_pedagogical_team(user):
        return True
    return is_ars_staff(user) and user.regions.filter(pk=session.region_id).exists()


def can_take_attendance(user, session) -> bool:
    """Mark attendance: session managers and the session's own trainers."""
    if can_manage_session(user, session):
        return True
    return is_trainer(user) and session.trainers.filter(pk=user.pk).exists()


def invited_enrolment(user, session):
    """The learner's enrolment in one of the session's invited cohorts, or None."""
    if not is_learner(user):
        return None

    return Enrolment.objects.filter(user=user, cohort__sessions=session).select_related("cohort").first()
