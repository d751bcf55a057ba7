"""Reads of the ledger: totals per modality, what counts toward the target, a learner's day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Sum
from django.utils import timezone

from courses.cohorts.models import Enrolment
from courses.enums import ZERO, Modality
from courses.hours.models import DeclarationStatus, HoursEntry, OrganisationDeclaration

#: Declarations that count against the daily ceiling: pending or already credited.
ACTIVE_STATUSES = (DeclarationStatus.SUBMITTED, DeclarationStatus.VALIDATED)


def hours_totals(*, enrolment: Enrolment) -> dict[str, Decimal]:
    """Hours counted toward the target per modality, summed by the database in one query:
    entries that cannot count (e.g. no valid Qualiopi certification) are left out, and presential
    hours are capped at the programme's ceiling (72 h by default)."""
    return hours_breakdown(enrolment=enrolment).counted


@dataclass
class HoursBreakdown:
    credited: dict[str, Decimal]  # every ledger entry
    counted: dict[str, Decimal]  # what counts toward the target
    not_counted: dict[str, Decimal]  # entries that cannot count, by modality
    over_cap: Decimal  # presential hours beyond the cap


def counted_hours(
    *, credited_countable: dict[str, Decimal], cap: Decimal
) -> tuple[dict[str, Decimal], Decimal]:
    """Apply the presential cap to the countable hours; returns the counted hours and the excess."""
    counted = dict(credited_countable)
    presential = counted.get(Modality.PRESENTIAL, ZERO)
    over = max(presential - cap, ZERO)
    counted[Modality.PRESENTIAL] = presential - over
    return counted, over


def hours_breakdown(*, enrolment: Enrolment) -> HoursBreakdown:
    rows = (
        HoursEntry.objects.filter(enrolment=enrolment)
        .values("modality", "counts_toward_target")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    credited = {m: ZERO for m in Modality}
    countable = {m: ZERO for m in Modality}
    for row in rows:
        credited[row["modality"]] += row["total"] or ZERO
        if row["counts_toward_target"]:
            countable[row["modality"]] += row["total"] or ZERO
    counted, over = counted_hours(credited_countable=countable, cap=enrolment.programme.presential_cap)
    not_counted = {m: credited[m] - countable[m] for m in Modality}
    return HoursBreakdown(credited=credited, counted=counted, not_counted=not_counted, over_cap=over)


def uncounted_entries(*, enrolment: Enrolment, limit: int = 50):
    """Ledger entries that do not count toward the target, with their reason (one query)."""
    return list(
        HoursEntry.objects.filter(enrolment=enrolment, counts_toward_target=False)
        .select_related("module")
        .order_by("-occurred_on")[:limit]
    )


def learner_today(enrolment: Enrolment) -> date:
    """Today in the learner's region (La Réunion and Guyane are not on Paris time)."""
    return timezone.localdate(timezone=ZoneInfo(enrolment.cohort.region.timezone))


def day_hours(*, enrolment: Enrolment, day: date) -> Decimal:
    """Hours already declared for one day, pending or validated."""
    total = OrganisationDeclaration.objects.filter(
        enrolment=enrolment, occurred_on=day, status__in=ACTIVE_STATUSES
    ).aggregate(total=Sum("hours"))["total"] or Decimal(0)
    return total
