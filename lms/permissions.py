"""Who may see or do what: the one place views, querysets and templates ask.

Each function takes the acting user first and answers for one kind of object; the
`*_visible_to` functions scope querysets so that lists, counts and exports agree with
direct access by URL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from .enums import Role

if TYPE_CHECKING:
    from courses.models import Cohort, Enrolment, LessonPage, ModulePage


def has_role(user, role: str) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role == role)


def is_learner(user) -> bool:
    return has_role(user, Role.LEARNER)


def is_ars_staff(user) -> bool:
    return has_role(user, Role.ARS_STAFF)


def is_trainer(user) -> bool:
    return has_role(user, Role.TRAINER)


def is_pedagogical_team(user) -> bool:
    return has_role(user, Role.PEDAGOGICAL_TEAM) or bool(
        user and user.is_authenticated and user.is_active and user.is_superuser
    )


def can_edit_content(user) -> bool:
    """Only the pedagogical team edits the course, the glossary and the framework in Wagtail."""
    return is_pedagogical_team(user)


def get_abilities(user) -> dict[str, bool]:
    """What the navigation and the personal space offer this user."""
    return {
        "follow_path": is_learner(user),
        "manage_cohorts": is_ars_staff(user) or is_pedagogical_team(user),
        "teach": is_trainer(user) or is_pedagogical_team(user),
        "edit_content": can_edit_content(user),
        "see_sessions": is_ars_staff(user) or is_pedagogical_team(user) or is_trainer(user),
        "manage_providers": can_manage_providers(user),
    }


# --- Course content ------------------------------------------------------------------------------


def can_view_lesson(user, lesson: LessonPage) -> bool:
    """Staff read every lesson; a learner reads the lessons of the programme they are enrolled in."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if is_learner(user):
        from courses.selectors import enrolment_for_page

        return enrolment_for_page(user=user, page=lesson) is not None
    return True


def can_download_document(user, document) -> bool:
    """Documents of the public resource library are open to all; every other document (lesson
    material, anything not published in the library) is for signed-in users only."""
    if user and user.is_authenticated and user.is_active:
        return True
    from content.models import Resource

    return Resource.objects.filter(document=document).exists()


def can_follow_module(enrolment: Enrolment, module: ModulePage, chosen_option_ids: set[int]) -> bool:
    """A learner follows every core module of their programme and the options they chose."""
    if not module.path.startswith(enrolment.programme.path):
        return False
    return not module.is_optional or module.pk in chosen_option_ids


# --- Cohorts and enrolments ----------------------------------------------------------------------


def cohorts_visible_to(user) -> QuerySet[Cohort]:
    from courses.models import Cohort

    if is_pedagogical_team(user) or is_trainer(user):
        return Cohort.objects.all()
    if is_ars_staff(user):
        return Cohort.objects.filter(region__in=user.regions.all())
    return Cohort.objects.none()


def enrolments_visible_to(user) -> QuerySet[Enrolment]:
    from courses.models import Enrolment

    if is_pedagogical_team(user) or is_trainer(user):
        return Enrolment.objects.all()
    if is_ars_staff(user):
        return Enrolment.objects.filter(cohort__region__in=user.regions.all())
    if is_learner(user):
        return Enrolment.objects.filter(user=user)
    return Enrolment.objects.none()


def can_view_enrolment(user, enrolment: Enrolment) -> bool:
    return enrolments_visible_to(user).filter(pk=enrolment.pk).exists()


def regions_managed_by(user):
    """The regions whose cohorts the user may create and manage."""
    from .models import Region

    if is_pedagogical_team(user):
        return Region.objects.all()
    if is_ars_staff(user):
        return user.regions.all()
    return Region.objects.none()


def can_manage_cohort(user, cohort: Cohort) -> bool:
    """Create, edit, close, enrol and export: the pedagogical team, or ARS staff of the cohort's region."""
    if is_pedagogical_team(user):
        return True
    return is_ars_staff(user) and user.regions.filter(pk=cohort.region_id).exists()


def can_manage_enrolment(user, enrolment: Enrolment) -> bool:
    return can_manage_cohort(user, enrolment.cohort)


def cohorts_managed_by(user) -> QuerySet[Cohort]:
    """Cohorts the user may manage: lists and direct URLs both go through this scope."""
    from courses.models import Cohort

    return Cohort.objects.filter(region__in=regions_managed_by(user))


def enrolments_managed_by(user) -> QuerySet[Enrolment]:
    from courses.models import Enrolment

    return Enrolment.objects.filter(cohort__region__in=regions_managed_by(user))


def can_manage_cohorts(user) -> bool:
    """Whether the user has the cohort management space at all."""
    return is_ars_staff(user) or is_pedagogical_team(user)


# --- Training providers, presential sessions and attendance -------------------------------------


def can_manage_providers(user) -> bool:
    """Training providers and their Qualiopi certificates are the pedagogical team's."""
    return is_pedagogical_team(user)


def sessions_visible_to(user):
    """Sessions a user may see: all for the team, their regions' for ARS staff, those they lead
    for trainers, those inviting their cohort for learners."""
    from courses.models import PresentialSession

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
    from courses.models import Enrolment

    return Enrolment.objects.filter(user=user, cohort__sessions=session).select_related("cohort").first()


# --- In-organisation declarations ----------------------------------------------------------------


def declarations_visible_to(user):
    from courses.models import OrganisationDeclaration

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
