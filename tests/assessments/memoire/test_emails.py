"""Emails of the mémoire's steps: queued after the commit, to the person concerned, once."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from assessments.memoire import services, tasks
from assessments.memoire.enums import MemoireState
from tests.assessments.memoire.factories import memoire_at, pdf_upload

pytestmark = pytest.mark.django_db
S = MemoireState


def test_a_returned_subject_emails_the_learner_the_comment(
    enrolment, pedagogical, django_capture_on_commit_callbacks
):
    memoire = memoire_at(enrolment, S.SUBJECT_PROPOSED, team=pedagogical)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.memoire_subject_return(memoire=memoire, by=pedagogical, comment="Précisez le terrain.")
    (message,) = mail.outbox
    assert message.to == [enrolment.user.email]
    assert message.subject == "[DE Coordinateur CLS] Votre sujet de mémoire est à reprendre"
    assert "Précisez le terrain." in message.body and "/parcours/memoire/" in message.body


def test_a_draft_emails_the_tutor_and_a_comment_the_learner(
    enrolment, pedagogical, trainer, django_capture_on_commit_callbacks
):
    memoire = memoire_at(enrolment, S.IN_PROGRESS, team=pedagogical, tutor=trainer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.memoire_draft_upload(
            memoire=memoire, file=pdf_upload(2), note="Mon plan", by=enrolment.user
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.draft_comment_add(draft=draft, body="Étoffez la partie 2.", by=trainer)
    assert [m.to for m in mail.outbox] == [[trainer.email], [enrolment.user.email]]
    assert "Mon plan" in mail.outbox[0].body
    assert "Étoffez la partie 2." in mail.outbox[1].body


def test_a_refused_step_queues_nothing(enrolment, pedagogical, django_capture_on_commit_callbacks):
    memoire = memoire_at(enrolment, S.SUBJECT_APPROVED, team=pedagogical)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValidationError):
        services.memoire_subject_approve(memoire=memoire, by=pedagogical)
    assert callbacks == []


def test_the_email_is_sent_once_when_the_task_is_replayed(enrolment, pedagogical):
    memoire = memoire_at(enrolment, S.SUBJECT_APPROVED, team=pedagogical)
    event = memoire.events.get(transition="approve")
    mail.outbox.clear()
    assert tasks.memoire_event_email_send(event_id=event.pk) is True
    assert tasks.memoire_event_email_send(event_id=event.pk) is False
    assert len(mail.outbox) == 1
