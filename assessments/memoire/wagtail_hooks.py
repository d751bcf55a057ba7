"""What the mémoire room adds to the courses pages through their hooks: « Mon mémoire » on the
learner's dashboard, the mémoire's state on the staff enrolment page and in the cohort progress
table. Staff see the state only: never the title, the files or the marks (ARS staff especially)."""

from django.template.loader import render_to_string
from wagtail import hooks

from assessments.memoire import permissions, selectors
from assessments.memoire.enums import NEXT_STEP, state_badge

FOLLOW_UP = "Suivez l'avancement et l'historique de votre mémoire dans « Mon mémoire »."


@hooks.register("courses_learner_dashboard_sections")
def learner_dashboard_section(*, request, enrolment) -> str:
    """The learner's own mémoire: its state as a badge, what comes next, the link. One query."""
    state = permissions.state_shown_to(request.user, selectors.memoire_state_for(enrolment=enrolment))
    return render_to_string(
        "assessments/memoire/_dashboard_section.html",
        {"state": state, "badge": state_badge(state), "next_step": NEXT_STEP.get(state, FOLLOW_UP)},
        request=request,
    )


@hooks.register("courses_enrolment_detail_sections")
def enrolment_detail_section(*, request, enrolment) -> str:
    """The state only (as `permissions.state_shown_to`). One query."""
    state = permissions.state_shown_to(request.user, selectors.memoire_state_for(enrolment=enrolment))
    return render_to_string(
        "assessments/memoire/_enrolment_section.html",
        {"state": state, "badge": state_badge(state)},
        request=request,
    )


@hooks.register("courses_cohort_progress_columns")
def cohort_progress_column(*, request, cohort) -> dict:
    """The « Mémoire » column: each enrolment's state label. One query for the whole cohort."""
    states = selectors.memoire_states_for_cohort(cohort=cohort)
    return {
        "label": "Mémoire",
        "cells": {pk: permissions.state_shown_to(request.user, state).label for pk, state in states.items()},
    }
