"""The marking's demo data: a written rubric and the programme's rules, classmates being marked
(one grid in), in reconciliation (4 points apart), marked and released; nothing added twice."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from assessments.marking.models import AgreedMark, MarkerAssignment
from assessments.memoire.enums import MemoireState
from assessments.memoire.models import Memoire
from assessments.rubrics.models import Grid, MarkingScheme

pytestmark = pytest.mark.django_db


def test_load_demo_marks_classmates_at_each_marking_step_once():
    call_command("load_demo", stdout=StringIO())
    scheme = MarkingScheme.objects.get()
    assert scheme.written_rubric.criteria.count() == 4
    by_state = {
        m.state: m
        for m in Memoire.objects.filter(
            state__in=[
                MemoireState.MARKING,
                MemoireState.RECONCILIATION,
                MemoireState.MARKED,
                MemoireState.RELEASED,
            ]
        )
    }
    assert set(by_state) == {
        MemoireState.MARKING,
        MemoireState.RECONCILIATION,
        MemoireState.MARKED,
        MemoireState.RELEASED,
    }
    assert (
        Grid.objects.filter(
            assignment__memoire=by_state[MemoireState.MARKING], submitted_at__isnull=False
        ).count()
        == 1
    )
    marks = sorted(
        Grid.objects.filter(assignment__memoire=by_state[MemoireState.RECONCILIATION]).values_list(
            "mark", flat=True
        )
    )
    assert marks[1] - marks[0] == 4
    assert AgreedMark.objects.get(memoire=by_state[MemoireState.MARKED]).mark == Decimal(13)
    assert AgreedMark.objects.get(memoire=by_state[MemoireState.RELEASED]).released_at is not None
    counts = (MarkerAssignment.objects.count(), Grid.objects.count(), AgreedMark.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (MarkerAssignment.objects.count(), Grid.objects.count(), AgreedMark.objects.count()) == counts
