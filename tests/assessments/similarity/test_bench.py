"""The bench's similarity helpers run: seeding synthetic documents with their fingerprints and
timing one check that finds the copied paragraphs."""

from __future__ import annotations

import pytest

from assessments.similarity import bench
from assessments.similarity.models import Fingerprint, IndexedDocument

pytestmark = pytest.mark.django_db


def test_seed_documents_and_time_check(enrolment):
    """Five 600-word documents are seeded with their fingerprints; a check of a mémoire copying
    three of them finds them and is timed."""
    ids = bench.seed_documents(5, words=600, enrolment=enrolment)
    assert len(ids) == 5 == IndexedDocument.objects.filter(pk__in=ids).count()
    assert (
        Fingerprint.objects.filter(document_id__in=ids).count()
        == sum(IndexedDocument.objects.filter(pk__in=ids).values_list("fingerprint_count", flat=True))
        > 5 * 150
    )
    comparison = bench.check_once(bench.probe_text(600))
    # The three copied paragraphs come first; the field's common phrases may add others after them.
    assert {source["document"] for source in comparison.sources[:3]} == set(ids[:3])
    assert 0 < comparison.share < 50
    seconds = bench.time_check(600, repeat=1)
    assert 0 < seconds < 5
    assert bench.seed_documents(2, words=100, enrolment=enrolment)[0] > ids[-1]


def test_wording_common_to_many_documents_is_left_out(enrolment, monkeypatch):
    """The field's phrases every seeded document repeats are left out once found in more than
    COMMON_DOCUMENTS documents: only the three copied paragraphs remain as sources."""
    from assessments.similarity import selectors

    ids = bench.seed_documents(6, words=3000, enrolment=enrolment)
    text = bench.probe_text(3000)
    with_common = bench.check_once(text)
    assert len(with_common.sources) > 3, "the common phrases match every document"
    monkeypatch.setattr(selectors, "COMMON_DOCUMENTS", 3)
    without = bench.check_once(text)
    assert {source["document"] for source in without.sources} == set(ids[:3])
    assert without.share < with_common.share
