"""What the mémoire shows on the courses pages: « Mon mémoire » on the learner's dashboard, the
state on the staff enrolment page (never the title), the « Mémoire » column of the cohort progress."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.memoire.enums import MemoireState
from tests.assessments.board.helpers import text
from tests.assessments.memoire.factories import SUBJECT, memoire_at
from tests.factories import EnrolmentFactory

S = MemoireState
pytestmark = pytest.mark.django_db


def test_dashboard_section(client, enrolment, pedagogical):
    """The state as a badge, the next step and the link; « Sujet à proposer » before anything."""
    client.force_login(enrolment.user)
    page = text(client.get(reverse("lms:my_space")))
    assert "Mon mémoire" in page and "Sujet à proposer" in page
    assert "Proposez le sujet de votre mémoire" in page and reverse("memoire:mine") in page
    memoire_at(enrolment, S.SUBJECT_PROPOSED, team=pedagogical)
    page = text(client.get(reverse("lms:my_space")))
    assert 'fr-badge fr-badge--info">Sujet proposé' in page
    assert "Votre sujet attend l'avis de l'équipe pédagogique." in page


def test_enrolment_page_shows_the_state_only(client, enrolment, ars_staff, pedagogical):
    """ARS staff read the state, never the subject's title nor a file link."""
    memoire_at(enrolment, S.IN_PROGRESS, team=pedagogical, drafts=1)
    client.force_login(ars_staff)
    page = text(client.get(reverse("staff:enrolment_detail", args=[enrolment.pk])))
    assert "Étape du mémoire" in page and "En cours de rédaction" in page
    assert SUBJECT["title"] not in page and "/memoires/" not in page


def test_cohort_progress_has_a_memoire_column(client, cohort, ars_staff, pedagogical):
    """One state per learner, « Sujet à proposer » when there is no mémoire yet."""
    proposed = memoire_at(EnrolmentFactory(cohort=cohort), S.SUBJECT_PROPOSED, team=pedagogical)
    EnrolmentFactory(cohort=cohort)
    client.force_login(ars_staff)
    page = text(client.get(reverse("staff:cohort_detail", args=[cohort.pk])))
    assert '<th scope="col">Mémoire</th>' in page
    assert "<td>Sujet proposé</td>" in page and "<td>Sujet à proposer</td>" in page
    assert proposed.title not in page
