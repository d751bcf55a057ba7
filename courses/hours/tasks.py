"""Emails telling a learner their in-organisation declaration was validated or refused.

Idempotent without a model field: the task re-reads the declaration, sends nothing if its status
is no longer the one announced, and claims a « sent » marker with ``cache.add`` (atomic, shared by
workers on Redis) keyed on the declaration, the status and the review time. A retry after a
failed send releases the marker first; a replay after a successful send finds it and sends
nothing. The marker outlives any cohort (400 days).
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from courses.hours.models import DeclarationStatus, OrganisationDeclaration
from lms.celery import MAIL_RETRY

SENT_MARKER_TIMEOUT = 400 * 24 * 3600
SUBJECTS = {
    DeclarationStatus.VALIDATED: "[DE Coordinateur CLS] Vos heures du {day} sont validées",
    DeclarationStatus.REFUSED: "[DE Coordinateur CLS] Vos heures du {day} ne sont pas validées",
}


def sent_marker_key(declaration: OrganisationDeclaration) -> str:
    reviewed = declaration.reviewed_at.timestamp() if declaration.reviewed_at else ""
    return f"declarations:email-sent:{declaration.pk}:{declaration.status}:{reviewed}"


def review_email_send(*, declaration_id: int, status: str) -> bool:
    """Email the learner the review of their declaration, once; False when nothing was sent."""
    declaration = (
        OrganisationDeclaration.objects.select_related("enrolment__user", "module")
        .filter(pk=declaration_id)
        .first()
    )
    if declaration is None or declaration.status != status or status not in SUBJECTS:
        return False
    key = sent_marker_key(declaration)
    if not cache.add(key, True, timeout=SENT_MARKER_TIMEOUT):
        return False
    user = declaration.enrolment.user
    context = {
        "user": user,
        "declaration": declaration,
        "link": settings.SITE_BASE_URL + reverse("declarations:list"),
    }
    try:
        send_mail(
            subject=SUBJECTS[status].format(day=declaration.occurred_on.strftime("%d/%m/%Y")),
            message=render_to_string(f"courses/hours/emails/declaration_{status}.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
    except Exception:
        cache.delete(key)
        raise
    return True


@shared_task(name="courses.declaration_tasks.send_declaration_validated", **MAIL_RETRY)
def send_declaration_validated(self, *, declaration_id: int) -> bool:
    return review_email_send(declaration_id=declaration_id, status=DeclarationStatus.VALIDATED)


@shared_task(name="courses.declaration_tasks.send_declaration_refused", **MAIL_RETRY)
def send_declaration_refused(self, *, declaration_id: int) -> bool:
    return review_email_send(declaration_id=declaration_id, status=DeclarationStatus.REFUSED)
