"""Query budgets of the staff cohort pages at 50 and 500 learners: the count must not grow."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.cohorts.models import ElectiveChoice, Enrolment
from courses.enums import HoursSource, Modality
from courses.hours.models import HoursEntry
from lms.models import User
from tests.factories import ArsStaffFactory, CohortFactory

#: detail: 14, + 1 for the « Mémoire » column (memoire_states_for_cohort, one query).
BUDGET = {"detail": 15, "export_csv": 12, "export_xlsx": 12, "list": 8}


def _cohort(programme, region, modules, size: int, tag: str):
    cohort = CohortFactory(programme=programme, region=region, name=f"Promo {tag}", capacity=1000)
    users = User.objects.bulk_create(
        User(email=f"{tag}-{i}@exemple.fr", first_name=f"P{i}", last_name=f"N{i}") for i in range(size)
    )
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(
            user=u,
            cohort=cohort,
            programme_id=programme.pk,
            ars_agreement_on=datetime.date(2026, 1, 5),
            employer_agreement_on=datetime.date(2026, 1, 6),
        )
        for u in users
    )
    ElectiveChoice.objects.bulk_create(
        ElectiveChoice(enrolment=e, module=m) for e in enrolments for m in modules[5:7]
    )
    HoursEntry.objects.bulk_create(
        HoursEntry(
            enrolment=e,
            modality=Modality.PRESENTIAL,
            source=HoursSource.ATTENDANCE,
            module=modules[0],
            hours=Decimal(6),
            occurred_on=datetime.date(2026, 10, 2),
            recorded_by=e.user,
        )
        for e in enrolments
        for _ in range(3)
    )
    return cohort


@pytest.mark.parametrize("page", sorted(BUDGET))
def test_staff_cohort_pages_query_count_is_flat(client, programme, modules, region, page):
    """The cohort list, progress page and exports run as many queries for 500 learners as for 50."""
    staff = ArsStaffFactory(regions=[region])
    client.force_login(staff)
    counts = []
    for size, tag in ((50, "petite"), (500, "grande")):
        cohort = _cohort(programme, region, modules, size, tag)
        url = {
            "detail": f"/gestion/promotions/{cohort.pk}/",
            "export_csv": f"/gestion/promotions/{cohort.pk}/export.csv",
            "export_xlsx": f"/gestion/promotions/{cohort.pk}/export.xlsx",
            "list": "/gestion/promotions/",
        }[page]
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[1] == counts[0], counts
    assert counts[1] <= BUDGET[page], counts


def test_import_confirm_query_count_is_flat(programme, region, django_capture_on_commit_callbacks):
    """Confirming an import of 100 lines costs a few bulk queries more than one of 10, never per line
    (SQLite splits a bulk insert into batches of its parameter limit)."""
    from courses.cohorts import services as cohorts_services

    staff = ArsStaffFactory(regions=[region])
    counts = []
    for size in (10, 100):
        cohort = CohortFactory(programme=programme, region=region, name=f"Import {size}", capacity=1000)
        body = "Nom;Prénom;E-mail\r\n" + "".join(
            f"N{i};P{i};imp{size}-{i}@exemple.fr\r\n" for i in range(size)
        )
        batch = cohorts_services.enrolment_import_create(
            cohort=cohort, filename="a.csv", content=body.encode("utf-8-sig"), by=staff
        )
        with CaptureQueriesContext(connection) as ctx:
            result = cohorts_services.enrolment_import_confirm(batch=batch, by=staff)
        assert result["created"] == size
        counts.append(len(ctx.captured_queries))
    assert counts[1] - counts[0] <= 4 and counts[1] <= 20, counts
