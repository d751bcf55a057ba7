import pytest

from courses.models import Cohort, Enrolment
from tests.factories import CohortFactory, EnrolmentFactory, TrainerFactory, UserFactory


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


def test_team_enrols_a_learner_in_the_admin(db, team_client, programme, region):
    """Enrolling a learner from the admin records the cohort's programme."""
    cohort = CohortFactory(programme=programme, region=region)
    learner = UserFactory()
    response = team_client.post(
        "/cms/snippets/courses/enrolment/add/", {"user": learner.pk, "cohort": cohort.pk}
    )
    assert response.status_code == 302
    assert Enrolment.objects.get(user=learner).programme_id == programme.pk


@pytest.mark.parametrize("case", ["trainer", "twice"])
def test_bad_enrolments_are_refused_in_the_admin(db, team_client, programme, region, case):
    """A non-learner account, or a learner already enrolled in the programme, is refused."""
    cohort = CohortFactory(programme=programme, region=region)
    if case == "trainer":
        user, message = TrainerFactory(), "Seul un compte apprenant·e"
    else:
        user, message = EnrolmentFactory(cohort=cohort).user, "déjà inscrite à ce programme"
    before = Enrolment.objects.count()
    response = team_client.post(
        "/cms/snippets/courses/enrolment/add/", {"user": user.pk, "cohort": cohort.pk}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Enrolment.objects.count() == before
