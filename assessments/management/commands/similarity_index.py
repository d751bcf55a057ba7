"""`manage.py similarity_index`: index every deliverable submission and check every final mémoire
that the similarity room has not handled yet (those made before it existed, or whose task was
lost). Idempotent: an indexed submission and a report already done are left as they are, so a
re-run only does what is missing. Mémoires are checked in the order they were submitted, after
every submission is indexed, so each is compared with what existed when it was handed in and
with every deliverable."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from assessments.deliverables.models import Submission
from assessments.memoire.models import MemoireFinal
from assessments.similarity import services
from assessments.similarity.models import ReportStatus, SimilarityReport

PROGRESS_EVERY = 50


class Command(BaseCommand):
    help = "Index every deliverable submission and check every final mémoire not yet checked."

    def handle(self, *args, **options):
        submissions = Submission.objects.filter(indexed_document__isnull=True).order_by("submitted_at", "pk")
        total = submissions.count()
        for number, submission in enumerate(submissions.iterator(), start=1):
            services.submission_index(submission=submission)
            self._progress("Submissions indexed", number, total)
        done = set(
            SimilarityReport.objects.filter(status=ReportStatus.DONE).values_list("memoire_id", flat=True)
        )
        finals = MemoireFinal.objects.exclude(memoire_id__in=done).order_by("submitted_at", "pk")
        total_finals = finals.count()
        failed = 0
        for number, final in enumerate(finals.iterator(), start=1):
            try:
                report = services.similarity_check_run(memoire_id=final.memoire_id)
            except OSError as exc:
                services.report_fail(
                    memoire_id=final.memoire_id,
                    reason="Le fichier de la version finale n'a pas pu être lu sur le serveur de fichiers.",
                )
                self.stderr.write(f"Mémoire {final.memoire_id}: file unreadable ({exc}).")
                failed += 1
            else:
                failed += report is not None and report.status == ReportStatus.FAILED
            self._progress("Final mémoires checked", number, total_finals)
        self.stdout.write(
            f"Done: {total} submission(s) indexed, {total_finals} final mémoire(s) checked"
            f"{f', {failed} failed (re-run them from /gestion/similarite/)' if failed else ''}."
        )

    def _progress(self, what: str, number: int, total: int) -> None:
        if number % PROGRESS_EVERY == 0 or number == total:
            self.stdout.write(f"{what}: {number}/{total}")
