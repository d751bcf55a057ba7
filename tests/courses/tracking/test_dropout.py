"""Drop-out alert: inactive learners are flagged and reminded once per period of inactivity."""

import datetime

from django.core import mail
from django.utils import timezone

from courses.catalogue import selectors as catalogue_selectors
from courses.cohorts.models import Enrolment
from courses.learning import services as learning_services
from courses.tracking import dropout as tracking_dropout
from courses.tracking import progress as tracking_progress
from courses.tracking.tasks import send_dropout_reminders
from tests.factories import lessons_of

NOW = timezone.now()


def _age(enrolment, days):
    Enrolment.objects.filter(pk=enrolment.pk).update(created_at=NOW - datetime.timedelta(days=days))


def test_inactive_learner_is_reminded_once(enrolment, settings):
    """After 30 days without activity a learner gets one reminder; the next run sends nothing."""
    settings.DROPOUT_INACTIVE_DAYS = 30
    _age(enrolment, 40)
    assert send_dropout_reminders() == 1
    assert send_dropout_reminders() == 0
    assert len(mail.outbox) == 1 and "40" not in mail.outbox[0].subject
    assert "30 jours" in mail.outbox[0].body


def test_recent_activity_prevents_the_reminder(enrolment, modules, settings):
    """A lesson completed recently means no reminder."""
    settings.DROPOUT_INACTIVE_DAYS = 30
    _age(enrolment, 40)
    learning_services.lesson_complete(enrolment=enrolment, lesson=lessons_of(modules[0])[0])
    assert tracking_dropout.dropout_candidates() == []


def test_new_inactivity_period_gets_a_new_reminder(enrolment, modules, settings):
    """Activity after a reminder, then 30 more quiet days: a second reminder goes out."""
    settings.DROPOUT_INACTIVE_DAYS = 30
    _age(enrolment, 100)
    assert tracking_dropout.dropout_reminder_send(
        enrolment_id=enrolment.pk, now=NOW - datetime.timedelta(days=60)
    )
    learning_services.heartbeat_record(
        enrolment=enrolment, lesson=lessons_of(modules[0])[0], now=NOW - datetime.timedelta(days=50)
    )
    assert tracking_dropout.dropout_candidates(now=NOW) == [enrolment.pk]


def test_closed_cohort_learners_are_not_reminded(enrolment, settings):
    """Learners of a closed cohort get no reminder."""
    settings.DROPOUT_INACTIVE_DAYS = 30
    _age(enrolment, 40)
    enrolment.cohort.closed_at = NOW
    enrolment.cohort.save()
    assert tracking_dropout.dropout_candidates() == []


def test_inactive_learner_is_flagged_in_the_cohort_view(enrolment, settings):
    """The cohort progress flags a learner with no activity for the configured number of days."""
    settings.DROPOUT_INACTIVE_DAYS = 10
    enrolment.ars_agreement_on = enrolment.employer_agreement_on = datetime.date(2026, 1, 1)
    enrolment.save()
    _age(enrolment, 20)
    from courses.cohorts.models import ElectiveChoice

    ElectiveChoice.objects.bulk_create(
        ElectiveChoice(enrolment=enrolment, module=m)
        for m in catalogue_selectors.programme_modules(programme=enrolment.programme).filter(kind="optional")[
            :2
        ]
    )
    [row] = tracking_progress.cohort_progress(cohort=enrolment.cohort)
    assert row.status == tracking_progress.LearnerStatus.INACTIVE


def test_the_inactive_badge_shows_next_to_another_status(client, enrolment, ars_staff, settings):
    """On the progress page a quiet learner without the agreement has both badges, spelled « Inactif·ive »."""
    settings.DROPOUT_INACTIVE_DAYS = 10
    _age(enrolment, 20)
    client.force_login(ars_staff)
    html = client.get(f"/gestion/promotions/{enrolment.cohort_id}/").content.decode()
    assert "Accord conjoint manquant" in html and "Inactif·ive</p>" in html


def test_reminding_one_learner_examines_only_that_enrolment(enrolment, cohort, settings):
    """dropout_reminder_send reads the one enrolment it is given, not every candidate of the platform."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import EnrolmentFactory

    settings.DROPOUT_INACTIVE_DAYS = 30
    others = [EnrolmentFactory(cohort=cohort) for _ in range(3)]
    for other in [enrolment, *others]:
        _age(other, 40)
    with CaptureQueriesContext(connection) as queries:
        assert tracking_dropout.dropout_reminder_send(enrolment_id=enrolment.pk)
    reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT") and "courses_enrolment" in q["sql"]]
    assert reads and all(f'"courses_enrolment"."id" = {enrolment.pk}' in sql for sql in reads)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [enrolment.user.email]
    assert not tracking_dropout.dropout_reminder_send(enrolment_id=enrolment.pk)
