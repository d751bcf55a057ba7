"""The similarity pages run a fixed number of queries, whatever the number of flags, of passages
and of other documents."""

from __future__ import annotations

import pytest
from django.utils import timezone

from assessments.marking.models import MarkerAssignment, MarkerRole
from assessments.memoire.enums import MemoireState
from assessments.similarity import services
from assessments.similarity.models import FlagState, ReportStatus, SimilarityReport
from tests.assessments.memoire.factories import memoire_at
from tests.assessments.similarity.factories import final_with_text, prose, submission_with_text
from tests.factories import EnrolmentFactory, TrainerFactory

pytestmark = pytest.mark.django_db

FLAGS_QUERIES = 6
#: The team's page takes 6 queries whatever the number of passages and documents; a marker's, one
#: more (is_marker).
REPORT_QUERIES = 7


@pytest.mark.parametrize("size", [3, 30])
def test_flags(client, cohort, pedagogical, size, django_assert_max_num_queries):
    for number in range(size):
        memoire = memoire_at(EnrolmentFactory(cohort=cohort), MemoireState.IN_PROGRESS, team=pedagogical)
        SimilarityReport.objects.create(
            memoire=memoire,
            status=ReportStatus.DONE,
            share=30 + number % 10,
            threshold=25,
            computed_at=timezone.now(),
            flag=FlagState.OPEN if number % 3 else FlagState.CLEARED,
            decided_by=None if number % 3 else pedagogical,
            decided_at=None if number % 3 else timezone.now(),
        )
    client.force_login(pedagogical)
    for queue in ("a-examiner", "decidees", "echecs"):
        with django_assert_max_num_queries(FLAGS_QUERIES):
            assert client.get("/gestion/similarite/", {"vue": queue}).status_code == 200


@pytest.mark.parametrize("sources", [1, 8])
def test_report(client, cohort, enrolment, modules, pedagogical, sources, django_assert_max_num_queries):
    paragraphs = [prose(80, seed=100 + n) for n in range(sources)]
    for paragraph in paragraphs:
        other = submission_with_text(EnrolmentFactory(cohort=cohort), paragraph, module=modules[0])
        services.submission_index(submission=other)
    memoire = final_with_text(enrolment, " ".join([prose(200, seed=7), *paragraphs]), team=pedagogical)
    report = services.similarity_check_run(memoire_id=memoire.pk)
    assert len(report.sources) == sources
    marker = TrainerFactory()
    MarkerAssignment.objects.create(
        memoire=memoire, marker=marker, role=MarkerRole.FIRST, assigned_by=pedagogical
    )
    for user in (pedagogical, marker):
        client.force_login(user)
        with django_assert_max_num_queries(REPORT_QUERIES):
            response = client.get(f"/memoires/{memoire.pk}/similarite/")
        assert response.status_code == 200 and response.content.decode().count("<mark>") >= sources
