"""The email telling a learner a reviewer decided on their deliverable.

Idempotent: the task claims the review's `emailed_at` with one conditional UPDATE; a replay after
a successful send finds it set and sends nothing; a failed send releases it before the retry."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from assessments.deliverables.models import Review, ReviewDecision
from lms.celery import MAIL_RETRY

SUBJECTS = {
    ReviewDecision.ACCEPTED: "[DE Coordinateur CLS] Votre production « {title} » est acceptée",
    ReviewDecision.REVISION: "[DE Coordinateur CLS] Votre production « {title} » : une révision est demandée",
}


def review_email_send(*, review_id: int) -> bool:
    """Email the learner the decision on their submission, once; False when nothing was sent."""
    claimed = Review.objects.filter(pk=review_id, emailed_at__isnull=True).update(emailed_at=timezone.now())
    if not claimed:
        return False
    review = Review.objects.select_related(
        "submission__enrolment__user", "submission__deliverable__module"
    ).get(pk=review_id)
    user = review.submission.enrolment.user
    context = {
        "user": user,
        "review": review,
        "submission": review.submission,
        "link": settings.SITE_BASE_URL + reverse("deliverables:list"),
    }
    try:
        send_mail(
            subject=SUBJECTS[review.decision].format(title=review.submission.deliverable.title),
            message=render_to_string(
                f"assessments/deliverables/emails/review_{review.decision}.txt", context
            ),
            from_email=None,
            recipient_list=[user.email],
        )
    except Exception:
        Review.objects.filter(pk=review_id).update(emailed_at=None)
        raise
    return True


@shared_task(name="assessments.deliverables.tasks.send_review_email", **MAIL_RETRY)
def send_review_email(self, *, review_id: int) -> bool:
    return review_email_send(review_id=review_id)
