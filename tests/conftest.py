import pytest
from django.core.cache import cache
from django.db import transaction

from courses.learning import services as learning_services
from tests.factories import (
    ArsStaffFactory,
    CohortFactory,
    EnrolmentFactory,
    PedagogicalFactory,
    RegionFactory,
    TrainerFactory,
    UserFactory,
    build_programme,
    modules_of,
)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rate limits (refused uploads, wrong codes) count per
    user id in it, and ids repeat from one test to the next."""
    cache.clear()


@pytest.fixture(scope="module")
def programme(django_db_setup, django_db_blocker):
    """The programme page tree, built once per test module inside a transaction rolled back at
    the end of the module; each test runs in its own savepoint within it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_programme()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def modules(programme):
    return modules_of(programme)


@pytest.fixture
def region(db):
    return RegionFactory(name="Bretagne", slug="bretagne")


@pytest.fixture
def other_region(db):
    return RegionFactory(name="Occitanie", slug="occitanie")


@pytest.fixture
def cohort(programme, region):
    return CohortFactory(programme=programme, region=region, name="Bretagne 2026")


@pytest.fixture
def enrolment(cohort):
    return EnrolmentFactory(cohort=cohort)


@pytest.fixture
def learner(enrolment):
    return enrolment.user


@pytest.fixture
def enrolment_with_options(enrolment, modules):
    """An enrolment that chose Santé environnement and Santé mentale."""
    learning_services.options_choose(enrolment=enrolment, modules=modules[5:7])
    return enrolment


@pytest.fixture
def ars_staff(region):
    return ArsStaffFactory(regions=[region])


@pytest.fixture
def other_ars_staff(other_region):
    return ArsStaffFactory(regions=[other_region])


@pytest.fixture
def trainer(db):
    return TrainerFactory()


@pytest.fixture
def pedagogical(db):
    return PedagogicalFactory()


@pytest.fixture
def anonymous_learner(db):
    """A learner account enrolled nowhere."""
    return UserFactory()


@pytest.fixture(autouse=True)
def _db_with_programme(request):
    """A test using the shared page tree always runs in the test database's savepoint."""
    if {"programme", "modules"} & set(request.fixturenames) and "live_server" not in request.fixturenames:
        request.getfixturevalue("db")
