"""What the mémoire room adds to the courses pages through their hooks: « Mon mémoire » on the
learner's dashboard, the mémoire's state on the staff enrolment page and in the cohort progress
table. Staff see the state only: never the title, the files or the marks (ARS staff especially)."""

from django.template.loader import render_to_string
from wagtail import hooks

from assessments.memoire import selectors
from assessments.memoire.enums import LEARNER_STATE, NEXT_STEP, MemoireState, state_badge
from lms.permissions import is_pedagogical_team


def _shown(state: str, user) -> MemoireState:
    """The state as this viewer may read it: only the team sees a reconciliation or a mark waiting
    to be released; the learner and ARS staff read « en correction »."""
    return MemoireState(state if is_pedagogical_team(user) else LEARNER_STATE.get(state, state))


FOLLOW_UP = "Suivez l'avancement et l'historique de votre mémoire dans « Mon mémoire »."


@hooks.register("courses_learner_dashboard_sections")
def learner_dashboard_section(*, request, enrolment) -> str:
    """The learner's own mémoire: its state as a badge, what comes next, the link. One query."""
    state = _shown(selectors.memoire_state_for(enrolment=enrolment), request.user)
    return render_to_string(
        "assessments/memoire/_dashboard_section.html",
        {"state": state, "badge": state_badge(state), "next_step": NEXT_STEP.get(state, FOLLOW_UP)},
        request=request,
    )


@hooks.register("courses_enrolment_detail_sections")
def enrolment_detail_section(*, request, enrolment) -> str:
    """The state only (as `_shown`). One query."""
    state = _shown(selectors.memoire_state_for(enrolment=enrolment), request.user)
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
        "cells": {pk: _shown(state, request.user).label for pk, state in states.items()},
    }
