"""The markers' emails: each marker is told after the commit, once, under a code when the cohort
marks blind; nothing reaches the learner before the release."""

from __future__ import annotations

import pytest
from django.core import mail

from assessments.marking import services, tasks
from assessments.marking.models import MarkerAssignment
from assessments.memoire.enums import MemoireState
from tests.assessments.marking.factories import grade, scheme
from tests.assessments.memoire.factories import memoire_at
from tests.factories import TrainerFactory

pytestmark = pytest.mark.django_db


def test_each_marker_is_emailed_once_and_blind_cohorts_get_a_code(
    programme, enrolment, pedagogical, django_capture_on_commit_callbacks
):
    scheme(programme)
    services.blind_marking_set(cohort=enrolment.cohort, blind=True, by=pedagogical)
    memoire = memoire_at(enrolment, MemoireState.FINAL_SUBMITTED, team=pedagogical)
    first, second = TrainerFactory(), TrainerFactory()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.markers_assign(memoire=memoire, first=first, second=second, by=pedagogical)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email])
    for message in mail.outbox:
        assert message.subject == tasks.SUBJECT
        assert f"M{memoire.pk:04d}" in message.body
        assert enrolment.user.last_name not in message.body
        assert f"/memoires/{memoire.pk}/grille/" in message.body
    assignment = MarkerAssignment.objects.get(memoire=memoire, marker=first)
    assert tasks.marker_assignment_email_send(assignment_id=assignment.pk) is False
    assert len(mail.outbox) == 2


def test_the_third_marker_is_sent_to_the_reconciliation(
    programme, enrolment, pedagogical, django_capture_on_commit_callbacks
):
    scheme(programme)
    memoire = memoire_at(enrolment, MemoireState.FINAL_SUBMITTED, team=pedagogical)
    first, second, third = TrainerFactory(), TrainerFactory(), TrainerFactory()
    services.markers_assign(memoire=memoire, first=first, second=second, by=pedagogical)
    grade(memoire, first, 8)
    grade(memoire, second, 12)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.third_marker_name(memoire=memoire, marker=third, by=pedagogical)
    (message,) = mail.outbox
    assert message.to == [third.email]
    assert "tiers correcteur·rice" in message.body and "/conciliation/" in message.body
    assert enrolment.user.display_name in message.body
