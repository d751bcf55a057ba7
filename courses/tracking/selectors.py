"""Reads for the staff spaces; each runs a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count

from courses.catalogue.models import ModulePage
from courses.cohorts import permissions as cohorts_permissions
from courses.sessions import permissions as sessions_permissions
from lms.models import Region


def cohort_rows(*, user):
    """The cohorts the user may see, with their learner counts (one query)."""
    return (
        cohorts_permissions.cohorts_visible_to(user)
        .select_related("region")
        .annotate(learners=Count("enrolments"))
        .order_by("region__name", "-start_date")
    )


def trainer_space(*, user, now=None) -> dict:
    """The programme's modules, the cohorts, and the next sessions the trainer leads (at most 5)."""
    from django.utils import timezone

    now = now or timezone.now()
    sessions = (
        sessions_permissions.sessions_visible_to(user)
        .filter(ends_at__gte=now)
        .select_related("module", "region")
        .order_by("starts_at")[:5]
    )
    return {
        "modules": ModulePage.objects.live().order_by("number", "title"),
        "cohorts": cohort_rows(user=user),
        "next_sessions": sessions,
    }


def pedagogical_space(*, user) -> dict:
    regions = Region.objects.annotate(learners=Count("cohorts__enrolments")).order_by("name")
    return {"regions": regions, "cohorts": cohort_rows(user=user)}
