"""Reads for the staff spaces; each runs a fixed number of queries."""

from django.db.models import Count

from . import permissions
from .models import Region


def cohort_rows(*, user):
    """The cohorts the user may see, with their learner counts (one query)."""
    return (
        permissions.cohorts_visible_to(user)
        .select_related("region")
        .annotate(learners=Count("enrolments"))
        .order_by("region__name", "-start_date")
    )


def trainer_space(*, user) -> dict:
    from courses.models import ModulePage

    return {
        "modules": ModulePage.objects.live().order_by("number", "title"),
        "cohorts": cohort_rows(user=user),
    }


def pedagogical_space(*, user) -> dict:
    regions = Region.objects.annotate(learners=Count("cohorts__enrolments")).order_by("name")
    return {"regions": regions, "cohorts": cohort_rows(user=user)}
