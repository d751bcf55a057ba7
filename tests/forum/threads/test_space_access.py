"""Who reads, posts and moderates in each forum space: one rule, the same for objects and lists."""

import pytest

from courses.learning import services as learning_services
from forum.enums import SpaceKind
from forum.models import Space
from forum.threads import permissions
from tests.factories import CohortFactory, EnrolmentFactory


@pytest.fixture
def spaces(programme, modules, cohort, other_region):
    other_cohort = CohortFactory(programme=programme, region=other_region, name="Occitanie 2026")
    return {
        "general": Space.objects.create(
            kind=SpaceKind.GENERAL, title="Général", slug="general", programme=programme
        ),
        "core": Space.objects.create(
            kind=SpaceKind.MODULE, title="Module 1", slug="m1", programme=programme, module=modules[0]
        ),
        "chosen_option": Space.objects.create(
            kind=SpaceKind.MODULE, title="Santé mentale", slug="m7", programme=programme, module=modules[6]
        ),
        "other_option": Space.objects.create(
            kind=SpaceKind.MODULE, title="Méthodologie", slug="m5", programme=programme, module=modules[4]
        ),
        "own_cohort": Space.objects.create(
            kind=SpaceKind.COHORT, title="Bretagne", slug="c-bzh", programme=programme, cohort=cohort
        ),
        "other_cohort": Space.objects.create(
            kind=SpaceKind.COHORT, title="Occitanie", slug="c-occ", programme=programme, cohort=other_cohort
        ),
    }


@pytest.fixture
def people(enrolment, modules, ars_staff, other_ars_staff, trainer, pedagogical, anonymous_learner):
    learning_services.options_choose(enrolment=enrolment, modules=[modules[5], modules[6]])
    return {
        "learner": enrolment.user,
        "learner_not_enrolled": anonymous_learner,
        "ars_region": ars_staff,
        "ars_other_region": other_ars_staff,
        "trainer": trainer,
        "pedagogical": pedagogical,
    }


#                       general core  chosen other_opt own_coh other_coh
READ = {
    "learner": [1, 1, 1, 0, 1, 0],
    "learner_not_enrolled": [0, 0, 0, 0, 0, 0],
    "ars_region": [1, 0, 0, 0, 1, 0],
    "ars_other_region": [1, 0, 0, 0, 0, 1],
    "trainer": [1, 1, 1, 1, 1, 1],
    "pedagogical": [1, 1, 1, 1, 1, 1],
}
SPACES = ["general", "core", "chosen_option", "other_option", "own_cohort", "other_cohort"]


@pytest.mark.parametrize("role", sorted(READ))
def test_read_access_per_role_and_space(spaces, people, role):
    """Each role reads exactly the expected spaces, and the list agrees with the object rule."""
    user = people[role]
    readable = set(permissions.spaces_readable_by(user).values_list("slug", flat=True))
    for name, expected in zip(SPACES, READ[role], strict=True):
        space = spaces[name]
        assert permissions.space_access(user, space).read is bool(expected), (role, name)
        assert (space.slug in readable) is bool(expected), (role, name)


def test_only_trainers_and_team_moderate(spaces, people):
    """Moderation belongs to trainers and the pedagogical team, nowhere to learners or ARS staff."""
    for role, user in people.items():
        moderates = permissions.space_access(user, spaces["general"]).moderate
        assert moderates is (role in {"trainer", "pedagogical"}), role


def test_moderated_spaces_list_agrees_with_the_object_rule(spaces, people):
    """spaces_moderated_by holds exactly the spaces where space_access grants moderation."""
    for role, user in people.items():
        listed = set(permissions.spaces_moderated_by(user).values_list("slug", flat=True))
        for name, space in spaces.items():
            assert (space.slug in listed) is permissions.space_access(user, space).moderate, (role, name)


def test_anonymous_reads_nothing(spaces):
    """An anonymous visitor has no access to any space."""
    from django.contrib.auth.models import AnonymousUser

    assert not permissions.spaces_readable_by(AnonymousUser()).exists()
    assert permissions.space_access(AnonymousUser(), spaces["general"]) == permissions.SpaceAccess()


def test_a_space_targets_what_its_kind_says(programme, modules, cohort):
    """A module space without a module, or a general space with a cohort, is refused by the database."""
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Space.objects.create(kind=SpaceKind.MODULE, title="x", slug="x", programme=programme)
    with pytest.raises(IntegrityError), transaction.atomic():
        Space.objects.create(kind=SpaceKind.GENERAL, title="y", slug="y", programme=programme, cohort=cohort)


def test_learner_of_another_programme_reads_nothing_here(spaces, people):
    """A learner enrolled in another programme does not read this programme's general space."""
    from tests.factories import build_programme

    other = EnrolmentFactory(
        cohort=CohortFactory(programme=build_programme(), region=spaces["own_cohort"].cohort.region)
    )
    assert not permissions.space_access(other.user, spaces["general"]).read


def test_object_rule_is_the_list_rule_for_every_kind_of_account(spaces, people):
    """For every kind of account (inactive, superuser, ARS staff without a region, a learner of
    another programme included) and every space (another programme's too), space_access reads,
    posts and moderates exactly as spaces_readable_by and spaces_moderated_by list."""
    from tests.factories import ArsStaffFactory, TrainerFactory, UserFactory, build_programme

    other_programme = build_programme()
    elsewhere = EnrolmentFactory(
        cohort=CohortFactory(programme=other_programme, region=spaces["own_cohort"].cohort.region)
    )
    all_spaces = [
        *spaces.values(),
        Space.objects.create(
            kind=SpaceKind.GENERAL, title="Autre", slug="general-autre", programme=other_programme
        ),
        Space.objects.create(
            kind=SpaceKind.COHORT,
            title="Autre promotion",
            slug="c-autre",
            programme=other_programme,
            cohort=elsewhere.cohort,
        ),
    ]
    accounts = {
        **people,
        "inactive_trainer": TrainerFactory(is_active=False),
        "superuser": UserFactory(is_superuser=True),
        "ars_without_region": ArsStaffFactory(regions=[]),
        "learner_elsewhere": elsewhere.user,
    }
    for role, user in accounts.items():
        readable = set(permissions.spaces_readable_by(user).values_list("pk", flat=True))
        moderated = set(permissions.spaces_moderated_by(user).values_list("pk", flat=True))
        for space in all_spaces:
            access = permissions.space_access(user, space)
            assert access.read is (space.pk in readable) is access.post, (role, space.slug)
            assert access.moderate is (space.pk in moderated), (role, space.slug)
    assert permissions.space_access(accounts["superuser"], all_spaces[-1]).moderate
    assert not permissions.space_access(accounts["inactive_trainer"], spaces["general"]).read
