"""Which hours count toward the target: Qualiopi-certified presential hours, capped at 72 h."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from courses.attendance import services as attendance_services
from courses.attendance.models import Attendance, AttendanceStatus
from courses.enums import Modality
from courses.hours import selectors as hours_selectors
from courses.hours import services as hours_services
from courses.hours.models import DeclarationStatus, HoursEntry, OrganisationDeclaration
from courses.sessions.models import PresentialSession, TrainingProvider
from courses.tracking import progress as tracking_progress

D = Decimal


def _provider(certified: bool) -> TrainingProvider:
    return TrainingProvider.objects.create(
        name=f"OF {'certifié' if certified else 'non certifié'}",
        siret="73282932000074" if certified else "35600000000001",
        qualiopi_number="Q-2025-001" if certified else "",
        qualiopi_valid_from=datetime.date(2025, 1, 1) if certified else None,
        qualiopi_valid_until=datetime.date(2027, 12, 31) if certified else None,
    )


def _attendance(enrolment, module, provider, hours, day=datetime.date(2026, 10, 5), by=None):
    start = datetime.datetime.combine(day, datetime.time(9), tzinfo=ZoneInfo("Europe/Paris"))
    session = PresentialSession.objects.create(
        module=module,
        provider=provider,
        region=enrolment.cohort.region,
        title="Séminaire",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=8),
        hours=D(hours),
    )
    session.cohorts.set([enrolment.cohort])
    record = Attendance.objects.create(
        session=session,
        enrolment=enrolment,
        day=day,
        half_day="am",
        status=AttendanceStatus.PRESENT,
        hours=D(hours),
        marked_by=by,
        confirmed_by=by,
        confirmed_at=start,
    )
    return attendance_services.attendance_credit(attendance=record, by=by)


def test_hours_of_an_uncertified_provider_are_kept_but_do_not_count(enrolment, modules, ars_staff):
    """Presential hours from a provider without valid Qualiopi are in the ledger, with the reason."""
    entry = _attendance(enrolment, modules[0], _provider(False), "6", by=ars_staff)
    assert entry.counts_toward_target is False
    assert "n'avait pas de certification Qualiopi valide le 05/10/2026" in entry.not_counted_reason
    breakdown = hours_selectors.hours_breakdown(enrolment=enrolment)
    assert breakdown.credited[Modality.PRESENTIAL] == D(6)
    assert breakdown.counted[Modality.PRESENTIAL] == D(0)


def test_certified_hours_count_and_attendance_is_credited_once(enrolment, modules, ars_staff):
    """A confirmed half-day with a certified provider counts, and crediting it again adds nothing."""
    entry = _attendance(enrolment, modules[0], _provider(True), "4", by=ars_staff)
    assert entry.counts_toward_target
    assert attendance_services.attendance_credit(attendance=entry.attendance, by=ars_staff) == entry
    assert hours_selectors.hours_totals(enrolment=enrolment)[Modality.PRESENTIAL] == D(4)


def test_presential_hours_are_capped_at_72(enrolment, modules, ars_staff):
    """Beyond 72 h of countable presential hours, the excess is shown but not counted."""
    provider = _provider(True)
    for i in range(13):
        _attendance(
            enrolment, modules[i % 4], provider, "6", day=datetime.date(2026, 10, 1 + i), by=ars_staff
        )
    breakdown = hours_selectors.hours_breakdown(enrolment=enrolment)
    assert breakdown.credited[Modality.PRESENTIAL] == D(78)
    assert breakdown.counted[Modality.PRESENTIAL] == D(72)
    assert breakdown.over_cap == D(6)
    [row] = tracking_progress.cohort_progress(cohort=enrolment.cohort)
    assert row.hours[Modality.PRESENTIAL] == D(72)


def test_dashboard_explains_hours_that_do_not_count(client, enrolment, modules, ars_staff):
    """The learner's dashboard lists the uncounted hours with why."""
    _attendance(enrolment, modules[0], _provider(False), "6", by=ars_staff)
    client.force_login(enrolment.user)
    html = client.get("/mon-espace/").content.decode()
    assert "Heures enregistrées qui ne comptent pas pour l" in html
    assert "OF non certifié" in html


def test_unconfirmed_attendance_is_not_credited(enrolment, modules, ars_staff):
    """An attendance not yet confirmed by staff cannot be credited."""
    start = datetime.datetime(2026, 10, 5, 7, tzinfo=datetime.UTC)
    session = PresentialSession.objects.create(
        module=modules[0],
        provider=_provider(True),
        region=enrolment.cohort.region,
        title="S",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        hours=D(3),
    )
    record = Attendance.objects.create(
        session=session,
        enrolment=enrolment,
        day=datetime.date(2026, 10, 5),
        half_day="am",
        status=AttendanceStatus.PRESENT,
        hours=D(3),
        marked_by=ars_staff,
    )
    with pytest.raises(ValidationError):
        attendance_services.attendance_credit(attendance=record, by=ars_staff)
    assert not HoursEntry.objects.exists()


def test_validated_declaration_is_credited_once(enrolment, modules, ars_staff):
    """A validated declaration becomes organisation hours once; a pending one cannot be credited."""
    declaration = OrganisationDeclaration.objects.create(
        enrolment=enrolment,
        module=modules[0],
        occurred_on=datetime.date(2026, 10, 2),
        hours=D("3.5"),
        description="Animation du comité de pilotage",
    )
    with pytest.raises(ValidationError):
        hours_services.declaration_credit(declaration=declaration, by=ars_staff)
    declaration.status = DeclarationStatus.VALIDATED
    declaration.save()
    first = hours_services.declaration_credit(declaration=declaration, by=ars_staff)
    assert hours_services.declaration_credit(declaration=declaration, by=ars_staff) == first
    assert hours_selectors.hours_totals(enrolment=enrolment)[Modality.ORGANISATION] == D("3.5")


@pytest.mark.parametrize(
    ("siret", "valid"),
    [("73282932000074", True), ("73282932000075", False), ("1234", False), ("35600000000001", True)],
)
def test_siret_checksum(siret, valid):
    """SIRET numbers are checked with their Luhn key (La Poste's rule included)."""
    from courses.sessions.rules import siret_is_valid

    assert siret_is_valid(siret) is valid


def test_staff_see_which_hours_count_and_why(client, enrolment, modules, ars_staff):
    """The learner's ledger seen by ARS staff marks uncounted hours with their reason."""
    _attendance(enrolment, modules[0], _provider(False), "6", by=ars_staff)
    client.force_login(ars_staff)
    html = client.get(f"/gestion/inscriptions/{enrolment.pk}/").content.decode()
    assert "<strong>Non</strong>" in html and "OF non certifié" in html
    assert "6 h enregistrées ne comptent pas" in html
