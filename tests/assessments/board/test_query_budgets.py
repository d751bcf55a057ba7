"""Query budgets of the team's board (page, CSV and XLSX exports) at 20 and 500 mémoires, and of
the grouped « À corriger » at two sizes: the count must not grow."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.deliverables.models import Submission
from assessments.marking.models import AgreedMark, AgreedMarkRule, MarkerAssignment, MarkerRole
from assessments.memoire.enums import MemoireState
from assessments.memoire.models import Memoire, MemoireDraft, MemoireFinal
from courses.cohorts.models import Enrolment
from lms.models import User
from tests.assessments.deliverables.factories import AssignmentFactory, DeliverableFactory
from tests.factories import CohortFactory, TrainerFactory

S = MemoireState
STATES = [S.NOT_STARTED, S.SUBJECT_APPROVED, S.IN_PROGRESS, S.MARKING, S.RELEASED]
#: The page: session, user, the chosen cohort, the count, the rows, their markers, the counts per
#: state, the mémoires awaiting a tutor, the menu's forum notices, the cohort / region / tutor
#: filter lists. The exports: session, user, the chosen cohort, the rows, their markers (per chunk
#: of 1,000 rows).
BOARD_BUDGET = {"page": 12, "csv": 6, "xlsx": 6}
#: session, user, two queries (list, count) for each of the four sections, the menu.
QUEUE_BUDGET = 12


def _board_world(programme, region, size: int, tag: str):
    cohort = CohortFactory(programme=programme, region=region, name=f"Promo {tag}", capacity=1000)
    tutor, first, second = TrainerFactory(), TrainerFactory(), TrainerFactory()
    team = User.objects.filter(role="pedagogical_team").first() or TrainerFactory()
    users = User.objects.bulk_create(
        User(email=f"{tag}-{i}@exemple.fr", first_name=f"P{i}", last_name=f"N{i}") for i in range(size)
    )
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(user=u, cohort=cohort, programme_id=programme.pk) for u in users
    )
    memoires = Memoire.objects.bulk_create(
        Memoire(
            enrolment=e,
            state=STATES[i % len(STATES)],
            title=f"Sujet {i}",
            kind="practice",
            cls_name="CLS",
            tutor=tutor if STATES[i % len(STATES)] in (S.IN_PROGRESS, S.MARKING, S.RELEASED) else None,
        )
        for i, e in enumerate(enrolments)
    )
    marked = [m for m in memoires if m.state in (S.MARKING, S.RELEASED)]
    MarkerAssignment.objects.bulk_create(
        MarkerAssignment(memoire=m, marker=marker, role=role, assigned_by=team)
        for m in marked
        for marker, role in ((first, MarkerRole.FIRST), (second, MarkerRole.SECOND))
    )
    AgreedMark.objects.bulk_create(
        AgreedMark(
            memoire=m,
            mark=Decimal("12.5"),
            rule=AgreedMarkRule.AVERAGE,
            released_at=timezone.now(),
            released_by=team,
        )
        for m in marked
        if m.state == S.RELEASED
    )
    return cohort


def _count(client, url, *, streaming=False) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200
        if streaming:
            b"".join(response.streaming_content)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("kind", sorted(BOARD_BUDGET))
def test_board_query_count_is_flat(client, programme, region, pedagogical, kind):
    """The board page and its exports run as many queries for 500 mémoires as for 20."""
    client.force_login(pedagogical)
    counts = []
    for size, tag in ((20, "petite"), (500, "grande")):
        cohort = _board_world(programme, region, size, tag)
        url = {
            "page": f"/gestion/memoires/?cohort={cohort.pk}",
            "csv": f"/gestion/memoires/export.csv?cohort={cohort.pk}",
            "xlsx": f"/gestion/memoires/export.xlsx?cohort={cohort.pk}",
        }[kind]
        counts.append(_count(client, url, streaming=kind == "csv"))
    assert counts[0] == counts[1], counts
    assert counts[1] <= BOARD_BUDGET[kind], counts


def _queue_world(modules, cohort, trainer, size: int, tag: str):
    deliverable = DeliverableFactory(module=modules[0])
    AssignmentFactory(module=modules[0], cohort=cohort, trainer=trainer)
    users = User.objects.bulk_create(
        User(email=f"q{tag}-{i}@exemple.fr", first_name=f"Q{i}", last_name=f"N{i}") for i in range(size * 4)
    )
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(user=u, cohort=cohort, programme_id=cohort.programme_id) for u in users
    )
    Submission.objects.bulk_create(
        Submission(
            deliverable=deliverable,
            enrolment=e,
            version=1,
            file="deliverables/x.pdf",
            original_name="x.pdf",
            content_type="application/pdf",
            submitted_at=timezone.now() - timedelta(hours=i),
        )
        for i, e in enumerate(enrolments[:size])
    )
    in_progress = Memoire.objects.bulk_create(
        Memoire(enrolment=e, state=S.IN_PROGRESS, tutor=trainer) for e in enrolments[size : 2 * size]
    )
    MemoireDraft.objects.bulk_create(
        MemoireDraft(memoire=m, version=1, file="m/d.pdf", file_name="d.pdf", content_type="application/pdf")
        for m in in_progress
    )
    marking = Memoire.objects.bulk_create(
        Memoire(enrolment=e, state=S.MARKING) for e in enrolments[2 * size : 3 * size]
    )
    MemoireFinal.objects.bulk_create(
        MemoireFinal(memoire=m, file="m/f.pdf", file_name="f.pdf", pages=15) for m in marking
    )
    reconciling = Memoire.objects.bulk_create(
        Memoire(enrolment=e, state=S.RECONCILIATION) for e in enrolments[3 * size :]
    )
    MarkerAssignment.objects.bulk_create(
        MarkerAssignment(memoire=m, marker=trainer, role=MarkerRole.FIRST, assigned_by=trainer)
        for m in marking + reconciling
    )


@pytest.mark.parametrize("sizes", [(2, 30)])
def test_grouped_queue_query_count_is_flat(client, modules, programme, region, sizes):
    """The grouped « À corriger » runs as many queries with 30 items per section as with 2."""
    counts = []
    for size in sizes:
        trainer = TrainerFactory()
        cohort = CohortFactory(programme=programme, region=region, name=f"Queue {size}", capacity=1000)
        _queue_world(modules, cohort, trainer, size, str(size))
        client.force_login(trainer)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/gestion/a-corriger/")
        assert response.status_code == 200
        assert f"Mémoires à corriger ({size})" in response.content.decode()
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= QUEUE_BUDGET, counts


#: session, user, the rows, their count, the trainers (one list for every row's select), the menu.
TUTORS_BUDGET = 7
#: session, user, the cohort filter, the rows, their count, the form's cohort, module and trainer
#: lists, the menu.
REVIEWERS_BUDGET = 10


def test_tutor_and_reviewer_screens_query_count_is_flat(client, programme, modules, region, pedagogical):
    """The tutor assignment screen and the reviewer screen run as many queries with 60 rows as with 3."""
    client.force_login(pedagogical)
    counts = {"tutors": [], "reviewers": []}
    for size, tag in ((3, "s"), (60, "l")):
        cohort = CohortFactory(programme=programme, region=region, name=f"Assign {tag}", capacity=1000)
        users = User.objects.bulk_create(
            User(email=f"a{tag}-{i}@exemple.fr", first_name=f"A{i}", last_name=f"N{i}") for i in range(size)
        )
        enrolments = Enrolment.objects.bulk_create(
            Enrolment(user=u, cohort=cohort, programme_id=programme.pk) for u in users
        )
        Memoire.objects.bulk_create(
            Memoire(enrolment=e, state=S.SUBJECT_APPROVED, title=f"Sujet {i}")
            for i, e in enumerate(enrolments)
        )
        trainers = [TrainerFactory() for _ in range(3)]
        # At most 21 distinct (module, trainer) pairs: 7 modules × 3 trainers.
        for i in range(min(size, 21)):
            AssignmentFactory(module=modules[i % 7], cohort=cohort, trainer=trainers[i % 3])
        counts["tutors"].append(_count(client, "/gestion/memoires/tuteurs/"))
        counts["reviewers"].append(_count(client, f"/gestion/correcteurs/?cohort={cohort.pk}"))
    assert counts["tutors"][0] == counts["tutors"][1] <= TUTORS_BUDGET, counts
    assert counts["reviewers"][0] == counts["reviewers"][1] <= REVIEWERS_BUDGET, counts
