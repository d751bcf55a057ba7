"""The check on PostgreSQL: the final version's signal fires on a real commit, the task runs
(Celery eager) and writes the report; and the check of an 8,000-word mémoire against many
documents stays fast (three queries, the covering index on the hashes)."""

from __future__ import annotations

import pytest
from django.db import connection

from assessments.similarity import bench
from assessments.similarity.models import FlagState, ReportStatus, SimilarityReport
from tests.assessments.similarity.factories import final_with_text, prose
from tests.courses.test_concurrency import _require_postgresql
from tests.factories import (
    CohortFactory,
    EnrolmentFactory,
    PedagogicalFactory,
    RegionFactory,
    build_programme,
    ensure_wagtail_base_rows,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module", autouse=True)
def _wagtail_base_rows_restored(django_db_blocker):
    """Put back the rows Wagtail's migrations create after the flush that ends this module."""
    _require_postgresql()
    yield
    with django_db_blocker.unblock():
        ensure_wagtail_base_rows()


@pytest.fixture
def cohort():
    ensure_wagtail_base_rows()
    programme = build_programme(core=1, lessons_per_module=1, options=())
    return CohortFactory(programme=programme, region=RegionFactory(name="Bretagne", slug="bretagne"))


def test_the_check_runs_on_commit_and_flags_the_copy(cohort):
    """Committed for real: the signal queues the task, which writes the report and opens the flag."""
    team = PedagogicalFactory()
    copied = prose(300, seed=31)
    final_with_text(EnrolmentFactory(cohort=cohort), copied, team=team)
    memoire = final_with_text(EnrolmentFactory(cohort=cohort), prose(400, seed=32) + " " + copied, team=team)
    report = SimilarityReport.objects.get(memoire=memoire)
    assert report.status == ReportStatus.DONE
    assert report.flag == FlagState.OPEN and report.share > 25
    assert report.passages and report.sources


def test_a_20_page_memoire_is_checked_against_200_documents_quickly(cohort):
    """200 documents of 8,000 words (about 640,000 fingerprints): one check takes well under a
    second, and the hash lookup uses the index."""
    bench.seed_documents(200, words=8000, enrolment=EnrolmentFactory(cohort=cohort))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE assessments_fingerprint")
    seconds = bench.time_check(8000, repeat=2)
    print(f"similarity check, 8,000 words against 200 documents: {seconds:.3f} s")
    assert seconds < 1.0, f"{seconds:.3f} s"
    comparison = bench.check_once(bench.probe_text(8000))
    first_three = bench.IndexedDocument.objects.order_by("pk").values_list("pk", flat=True)[:3]
    assert {source["document"] for source in comparison.sources[:3]} == set(first_three)
