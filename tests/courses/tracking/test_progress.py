"""The cohort progress rows that ARS staff follow: hours, targets, modules, activity, status."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.cohorts.models import Cohort, ElectiveChoice, Enrolment
from courses.enums import HoursSource, Modality
from courses.hours import services as hours_services
from courses.hours.models import HoursEntry
from courses.learning import services as learning_services
from courses.learning.models import LessonActivity, LessonCompletion
from courses.tracking.progress import (
    LearnerStatus,
    cohort_hours_chart,
    cohort_progress,
    cohort_progress_sort_filter,
)
from lms.enums import Role
from lms.models import User
from tests.factories import CohortFactory, EnrolmentFactory, RegionFactory, lessons_of

# Services stamp completions with the real time, so the reference time is the real time too.
NOW = timezone.now()
AGREED = datetime.date(2026, 6, 1)
ELEARNING, PRESENTIAL, ORGANISATION = Modality.ELEARNING, Modality.PRESENTIAL, Modality.ORGANISATION
# Core modules (4 × 12 / 5 / 7.5 h) plus Santé environnement and Santé mentale (6 / 4 / 6 h each).
TARGETS_SE_SM = {ELEARNING: Decimal(28), PRESENTIAL: Decimal(60), ORGANISATION: Decimal(42)}


def _learner(cohort, modules=None, *, eligible=True, options=(5, 6), **user):
    """An enrolment in `cohort`, with the joint agreement unless `eligible` is False, and the
    options at `options` (indices into `modules`) chosen when `modules` is given."""
    enrolment = EnrolmentFactory(
        cohort=cohort,
        ars_agreement_on=AGREED if eligible else None,
        employer_agreement_on=AGREED if eligible else None,
        **{f"user__{key}": value for key, value in user.items()},
    )
    if modules is not None and options:
        learning_services.options_choose(enrolment=enrolment, modules=[modules[i] for i in options])
    return enrolment


def _credit(enrolment, modality, hours, module, *, at=NOW):
    return HoursEntry.objects.create(
        enrolment=enrolment,
        modality=modality,
        source=HoursSource.ATTENDANCE if modality == PRESENTIAL else HoursSource.DECLARATION,
        module=module,
        hours=Decimal(hours),
        occurred_on=at.date(),
        recorded_by=enrolment.user,
        recorded_at=at,
    )


def _complete_module(enrolment, module):
    for lesson in lessons_of(module):
        learning_services.lesson_complete(enrolment=enrolment, lesson=lesson, passed_check=True)


def _row(cohort, enrolment, **kwargs):
    return next(
        row for row in cohort_progress(cohort=cohort, now=NOW, **kwargs) if row.enrolment == enrolment
    )


# --- Hours and targets ---------------------------------------------------------------------------


def test_targets_are_core_modules_plus_chosen_options(cohort, modules):
    """Options Santé environnement + Santé mentale give targets of 28 h e-learning, 60 h presential
    and 42 h in organisation; Méthodologie + Santé mentale give 30 / 72 / 50 h."""
    se_sm = _learner(cohort, modules, options=(5, 6))
    mp_sm = _learner(cohort, modules, options=(4, 6))
    assert _row(cohort, se_sm).targets == TARGETS_SE_SM
    assert _row(cohort, mp_sm).targets == {
        ELEARNING: Decimal(30),
        PRESENTIAL: Decimal(72),
        ORGANISATION: Decimal(50),
    }
    assert _row(cohort, se_sm).target_total == Decimal(130)


def test_targets_without_options_are_the_core_modules(cohort, modules):
    """A learner who has not chosen options yet is measured against the core modules alone."""
    enrolment = _learner(cohort, modules, options=())
    assert _row(cohort, enrolment).targets == {
        ELEARNING: Decimal(20),
        PRESENTIAL: Decimal(48),
        ORGANISATION: Decimal(30),
    }
    assert _row(cohort, enrolment).modules_followed == 4


def test_hours_are_the_ledger_sums_per_modality(cohort, modules):
    """Credited hours are summed per modality: lesson credits, attendance and declarations."""
    enrolment = _learner(cohort, modules)
    learning_services.lesson_complete(enrolment=enrolment, lesson=lessons_of(modules[0])[0])
    _credit(enrolment, PRESENTIAL, "6", modules[0])
    _credit(enrolment, PRESENTIAL, "3.5", modules[5])
    _credit(enrolment, ORGANISATION, "7.5", modules[1])
    row = _row(cohort, enrolment)
    assert row.hours == {ELEARNING: Decimal("2.5"), PRESENTIAL: Decimal("9.5"), ORGANISATION: Decimal("7.5")}
    assert row.percent == {ELEARNING: 9, PRESENTIAL: 16, ORGANISATION: 18}
    assert row.credited_total == Decimal("19.5")


def test_corrections_are_counted(cohort, modules, ars_staff):
    """A correction entry adjusts the credited hours of its modality, up or down."""
    enrolment = _learner(cohort, modules)
    entry = _credit(enrolment, PRESENTIAL, "6", modules[0])
    hours_services.hours_entry_correct(
        entry=entry, hours=Decimal("-2.5"), reason="Départ anticipé", by=ars_staff
    )
    declared = _credit(enrolment, ORGANISATION, "3", modules[0])
    hours_services.hours_entry_correct(entry=declared, hours=Decimal("1"), reason="Oubli", by=ars_staff)
    row = _row(cohort, enrolment)
    assert row.hours[PRESENTIAL] == Decimal("3.5")
    assert row.hours[ORGANISATION] == Decimal("4")


def test_credited_total_counts_each_modality_up_to_its_target(cohort, modules):
    """Hours beyond a modality's target do not make up for another modality."""
    enrolment = _learner(cohort, modules)
    _credit(enrolment, PRESENTIAL, "70", modules[0])
    row = _row(cohort, enrolment)
    assert row.hours[PRESENTIAL] == Decimal(70)
    assert row.percent[PRESENTIAL] == 100
    assert row.credited_total == Decimal(60)


def test_learner_of_another_cohort_never_appears(cohort, programme, modules):
    """Only the cohort's own enrolments are listed, and their figures ignore other cohorts' data."""
    mine = _learner(cohort, modules, last_name="Le Gall")
    other_cohort = CohortFactory(programme=programme, region=RegionFactory(), name="Occitanie 2026")
    theirs = _learner(other_cohort, modules, last_name="Fabre")
    _credit(theirs, PRESENTIAL, "12", modules[0])
    _complete_module(theirs, modules[0])
    rows = cohort_progress(cohort=cohort, now=NOW)
    assert [row.enrolment for row in rows] == [mine]
    assert rows[0].hours[PRESENTIAL] == 0
    assert rows[0].modules_done == 0
    assert rows[0].last_activity is None
    assert [row.enrolment for row in cohort_progress(cohort=other_cohort, now=NOW)] == [theirs]


def test_empty_cohort_has_no_rows(cohort, modules):
    """A cohort without learners gives an empty list and an all-zero chart."""
    assert cohort_progress(cohort=cohort) == []
    assert all(bar["target"] == 0 and bar["percent"] == 0 for bar in cohort_hours_chart([]))


# --- Modules -------------------------------------------------------------------------------------


def test_modules_done_counts_followed_modules_with_every_lesson_completed(cohort, modules):
    """A module counts once all its lessons are completed; a half-done module or a module the
    learner does not follow does not count."""
    enrolment = _learner(cohort, modules, options=(5, 6))
    _complete_module(enrolment, modules[0])
    _complete_module(enrolment, modules[5])
    learning_services.lesson_complete(enrolment=enrolment, lesson=lessons_of(modules[1])[0])
    LessonCompletion.objects.bulk_create(
        LessonCompletion(enrolment=enrolment, lesson=lesson) for lesson in lessons_of(modules[4])
    )
    row = _row(cohort, enrolment)
    assert (row.modules_done, row.modules_followed) == (2, 6)


def test_modules_done_ignores_unpublished_lessons(cohort, modules):
    """A module whose remaining lesson is unpublished counts as done once its live lessons are."""
    enrolment = _learner(cohort, modules)
    first, second = lessons_of(modules[0])
    learning_services.lesson_complete(enrolment=enrolment, lesson=first)
    second.live = False
    second.save(update_fields=["live"])
    assert _row(cohort, enrolment).modules_done == 1


# --- Last activity -------------------------------------------------------------------------------


@pytest.mark.parametrize("latest", ["heartbeat", "completion", "ledger"])
def test_last_activity_is_the_latest_of_heartbeat_completion_and_ledger(cohort, modules, latest):
    """Last activity is the latest heartbeat, lesson completion or ledger entry, whichever it is."""
    enrolment = _learner(cohort, modules)
    lesson = lessons_of(modules[0])[0]
    when = {
        source: NOW - datetime.timedelta(days=10 if source == latest else 20)
        for source in ("heartbeat", "completion", "ledger")
    }
    LessonActivity.objects.create(
        enrolment=enrolment,
        lesson=lesson,
        day=when["heartbeat"].date(),
        first_seen_at=when["heartbeat"],
        last_beat_at=when["heartbeat"],
    )
    LessonCompletion.objects.create(enrolment=enrolment, lesson=lesson, completed_at=when["completion"])
    _credit(enrolment, ORGANISATION, "2", modules[0], at=when["ledger"])
    assert _row(cohort, enrolment).last_activity == when[latest]


def test_last_activity_follows_heartbeats_from_the_service(cohort, modules):
    """A heartbeat recorded by the service moves the learner's last activity."""
    enrolment = _learner(cohort, modules)
    beat = NOW - datetime.timedelta(hours=3)
    learning_services.heartbeat_record(enrolment=enrolment, lesson=lessons_of(modules[5])[0], now=beat)
    assert _row(cohort, enrolment).last_activity == beat


# --- Status --------------------------------------------------------------------------------------


def test_status_not_eligible_without_the_joint_agreement(cohort, modules):
    """Without both the ARS and the employer agreement the learner is flagged, whatever else."""
    none = _learner(cohort, modules, eligible=False)
    ars_only = _learner(cohort, modules, eligible=False)
    ars_only.ars_agreement_on = AGREED
    ars_only.save()
    _credit(none, PRESENTIAL, "6", modules[0])
    assert _row(cohort, none).status == LearnerStatus.NOT_ELIGIBLE
    assert _row(cohort, ars_only).status == LearnerStatus.NOT_ELIGIBLE
    assert _row(cohort, none).status_label == "Accord conjoint manquant"


def test_status_options_missing(cohort, modules):
    """An eligible learner who has not chosen two options is asked to choose them."""
    enrolment = _learner(cohort, modules, options=())
    _credit(enrolment, PRESENTIAL, "6", modules[0])
    assert _row(cohort, enrolment).status == LearnerStatus.OPTIONS_MISSING


def _enrolled_days_ago(enrolment, days):
    Enrolment.objects.filter(pk=enrolment.pk).update(created_at=NOW - datetime.timedelta(days=days))


def test_never_active_learner_is_inactive_only_once_the_period_has_passed_since_enrolment(cohort, modules):
    """A learner enrolled 10 days ago who has not started yet is not inactive; 31 days, they are."""
    enrolment = _learner(cohort, modules)
    _enrolled_days_ago(enrolment, 10)
    assert _row(cohort, enrolment).status == LearnerStatus.IN_PROGRESS
    assert not _row(cohort, enrolment).inactive
    _enrolled_days_ago(enrolment, 31)
    assert _row(cohort, enrolment).status == LearnerStatus.INACTIVE


def test_inactivity_counts_from_enrolment_when_activity_is_older(cohort, modules):
    """Hours dated before a recent enrolment (e.g. a transfer) do not make the learner inactive."""
    enrolment = _learner(cohort, modules)
    _enrolled_days_ago(enrolment, 5)
    _credit(enrolment, ORGANISATION, "2", modules[0], at=NOW - datetime.timedelta(days=60))
    assert _row(cohort, enrolment).status == LearnerStatus.IN_PROGRESS


def test_inactive_is_flagged_even_when_another_status_comes_first(cohort, modules):
    """A learner without the agreement and quiet for 40 days shows both « Accord conjoint manquant »
    and « Inactif·ive », and is kept by the « inactive » filter."""
    enrolment = _learner(cohort, modules, eligible=False)
    _enrolled_days_ago(enrolment, 40)
    row = _row(cohort, enrolment)
    assert row.status == LearnerStatus.NOT_ELIGIBLE and row.inactive and row.also_inactive
    assert row.status_text == "Accord conjoint manquant · Inactif·ive"
    assert cohort_progress_sort_filter([row], status="inactive") == [row]


def test_status_inactive_after_the_given_number_of_days(cohort, modules):
    """No activity for `inactive_days` (30 by default) makes a learner inactive."""
    enrolment = _learner(cohort, modules)
    _enrolled_days_ago(enrolment, 60)
    _credit(enrolment, ORGANISATION, "2", modules[0], at=NOW - datetime.timedelta(days=31))
    assert _row(cohort, enrolment).status == LearnerStatus.INACTIVE
    assert _row(cohort, enrolment, inactive_days=45).status == LearnerStatus.IN_PROGRESS


def test_status_in_progress_when_recently_active(cohort, modules):
    """A learner active within the period, below their targets, is in progress."""
    enrolment = _learner(cohort, modules)
    learning_services.heartbeat_record(
        enrolment=enrolment, lesson=lessons_of(modules[0])[0], now=NOW - datetime.timedelta(days=29)
    )
    assert _row(cohort, enrolment).status == LearnerStatus.IN_PROGRESS


def test_status_hours_reached_needs_every_modality(cohort, modules):
    """Hours are reached only when each modality reaches its own target, even long inactive."""
    long_ago = NOW - datetime.timedelta(days=90)
    done = _learner(cohort, modules)
    almost = _learner(cohort, modules)
    for modality, target in TARGETS_SE_SM.items():
        _credit(done, modality, target, modules[0], at=long_ago)
        _credit(almost, modality, target + (100 if modality == PRESENTIAL else 0), modules[0], at=NOW)
    _credit(almost, ORGANISATION, "-0.5", modules[0], at=NOW)
    assert _row(cohort, done).status == LearnerStatus.HOURS_REACHED
    assert _row(cohort, almost).status == LearnerStatus.IN_PROGRESS


# --- Sorting and filtering -----------------------------------------------------------------------


@pytest.fixture
def trio(cohort, modules):
    """Three learners with distinct names, hours, modules and activity."""
    beat = NOW - datetime.timedelta(days=2)
    bernard = _learner(cohort, modules, last_name="Bernard", first_name="Hélène", email="hb@exemple.fr")
    bernard.employer = "Mairie de Quimper"
    bernard.save()
    _credit(bernard, PRESENTIAL, "30", modules[0], at=beat)
    _credit(bernard, ELEARNING, "1", modules[0], at=beat)
    _complete_module(bernard, modules[0])
    _complete_module(bernard, modules[1])
    le_goff = _learner(cohort, modules, last_name="Le Goff", first_name="Yann", email="yann@exemple.fr")
    le_goff.employer = "Communauté de communes du Kreiz Breizh"
    le_goff.save()
    _enrolled_days_ago(le_goff, 60)
    _credit(le_goff, PRESENTIAL, "12", modules[0], at=NOW - datetime.timedelta(days=40))
    _credit(le_goff, ORGANISATION, "20", modules[0], at=NOW - datetime.timedelta(days=40))
    _credit(le_goff, ELEARNING, "3", modules[0], at=NOW - datetime.timedelta(days=40))
    LessonCompletion.objects.bulk_create(
        LessonCompletion(enrolment=le_goff, lesson=lesson, completed_at=NOW - datetime.timedelta(days=45))
        for lesson in lessons_of(modules[2])
    )
    adam = _learner(cohort, modules, eligible=False, last_name="adam", first_name="Zoé", email="z@ex.fr")
    return {
        "bernard": bernard,
        "le_goff": le_goff,
        "adam": adam,
        "rows": cohort_progress(cohort=cohort, now=NOW),
    }


def _names(rows):
    return [row.enrolment.user.last_name for row in rows]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["adam", "Bernard", "Le Goff"]),
        ("-name", ["Le Goff", "Bernard", "adam"]),
        ("elearning", ["adam", "Le Goff", "Bernard"]),
        ("-elearning", ["Bernard", "Le Goff", "adam"]),
        ("presential", ["adam", "Le Goff", "Bernard"]),
        ("-presential", ["Bernard", "Le Goff", "adam"]),
        ("organisation", ["adam", "Bernard", "Le Goff"]),
        ("-organisation", ["Le Goff", "adam", "Bernard"]),
        ("modules", ["adam", "Le Goff", "Bernard"]),
        ("-modules", ["Bernard", "Le Goff", "adam"]),
        ("activity", ["adam", "Le Goff", "Bernard"]),
        ("-activity", ["Bernard", "Le Goff", "adam"]),
        ("nonsense", ["adam", "Bernard", "Le Goff"]),
        ("-user__password", ["adam", "Bernard", "Le Goff"]),
    ],
)
def test_sort_keys(trio, sort, expected):
    """Each sort key orders the rows, "-" descending, ties by name; unknown keys sort by name."""
    assert _names(cohort_progress_sort_filter(trio["rows"], sort=sort)) == expected


def test_rows_come_ordered_by_name(trio):
    """cohort_progress itself lists learners by last name, then first name."""
    assert _names(trio["rows"]) == ["adam", "Bernard", "Le Goff"]


def test_filter_by_status(trio):
    """Filtering by a status keeps the learners with that status; an unknown status filters nothing."""
    rows = trio["rows"]
    assert _names(cohort_progress_sort_filter(rows, status=LearnerStatus.NOT_ELIGIBLE)) == ["adam"]
    assert _names(cohort_progress_sort_filter(rows, status="inactive")) == ["Le Goff"]
    assert _names(cohort_progress_sort_filter(rows, status="in_progress")) == ["Bernard"]
    assert cohort_progress_sort_filter(rows, status="hours_reached") == []
    assert len(cohort_progress_sort_filter(rows, status="bogus")) == 3


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("helene", ["Bernard"]),
        ("HÉLÈNE BERNARD", ["Bernard"]),
        ("bernard hél", ["Bernard"]),
        ("goff", ["Le Goff"]),
        ("YANN@", ["Le Goff"]),
        ("kreiz", ["Le Goff"]),
        ("quimper", ["Bernard"]),
        ("exemple.fr", ["Bernard", "Le Goff"]),
        ("  ", ["adam", "Bernard", "Le Goff"]),
        ("personne-inconnue", []),
    ],
)
def test_filter_by_text(trio, query, expected):
    """The search matches name, email or employer, ignoring case and accents."""
    assert _names(cohort_progress_sort_filter(trio["rows"], query=query)) == expected


def test_filter_and_sort_combine(trio):
    """Status, text filter and sort apply together."""
    rows = cohort_progress_sort_filter(trio["rows"], query="exemple", status="", sort="-presential")
    assert _names(rows) == ["Bernard", "Le Goff"]


# --- Chart ---------------------------------------------------------------------------------------


def test_chart_totals_per_modality(cohort, modules):
    """The chart sums credited hours and targets per modality and counts who reached theirs."""
    first = _learner(cohort, modules, options=(5, 6))
    second = _learner(cohort, modules, options=(4, 6))
    _credit(first, PRESENTIAL, "66", modules[0])
    _credit(second, PRESENTIAL, "12", modules[0])
    _credit(second, ORGANISATION, "10", modules[1])
    chart = {bar["modality"]: bar for bar in cohort_hours_chart(cohort_progress(cohort=cohort, now=NOW))}
    assert list(chart) == [ELEARNING, PRESENTIAL, ORGANISATION]
    assert chart[PRESENTIAL] == {
        "modality": PRESENTIAL,
        "label": "Présentiel",
        "credited": Decimal(78),
        "credited_towards_target": Decimal(72),
        "target": Decimal(132),
        "percent": 55,
        "reached": 1,
        "learners": 2,
    }
    assert (chart[ORGANISATION]["credited"], chart[ORGANISATION]["target"]) == (Decimal(10), Decimal(92))
    assert chart[ORGANISATION]["reached"] == 0
    assert (chart[ELEARNING]["target"], chart[ELEARNING]["reached"]) == (Decimal(58), 0)


# --- Query count ---------------------------------------------------------------------------------

QUERY_BUDGET = 8


def _bulk_cohort(programme, modules, size: int) -> Cohort:
    """A cohort of `size` learners with options, completions, ledger rows and heartbeats,
    inserted in bulk."""
    cohort = CohortFactory(programme=programme, region=RegionFactory())
    users = User.objects.bulk_create(
        User(
            email=f"c{cohort.pk}-{i}@exemple.fr",
            first_name=f"Prénom {i}",
            last_name=f"Nom {i:04d}",
            role=Role.LEARNER,
        )
        for i in range(size)
    )
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(
            user=user,
            cohort=cohort,
            programme_id=cohort.programme_id,
            ars_agreement_on=AGREED if i % 5 else None,
            employer_agreement_on=AGREED,
        )
        for i, user in enumerate(users)
    )
    ElectiveChoice.objects.bulk_create(
        ElectiveChoice(enrolment=e, module=module) for e in enrolments for module in modules[5:7]
    )
    lessons = lessons_of(modules[0])
    LessonCompletion.objects.bulk_create(
        LessonCompletion(enrolment=e, lesson=lesson) for e in enrolments for lesson in lessons
    )
    HoursEntry.objects.bulk_create(
        HoursEntry(
            enrolment=e,
            modality=modality,
            source=HoursSource.DECLARATION,
            module=modules[i % 4],
            hours=Decimal("1.5"),
            occurred_on=datetime.date(2026, 10, 1),
            recorded_by=e.user,
        )
        for e in enrolments
        for i, modality in enumerate(Modality)
    )
    LessonActivity.objects.bulk_create(
        LessonActivity(enrolment=e, lesson=lessons[0], day=datetime.date(2026, 10, 1), seconds=60)
        for e in enrolments
    )
    return Cohort.objects.get(pk=cohort.pk)


def _count_queries(cohort: Cohort) -> tuple[int, list]:
    with CaptureQueriesContext(connection) as ctx:
        rows = cohort_progress(cohort=cohort)
    return len(ctx.captured_queries), rows


def test_query_count_is_the_same_for_50_and_500_learners(db, programme, modules):
    """cohort_progress runs the same small number of queries for 50 learners as for 500."""
    small_count, small_rows = _count_queries(_bulk_cohort(programme, modules, 50))
    large_count, large_rows = _count_queries(_bulk_cohort(programme, modules, 500))
    assert (len(small_rows), len(large_rows)) == (50, 500)
    assert small_count == large_count <= QUERY_BUDGET
    row = large_rows[1]
    assert row.hours == {ELEARNING: Decimal("1.5"), PRESENTIAL: Decimal("1.5"), ORGANISATION: Decimal("1.5")}
    assert (row.modules_done, row.modules_followed, row.targets) == (1, 6, TARGETS_SE_SM)
    assert sum(1 for r in large_rows if r.status == LearnerStatus.NOT_ELIGIBLE) == 100


def test_reading_the_rows_runs_no_further_query(db, programme, modules):
    """Every figure a page or an export reads from a row is already loaded."""
    rows = cohort_progress(cohort=_bulk_cohort(programme, modules, 5))
    with CaptureQueriesContext(connection) as ctx:
        for row in cohort_progress_sort_filter(rows, sort="-activity", query="nom"):
            assert row.enrolment.user.email and row.percent is not None and row.status_label
        cohort_hours_chart(rows)
    assert len(ctx.captured_queries) == 0


def test_progress_uses_timezone_aware_now_by_default(cohort, modules):
    """Without `now`, inactivity is measured from the current time."""
    enrolment = _learner(cohort, modules)
    _credit(enrolment, ORGANISATION, "1", modules[0], at=timezone.now())
    assert cohort_progress(cohort=cohort)[0].status == LearnerStatus.IN_PROGRESS
