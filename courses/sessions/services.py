"""Writes for providers and sessions, and the reminder and Qualiopi-expiry emails."""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from courses.cohorts import permissions as cohorts_permissions
from courses.sessions import permissions as sessions_permissions
from courses.sessions.models import PresentialSession, SessionReminder, TrainingProvider
from courses.sessions.selectors import (
    MAX_HOURS_PER_DAY,
    providers_expiring,
    session_counts,
    session_local_days,
)
from lms import permissions
from lms.enums import Role
from lms.text import hours_text, single_line

#: What a session may no longer change once attendance has been confirmed for it.
LOCKED_AFTER_CONFIRMATION = {
    "starts_at": "Le début",
    "ends_at": "La fin",
    "hours": "Le nombre d'heures",
    "provider_id": "L'organisme",
}
NOT_COUNTED_MESSAGE = (
    "Ces heures ne compteront pas : l'organisme n'a pas de certification Qualiopi valide à cette date."
)
logger = logging.getLogger(__name__)


@transaction.atomic
def provider_save(*, provider: TrainingProvider, by) -> TrainingProvider:
    """Create or update a provider after the model's checks (SIRET key, certificate dates and number).
    A changed end date re-arms the expiry reminder."""
    if not sessions_permissions.can_manage_providers(by):
        raise PermissionDenied("Seule l'équipe pédagogique gère les organismes de formation.")
    provider.siret = (provider.siret or "").replace(" ", "")
    provider.full_clean()
    if (
        provider.expiry_reminder_sent_for
        and provider.expiry_reminder_sent_for != provider.qualiopi_valid_until
    ):
        provider.expiry_reminder_sent_for = None
    provider.save()
    return provider


def qualiopi_expiry_send(*, today: datetime.date) -> int:
    """Email the pedagogical team once per certificate end date about providers whose Qualiopi
    certificate ends within 60 days; returns how many providers were reported (0 on a replay).
    Each team member gets their own email: one that cannot be sent is logged and the others still
    go out; the reminder is recorded only once someone received it (else the next run tries again).
    Run inside a transaction: the providers are locked while their reminder is recorded."""
    providers = list(providers_expiring(today=today).select_for_update().order_by("qualiopi_valid_until"))
    if not providers:
        return 0
    from lms.models import User

    recipients = list(
        User.objects.filter(role=Role.PEDAGOGICAL_TEAM, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    message = render_to_string(
        "courses/sessions/emails/session_qualiopi_expiry.txt",
        {"providers": providers, "link": settings.SITE_BASE_URL + reverse("sessions:provider_list")},
    )
    delivered = 0
    for recipient in recipients:
        try:
            send_mail(
                subject="[DE Coordinateur CLS] Certificats Qualiopi bientôt expirés",
                message=message,
                from_email=None,
                recipient_list=[recipient],
            )
        except Exception:
            logger.exception("Qualiopi expiry reminder not sent to a team member (%s)", recipient)
            continue
        delivered += 1
    if recipients and not delivered:
        return 0
    for provider in providers:
        provider.expiry_reminder_sent_for = provider.qualiopi_valid_until
        provider.save(update_fields=["expiry_reminder_sent_for"])
    return len(providers)


@transaction.atomic
def session_save(*, session: PresentialSession, trainers, cohorts, by) -> PresentialSession:
    """Create or update a session with its trainers and invited cohorts. Refuses, writing nothing:
    a region the user does not manage, an end not after the start, hours not positive, more hours
    than the session lasts or than 12 h per local day, a place missing for an on-site session,
    a trainer without the trainer role, a cohort of another region (or not managed by the user),
    a new start, end, number of hours or provider once attendance has been confirmed.
    A provider without a valid certificate is allowed (see session_counts)."""
    if (
        session.region_id is None
        or not permissions.regions_managed_by(by).filter(pk=session.region_id).exists()
    ):
        raise PermissionDenied("Vous ne pouvez pas programmer de session dans cette région.")
    stored = None
    if session.pk is not None:
        stored = PresentialSession.objects.select_for_update().get(pk=session.pk)
        if not sessions_permissions.can_manage_session(by, stored):
            raise PermissionDenied("Vous ne pouvez pas modifier cette session.")
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if stored is not None and stored.attendances.filter(confirmed_at__isnull=False).exists():
        # Confirmed attendance is in the ledger with these times, hours and provider: changing
        # them would make the ledger and the sheets disagree with the session.
        for name, label in LOCKED_AFTER_CONFIRMATION.items():
            if getattr(session, name) != getattr(stored, name):
                refuse(
                    "provider" if name == "provider_id" else name,
                    f"{label} ne peut plus changer : des présences de cette session sont déjà "
                    "confirmées et créditées dans les relevés d'heures.",
                )

    if not session.title or not session.title.strip():
        refuse("title", "Indiquez l'intitulé de la session.")
    if not session.is_remote and not (session.place or "").strip():
        refuse("place", "Indiquez le lieu de la session, ou cochez « à distance ».")
    if session.starts_at is None or session.ends_at is None:
        refuse("ends_at", "Indiquez le début et la fin de la session.")
    elif session.ends_at <= session.starts_at:
        refuse("ends_at", "La fin de la session doit suivre son début.")
    hours = session.hours
    if hours is None or hours <= 0:
        refuse("hours", "Le nombre d'heures doit être positif.")
    elif hours < Decimal("0.5"):
        refuse("hours", "Une session compte au moins 0,5 heure.")
    elif "ends_at" not in errors:
        lasts = Decimal((session.ends_at - session.starts_at).total_seconds()) / 3600
        days = len(session_local_days(session))
        if hours > lasts:
            refuse(
                "hours",
                f"{hours_text(hours)} h, c'est plus que la durée de la session "
                f"({hours_text(lasts.quantize(Decimal('0.01')))} h entre le début et la fin).",
            )
        elif hours > MAX_HOURS_PER_DAY * days:
            refuse(
                "hours",
                f"{hours_text(hours)} h sur {days} jour(s) : au plus {hours_text(MAX_HOURS_PER_DAY)} h "
                "de formation par jour sont possibles.",
            )
    trainers = list(trainers)
    if any(t.role != Role.TRAINER or not t.is_active for t in trainers):
        refuse("trainers", "Seul un compte formateur·rice peut animer une session.")
    cohorts = list(cohorts)
    managed = set(cohorts_permissions.cohorts_managed_by(by).values_list("pk", flat=True))
    for cohort in cohorts:
        if cohort.region_id != session.region_id or cohort.pk not in managed:
            refuse(
                "cohorts",
                f"La promotion « {cohort.name} » n'est pas de la région de la session : "
                "invitez seulement des promotions de cette région.",
            )
    if errors:
        raise ValidationError(errors)
    session.clean_fields(exclude=["checkin_secret", "created_by", "reminder_sent_at", "trainers", "cohorts"])
    if session.pk is None:
        session.created_by = by
    session.save()
    session.trainers.set(trainers)
    session.cohorts.set(cohorts)
    return session


def session_reminder_send(*, session_id: int, now: datetime.datetime) -> int:
    """Email each learner of the invited cohorts about the session of tomorrow, once per learner:
    returns how many were emailed, 0 when the reminder already went out. Each email is recorded in
    its own transaction (a SessionReminder), so a retry after a failure halfway through emails
    only those not reminded yet. An email that cannot be sent (a bad address, the mail server
    refusing it) is logged with the session and the learner, and the others still go out; the
    session is marked done only once everyone is, so the next hourly run tries the failed ones again."""
    session = (
        PresentialSession.objects.select_related("region", "provider", "module")
        .filter(pk=session_id, reminder_sent_at__isnull=True)
        .first()
    )
    if session is None:
        return 0
    from lms.models import User

    learners = list(
        User.objects.filter(role=Role.LEARNER, is_active=True, enrolments__cohort__in=session.cohorts.all())
        .exclude(email="")
        .exclude(pk__in=SessionReminder.objects.filter(session=session).values("user_id"))
        .distinct()
        .order_by("pk")
    )
    counts = session_counts(session)
    link = settings.SITE_BASE_URL + reverse("sessions:learner_detail", args=[session.pk])
    # Titles are stored on one line; a row saved before that rule must not break the header either.
    subject = single_line(f"[DE Coordinateur CLS] Demain : {session.title}")
    sent = failed = 0
    for learner in learners:
        try:
            with transaction.atomic():
                _, created = SessionReminder.objects.get_or_create(
                    session=session, user=learner, defaults={"sent_at": now}
                )
                if not created:
                    continue  # a concurrent run has just reminded this learner
                # Sent inside the transaction: if sending fails, the marker is rolled back and a
                # later run emails this learner again; if it succeeds, the marker commits with it.
                send_mail(
                    subject=subject,
                    message=render_to_string(
                        "courses/sessions/emails/session_reminder.txt",
                        {
                            "user": learner,
                            "session": session,
                            "counts": counts,
                            "not_counted": NOT_COUNTED_MESSAGE,
                            "link": link,
                        },
                    ),
                    from_email=None,
                    recipient_list=[learner.email],
                )
        except Exception:
            logger.exception("Session reminder not sent: session %s, learner %s", session.pk, learner.pk)
            failed += 1
            continue
        sent += 1
    if not failed:
        PresentialSession.objects.filter(pk=session.pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now
        )
    return sent
