"""Reads behind the cohort progress page that ARS staff follow, and its exports.

`cohort_progress` runs a fixed number of queries whatever the number of learners, modules,
lessons or ledger entries: every per-learner figure is grouped in Python from cohort-wide
queries."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Max, Sum
from django.utils import timezone

from courses.catalogue.selectors import programme_lessons, programme_modules
from courses.cohorts.models import Cohort, ElectiveChoice, Enrolment
from courses.enums import OPTIONS_TO_CHOOSE, ZERO, Modality
from courses.hours.models import HoursEntry
from courses.hours.selectors import counted_hours
from courses.learning.models import LessonActivity, LessonCompletion
from courses.learning.selectors import ModalityLine, lessons_by_module


class LearnerStatus(models.TextChoices):
    """Where a learner stands in the cohort, the first that applies in this order. Inactivity is
    also flagged on its own (`CohortLearnerRow.inactive`) whatever the status."""

    NOT_ELIGIBLE = "not_eligible", "Accord conjoint manquant"
    OPTIONS_MISSING = "options_missing", "Options à choisir"
    HOURS_REACHED = "hours_reached", "Heures atteintes"
    INACTIVE = "inactive", "Inactif·ive"
    IN_PROGRESS = "in_progress", "En cours"


@dataclass
class CohortLearnerRow:
    enrolment: Enrolment
    hours: dict[str, Decimal]
    targets: dict[str, Decimal]
    modules_done: int
    modules_followed: int
    last_activity: datetime | None
    status: str
    inactive: bool = False

    @property
    def user(self):
        return self.enrolment.user

    @property
    def status_label(self) -> str:
        return LearnerStatus(self.status).label

    @property
    def also_inactive(self) -> bool:
        """Inactive, while another status comes first (a learner without the agreement can be lost too)."""
        return self.inactive and self.status != LearnerStatus.INACTIVE

    @property
    def status_text(self) -> str:
        """The status, followed by « Inactif·ive » when the learner is also inactive."""
        if self.also_inactive:
            return f"{self.status_label} · {LearnerStatus.INACTIVE.label}"
        return self.status_label

    @property
    def lines(self) -> list[ModalityLine]:
        """One line per modality, in the programme's order, as the learner's dashboard shows them."""
        return [
            ModalityLine(modality=m.value, label=m.label, credited=self.hours[m], target=self.targets[m])
            for m in Modality
        ]

    @property
    def percent(self) -> dict[str, int]:
        """Per modality, the share of the target credited, 0 to 100."""
        return {line.modality: line.percent for line in self.lines}

    @property
    def credited_total(self) -> Decimal:
        """Hours credited towards the targets: beyond its target a modality adds nothing, since no
        modality compensates another (the same figure as the learner's dashboard)."""
        return sum((min(line.credited, line.target) for line in self.lines), ZERO)

    @property
    def target_total(self) -> Decimal:
        return sum(self.targets.values(), ZERO)

    @property
    def hours_reached(self) -> bool:
        return all(self.hours[m] >= self.targets[m] for m in Modality)


def cohort_progress(
    *,
    cohort: Cohort,
    inactive_days: int | None = None,
    now: datetime | None = None,
) -> list[CohortLearnerRow]:
    """One row per learner enrolled in `cohort` (and only in it), ordered by name (case- and
    accent-insensitive).

    Hours are the ledger sums that count toward the target (corrections included, presential
    capped); targets are the hour figures of the core modules plus the learner's chosen options;
    last activity is the latest heartbeat,
    lesson completion or ledger entry. A learner is inactive when nothing happened for
    `inactive_days` since the later of their enrolment and their last activity (the rule of
    notifications.dropout_candidates). Runs 7 queries (8 when `cohort.programme` is not loaded)."""
    now = now or timezone.now()
    if inactive_days is None:
        inactive_days = settings.DROPOUT_INACTIVE_DAYS
    programme = cohort.programme
    enrolments = list(Enrolment.objects.filter(cohort=cohort).select_related("user").order_by("pk"))

    hours: dict[int, dict[str, Decimal]] = defaultdict(lambda: {m: ZERO for m in Modality})
    last_activity: dict[int, datetime] = {}

    def seen(enrolment_id: int, moment: datetime | None) -> None:
        if moment is not None and (enrolment_id not in last_activity or moment > last_activity[enrolment_id]):
            last_activity[enrolment_id] = moment

    # Only hours that can count toward the target, presential capped: the same rule as the
    # learner's own dashboard (selectors.hours_breakdown).
    for row in (
        HoursEntry.objects.filter(enrolment__cohort=cohort)
        .values("enrolment_id", "modality", "counts_toward_target")
        .annotate(total=Sum("hours"), last=Max("recorded_at"))
        .order_by()
    ):
        if row["counts_toward_target"]:
            hours[row["enrolment_id"]][row["modality"]] += row["total"] or ZERO
        seen(row["enrolment_id"], row["last"])
    for enrolment_id, credited in hours.items():
        hours[enrolment_id], _ = counted_hours(credited_countable=credited, cap=programme.presential_cap)

    for row in (
        LessonActivity.objects.filter(enrolment__cohort=cohort)
        .values("enrolment_id")
        .annotate(last=Max("last_beat_at"))
        .order_by()
    ):
        seen(row["enrolment_id"], row["last"])

    completed: dict[int, set[int]] = defaultdict(set)
    for enrolment_id, lesson_id, completed_at in LessonCompletion.objects.filter(
        enrolment__cohort=cohort
    ).values_list("enrolment_id", "lesson_id", "completed_at"):
        completed[enrolment_id].add(lesson_id)
        seen(enrolment_id, completed_at)

    chosen: dict[int, set[int]] = defaultdict(set)
    for enrolment_id, module_id in ElectiveChoice.objects.filter(enrolment__cohort=cohort).values_list(
        "enrolment_id", "module_id"
    ):
        chosen[enrolment_id].add(module_id)

    modules = list(programme_modules(programme=programme))
    lesson_ids = {
        module_id: {lesson.pk for lesson in lessons}
        for module_id, lessons in lessons_by_module(modules, programme_lessons(programme=programme)).items()
    }
    core = [m for m in modules if not m.is_optional]
    options = {m.pk: m for m in modules if m.is_optional}
    inactive_since = now - timedelta(days=inactive_days)

    rows = []
    for enrolment in enrolments:
        followed = core + [options[pk] for pk in sorted(chosen[enrolment.pk]) if pk in options]
        done = completed[enrolment.pk]
        row = CohortLearnerRow(
            enrolment=enrolment,
            hours=dict(hours[enrolment.pk]),
            targets={m: sum((module.hours_for(m) for module in followed), ZERO) for m in Modality},
            modules_done=sum(1 for m in followed if lesson_ids[m.pk] and lesson_ids[m.pk] <= done),
            modules_followed=len(followed),
            last_activity=last_activity.get(enrolment.pk),
            status=LearnerStatus.IN_PROGRESS,
        )
        quiet_since = max(row.last_activity or enrolment.created_at, enrolment.created_at)
        row.inactive = quiet_since < inactive_since
        row.status = _status(row, options_chosen=len(chosen[enrolment.pk]))
        rows.append(row)
    # Sorted here rather than by the database, whose collation may put « adam » after « Le Goff ».
    rows.sort(key=_name_key)
    return rows


def _status(row: CohortLearnerRow, *, options_chosen: int) -> str:
    if not row.enrolment.is_eligible:
        return LearnerStatus.NOT_ELIGIBLE
    if options_chosen != OPTIONS_TO_CHOOSE:
        return LearnerStatus.OPTIONS_MISSING
    if row.hours_reached:
        return LearnerStatus.HOURS_REACHED
    if row.inactive:
        return LearnerStatus.INACTIVE
    return LearnerStatus.IN_PROGRESS


SORT_KEYS = (
    "name",
    "elearning",
    "presential",
    "organisation",
    "modules",
    "activity",
)
EARLIEST = datetime.min.replace(tzinfo=UTC)


def _folded(text: str) -> str:
    """Lower-case without accents, so that « helene » finds « Hélène »."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _name_key(row: CohortLearnerRow) -> tuple[str, str, str]:
    user = row.enrolment.user
    return (_folded(user.last_name), _folded(user.first_name), user.email.lower())


def _sort_key(field: str):
    if field == "modules":
        return lambda row: row.modules_done
    if field == "activity":
        return lambda row: row.last_activity or EARLIEST
    if field in Modality.values:
        return lambda row: row.hours[field]
    return _name_key


def cohort_progress_sort_filter(
    rows: Iterable[CohortLearnerRow],
    *,
    sort: str = "name",
    status: str = "",
    query: str = "",
) -> list[CohortLearnerRow]:
    """The rows whose status is `status` (ignored when empty or unknown; « inactive » keeps every
    inactive learner, whatever their first status) and whose name, email or
    employer contains `query` (case- and accent-insensitive), sorted by `sort` ("-" prefix for
    descending; unknown keys sort by name). Ties keep the order of names; learners who never
    worked come first in ascending activity order, last in descending."""
    selected = list(rows)
    if status == LearnerStatus.INACTIVE:
        selected = [row for row in selected if row.inactive]
    elif status in LearnerStatus.values:
        selected = [row for row in selected if row.status == status]
    needle = _folded(query.strip())
    if needle:
        selected = [row for row in selected if needle in _haystack(row)]
    descending = sort.startswith("-")
    field = sort.removeprefix("-")
    if field not in SORT_KEYS:
        field, descending = "name", False
    selected.sort(key=_name_key)
    if field != "name" or descending:
        selected.sort(key=_sort_key(field), reverse=descending)
    return selected


def _haystack(row: CohortLearnerRow) -> str:
    user = row.enrolment.user
    return "\n".join(
        _folded(text)
        for text in (
            f"{user.first_name} {user.last_name}",
            f"{user.last_name} {user.first_name}",
            user.email,
            row.enrolment.employer,
        )
    )


def cohort_hours_chart(rows: Iterable[CohortLearnerRow]) -> list[dict]:
    """Per modality: the cohort's hours credited (`credited`; `credited_towards_target` counts each
    learner at most up to their target), the sum of the targets, the completion percentage
    (0–100, from the capped figure) and how many learners reached their target, out of `learners`."""
    rows = list(rows)
    chart = []
    for modality in Modality:
        target = sum((row.targets[modality] for row in rows), ZERO)
        capped = sum((min(row.hours[modality], row.targets[modality]) for row in rows), ZERO)
        chart.append(
            {
                "modality": modality.value,
                "label": modality.label,
                "credited": sum((row.hours[modality] for row in rows), ZERO),
                "credited_towards_target": capped,
                "target": target,
                "percent": min(100, round(100 * capped / target)) if target else 0,
                "reached": sum(1 for row in rows if row.hours[modality] >= row.targets[modality]),
                "learners": len(rows),
            }
        )
    return chart
