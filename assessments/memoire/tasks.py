"""Emails about a mémoire's steps: the learner hears of the team's decision on the subject, of the
tutor's assignment and comments; the tutor hears of an assignment, of a new draft and of the final
version. One task per event, queued after the commit by flows.memoire_transition.

Idempotent without a model field (events are append-only): the task claims a « sent » marker
with ``cache.add`` keyed on the event, released when the send fails so that the retry sends it.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from assessments.memoire.models import MemoireEvent
from lms.celery import MAIL_RETRY

SENT_MARKER_TIMEOUT = 400 * 24 * 3600
PREFIX = "[DE Coordinateur CLS] "
#: transition → (who is told: "learner" or "tutor", subject).
NOTICES = {
    "approve": ("learner", "Votre sujet de mémoire est approuvé"),
    "return_subject": ("learner", "Votre sujet de mémoire est à reprendre"),
    "assign_tutor": ("tutor", "Un mémoire vous est confié en tutorat"),
    "upload_draft": ("tutor", "Un nouveau brouillon de mémoire à commenter"),
    "comment_draft": ("learner", "Votre tuteur·rice a commenté votre brouillon"),
    "submit_final": ("tutor", "La version finale d'un mémoire que vous suivez est déposée"),
    "release": ("learner", "La note de votre mémoire est publiée"),
}


def memoire_event_email_send(*, event_id: int) -> bool:
    """Email the person concerned by this event, once; False when nothing was sent."""
    event = (
        MemoireEvent.objects.select_related("memoire__enrolment__user", "memoire__tutor", "by")
        .filter(pk=event_id)
        .first()
    )
    if event is None or event.transition not in NOTICES:
        return False
    audience, subject = NOTICES[event.transition]
    memoire = event.memoire
    recipient = memoire.enrolment.user if audience == "learner" else memoire.tutor
    if recipient is None or not recipient.is_active:
        return False
    key = f"memoire:email-sent:{event.pk}"
    if not cache.add(key, True, timeout=SENT_MARKER_TIMEOUT):
        return False
    path = reverse("memoire:mine") if audience == "learner" else reverse("memoire:detail", args=[memoire.pk])
    context = {
        "recipient": recipient,
        "event": event,
        "memoire": memoire,
        "learner": memoire.enrolment.user,
        "link": settings.SITE_BASE_URL + path,
    }
    try:
        send_mail(
            subject=PREFIX + subject,
            message=render_to_string(f"assessments/memoire/emails/{event.transition}.txt", context),
            from_email=None,
            recipient_list=[recipient.email],
        )
    except Exception:
        cache.delete(key)
        raise
    return True


@shared_task(name="assessments.memoire.tasks.send_memoire_event_email", **MAIL_RETRY)
def send_memoire_event_email(self, *, event_id: int) -> bool:
    return memoire_event_email_send(event_id=event_id)
