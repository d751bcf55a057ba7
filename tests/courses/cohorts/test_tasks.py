"""Batch mailing jobs (drop-out reminders, import invitations): one email that cannot be sent is
logged with its id, left unmarked, and the job goes on with the others."""

import datetime

from django.core import mail
from django.utils import timezone

from courses.cohorts.models import Enrolment
from courses.cohorts.tasks import send_invitations
from courses.tracking.tasks import send_dropout_reminders
from lms.models import User
from tests.factories import EnrolmentFactory


def _break_address(user) -> None:
    """A stored address that makes the email raise a header error (a row no form would accept)."""
    User.objects.filter(pk=user.pk).update(email=f"{user.pk}@example.org\r\nBcc: x@example.org")


def test_dropout_reminders_go_on_after_one_failure(cohort, settings, caplog):
    """Three inactive learners, the first one's address broken: the two others are reminded, the
    failure is logged with the enrolment, and the broken one stays due for the next run."""
    settings.DROPOUT_INACTIVE_DAYS = 30
    enrolments = sorted((EnrolmentFactory(cohort=cohort) for _ in range(3)), key=lambda e: e.pk)
    Enrolment.objects.filter(cohort=cohort).update(created_at=timezone.now() - datetime.timedelta(days=40))
    _break_address(enrolments[0].user)
    with caplog.at_level("ERROR"):
        assert send_dropout_reminders() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(e.user.email for e in enrolments[1:])
    assert f"Drop-out reminder not sent for enrolment {enrolments[0].pk}" in caplog.text
    enrolments[0].refresh_from_db()
    assert enrolments[0].dropout_reminded_at is None


def test_import_invitations_go_on_after_one_failure(cohort, caplog):
    """An import's invitations with one broken address: the others are sent and marked invited, the
    broken one is logged and left not invited."""
    enrolments = [EnrolmentFactory(cohort=cohort) for _ in range(3)]
    _break_address(enrolments[1].user)
    with caplog.at_level("ERROR"):
        assert send_invitations.delay(enrolment_ids=[e.pk for e in enrolments]).get() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [enrolments[0].user.email, enrolments[2].user.email]
    )
    assert f"Invitation not sent for enrolment {enrolments[1].pk}" in caplog.text
    invited = dict(Enrolment.objects.filter(cohort=cohort).values_list("pk", "invited_at"))
    assert invited[enrolments[1].pk] is None
    assert invited[enrolments[0].pk] is not None and invited[enrolments[2].pk] is not None
