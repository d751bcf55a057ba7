"""The bench's bulk-import timing: the import and the invitations are measured apart."""

from bench import run, seed
from courses.cohorts.models import Enrolment


def test_import_time_measures_the_confirm_apart_from_the_invitations(db, programme):
    """import_time reports the confirm with the invitations only queued, then the sending on its
    own: every line is enrolled and, Celery being eager, every invitation is sent in the second step."""
    seed.cohorts_ensure(programme=programme)
    large = seed.large_cohort()
    out = run.import_time({"id": large.pk}, lines=12)
    assert "error" not in out, out.get("error")
    assert out["result"] == {"created": 12, "existing": 0, "skipped": 0}
    assert out["enrolled"] == 12 and out["emails"] == 12
    assert out["confirm_s"] > 0 and out["send_s"] > 0
    assert out["send_queries"] > 0 and out["confirm_queries"] > 0
    assert out["total_s"] == out["create_s"] + out["confirm_s"] + out["send_s"]
    assert Enrolment.objects.filter(invited_at__isnull=True, cohort__name=out["cohort"]).count() == 0
    report = "\n".join(run.import_lines(out))
    assert "invitations only queued" in report and "| invitations (12 invitations sent in-process" in report


def test_assessment_timings_make_a_pv_and_time_a_similarity_check(db, programme, enrolment, monkeypatch):
    """The PV PDF is a real PDF and the similarity check runs against the seeded documents (a few
    here, 1,000 in `make bench`)."""
    from bench import run

    monkeypatch.setattr(run, "SIMILARITY_DOCUMENTS", 3)
    timings = run.assessment_timings()
    assert timings["pv_pdf_bytes"] > 1000
    assert timings["documents"] >= 3
    assert 0 < timings["similarity_s"] < 30
