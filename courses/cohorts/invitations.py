"""Emails about enrolment, sent by Celery tasks (see tasks.py)."""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from courses.cohorts.models import Enrolment


def invitation_link(user) -> str:
    """A link to choose a password (allauth's reset-by-key page), valid once and for
    PASSWORD_RESET_TIMEOUT (see invitation_link_validity)."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return settings.SITE_BASE_URL + path


def invitation_link_validity() -> str:
    """How long an invitation link stays valid, in words: « 3 jours », « 12 heures »."""
    seconds = settings.PASSWORD_RESET_TIMEOUT
    days, hours = seconds // 86400, seconds // 3600
    if days >= 1:
        return f"{days} jour{'s' if days > 1 else ''}"
    return f"{max(hours, 1)} heure{'s' if hours > 1 else ''}"


def invitation_send(*, enrolment_id: int) -> bool:
    """Email the learner their enrolment and, for a new account, the link to set a password.
    Idempotent: returns False without sending when the invitation already went out."""
    # of=("self",): only the enrolment is locked while the mail server answers, not the joined
    # account, cohort and region, which staff and the learner go on writing meanwhile.
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("user", "cohort__region")
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None or enrolment.invited_at is not None:
        return False
    user = enrolment.user
    context = {
        "user": user,
        "cohort": enrolment.cohort,
        "needs_password": not user.has_usable_password(),
        "link": invitation_link(user)
        if not user.has_usable_password()
        else settings.SITE_BASE_URL + "/comptes/login/",
        "link_validity": invitation_link_validity(),
    }
    send_mail(
        subject="[DE Coordinateur CLS] Votre inscription à la formation",
        message=render_to_string("courses/cohorts/emails/invitation.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
    enrolment.invited_at = timezone.now()
    enrolment.save(update_fields=["invited_at"])
    return True
