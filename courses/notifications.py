"""Emails about enrolment, sent by Celery tasks (see tasks.py)."""

from datetime import timedelta

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import Enrolment


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
        message=render_to_string("courses/emails/invitation.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
    enrolment.invited_at = timezone.now()
    enrolment.save(update_fields=["invited_at"])
    return True


def _dropout_due(enrolments, *, now) -> list[int]:
    """Among `enrolments`, those of open cohorts with no activity for DROPOUT_INACTIVE_DAYS days
    (since the last lesson time, completion or ledger entry, or since enrolment) and not reminded
    since. One query."""
    from django.db.models import DateTimeField, Max, OuterRef, Subquery

    from .models import HoursEntry, LessonActivity, LessonCompletion

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
            "courses/emails/dropout_reminder.txt",
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
