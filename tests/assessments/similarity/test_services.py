"""The check from the final version to the report, with Celery eager: signals after the commit,
indexing, the share and passages, the learner's own documents left out, the threshold and the
flag, the release hold, the team's decisions (transitions of the mémoire), failures and re-runs,
and the backfill command."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from assessments.memoire.enums import MemoireState
from assessments.memoire.models import Memoire, MemoireEvent
from assessments.rubrics.models import MarkingScheme
from assessments.similarity import selectors, services, tasks
from assessments.similarity.extraction import ExtractionError
from assessments.similarity.models import (
    Fingerprint,
    FlagState,
    IndexedDocument,
    ReportStatus,
    SimilarityReport,
)
from tests.assessments.similarity.factories import final_with_text, prose, submission_with_text
from tests.factories import EnrolmentFactory, PedagogicalFactory, TrainerFactory

pytestmark = pytest.mark.django_db

COPIED = prose(300, seed=11)


def _submitted(enrolment, text, capture, **kwargs):
    with capture(execute=True):
        return final_with_text(enrolment, text, **kwargs)


def test_the_check_runs_after_the_commit_and_finds_the_copied_passage(
    cohort, enrolment, django_capture_on_commit_callbacks
):
    """The final version's signal is sent on commit; the check then finds the paragraph copied
    from an earlier mémoire, with its span, and opens the flag above the default 25 %."""
    earlier = _submitted(
        EnrolmentFactory(cohort=cohort), prose(500, seed=1) + " " + COPIED, django_capture_on_commit_callbacks
    )
    assert earlier.similarity_report.status == ReportStatus.DONE
    assert earlier.similarity_report.share == 0

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        memoire = final_with_text(enrolment, prose(600, seed=2) + " " + COPIED, gate=True)
    assert not SimilarityReport.objects.filter(memoire=memoire).exists(), "nothing before the commit"
    for callback in callbacks:
        with django_capture_on_commit_callbacks(execute=True):
            callback()

    report = SimilarityReport.objects.get(memoire=memoire)
    assert report.status == ReportStatus.DONE
    assert 25 <= report.share <= 40  # 300 of 900 words
    assert report.flag == FlagState.OPEN and report.threshold == 25
    assert report.sources[0]["document"] == earlier.final.indexed_document.pk
    longest = max(report.passages, key=lambda p: p["own"][1] - p["own"][0])
    assert longest["own"][0] >= 590 and longest["own"][1] - longest["own"][0] >= 250
    assert longest["other"][0] >= 490
    assert selectors.similarity_hold(memoire).startswith(
        f"{report.share:.1f} % du texte se retrouve".replace(".", ",")
    )


def test_below_the_programme_threshold_no_flag_and_no_hold(
    programme, cohort, enrolment, django_capture_on_commit_callbacks
):
    """With the programme's threshold at 60 %, the same copy opens no flag and holds nothing."""
    MarkingScheme.objects.create(programme=programme, similarity_threshold=60)
    _submitted(EnrolmentFactory(cohort=cohort), COPIED, django_capture_on_commit_callbacks)
    memoire = _submitted(enrolment, prose(600, seed=2) + " " + COPIED, django_capture_on_commit_callbacks)
    report = memoire.similarity_report
    assert report.share > 25 and report.threshold == 60
    assert report.flag == FlagState.NONE
    assert selectors.similarity_hold(memoire) is None


def test_the_learners_own_deliverables_do_not_count(
    cohort, enrolment, modules, django_capture_on_commit_callbacks
):
    """A paragraph of the learner's own deliverable reused in their mémoire is not counted; the
    same paragraph in another learner's deliverable (a DOCX) is."""
    with django_capture_on_commit_callbacks(execute=True):
        own = submission_with_text(enrolment, COPIED, module=modules[0])
    services.submission_index(submission=own)
    memoire = _submitted(enrolment, prose(600, seed=3) + " " + COPIED, django_capture_on_commit_callbacks)
    assert memoire.similarity_report.share == 0

    other = submission_with_text(EnrolmentFactory(cohort=cohort), COPIED, module=modules[0], docx=True)
    services.submission_index(submission=other)
    SimilarityReport.objects.filter(memoire=memoire).update(status=ReportStatus.FAILED)
    report = services.similarity_check_run(memoire_id=memoire.pk)
    assert report.share > 25
    assert {s["document"] for s in report.sources} == {other.indexed_document.pk}


def test_a_deliverable_is_indexed_by_its_signal(enrolment, modules, django_capture_on_commit_callbacks):
    """The deliverables room's submission_created signal, sent on commit, indexes the version."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assessments.deliverables.services import submission_create
    from courses.learning import services as learning_services
    from tests.assessments.deliverables.factories import DeliverableFactory
    from tests.assessments.similarity.factories import text_pdf_bytes

    learning_services.options_choose(enrolment=enrolment, modules=modules[5:7])
    deliverable = DeliverableFactory(module=modules[0])
    upload = SimpleUploadedFile("diag.pdf", text_pdf_bytes(COPIED, pages=2), content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        submission = submission_create(
            deliverable=deliverable, enrolment=enrolment, file=upload, by=enrolment.user
        )
    document = IndexedDocument.objects.get(submission=submission)
    assert document.word_count == 300 and document.fingerprint_count == document.fingerprints.count() > 50


def test_the_task_is_idempotent(enrolment, django_capture_on_commit_callbacks):
    """Running the task again leaves the report and the fingerprints as they were."""
    memoire = _submitted(enrolment, prose(400, seed=4), django_capture_on_commit_callbacks)
    before = (
        Fingerprint.objects.count(),
        IndexedDocument.objects.count(),
        memoire.similarity_report.computed_at,
    )
    assert tasks.similarity_check.delay(memoire.pk).get() == ReportStatus.DONE
    report = SimilarityReport.objects.get(memoire=memoire)
    assert (Fingerprint.objects.count(), IndexedDocument.objects.count(), report.computed_at) == before


def test_an_unreadable_text_fails_and_the_team_reruns_it(
    enrolment, pedagogical, monkeypatch, django_capture_on_commit_callbacks
):
    """A text that cannot be read makes the report failed (the release holds, with why); the
    team re-runs it and it is done; a check not failed cannot be re-run."""

    def broken(*args, **kwargs):
        raise ExtractionError("le texte du PDF n'a pas pu être lu.")

    monkeypatch.setattr(services, "file_text", broken)
    memoire = _submitted(enrolment, prose(400, seed=5), django_capture_on_commit_callbacks)
    report = memoire.similarity_report
    assert report.status == ReportStatus.FAILED and "n'a pas pu être lu" in report.reason
    assert selectors.similarity_hold(memoire) == selectors.HOLD_FAILED

    with pytest.raises(PermissionDenied):
        tasks.similarity_rerun_queue(memoire=memoire, by=TrainerFactory())
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.similarity_rerun_queue(memoire=memoire, by=pedagogical)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.reason == ""
    with pytest.raises(ValidationError, match="Seule une vérification échouée"):
        tasks.similarity_rerun_queue(memoire=memoire, by=pedagogical)


def test_an_unreadable_file_is_retried_then_failed(
    enrolment, monkeypatch, django_capture_on_commit_callbacks
):
    """A storage error is retried (eager: at once), then the report is failed with why."""
    calls = []

    def unreadable(field):
        calls.append(field)
        raise OSError("stockage indisponible")

    memoire = final_with_text(enrolment, prose(300, seed=6))
    services.report_request(memoire_id=memoire.pk)
    monkeypatch.setattr(services, "_read", unreadable)
    # As a worker does: the retries run (eagerly, one after the other) instead of raising at once.
    monkeypatch.setitem(tasks.similarity_check.app.conf, "task_eager_propagates", False)
    result = tasks.similarity_check.apply(args=(memoire.pk,), throw=False)
    assert result.state == "FAILURE" and isinstance(result.result, OSError)
    assert len(calls) == tasks.CHECK_RETRY["max_retries"] + 1
    report = SimilarityReport.objects.get(memoire=memoire)
    assert report.status == ReportStatus.FAILED and report.reason == tasks.STORAGE_FAILED


def test_a_pdf_without_text_opens_the_flag_for_a_reading(enrolment, django_capture_on_commit_callbacks):
    """A scanned PDF (no text) cannot be compared: the report is done at 0 % with the flag open
    and the reason, so that a person reads it before the release."""
    memoire = _submitted(enrolment, "", django_capture_on_commit_callbacks)
    report = memoire.similarity_report
    assert report.status == ReportStatus.DONE and report.share == 0
    assert report.flag == FlagState.OPEN and report.reason == services.NO_TEXT
    assert services.NO_TEXT in selectors.similarity_hold(memoire)


def test_hold_reasons(enrolment):
    """No report, pending, failed, open: a reason each; cleared or confirmed: no hold."""
    memoire = final_with_text(enrolment, prose(100, seed=7))
    assert selectors.similarity_hold(memoire) == selectors.HOLD_NOT_RUN
    report = services.report_request(memoire_id=memoire.pk)
    assert selectors.similarity_hold(memoire) == selectors.HOLD_PENDING
    SimilarityReport.objects.filter(pk=report.pk).update(status=ReportStatus.FAILED)
    assert selectors.similarity_hold(memoire) == selectors.HOLD_FAILED
    team = PedagogicalFactory()
    from django.utils import timezone

    SimilarityReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.DONE, share=31.5, threshold=25, computed_at=timezone.now(), flag=FlagState.OPEN
    )
    assert selectors.similarity_hold(memoire) == (
        "31,5 % du texte se retrouve dans d'autres documents (seuil : 25 %) : l'équipe pédagogique "
        "doit lever ou confirmer l'alerte de similarité avant de publier la note."
    )
    for flag in (FlagState.CLEARED, FlagState.CONFIRMED, FlagState.NONE):
        SimilarityReport.objects.filter(pk=report.pk).update(
            flag=flag, decided_by=team, decided_at=timezone.now()
        )
        assert selectors.similarity_hold(memoire) is None


@pytest.fixture
def flagged(cohort, enrolment, django_capture_on_commit_callbacks):
    _submitted(EnrolmentFactory(cohort=cohort), COPIED, django_capture_on_commit_callbacks)
    memoire = _submitted(enrolment, prose(300, seed=8) + " " + COPIED, django_capture_on_commit_callbacks)
    assert memoire.similarity_report.flag == FlagState.OPEN
    return memoire


@pytest.mark.parametrize(
    ("decision", "flag"), [("clear", FlagState.CLEARED), ("confirm", FlagState.CONFIRMED)]
)
def test_the_team_decides_the_flag_and_it_is_logged(flagged, pedagogical, decision, flag):
    """Clearing or confirming is a transition of the mémoire: logged with who and why; the state
    is kept; the hold is lifted; deciding again is refused."""
    report = services.similarity_flag_decide(
        memoire=flagged, decision=decision, by=pedagogical, comment="Citations référencées en note."
    )
    assert report.flag == flag and report.decided_by == pedagogical
    event = MemoireEvent.objects.filter(memoire=flagged).last()
    assert event.transition == f"{decision}_similarity"
    assert event.from_state == event.to_state == MemoireState.FINAL_SUBMITTED
    assert event.comment == "Citations référencées en note." and event.by == pedagogical
    assert selectors.similarity_hold(flagged) is None
    with pytest.raises(ValidationError, match="Aucune alerte de similarité n'est ouverte"):
        services.similarity_flag_decide(memoire=flagged, decision="clear", by=pedagogical, comment="Encore.")


def test_a_decision_without_a_motive_or_by_a_trainer_writes_nothing(flagged, pedagogical, trainer):
    """No motive: the comment field's message; a trainer: refused; nothing written either way."""
    events = MemoireEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.similarity_flag_decide(memoire=flagged, decision="clear", by=pedagogical, comment="  ")
    assert "comment" in refused.value.message_dict
    with pytest.raises(PermissionDenied, match="Seule l'équipe pédagogique lève"):
        services.similarity_flag_decide(memoire=flagged, decision="clear", by=trainer, comment="Rien.")
    assert MemoireEvent.objects.count() == events
    assert SimilarityReport.objects.get(memoire=flagged).flag == FlagState.OPEN


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (MemoireState.MARKED, None),
        (MemoireState.RELEASED, "La note est publiée"),
        (MemoireState.IN_PROGRESS, "Aucune version finale"),
    ],
)
def test_the_decision_follows_the_mémoire_order(flagged, pedagogical, state, message):
    """From the final version to « note à publier » the flag can be decided; not once released,
    and not before a final version."""
    Memoire.objects.filter(pk=flagged.pk).update(state=state)
    flagged.refresh_from_db()
    if message is None:
        services.similarity_flag_decide(memoire=flagged, decision="confirm", by=pedagogical, comment="Copie.")
        assert SimilarityReport.objects.get(memoire=flagged).flag == FlagState.CONFIRMED
    else:
        with pytest.raises(ValidationError, match=message):
            services.similarity_flag_decide(
                memoire=flagged, decision="confirm", by=pedagogical, comment="Copie."
            )


def test_the_learner_does_not_see_the_decision_in_their_history(client, flagged, pedagogical):
    """The team's decision is in the team's view of the history, not in the learner's."""
    services.similarity_flag_decide(
        memoire=flagged, decision="confirm", by=pedagogical, comment="Repris mot pour mot."
    )
    client.force_login(flagged.enrolment.user)
    assert "Repris mot pour mot." not in client.get("/parcours/memoire/").content.decode()
    assert "Repris mot pour mot." not in client.get(f"/memoires/{flagged.pk}/").content.decode()
    client.force_login(pedagogical)
    assert "Repris mot pour mot." in client.get(f"/memoires/{flagged.pk}/").content.decode()


def test_the_backfill_command_indexes_and_checks_what_is_missing(cohort, enrolment, modules):
    """`similarity_index` indexes every submission and checks every final mémoire not done yet,
    with a progress line; run again, it does nothing more."""
    other = EnrolmentFactory(cohort=cohort)
    submission_with_text(other, COPIED, module=modules[0])
    final_with_text(other, prose(300, seed=9))
    memoire = final_with_text(enrolment, prose(300, seed=10) + " " + COPIED)
    out = io.StringIO()
    call_command("similarity_index", stdout=out)
    assert "Submissions indexed: 1/1" in out.getvalue()
    assert "Final mémoires checked: 2/2" in out.getvalue()
    report = SimilarityReport.objects.get(memoire=memoire)
    assert report.status == ReportStatus.DONE and report.share > 25
    again = io.StringIO()
    call_command("similarity_index", stdout=again)
    assert "Done: 0 submission(s) indexed, 0 final mémoire(s) checked." in again.getvalue()
    assert IndexedDocument.objects.count() == 3
