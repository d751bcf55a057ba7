"""Races between two database connections on PostgreSQL: the row locks the services take keep an
option change, a lesson completion, a knowledge check, an attendance confirmation and a declaration
review from interleaving.

Each race runs in two threads, each on its own connection. The first calls a service inside a
transaction kept open, so the row locks it took are held. The second calls a conflicting service
and must wait: the test reads in ``pg_stat_activity`` that it waits for a lock held by the first
(``pg_blocking_pids``), on the ``SELECT … FOR UPDATE`` of the expected table, so the test fails if
the lock is removed even when another mechanism (a unique constraint) would still block. Then the
first commits, and the second's answer and the database are checked.

Only PostgreSQL takes these row locks (SQLite serialises whole transactions): without it the module
is skipped on a developer's machine and fails in CI (``CI_REQUIRE_SERVICES``). The threads must
see the data the test built, so the tests are transactional: each builds its own programme (the
module-scoped one of tests/conftest.py holds a transaction open), and the rows Wagtail's
migrations create, removed by the flush after each test, are put back.
"""

from __future__ import annotations

import datetime
import os
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import update_last_login
from django.contrib.messages import get_messages
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.db.models import Model
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from courses.attendance import services as attendance_services
from courses.attendance.models import Attendance, AttendanceStatus
from courses.attendance.services import Mark
from courses.cohorts import invitations as cohorts_invitations
from courses.cohorts import services as cohorts_services
from courses.cohorts.models import ElectiveChoice, Enrolment
from courses.hours.models import DeclarationStatus, HoursEntry, OrganisationDeclaration
from courses.hours.services import declaration_refuse, declaration_validate, declaration_withdraw
from courses.learning import services as learning_services
from courses.learning.models import LessonCompletion
from courses.sessions.models import PresentialSession, TrainingProvider
from tests.factories import (
    ArsStaffFactory,
    CohortFactory,
    EnrolmentFactory,
    PedagogicalFactory,
    RegionFactory,
    TrainerFactory,
    build_programme,
    ensure_wagtail_base_rows,
    lessons_of,
    modules_of,
)

pytestmark = pytest.mark.django_db(transaction=True)

#: Seconds a thread may take to reach a point of the race; only a broken race ever waits this long.
TIMEOUT = 10.0
#: How long the second call is watched still waiting once it met the first one's lock.
STILL_BLOCKED = 0.3

DAY = datetime.date(2026, 10, 5)
# 09:00–17:00 in Paris (UTC+2 in October): a morning and an afternoon of 3.5 h each.
STARTS = datetime.datetime(2026, 10, 5, 7, 0, tzinfo=datetime.UTC)
ENDS = datetime.datetime(2026, 10, 5, 15, 0, tzinfo=datetime.UTC)
DURING_MORNING = datetime.datetime(2026, 10, 5, 8, 0, tzinfo=datetime.UTC)
DURING_AFTERNOON = datetime.datetime(2026, 10, 5, 12, 30, tzinfo=datetime.UTC)


def _require_postgresql() -> None:
    """Return on PostgreSQL; otherwise skip on a developer's machine and fail in CI, where these
    tests must run."""
    if connections["default"].vendor == "postgresql":
        return
    message = "the row-lock races need PostgreSQL (DATABASE_URL=postgres://…)"
    if os.environ.get("CI_REQUIRE_SERVICES"):
        pytest.fail(f"{message}: required in CI (CI_REQUIRE_SERVICES is set)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module", autouse=True)
def _wagtail_base_rows_restored(django_db_blocker):
    """After the flush that ends the module's last test, put back the rows Wagtail's migrations
    create, for the tests that run after these (see tests/browser/conftest.py). Module-scoped
    because pytest-django flushes after any function-scoped fixture of ours."""
    _require_postgresql()
    yield
    with django_db_blocker.unblock():
        ensure_wagtail_base_rows()


@pytest.fixture
def race_modules():
    """One core and three optional modules of two lessons (the second ends with a quiz), committed,
    so that both threads see them."""
    cache.clear()
    ensure_wagtail_base_rows()
    return modules_of(build_programme(core=1))


@pytest.fixture
def region():
    return RegionFactory()


@pytest.fixture
def cohort(race_modules, region):
    return CohortFactory(programme=race_modules[0].get_parent().specific, region=region)


@pytest.fixture
def enrolment(cohort, race_modules):
    """A learner who chose Santé environnement and Santé mentale."""
    enrolment = EnrolmentFactory(cohort=cohort)
    learning_services.options_choose(enrolment=enrolment, modules=race_modules[2:4])
    return enrolment


# --- Two connections at once ---------------------------------------------------------------------


class Racer(threading.Thread):
    """Calls `call` on the thread's own database connection, keeping its result or exception.

    With `hold`, the call runs inside a transaction left open until `release()`, so the row locks
    it took are held meanwhile; with `barrier`, the call starts when the other racer's does."""

    def __init__(
        self, call: Callable[[], Any], *, hold: bool = False, barrier: threading.Barrier | None = None
    ):
        super().__init__(daemon=True)
        self.call, self.hold, self.barrier = call, hold, barrier
        self.pid: int | None = None
        self.result: Any = None
        self.error: BaseException | None = None
        self.ready = threading.Event()
        self.returned = threading.Event()
        self._release = threading.Event()

    def release(self) -> None:
        self._release.set()

    def run(self) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = cursor.fetchone()[0]
            self.ready.set()
            if self.barrier is not None:
                self.barrier.wait(TIMEOUT)
            if self.hold:
                with transaction.atomic():
                    self._call()
                    self._release.wait(TIMEOUT)
            else:
                self._call()
        except BaseException as exc:  # the commit itself failed: the test reports it
            self.error = exc
        finally:
            self.ready.set()
            self.returned.set()
            connection.close()

    def _call(self) -> None:
        try:
            self.result = self.call()
        except BaseException as exc:
            self.error = exc
        finally:
            self.returned.set()


def _waited_query(*, waiter: Racer, holder: Racer) -> str:
    """The query `waiter` is stuck on, once PostgreSQL shows it waiting for a lock `holder` holds;
    fails if `waiter` finishes without ever waiting."""
    deadline = time.monotonic() + TIMEOUT
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT wait_event_type, query, pg_blocking_pids(pid) FROM pg_stat_activity WHERE pid = %s",
                [waiter.pid],
            )
            row = cursor.fetchone()
            if row and row[0] == "Lock" and holder.pid in row[2]:
                return row[1]
            if waiter.returned.is_set():
                pytest.fail(
                    "The second call did not wait for the first one's lock: it answered "
                    f"{waiter.result!r} / raised {waiter.error!r} while the first was still open."
                )
            time.sleep(0.01)
    pytest.fail(f"The second call never waited for a lock within {TIMEOUT} s.")


def race_held(
    first: Callable[[], Any],
    second: Callable[[], Any],
    *,
    locked: type[Model],
    statement: str = "FOR UPDATE",
) -> tuple[Racer, Racer]:
    """Run `first` and keep its transaction open; run `second`, which must wait for `first`, in a
    `statement` on the table of `locked` (by default its `SELECT … FOR UPDATE`); then let `first`
    commit, and return both once `second` has answered."""
    holder = Racer(first, hold=True)
    waiter = Racer(second)
    holder.start()
    try:
        assert holder.returned.wait(TIMEOUT), "the first call never returned"
        assert holder.error is None, f"the first call failed: {holder.error!r}"
        waiter.start()
        assert waiter.ready.wait(TIMEOUT)
        query = _waited_query(waiter=waiter, holder=holder)
        table = locked._meta.db_table
        assert statement in query and f'"{table}"' in query, f"waited elsewhere than expected: {query}"
        time.sleep(STILL_BLOCKED)
        assert not waiter.returned.is_set(), "the second call went on while the first held its lock"
    finally:
        holder.release()
        holder.join(TIMEOUT)
        if waiter.ident is not None:
            waiter.join(TIMEOUT)
    assert not holder.is_alive() and not waiter.is_alive(), "a racer is stuck"
    assert holder.error is None, f"the first call failed to commit: {holder.error!r}"
    return holder, waiter


def race_passes(first: Callable[[], Any], second: Callable[[], Any]) -> tuple[Racer, Racer]:
    """Run `first` and keep its transaction open; `second` must answer meanwhile, without waiting."""
    holder = Racer(first, hold=True)
    passer = Racer(second)
    holder.start()
    try:
        assert holder.returned.wait(TIMEOUT), "the first call never returned"
        assert holder.error is None, f"the first call failed: {holder.error!r}"
        passer.start()
        passer.join(TIMEOUT)
        assert passer.returned.is_set(), "the second call waited for the first one's transaction"
    finally:
        holder.release()
        holder.join(TIMEOUT)
        if passer.ident is not None:
            passer.join(TIMEOUT)
    assert holder.error is None, f"the first call failed to commit: {holder.error!r}"
    return holder, passer


def race_free(first: Callable[[], Any], second: Callable[[], Any]) -> tuple[Racer, Racer]:
    """Start both calls at the same instant and let them run to the end."""
    barrier = threading.Barrier(2)
    racers = Racer(first, barrier=barrier), Racer(second, barrier=barrier)
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(TIMEOUT)
    assert not any(r.is_alive() for r in racers), "a racer is stuck"
    return racers


def messages_of(error: BaseException | None) -> str:
    assert isinstance(error, ValidationError), f"expected a ValidationError, got {error!r}"
    return " ".join(error.messages)


# --- Option change × lesson completion -----------------------------------------------------------


def chosen(enrolment: Enrolment) -> set[int]:
    return set(ElectiveChoice.objects.filter(enrolment=enrolment).values_list("module_id", flat=True))


def assert_option_rule(enrolment: Enrolment) -> None:
    """No completion and no hours in an optional module the learner does not follow."""
    optional = {m.pk for m in modules_of(enrolment.programme) if m.is_optional}
    credited = set(HoursEntry.objects.filter(enrolment=enrolment).values_list("module_id", flat=True))
    completed = {c.lesson.get_parent().pk for c in LessonCompletion.objects.filter(enrolment=enrolment)}
    assert (credited | completed) & optional <= chosen(enrolment)


def test_option_change_waits_for_a_completion_then_is_refused(enrolment, race_modules):
    """A completion in a chosen option holds the enrolment: a change of options dropping that
    module waits for it, then is refused (the module is started); the completion stays credited."""
    dropped, kept, other = race_modules[2], race_modules[3], race_modules[1]
    lesson = lessons_of(dropped)[0]
    first, second = race_held(
        lambda: learning_services.lesson_complete(enrolment=enrolment, lesson=lesson),
        lambda: learning_services.options_choose(enrolment=enrolment, modules=[other, kept]),
        locked=Enrolment,
    )
    assert first.result is True
    assert "Vous avez commencé le module « Santé environnement »" in messages_of(second.error)
    assert chosen(enrolment) == {dropped.pk, kept.pk}
    assert LessonCompletion.objects.filter(enrolment=enrolment, lesson=lesson).count() == 1
    assert HoursEntry.objects.get(enrolment=enrolment).module_id == dropped.pk
    assert_option_rule(enrolment)


def test_completion_waits_for_an_option_change_then_is_refused(enrolment, race_modules):
    """A change of options holds the enrolment: a completion in the module it drops waits for it,
    then is refused (the module is no longer followed); nothing is credited."""
    dropped, kept, other = race_modules[2], race_modules[3], race_modules[1]
    lesson = lessons_of(dropped)[0]
    first, second = race_held(
        lambda: learning_services.options_choose(enrolment=enrolment, modules=[other, kept]),
        lambda: learning_services.lesson_complete(enrolment=enrolment, lesson=lesson),
        locked=Enrolment,
    )
    assert {m.pk for m in first.result} == {other.pk, kept.pk}
    assert "Vous ne suivez pas le module « Santé environnement »" in messages_of(second.error)
    assert chosen(enrolment) == {other.pk, kept.pk}
    assert not LessonCompletion.objects.filter(enrolment=enrolment).exists()
    assert not HoursEntry.objects.filter(enrolment=enrolment).exists()
    assert_option_rule(enrolment)


def test_option_change_and_completion_at_once_obey_the_rule(cohort, race_modules):
    """Started at the same instant, whichever commits first wins and the other is refused: either
    the old options with the lesson credited, or the new options with nothing credited."""
    dropped, kept, other = race_modules[2], race_modules[3], race_modules[1]
    lesson = lessons_of(dropped)[0]
    for _ in range(4):
        enrolment = EnrolmentFactory(cohort=cohort)
        learning_services.options_choose(enrolment=enrolment, modules=[dropped, kept])
        complete, change = race_free(
            lambda e=enrolment: learning_services.lesson_complete(enrolment=e, lesson=lesson),
            lambda e=enrolment: learning_services.options_choose(enrolment=e, modules=[other, kept]),
        )
        credited = HoursEntry.objects.filter(enrolment=enrolment, lesson=lesson).count()
        if complete.error is None:
            assert (complete.result, credited, chosen(enrolment)) == (True, 1, {dropped.pk, kept.pk})
            assert "Vous avez commencé le module" in messages_of(change.error)
        else:
            assert change.error is None, change.error
            assert (credited, chosen(enrolment)) == (0, {other.pk, kept.pk})
            assert "Vous ne suivez pas le module" in messages_of(complete.error)
        assert_option_rule(enrolment)


# --- The same completion twice -------------------------------------------------------------------


def test_same_completion_posted_twice_is_credited_once(enrolment, race_modules):
    """Two completions of one lesson at once: the second waits for the first, then answers « déjà
    terminée » (no error page); started at the same instant, one credits and the other answers
    « déjà terminée »; the ledger holds one entry per lesson."""
    lesson = lessons_of(race_modules[2])[0]
    client = Client()
    client.force_login(enrolment.user)
    first, second = race_held(
        lambda: learning_services.lesson_complete(enrolment=enrolment, lesson=lesson),
        lambda: client.post(reverse("courses:lesson_complete", args=[lesson.pk])),
        locked=Enrolment,
    )
    assert first.result is True
    assert second.error is None, second.error
    assert second.result.status_code == 302
    assert [str(m) for m in get_messages(second.result.wsgi_request)] == [
        "Cette leçon était déjà terminée : ses heures sont créditées une seule fois."
    ]
    for other in (lessons_of(race_modules[0])[0], lessons_of(race_modules[3])[0]):
        one, two = race_free(
            lambda other=other: learning_services.lesson_complete(enrolment=enrolment, lesson=other),
            lambda other=other: learning_services.lesson_complete(enrolment=enrolment, lesson=other),
        )
        assert (one.error, two.error) == (None, None)
        assert sorted([one.result, two.result]) == [False, True]
    assert LessonCompletion.objects.filter(enrolment=enrolment).count() == 3
    entries = HoursEntry.objects.filter(enrolment=enrolment)
    assert sorted(e.lesson_id for e in entries) == sorted(
        [lesson.pk, lessons_of(race_modules[0])[0].pk, lessons_of(race_modules[3])[0].pk]
    )


# --- A knowledge check submitted twice -----------------------------------------------------------


def passing_answers() -> QueryDict:
    data = QueryDict(mutable=True)
    data.setlist("q0", ["0"])
    data.setlist("q1", ["0", "1"])
    return data


def test_knowledge_check_submitted_twice_is_credited_once(enrolment, race_modules):
    """Two passing submissions of one quiz at once: the second waits for the first; both attempts
    pass, the lesson is completed and credited once."""
    lesson = lessons_of(race_modules[2])[-1]
    assert lesson.knowledge_check is not None

    def submit():
        return learning_services.knowledge_check_submit(
            enrolment=enrolment, lesson=lesson, data=passing_answers()
        )

    first, second = race_held(submit, submit, locked=Enrolment)
    assert second.error is None, second.error
    assert first.result.passed and second.result.passed
    assert LessonCompletion.objects.filter(enrolment=enrolment, lesson=lesson).count() == 1
    entry = HoursEntry.objects.get(enrolment=enrolment)
    assert (entry.lesson_id, entry.hours) == (lesson.pk, lesson.duration_hours)


# --- Attendance sheets -----------------------------------------------------------------------------


@pytest.fixture
def sheet(race_modules, region, cohort):
    """A Bretagne session's Monday, both half-days marked by its trainer for three learners
    (present, partial 1.5 h, absent), two more left unmarked, nothing confirmed; an ARS
    référent·e of the region and a pedagogical-team member may confirm."""
    provider = TrainingProvider.objects.create(
        name="Organisme Armor",
        siret="12345678900011",
        qualiopi_number="QUA-2024-0042",
        qualiopi_valid_from=datetime.date(2024, 1, 1),
        qualiopi_valid_until=datetime.date(2027, 12, 31),
    )
    session = PresentialSession.objects.create(
        module=race_modules[0],
        provider=provider,
        region=region,
        title="Séminaire régional CLS",
        place="Rennes, ARS Bretagne",
        starts_at=STARTS,
        ends_at=ENDS,
        hours=Decimal(7),
    )
    trainer = TrainerFactory()
    session.cohorts.set([cohort])
    session.trainers.set([trainer])
    learners = [EnrolmentFactory(cohort=cohort) for _ in range(5)]
    Enrolment.objects.filter(pk__in=[e.pk for e in learners]).update(
        created_at=datetime.datetime(2026, 9, 1, 8, 0, tzinfo=datetime.UTC)
    )
    a, b, c, _, _ = learners
    for half_day in ("am", "pm"):
        attendance_services.attendance_mark(
            session=session,
            day=DAY,
            half_day=half_day,
            marks=[
                Mark(a.pk, AttendanceStatus.PRESENT),
                Mark(b.pk, AttendanceStatus.PARTIAL, Decimal("1.5")),
                Mark(c.pk, AttendanceStatus.ABSENT),
            ],
            by=trainer,
        )
    return {
        "session": session,
        "learners": learners,
        "trainer": trainer,
        "ars": ArsStaffFactory(regions=[region]),
        "pedagogical": PedagogicalFactory(),
    }


def confirm(sheet, half_day: str, by) -> Callable[[], Any]:
    return lambda: attendance_services.attendance_confirm(
        session=sheet["session"], day=DAY, half_day=half_day, by=by
    )


def test_two_staff_confirming_one_sheet_confirm_and_credit_once(sheet):
    """Two staff confirm the same half-day at once, in either order: the second waits for the
    first, then is told the sheet is already confirmed; the confirmation is the first's, each
    presence is credited once, and no absence is."""
    a, b, c, d, e = sheet["learners"]
    for half_day, first_by, second_by in (
        ("am", sheet["ars"], sheet["pedagogical"]),
        ("pm", sheet["pedagogical"], sheet["ars"]),
    ):
        first, second = race_held(
            confirm(sheet, half_day, first_by), confirm(sheet, half_day, second_by), locked=Attendance
        )
        assert len(first.result) == 2
        assert "est déjà confirmée : elle ne peut plus être modifiée" in messages_of(second.error)
        records = Attendance.objects.filter(session=sheet["session"], day=DAY, half_day=half_day)
        assert {(r.enrolment_id, r.status) for r in records} == {
            (a.pk, AttendanceStatus.PRESENT),
            (b.pk, AttendanceStatus.PARTIAL),
            (c.pk, AttendanceStatus.ABSENT),
            (d.pk, AttendanceStatus.ABSENT),
            (e.pk, AttendanceStatus.ABSENT),
        }
        assert {(r.confirmed_by_id, r.confirmed_at) for r in records} == {
            (first_by.pk, first.result[0].attendance.confirmed_at)
        }
        credited = HoursEntry.objects.filter(attendance__in=records).order_by("hours")
        assert [(e.enrolment_id, e.hours, e.recorded_by_id) for e in credited] == [
            (b.pk, Decimal("1.5"), first_by.pk),
            (a.pk, Decimal("3.5"), first_by.pk),
        ]


def checkin(sheet, learner: Enrolment, now: datetime.datetime) -> Callable[[], Any]:
    return lambda: attendance_services.attendance_checkin(
        session=sheet["session"], user=learner.user, now=now
    )


def test_checkin_racing_the_confirmation_is_refused(sheet):
    """A learner checks in while the sheet is being confirmed: the check-in waits for the
    confirmation, then is refused as confirmed, whether the learner was marked absent (their
    record is locked) or not marked at all (the confirmation records them absent first, and the
    two do not deadlock); the confirmed records stay as confirmed, nothing is credited to them."""
    _, _, absent, _, unmarked = sheet["learners"]
    races = (
        ("am", absent, DURING_MORNING, "FOR UPDATE"),
        ("pm", unmarked, DURING_AFTERNOON, "INSERT INTO"),
    )
    for half_day, learner, now, statement in races:
        _, second = race_held(
            confirm(sheet, half_day, sheet["ars"]),
            checkin(sheet, learner, now),
            locked=Attendance,
            statement=statement,
        )
        assert "est déjà confirmée" in messages_of(second.error)
        record = Attendance.objects.get(session=sheet["session"], enrolment=learner, half_day=half_day)
        assert (record.status, record.hours, record.confirmed_by_id) == (
            AttendanceStatus.ABSENT,
            Decimal(0),
            sheet["ars"].pk,
        )
        assert not HoursEntry.objects.filter(enrolment=learner).exists()


def test_checkin_racing_the_marking_does_not_deadlock(sheet):
    """A learner checks in while the trainer marks them present on the sheet: the check-in waits
    for the marking, then answers « déjà enregistré·e » (no deadlock, no error page); one record."""
    unmarked = sheet["learners"][3]
    _, second = race_held(
        lambda: attendance_services.attendance_mark(
            session=sheet["session"],
            day=DAY,
            half_day="pm",
            marks=[Mark(unmarked.pk, AttendanceStatus.PRESENT)],
            by=sheet["trainer"],
        ),
        checkin(sheet, unmarked, DURING_AFTERNOON),
        locked=Attendance,
        statement="INSERT INTO",
    )
    assert "Vous êtes déjà enregistré·e" in messages_of(second.error)
    record = Attendance.objects.get(session=sheet["session"], enrolment=unmarked)
    assert (record.status, record.source, record.marked_by_id) == (
        AttendanceStatus.PRESENT,
        attendance_services.SOURCE_STAFF,
        sheet["trainer"].pk,
    )


# --- Two staff reviewing one declaration ---------------------------------------------------------


def test_one_declaration_decided_at_once_is_decided_once(enrolment, race_modules, region):
    """Two decisions on the same declaration at once (two staff validating, a validation and a
    refusal, the learner withdrawing it while it is validated, each in both orders): the second
    waits for the first, then is told why it no longer applies; the first decision stands,
    credited once if it is a validation, the learner emailed once about a review."""
    ars, team = ArsStaffFactory(regions=[region]), PedagogicalFactory()
    learner = enrolment.user
    validated = "Cette déclaration est déjà validée : rien n'a été modifié."
    refused = "Cette déclaration est déjà refusée : rien n'a été modifié."
    not_withdrawable = "Cette déclaration est validée : elle ne peut plus être retirée."
    withdrawn = "L'apprenant·e a retiré cette déclaration : elle ne peut plus être examinée."
    cases = (
        ("validate", ars, "validate", team, DeclarationStatus.VALIDATED, validated),
        ("validate", ars, "refuse", team, DeclarationStatus.VALIDATED, validated),
        ("refuse", team, "validate", ars, DeclarationStatus.REFUSED, refused),
        ("validate", team, "withdraw", learner, DeclarationStatus.VALIDATED, not_withdrawable),
        ("withdraw", learner, "validate", ars, DeclarationStatus.WITHDRAWN, withdrawn),
    )

    def decide(action: str, declaration: OrganisationDeclaration, by) -> Callable[[], Any]:
        if action == "validate":
            return lambda: declaration_validate(declaration=declaration, by=by)
        if action == "refuse":
            return lambda: declaration_refuse(
                declaration=declaration, reason="Justificatif illisible.", by=by
            )
        return lambda: declaration_withdraw(declaration=declaration, by=by)

    for first_does, first_by, second_does, second_by, status, refusal in cases:
        declaration = OrganisationDeclaration.objects.create(
            enrolment=enrolment,
            module=race_modules[0],
            occurred_on=datetime.date(2026, 10, 6),
            hours=Decimal("3.5"),
            description="Diagnostic local de santé avec la mairie.",
            status=DeclarationStatus.SUBMITTED,
        )
        mail.outbox.clear()
        _, second = race_held(
            decide(first_does, declaration, first_by),
            decide(second_does, declaration, second_by),
            locked=OrganisationDeclaration,
        )
        assert messages_of(second.error) == refusal
        declaration.refresh_from_db()
        reviewer = None if first_does == "withdraw" else first_by.pk
        assert (declaration.status, declaration.reviewed_by_id) == (status, reviewer)
        credited = [(e.hours, e.recorded_by_id) for e in HoursEntry.objects.filter(declaration=declaration)]
        assert credited == ([(Decimal("3.5"), first_by.pk)] if first_does == "validate" else [])
        assert len(mail.outbox) == (0 if first_does == "withdraw" else 1)


# --- An email being sent -------------------------------------------------------------------------


def test_invitation_being_sent_locks_only_the_enrolment(cohort, region):
    """While an invitation email is being sent (its enrolment locked until the mail server has
    answered), staff saving the cohort and the learner signing in do not wait for it."""
    enrolment = EnrolmentFactory(cohort=cohort)
    staff = ArsStaffFactory(regions=[region])
    mail.outbox.clear()

    def save_cohort():
        cohort.name = "Bretagne 2026 — groupe B"
        return cohorts_services.cohort_save(cohort=cohort, by=staff)

    for meanwhile in (save_cohort, lambda: update_last_login(None, enrolment.user)):
        _, other = race_passes(
            lambda: cohorts_invitations.invitation_send(enrolment_id=enrolment.pk), meanwhile
        )
        assert other.error is None, other.error
    assert len(mail.outbox) == 1
