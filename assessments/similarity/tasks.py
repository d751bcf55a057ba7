"""The similarity room's Celery tasks, adapters over the services: check a mémoire's final version,
index a deliverable's submission. Both take ids, re-fetch, are idempotent (a report already done,
a submission already indexed are left as they are) and acknowledged late, so that a worker lost
mid-task hands it to another. A file that cannot be read from storage (OSError) is retried with
backoff; after the last retry the report is marked failed, for the team to re-run.

The `*_queue` functions queue them after the commit; the signal receivers (connected in
assessments/apps.py) and the team's re-run call them. They import the services, never the reverse.
"""

from __future__ import annotations

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction

from assessments.deliverables.models import Submission
from assessments.similarity import services

#: Retried on a storage error, with backoff, at most three times (like lms.celery.MAIL_RETRY).
CHECK_RETRY = {
    "bind": True,
    "acks_late": True,
    "autoretry_for": (OSError,),
    "retry_backoff": True,
    "max_retries": 3,
    # A 20-page mémoire takes well under a second; a worker stuck on a file is stopped.
    "soft_time_limit": 300,
    "time_limit": 330,
}
STORAGE_FAILED = "Le fichier de la version finale n'a pas pu être lu sur le serveur de fichiers."
TOO_LONG = "La vérification a pris trop de temps et a été interrompue."


@shared_task(name="assessments.similarity.tasks.similarity_check", **CHECK_RETRY)
def similarity_check(self, memoire_id: int) -> str | None:
    """Check the mémoire's final version; returns the report's status."""
    try:
        report = services.similarity_check_run(memoire_id=memoire_id)
    except OSError:
        if self.request.retries >= self.max_retries:
            services.report_fail(memoire_id=memoire_id, reason=STORAGE_FAILED)
        raise
    except SoftTimeLimitExceeded:
        services.report_fail(memoire_id=memoire_id, reason=TOO_LONG)
        return "failed"
    return report.status if report is not None else None


@shared_task(name="assessments.similarity.tasks.submission_index", **CHECK_RETRY)
def submission_index(self, submission_id: int) -> int | None:
    """Index one version of a deliverable; returns its document's id."""
    submission = Submission.objects.filter(pk=submission_id).first()
    if submission is None:
        return None
    document = services.submission_index(submission=submission)
    return document.pk if document is not None else None


def similarity_check_queue(*, memoire_id: int) -> None:
    """The mémoire's report is pending from now on; its check is queued after the commit."""
    services.report_request(memoire_id=memoire_id)
    transaction.on_commit(lambda: similarity_check.delay(memoire_id))


def similarity_rerun_queue(*, memoire, by) -> None:
    """The team re-runs a failed check (services.similarity_rerun), queued after the commit."""
    services.similarity_rerun(memoire=memoire, by=by)
    transaction.on_commit(lambda: similarity_check.delay(memoire.pk))


def final_submitted_received(sender, *, memoire_id: int, **kwargs) -> None:
    """Receiver of assessments.memoire.signals.final_submitted."""
    similarity_check_queue(memoire_id=memoire_id)


def submission_created_received(sender, *, submission_id: int, **kwargs) -> None:
    """Receiver of assessments.deliverables.signals.submission_created."""
    transaction.on_commit(lambda: submission_index.delay(submission_id))
