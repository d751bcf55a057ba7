"""Learners without recent activity: who is due a reminder, and the reminder itself."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from courses.cohorts.models import Enrolment
from courses.hours.models import HoursEntry
from courses.learning.models import LessonActivity, LessonCompletion


def _dropout_due(enrolments, *, now) -> list[int]:
    """Among `enrolments`, those of open cohorts with no activity for DROPOUT_INACTIVE_DAYS days
    (since the last lesson time, completion or ledger entry, or since enrolment) and not reminded
    since. One query."""
    from django.db.models import DateTimeField, Max, OuterRef, Subquery

    limit = now - timedelta(days=settings.DROPOUT_INACTIVE_DAYS)

    def latest(model, field):
        return Subquery(
            model.objects.filter(enrolment=OuterRef("pk"))
            .order_by()
            .values("enrolment")
            .annotate(m=Max(field))
            .values("m")[:1],
            output_field=DateTimeField(),
        )

    rows = (
        enrolments.filter(cohort__closed_at__isnull=True, cohort__end_date__gte=timezone.localdate(now))
        .annotate(
            last_beat=latest(LessonActivity, "last_beat_at"),
            last_done=latest(LessonCompletion, "completed_at"),
            last_entry=latest(HoursEntry, "recorded_at"),
        )
        .values_list("pk", "created_at", "dropout_reminded_at", "last_beat", "last_done", "last_entry")
    )
    due = []
    for pk, created, reminded, *moments in rows:
        last = max([created, *[m for m in moments if m is not None]])
        if last < limit and (reminded is None or reminded < last):
            due.append(pk)
    return due


def dropout_candidates(*, now=None) -> list[int]:
    """Enrolments of open cohorts with no activity for DROPOUT_INACTIVE_DAYS days (since the last
    lesson time, completion or ledger entry, or since enrolment) and not reminded since."""
    return _dropout_due(Enrolment.objects.all(), now=now or timezone.now())


def dropout_reminder_send(*, enrolment_id: int, now=None) -> bool:
    """Remind an inactive learner once per period of inactivity; False when nothing was sent.
    Only this enrolment is examined, under a lock, so a replay or a concurrent run sends nothing."""
    now = now or timezone.now()
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("user", "cohort")
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None or not _dropout_due(Enrolment.objects.filter(pk=enrolment_id), now=now):
        return False
    send_mail(
        subject="[DE Coordinateur CLS] Nous ne vous avons pas vu·e depuis quelque temps",
        message=render_to_string(
            "courses/tracking/emails/dropout_reminder.txt",
            {
                "user": enrolment.user,
                "cohort": enrolment.cohort,
                "days": settings.DROPOUT_INACTIVE_DAYS,
                "link": settings.SITE_BASE_URL + "/mon-espace/",
            },
        ),
        from_email=None,
        recipient_list=[enrolment.user.email],
    )
    enrolment.dropout_reminded_at = now
    enrolment.save(update_fields=["dropout_reminded_at"])
    return True
