import pytest

from courses.cohorts.models import Cohort, Enrolment
from tests.factories import CohortFactory, EnrolmentFactory, UserFactory


@pytest.fixture
def team_client(client, pedagogical):
    client.force_login(pedagogical)
    return client


def test_team_creates_a_cohort_in_the_admin(db, team_client, programme, region):
    """The pedagogical team creates a cohort (region, name, dates) from the Wagtail admin."""
    response = team_client.post(
        "/cms/snippets/courses/cohort/add/",
        {
            "programme": programme.pk,
            "region": region.pk,
            "name": "Bretagne 2027",
            "start_date": "2027-01-10",
            "end_date": "2027-12-15",
            "capacity": "30",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Cohort.objects.filter(name="Bretagne 2027", region=region).exists()


def test_cohort_ending_before_it_starts_is_refused(db, team_client, programme, region):
    """A cohort whose end precedes its start is refused with a French message."""
    response = team_client.post(
        "/cms/snippets/courses/cohort/add/",
        {
            "programme": programme.pk,
            "region": region.pk,
            "name": "À l'envers",
            "start_date": "2027-12-10",
            "end_date": "2027-01-15",
            "capacity": "30",
        },
    )
    assert response.status_code == 200
    assert "La date de fin doit suivre la date de début." in response.content.decode()
    assert not Cohort.objects.filter(name="À l'envers").exists()


def test_capacity_below_the_enrolled_is_refused_in_the_admin(db, team_client, programme, region):
    """Lowering a cohort's places under the number enrolled is refused in the admin too."""
    cohort = CohortFactory(programme=programme, region=region, name="Pleine", capacity=5)
    EnrolmentFactory(cohort=cohort)
    EnrolmentFactory(cohort=cohort)
    response = team_client.post(
        f"/cms/snippets/courses/cohort/edit/{cohort.pk}/",
        {
            "programme": programme.pk,
            "region": region.pk,
            "name": "Pleine",
            "start_date": "2026-09-01",
            "end_date": "2027-06-30",
            "capacity": "1",
        },
    )
    assert response.status_code == 200
    assert "La promotion compte déjà 2 inscrit·es" in response.content.decode()
    cohort.refresh_from_db()
    assert cohort.capacity == 5


def test_enrolments_cannot_be_written_in_the_admin(db, team_client, programme, region):
    """The admin cannot add, edit or delete an enrolment (that would skip places, closed cohorts and
    the invitation): those URLs are refused and nothing is written."""
    cohort = CohortFactory(programme=programme, region=region, capacity=1)
    enrolment = EnrolmentFactory(cohort=cohort)
    learner = UserFactory()
    before = list(Enrolment.objects.values_list("pk", "user_id", "cohort_id"))
    add = team_client.post("/cms/snippets/courses/enrolment/add/", {"user": learner.pk, "cohort": cohort.pk})
    edit = team_client.post(
        f"/cms/snippets/courses/enrolment/edit/{enrolment.pk}/", {"user": learner.pk, "cohort": cohort.pk}
    )
    delete = team_client.post(f"/cms/snippets/courses/enrolment/delete/{enrolment.pk}/")
    for response in (add, edit, delete):
        assert response.status_code in (302, 403)
        assert "/cms/snippets/courses/enrolment/" not in response.get("Location", "")
    assert list(Enrolment.objects.values_list("pk", "user_id", "cohort_id")) == before


def test_enrolment_admin_inspects_and_points_to_the_staff_screen(db, team_client, programme, region):
    """The admin lists and inspects enrolments, without an add button, and links to /gestion/."""
    enrolment = EnrolmentFactory(cohort=CohortFactory(programme=programme, region=region))
    listing = team_client.get("/cms/snippets/courses/enrolment/").content.decode()
    assert "/cms/snippets/courses/enrolment/add/" not in listing
    assert f"/cms/snippets/courses/enrolment/inspect/{enrolment.pk}/" in listing
    inspect = team_client.get(f"/cms/snippets/courses/enrolment/inspect/{enrolment.pk}/")
    assert inspect.status_code == 200
    assert f'href="/gestion/inscriptions/{enrolment.pk}/"' in inspect.content.decode()
