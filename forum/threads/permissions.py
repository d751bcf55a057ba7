"""Who may read, post in and moderate a forum space: one decision (space_access) and the
querysets derived from the same rule, built on the role predicates of lms.permissions."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from courses.catalogue.models import ModulePage
from courses.cohorts.models import Cohort, ElectiveChoice, Enrolment
from courses.enums import ModuleKind
from forum.enums import SpaceKind
from forum.threads.models import Space
from lms.enums import Role
from lms.models import User
from lms.permissions import is_ars_staff, is_learner, is_pedagogical_team, is_trainer


@dataclass(frozen=True)
class SpaceAccess:
    read: bool = False
    post: bool = False
    moderate: bool = False


def space_access(user, space) -> SpaceAccess:
    """The one decision on a forum space, used for lists, counts, search results, notifications
    and direct URLs alike. Reading is derived from spaces_readable_by for every role, so the object
    rule and the lists cannot disagree; whoever reads a space posts in it; trainers and the
    pedagogical team also moderate (can_animate_forum)."""
    if not spaces_readable_by(user).filter(pk=space.pk).exists():
        return SpaceAccess()
    return SpaceAccess(read=True, post=True, moderate=can_animate_forum(user))


def spaces_readable_by(user):
    """The spaces the user may read, as one queryset: the forum's read rule, from which
    space_access is derived.

    - the pedagogical team and trainers read everywhere;
    - a learner reads their programme's general space, the spaces of the modules they follow
      (core modules and their two options) and their own cohort's space;
    - ARS staff read the general space and their regions' cohort spaces."""
    if not (user and user.is_authenticated and user.is_active):
        return Space.objects.none()
    if is_pedagogical_team(user) or is_trainer(user):
        return Space.objects.all()
    if is_ars_staff(user):
        return Space.objects.filter(
            Q(kind=SpaceKind.GENERAL) | Q(kind=SpaceKind.COHORT, cohort__region__in=user.regions.all())
        )
    if is_learner(user):
        enrolments = Enrolment.objects.filter(user=user)
        chosen = ElectiveChoice.objects.filter(enrolment__in=enrolments).values("module_id")
        return Space.objects.filter(
            Q(kind=SpaceKind.GENERAL, programme__in=enrolments.values("programme_id"))
            | Q(kind=SpaceKind.COHORT, cohort__in=enrolments.values("cohort_id"))
            | Q(
                kind=SpaceKind.MODULE,
                programme__in=enrolments.values("programme_id"),
                module__kind=ModuleKind.CORE,
            )
            | Q(kind=SpaceKind.MODULE, module__in=chosen)
        )
    return Space.objects.none()


def can_animate_forum(user) -> bool:
    """Trainers and the pedagogical team moderate and animate the forum (reports, unanswered
    questions, answer times)."""
    return bool(user and user.is_authenticated and user.is_active) and (
        is_pedagogical_team(user) or is_trainer(user)
    )


def spaces_moderated_by(user):
    """The spaces where space_access(user, space).moderate, as one queryset (same rule)."""
    return Space.objects.all() if can_animate_forum(user) else Space.objects.none()


def space_readers(space) -> QuerySet:
    """The active users who may read `space`, as one queryset: the same rule as space_access,
    written for a whole set of users so that notifying a thousand followers costs the same number
    of queries as notifying one (tests/forum/test_notifications.py checks that the two agree for
    every role and kind of space)."""

    staff = Q(role__in=[Role.TRAINER, Role.PEDAGOGICAL_TEAM]) | Q(is_superuser=True)
    enrolled = Enrolment.objects.filter(user=OuterRef("pk"))
    if space.kind == SpaceKind.GENERAL:
        ars = Q(role=Role.ARS_STAFF)
        learner = Q(Exists(enrolled.filter(programme_id=space.programme_id)))
    elif space.kind == SpaceKind.COHORT:
        ars = Q(role=Role.ARS_STAFF) & Q(
            Exists(Cohort.objects.filter(pk=space.cohort_id, region__staff=OuterRef("pk")))
        )
        learner = Q(Exists(enrolled.filter(cohort_id=space.cohort_id)))
    else:
        ars = Q(pk__in=[])
        core = ModulePage.objects.filter(pk=space.module_id, kind=ModuleKind.CORE)
        learner = Q(Exists(core) & Exists(enrolled.filter(programme_id=space.programme_id))) | Q(
            Exists(ElectiveChoice.objects.filter(enrolment__user=OuterRef("pk"), module_id=space.module_id))
        )
    return User.objects.filter(is_active=True).filter(staff | ars | (Q(role=Role.LEARNER) & learner))
