"""Providers and sessions: time zones, half-days, iCalendar, the saving rules and the reminders."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail.backends import locmem
from django.utils import timezone

from courses.sessions import ics as sessions_ics
from courses.sessions import selectors as sessions_selectors
from courses.sessions import services as sessions_services
from courses.sessions import tasks as sessions_tasks
from courses.sessions.models import PresentialSession, SessionReminder, TrainingProvider
from tests.factories import (
    ArsStaffFactory,
    CohortFactory,
    EnrolmentFactory,
    PedagogicalFactory,
    RegionFactory,
    TrainerFactory,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
SIRET = "73282932000074"


def provider(name="Organisme certifié", *, certified=True, siret=SIRET, until=datetime.date(2030, 12, 31)):
    values = {"name": name, "siret": siret}
    if certified:
        values |= {
            "qualiopi_number": "QUA-2024-001",
            "qualiopi_valid_from": datetime.date(2024, 1, 1),
            "qualiopi_valid_until": until,
        }
    return TrainingProvider.objects.create(**values)


@pytest.fixture
def reunion(db):
    return RegionFactory(name="La Réunion", slug="la-reunion", timezone="Indian/Reunion")


def local(region, *args) -> datetime.datetime:
    return sessions_selectors.local_to_utc(datetime.datetime(*args), region.timezone)


def new_session(module, region, start, end, hours="6", **extra) -> PresentialSession:
    return PresentialSession(
        module=module,
        provider=extra.pop("provider", None) or TrainingProvider.objects.first() or provider(),
        region=region,
        title=extra.pop("title", "Séminaire régional"),
        place=extra.pop("place", "ARS, 6 place des Colombes, Rennes"),
        starts_at=start,
        ends_at=end,
        hours=Decimal(hours),
        **extra,
    )


# --- Time zones and half-days --------------------------------------------------------------------


def test_reunion_local_time_is_stored_in_utc(reunion):
    """09:00 in La Réunion (UTC+4) is 05:00 UTC, and reads back as 09:00 local."""
    start = sessions_selectors.local_to_utc(datetime.datetime(2026, 10, 5, 9, 0), "Indian/Reunion")
    assert start == datetime.datetime(2026, 10, 5, 5, 0, tzinfo=UTC)
    assert sessions_selectors.utc_to_local(start, "Indian/Reunion").strftime("%H:%M") == "09:00"


def test_guyane_local_time_is_stored_in_utc():
    """09:00 in Guyane (UTC−3) is 12:00 UTC."""
    start = sessions_selectors.local_to_utc(datetime.datetime(2026, 10, 5, 9, 0), "America/Cayenne")
    assert start == datetime.datetime(2026, 10, 5, 12, 0, tzinfo=UTC)


def test_half_days_of_a_two_day_session(modules, region):
    """A session 09:00 day 1 → 17:00 day 2 covers four half-days; 12 h make 3 h per half-day."""
    session = new_session(
        modules[0], region, local(region, 2026, 10, 5, 9), local(region, 2026, 10, 6, 17), "12"
    )
    day1, day2 = datetime.date(2026, 10, 5), datetime.date(2026, 10, 6)
    assert sessions_selectors.session_half_days(session) == [
        (day1, "am"),
        (day1, "pm"),
        (day2, "am"),
        (day2, "pm"),
    ]
    assert sessions_selectors.half_day_hours(session) == Decimal("3.00")


def test_half_days_are_read_in_the_region_zone(modules, reunion):
    """14:00–18:00 in La Réunion (10:00–14:00 UTC) is an afternoon only, not a morning as in UTC."""
    session = new_session(
        modules[0], reunion, local(reunion, 2026, 10, 5, 14), local(reunion, 2026, 10, 5, 18), "4"
    )
    assert sessions_selectors.session_half_days(session) == [(datetime.date(2026, 10, 5), "pm")]
    assert sessions_selectors.half_day_hours(session) == Decimal("4.00")


def test_half_days_boundaries(modules, region):
    """A morning ending at 13:00 exactly has no afternoon; one ending at midnight has no next day."""
    morning = new_session(
        modules[0], region, local(region, 2026, 10, 5, 9), local(region, 2026, 10, 5, 13), "3"
    )
    assert sessions_selectors.session_half_days(morning) == [(datetime.date(2026, 10, 5), "am")]
    evening = new_session(
        modules[0], region, local(region, 2026, 10, 5, 18), local(region, 2026, 10, 6, 0), "3"
    )
    assert sessions_selectors.session_half_days(evening) == [(datetime.date(2026, 10, 5), "pm")]


def test_half_day_hours_round_down_and_the_last_takes_the_remainder(modules, region):
    """10 h over three half-days is 3.25 h, 3.25 h and 3.5 h: the half-days add up to the session."""
    session = new_session(
        modules[0], region, local(region, 2026, 10, 5, 9), local(region, 2026, 10, 6, 12), "10"
    )
    day1, day2 = datetime.date(2026, 10, 5), datetime.date(2026, 10, 6)
    assert sessions_selectors.half_day_hours_by_slot(session) == {
        (day1, "am"): Decimal("3.25"),
        (day1, "pm"): Decimal("3.25"),
        (day2, "am"): Decimal("3.50"),
    }
    assert sessions_selectors.half_day_hours(session) == Decimal("3.25")
    assert sessions_selectors.half_day_hours(session, day2, "am") == Decimal("3.50")
    assert sessions_selectors.last_half_day_hours(session) == Decimal("3.50")


@pytest.mark.parametrize(("hours", "expected"), [("6.5", ["1.5", "1.5", "1.5", "2"]), ("7", ["1.75"] * 4)])
def test_half_day_hours_add_up_to_the_session(modules, region, hours, expected):
    """6.5 h over four half-days gives 1.5 h three times and 2 h, not 1.75 h four times (7 h)."""
    session = new_session(
        modules[0], region, local(region, 2026, 10, 5, 9), local(region, 2026, 10, 6, 17), hours
    )
    shares = list(sessions_selectors.half_day_hours_by_slot(session).values())
    assert shares == [Decimal(e) for e in expected]
    assert sum(shares) == Decimal(hours)


# --- iCalendar ------------------------------------------------------------------------------------


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_ics_content(modules, reunion):
    """The file is a VCALENDAR with one VEVENT, UTC times with Z, escaped text and CRLF lines."""
    session = new_session(
        modules[0],
        reunion,
        local(reunion, 2026, 10, 5, 9),
        local(reunion, 2026, 10, 5, 17),
        "7",
        title="Séminaire ; gouvernance, CLS",
        place="CHU Félix-Guyon, allée des Topazes, 97400 Saint-Denis",
    )
    session.save()
    text = sessions_ics.session_ics(session, now=datetime.datetime(2026, 9, 1, 8, 30, tzinfo=UTC))
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and "END:VCALENDAR" in lines
    assert "BEGIN:VEVENT" in lines and "VERSION:2.0" in lines
    assert f"UID:session-{session.pk}@localhost" in lines or any(
        line.startswith(f"UID:session-{session.pk}@") for line in lines
    )
    assert "DTSTAMP:20260901T083000Z" in lines
    assert "DTSTART:20261005T050000Z" in lines and "DTEND:20261005T130000Z" in lines
    assert "SUMMARY:Séminaire \\; gouvernance\\, CLS" in lines
    assert "LOCATION:CHU Félix-Guyon\\, allée des Topazes\\, 97400 Saint-Denis" in lines
    description = next(line for line in lines if line.startswith("DESCRIPTION:"))
    assert "\\nOrganisme : Organisme certifié\\n" in description


def test_ics_folds_long_lines_at_75_octets(modules, region):
    """No physical line exceeds 75 octets, even with accented letters; unfolding gives the line back."""
    title = "Évaluation d'un contrat local de santé : méthodes, indicateurs, écueils " * 2
    session = new_session(
        modules[0], region, local(region, 2026, 10, 5, 9), local(region, 2026, 10, 5, 17), "7"
    )
    session.title = title
    session.save()
    text = sessions_ics.session_ics(session)
    physical = text.split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    assert any(line.startswith(" ") for line in physical)
    assert f"SUMMARY:{sessions_ics.ics_escape(session.title)}" in unfold(text)


def test_ics_fold_never_splits_a_character():
    """A line of two-octet letters is cut between characters, continuations starting with a space."""
    folded = sessions_ics.ics_fold("X:" + "é" * 100)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == "X:" + "é" * 100


def test_ics_escape_newlines_and_backslashes():
    """Backslashes, commas, semicolons and newlines are escaped as RFC 5545 asks."""
    assert sessions_ics.ics_escape("a\\b,c;d\ne") == "a\\\\b\\,c\\;d\\ne"


# --- Saving a session ---------------------------------------------------------------------------


@pytest.fixture
def setup(programme, modules, region, other_region, cohort, ars_staff):
    return {
        "module": modules[0],
        "cohort": cohort,
        "other_cohort": CohortFactory(programme=programme, region=other_region, name="Occitanie 2026"),
        "provider": provider(),
        "trainer": TrainerFactory(),
        "ars": ars_staff,
    }


def test_session_save_creates_session(setup, region):
    """A valid session is saved with its trainers, cohorts and creator."""
    s = new_session(
        setup["module"], region, local(region, 2026, 10, 5, 9), local(region, 2026, 10, 5, 17), "7"
    )
    sessions_services.session_save(
        session=s, trainers=[setup["trainer"]], cohorts=[setup["cohort"]], by=setup["ars"]
    )
    stored = PresentialSession.objects.get()
    assert stored.created_by == setup["ars"] and stored.checkin_secret
    assert list(stored.trainers.all()) == [setup["trainer"]]
    assert list(stored.cohorts.all()) == [setup["cohort"]]


@pytest.mark.parametrize(
    ("start", "end", "hours", "field", "message"),
    [
        ((2026, 10, 5, 17), (2026, 10, 5, 9), "6", "ends_at", "La fin de la session doit suivre son début."),
        ((2026, 10, 5, 9), (2026, 10, 5, 17), "0", "hours", "Le nombre d'heures doit être positif."),
        ((2026, 10, 5, 9), (2026, 10, 5, 17), "-3", "hours", "Le nombre d'heures doit être positif."),
        ((2026, 10, 5, 9), (2026, 10, 5, 12), "4", "hours", "c'est plus que la durée de la session (3 h"),
        ((2026, 10, 5, 8), (2026, 10, 6, 20), "30", "hours", "au plus 12 h de formation par jour"),
        ((2026, 10, 5, 0), (2026, 10, 5, 23), "20", "hours", "20 h sur 1 jour(s)"),
    ],
    ids=[
        "end-before-start",
        "zero-hours",
        "negative-hours",
        "more-than-lasts",
        "30-hour-day",
        "20h-in-a-day",
    ],
)
def test_session_save_refuses_bad_times(setup, region, start, end, hours, field, message):
    """Impossible times or hours are refused with a clear message and nothing is written."""
    s = new_session(setup["module"], region, local(region, *start), local(region, *end), hours)
    with pytest.raises(ValidationError) as exc:
        sessions_services.session_save(session=s, trainers=[], cohorts=[setup["cohort"]], by=setup["ars"])
    assert any(message in m for m in exc.value.message_dict[field])
    assert not PresentialSession.objects.exists()


def test_session_save_refuses_cohort_of_another_region(setup, region, pedagogical):
    """Even the team cannot invite a cohort of another region; nothing is written."""
    s = new_session(
        setup["module"], region, local(region, 2026, 10, 5, 9), local(region, 2026, 10, 5, 17), "7"
    )
    with pytest.raises(ValidationError) as exc:
        sessions_services.session_save(
            session=s, trainers=[], cohorts=[setup["other_cohort"]], by=pedagogical
        )
    assert "« Occitanie 2026 » n'est pas de la région de la session" in exc.value.message_dict["cohorts"][0]
    assert not PresentialSession.objects.exists()


def test_session_save_refuses_non_trainer_and_missing_place(setup, region):
    """A learner as trainer and an on-site session without place are refused; nothing is written."""
    learner = EnrolmentFactory(cohort=setup["cohort"]).user
    s = new_session(
        setup["module"], region, local(region, 2026, 10, 5, 9), local(region, 2026, 10, 5, 17), "7", place=""
    )
    with pytest.raises(ValidationError) as exc:
        sessions_services.session_save(session=s, trainers=[learner], cohorts=[], by=setup["ars"])
    assert exc.value.message_dict["trainers"] == ["Seul un compte formateur·rice peut animer une session."]
    assert "Indiquez le lieu" in exc.value.message_dict["place"][0]
    assert not PresentialSession.objects.exists()


def test_session_save_refuses_region_not_managed(setup, other_region):
    """ARS staff cannot schedule a session in a region they do not manage."""
    s = new_session(
        setup["module"],
        other_region,
        local(other_region, 2026, 10, 5, 9),
        local(other_region, 2026, 10, 5, 17),
    )
    with pytest.raises(PermissionDenied):
        sessions_services.session_save(session=s, trainers=[], cohorts=[], by=setup["ars"])
    assert not PresentialSession.objects.exists()


def test_remote_session_needs_no_place(setup, region):
    """A remote session may have no place."""
    s = new_session(
        setup["module"],
        region,
        local(region, 2026, 10, 5, 9),
        local(region, 2026, 10, 5, 12),
        "3",
        place="",
        is_remote=True,
    )
    sessions_services.session_save(session=s, trainers=[], cohorts=[setup["cohort"]], by=setup["ars"])
    assert PresentialSession.objects.get().is_remote


def test_uncertified_provider_is_allowed_with_warning(setup, region):
    """A provider without certificate is accepted, but its hours are flagged as not counting."""
    uncertified = provider("Sans Qualiopi", certified=False, siret="12345678901237")
    s = new_session(
        setup["module"],
        region,
        local(region, 2026, 10, 5, 9),
        local(region, 2026, 10, 5, 17),
        "7",
        provider=uncertified,
    )
    sessions_services.session_save(session=s, trainers=[], cohorts=[setup["cohort"]], by=setup["ars"])
    assert not sessions_selectors.session_counts(s)
    assert "ne compteront pas" in sessions_selectors.session_provider_warning(s)
    assert (
        sessions_selectors.session_provider_warning(
            new_session(setup["module"], region, s.starts_at, s.ends_at)
        )
        is None
    )


def test_certificate_is_checked_on_the_local_date(modules, reunion):
    """A certificate ending on 5 October covers a session at 02:00 on the 5th in La Réunion (the 4th in UTC)
    and not one at 01:00 on the 6th there (still the 5th in UTC)."""
    p = provider(until=datetime.date(2026, 10, 5))
    inside = new_session(
        modules[0], reunion, local(reunion, 2026, 10, 5, 2), local(reunion, 2026, 10, 5, 6), "3"
    )
    after = new_session(
        modules[0], reunion, local(reunion, 2026, 10, 6, 1), local(reunion, 2026, 10, 6, 3), "2"
    )
    assert inside.starts_at.date() == datetime.date(2026, 10, 4)
    assert after.starts_at.date() == datetime.date(2026, 10, 5)
    assert sessions_selectors.session_counts(inside) and p.is_certified_on(datetime.date(2026, 10, 5))
    assert not sessions_selectors.session_counts(after)


# --- Providers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"siret": "73282932000075"}, "siret", "Ce numéro SIRET n'est pas valide"),
        (
            {
                "qualiopi_number": "Q1",
                "qualiopi_valid_from": "2026-06-01",
                "qualiopi_valid_until": "2026-01-01",
            },
            "qualiopi_valid_until",
            "La fin de validité doit suivre son début.",
        ),
        (
            {"qualiopi_valid_from": "2026-01-01", "qualiopi_valid_until": "2027-01-01"},
            "qualiopi_number",
            "Indiquez le numéro du certificat Qualiopi.",
        ),
    ],
    ids=["bad-siret", "dates-order", "number-required"],
)
def test_provider_save_refuses_bad_input(pedagogical, values, field, message):
    """A bad SIRET key, reversed dates or dates without number are refused; nothing is written."""
    p = TrainingProvider(name="Organisme", **({"siret": SIRET} | values))
    with pytest.raises(ValidationError) as exc:
        sessions_services.provider_save(provider=p, by=pedagogical)
    assert exc.value.message_dict[field] == [message] or message in exc.value.message_dict[field][0]
    assert not TrainingProvider.objects.exists()


def test_provider_save_is_the_teams(ars_staff):
    """ARS staff cannot register a provider."""
    with pytest.raises(PermissionDenied):
        sessions_services.provider_save(provider=TrainingProvider(name="X", siret=SIRET), by=ars_staff)
    assert not TrainingProvider.objects.exists()


def test_qualiopi_status():
    """valid, expiring within 60 days, expired, none."""
    today = datetime.date(2026, 10, 1)
    assert sessions_selectors.provider_qualiopi_status(provider("A", siret=SIRET), today=today) == "valid"
    soon = provider("B", siret="12345678901237", until=datetime.date(2026, 11, 30))
    assert sessions_selectors.provider_qualiopi_status(soon, today=today) == "expiring"
    past = provider("C", siret="44209123400017", until=datetime.date(2026, 9, 30))
    assert sessions_selectors.provider_qualiopi_status(past, today=today) == "expired"
    assert sessions_selectors.provider_qualiopi_status(TrainingProvider(name="D"), today=today) == "none"


def test_qualiopi_expiry_reminders_once_per_end_date(db):
    """The team is told once about a certificate ending within 60 days; a new end date re-arms it."""
    team = PedagogicalFactory()
    ArsStaffFactory()
    today = timezone.localdate()
    soon = provider("Bientôt expiré", until=today + datetime.timedelta(days=30))
    provider("Encore loin", siret="12345678901237", until=today + datetime.timedelta(days=200))
    provider("Déjà expiré", siret="44209123400017", until=today - datetime.timedelta(days=1))
    assert sessions_tasks.qualiopi_expiry_reminders.delay().get() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [team.email]
    assert "Bientôt expiré" in mail.outbox[0].body and "Encore loin" not in mail.outbox[0].body
    assert sessions_tasks.qualiopi_expiry_reminders.delay().get() == 0
    assert len(mail.outbox) == 1
    soon.refresh_from_db()
    assert soon.expiry_reminder_sent_for == soon.qualiopi_valid_until
    soon.qualiopi_valid_until = today + datetime.timedelta(days=45)
    sessions_services.provider_save(provider=soon, by=team)
    assert sessions_tasks.qualiopi_expiry_reminders.delay().get() == 1
    assert len(mail.outbox) == 2


# --- Session reminders ----------------------------------------------------------------------------


def test_session_reminders_once_to_invited_learners(setup, region, other_region):
    """Invited learners get one reminder the day before; a replay sends nothing; others get none."""
    invited = [EnrolmentFactory(cohort=setup["cohort"]).user for _ in range(2)]
    EnrolmentFactory(cohort=setup["other_cohort"])
    zone = ZoneInfo(region.timezone)
    tomorrow = timezone.now().astimezone(zone).date() + datetime.timedelta(days=1)
    s = new_session(
        setup["module"],
        region,
        datetime.datetime.combine(tomorrow, datetime.time(9), tzinfo=zone),
        datetime.datetime.combine(tomorrow, datetime.time(17), tzinfo=zone),
        "7",
    )
    sessions_services.session_save(session=s, trainers=[], cohorts=[setup["cohort"]], by=setup["ars"])
    later = new_session(
        setup["module"],
        region,
        s.starts_at + datetime.timedelta(days=2),
        s.ends_at + datetime.timedelta(days=2),
        "7",
    )
    sessions_services.session_save(session=later, trainers=[], cohorts=[setup["cohort"]], by=setup["ars"])
    assert sessions_tasks.session_reminders.delay().get() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in invited)
    assert "Demain : Séminaire régional" in mail.outbox[0].subject
    assert "09:00" in mail.outbox[0].body
    assert sessions_tasks.session_reminders.delay().get() == 0
    assert len(mail.outbox) == 2
    s.refresh_from_db()
    later.refresh_from_db()
    assert s.reminder_sent_at is not None and later.reminder_sent_at is None


def test_session_reminder_uses_the_regions_local_date(setup, reunion, programme):
    """At 01:00 on 2 October in La Réunion (21:00 UTC on the 1st), a session at 09:00 on the 3rd there
    is tomorrow, though it is two days away by the UTC date."""
    cohort = CohortFactory(programme=programme, region=reunion, name="Réunion 2026")
    learner = EnrolmentFactory(cohort=cohort).user
    team = PedagogicalFactory()
    s = new_session(
        setup["module"], reunion, local(reunion, 2026, 10, 3, 9), local(reunion, 2026, 10, 3, 12), "3"
    )
    sessions_services.session_save(session=s, trainers=[], cohorts=[cohort], by=team)
    now = datetime.datetime(2026, 10, 1, 21, 0, tzinfo=UTC)
    assert sessions_selectors.sessions_due_for_reminder(now=now) == [s.pk]
    assert sessions_selectors.sessions_due_for_reminder(now=now - datetime.timedelta(hours=2)) == []
    assert sessions_services.session_reminder_send(session_id=s.pk, now=now) == 1
    assert mail.outbox[0].to == [learner.email]
    assert "samedi 3 octobre 2026 à 09:00" in mail.outbox[0].body
    assert sessions_services.session_reminder_send(session_id=s.pk, now=now) == 0


class FailingOnceBackend(locmem.EmailBackend):
    """The test outbox, refusing (once) messages to the addresses in FAILING_ONCE, as an SMTP
    server that drops the connection halfway through a batch would."""

    def send_messages(self, messages):
        for message in messages:
            if set(message.to) & FAILING_ONCE:
                FAILING_ONCE.difference_update(message.to)
                raise ConnectionResetError("SMTP connection lost")
        return super().send_messages(messages)


FAILING_ONCE: set[str] = set()


def test_session_reminder_retry_emails_no_one_twice(setup, settings):
    """A failure on the third of four learners: the fourth is still emailed, the session stays due, and the
    next run emails only the third: each learner has exactly one email."""
    settings.EMAIL_BACKEND = f"{__name__}.FailingOnceBackend"
    learners = [EnrolmentFactory(cohort=setup["cohort"]).user for _ in range(4)]
    s = new_session(
        setup["module"],
        setup["cohort"].region,
        datetime.datetime(2026, 10, 6, 7, tzinfo=UTC),
        datetime.datetime(2026, 10, 6, 15, tzinfo=UTC),
        "7",
    )
    sessions_services.session_save(session=s, trainers=[], cohorts=[setup["cohort"]], by=setup["ars"])
    now = datetime.datetime(2026, 10, 5, 8, tzinfo=UTC)
    FAILING_ONCE.clear()
    FAILING_ONCE.add(sorted(learners, key=lambda u: u.pk)[2].email)
    assert sessions_services.session_reminder_send(session_id=s.pk, now=now) == 3
    assert len(mail.outbox) == 3
    s.refresh_from_db()
    assert s.reminder_sent_at is None
    assert sessions_services.session_reminder_send(session_id=s.pk, now=now) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in learners)
    s.refresh_from_db()
    assert s.reminder_sent_at == now
    assert sessions_services.session_reminder_send(session_id=s.pk, now=now) == 0
    assert len(mail.outbox) == 4


# --- One line, and a failure that stops no one else -------------------------------------------


def _tomorrow_session(setup, region, title="Séminaire régional", hour=9):
    zone = ZoneInfo(region.timezone)
    tomorrow = timezone.now().astimezone(zone).date() + datetime.timedelta(days=1)
    s = new_session(
        setup["module"],
        region,
        datetime.datetime.combine(tomorrow, datetime.time(hour), tzinfo=zone),
        datetime.datetime.combine(tomorrow, datetime.time(hour + 3), tzinfo=zone),
        "3",
        title=title,
    )
    return sessions_services.session_save(session=s, trainers=[], cohorts=[setup["cohort"]], by=setup["ars"])


def test_session_title_and_place_with_line_breaks_are_stored_on_one_line(setup, region):
    """A title and a place typed with CR/LF, tabs or control characters are saved on one line."""
    s = new_session(
        setup["module"],
        region,
        local(region, 2026, 10, 6, 9),
        local(region, 2026, 10, 6, 12),
        "3",
        title="Séminaire\r\n  régional\x00",
        place="ARS\r\nBcc: someone@example.org\t 6 place des Colombes",
    )
    sessions_services.session_save(session=s, trainers=[], cohorts=[setup["cohort"]], by=setup["ars"])
    s.refresh_from_db()
    assert s.title == "Séminaire régional"
    assert s.place == "ARS Bcc: someone@example.org 6 place des Colombes"


def test_one_failing_reminder_does_not_stop_the_others(setup, region, caplog):
    """A learner whose stored address breaks the email: the failure is logged with the session and
    the learner, that learner is not marked reminded, and every other learner of every session is."""
    learners = [EnrolmentFactory(cohort=setup["cohort"]).user for _ in range(3)]
    broken = sorted(learners, key=lambda u: u.pk)[0]
    # A row written before any validation, as an old import could have left it.
    type(broken).objects.filter(pk=broken.pk).update(email="casse@example.org\nBcc: x@example.org")
    first = _tomorrow_session(setup, region, title="Séminaire du matin", hour=8)
    second = _tomorrow_session(setup, region, title="Séminaire de l'après-midi", hour=14)
    with caplog.at_level("ERROR"):
        assert sessions_tasks.session_reminders.delay().get() == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted([u.email for u in learners if u != broken] * 2)
    assert all("\n" not in m.subject for m in mail.outbox)
    failures = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(failures) == 2
    assert {f"session {first.pk}, learner {broken.pk}", f"session {second.pk}, learner {broken.pk}"} == {
        r.getMessage().removeprefix("Session reminder not sent: ") for r in failures
    }
    assert not SessionReminder.objects.filter(user=broken).exists()
    assert SessionReminder.objects.count() == 4
    for s in (first, second):
        s.refresh_from_db()
        assert s.reminder_sent_at is None  # the next hourly run tries the broken one again


def test_a_session_saved_before_the_rule_is_still_reminded_on_one_line(setup, region):
    """A session whose title was stored with CR/LF before titles were normalised still gets its
    reminder, with a one-line subject."""
    learner = EnrolmentFactory(cohort=setup["cohort"]).user
    s = _tomorrow_session(setup, region)
    PresentialSession.objects.filter(pk=s.pk).update(title="Séminaire\r\nrégional")
    assert sessions_tasks.session_reminders.delay().get() == 1
    assert mail.outbox[0].to == [learner.email]
    assert mail.outbox[0].subject == "[DE Coordinateur CLS] Demain : Séminaire régional"


def test_qualiopi_reminder_reaches_the_team_despite_one_broken_address(db, caplog):
    """One team member's address breaks the email: the others are told, the failure is logged, and
    the reminder counts as given."""
    team = [PedagogicalFactory() for _ in range(2)]
    broken = PedagogicalFactory()
    type(broken).objects.filter(pk=broken.pk).update(email="equipe@example.org\r\nBcc: x@example.org")
    soon = provider("Bientôt expiré", until=timezone.localdate() + datetime.timedelta(days=30))
    with caplog.at_level("ERROR"):
        assert sessions_tasks.qualiopi_expiry_reminders.delay().get() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in team)
    assert any("Qualiopi expiry reminder not sent" in r.getMessage() for r in caplog.records)
    soon.refresh_from_db()
    assert soon.expiry_reminder_sent_for == soon.qualiopi_valid_until
