"""The email telling a trainer a mémoire is given to them to mark (first, second or third marker),
queued after the commit by services.markers_assign and services.third_marker_name. When the cohort
marks blind, the email names the mémoire by its code, never its author.

Idempotent: the task claims a « sent » marker with ``cache.add`` keyed on the assignment, released
when the send fails so that the retry sends it."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from assessments.marking.blind import blind_code
from assessments.marking.models import MarkerAssignment, MarkerRole
from assessments.marking.selectors import is_blind
from lms.celery import MAIL_RETRY

SENT_MARKER_TIMEOUT = 400 * 24 * 3600
SUBJECT = "[DE Coordinateur CLS] Un mémoire vous est confié en correction"


def marker_assignment_email_send(*, assignment_id: int) -> bool:
    """Email the marker of this assignment, once; False when nothing was sent (the assignment was
    replaced meanwhile, the account is inactive, or the email already went)."""
    assignment = (
        MarkerAssignment.objects.select_related("marker", "memoire__enrolment__user")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None or not assignment.marker.is_active:
        return False
    key = f"marking:assignment-email-sent:{assignment.pk}"
    if not cache.add(key, True, timeout=SENT_MARKER_TIMEOUT):
        return False
    memoire = assignment.memoire
    third = assignment.role == MarkerRole.THIRD
    path = reverse("marking:reconciliation" if third else "marking:grid", args=[memoire.pk])
    context = {
        "recipient": assignment.marker,
        "assignment": assignment,
        "memoire": memoire,
        "who": blind_code(memoire) if is_blind(memoire) else memoire.enrolment.user.display_name,
        "third": third,
        "link": settings.SITE_BASE_URL + path,
    }
    try:
        send_mail(
            subject=SUBJECT,
            message=render_to_string("assessments/marking/emails/assigned.txt", context),
            from_email=None,
            recipient_list=[assignment.marker.email],
        )
    except Exception:
        cache.delete(key)
        raise
    return True


@shared_task(name="assessments.marking.tasks.send_marker_assignment_email", **MAIL_RETRY)
def send_marker_assignment_email(self, *, assignment_id: int) -> bool:
    return marker_assignment_email_send(assignment_id=assignment_id)
