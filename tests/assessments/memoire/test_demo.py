"""The mémoire's demo data: the demo learner in progress with a commented draft, classmates at the
other steps, and nothing added twice when `load_demo` runs again."""

from io import StringIO

import pytest
from django.core.management import call_command

from assessments.memoire.enums import MemoireState
from assessments.memoire.models import DraftComment, Memoire, MemoireEvent
from assessments.soutenance.demo import DEMO_EMAILS as SOUTENANCE_DEMO_EMAILS

pytestmark = pytest.mark.django_db


def test_load_demo_gives_each_step_a_memoire_once():
    call_command("load_demo", stdout=StringIO())
    states = dict(
        Memoire.objects.exclude(enrolment__user__email__in=SOUTENANCE_DEMO_EMAILS).values_list(
            "enrolment__user__email", "state"
        )
    )
    assert states["apprenante@demo.cls.fr"] == MemoireState.IN_PROGRESS
    assert sorted(states.values()) == sorted(
        [
            MemoireState.IN_PROGRESS,
            MemoireState.SUBJECT_PROPOSED,
            MemoireState.SUBJECT_RETURNED,
            MemoireState.SUBJECT_APPROVED,
            MemoireState.FINAL_SUBMITTED,
            MemoireState.MARKING,
            MemoireState.RECONCILIATION,
            MemoireState.MARKED,
            MemoireState.RELEASED,
        ]
    )
    assert DraftComment.objects.filter(
        draft__memoire__enrolment__user__email="apprenante@demo.cls.fr"
    ).exists()
    counts = (Memoire.objects.count(), MemoireEvent.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (Memoire.objects.count(), MemoireEvent.objects.count()) == counts
