"""Single-line fields: names and titles that reach email subjects, file names and PDF titles are
stored on one line, whatever path saves them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page

from courses.catalogue.models import ModulePage
from courses.cohorts.models import Cohort
from courses.sessions import services as sessions_services
from courses.sessions.models import TrainingProvider
from forum.enums import SpaceKind
from forum.models import Space
from forum.threads import services as forum_services
from lms.models import Region, User
from lms.text import single_line
from tests.factories import EnrolmentFactory, UserFactory


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Séminaire\r\nrégional", "Séminaire régional"),
        ("Séminaire \r\n\t régional ", "Séminaire régional"),
        ("a\nb\rc\td\x00e\x1bf\x85g\u2028h\u2029i", "a b c d e f g h i"),
        ("deux  espaces gardés", "deux  espaces gardés"),
        ("  bords  ", "bords"),
        ("", ""),
        (None, None),
    ],
)
def test_single_line(value, expected):
    """Every whitespace run holding a break or a control character becomes one space; the rest stays."""
    assert single_line(value) == expected


@pytest.mark.django_db
def test_cohort_region_and_user_names_are_stored_on_one_line(programme, region):
    """A cohort's name, a region's name and a user's names typed with CR/LF are saved on one line."""
    cohort = Cohort.objects.create(
        programme=programme,
        region=region,
        name="Bretagne\r\n2026",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )
    other = Region.objects.create(name="Grand\r\nEst", slug="grand-est")
    user = UserFactory(first_name="Anne\r\nBcc: x", last_name="Le\tGoff\n")
    cohort.refresh_from_db()
    other.refresh_from_db()
    user = User.objects.get(pk=user.pk)
    assert cohort.name == "Bretagne 2026"
    assert other.name == "Grand Est"
    assert (user.first_name, user.last_name) == ("Anne Bcc: x", "Le Goff")


@pytest.mark.django_db
def test_provider_name_is_stored_on_one_line_and_checked_for_uniqueness_so(pedagogical):
    """A provider named with a line break is saved on one line, and a second one differing only by
    that break is refused as a duplicate."""
    values = {"siret": "73282932000074", "qualiopi_number": "QUA\r\n-1"}
    provider = sessions_services.provider_save(
        provider=TrainingProvider(name="Organisme\r\nA", **values), by=pedagogical
    )
    provider.refresh_from_db()
    assert (provider.name, provider.qualiopi_number) == ("Organisme A", "QUA -1")
    with pytest.raises(ValidationError) as error:
        sessions_services.provider_save(
            provider=TrainingProvider(name="Organisme\nA", siret="12345678901237"), by=pedagogical
        )
    assert "name" in error.value.message_dict
    assert TrainingProvider.objects.count() == 1


@pytest.mark.django_db
def test_forum_thread_title_is_stored_on_one_line(programme, cohort):
    """A question's title with CR/LF (it becomes an email subject) is saved on one line."""
    learner = EnrolmentFactory(cohort=cohort).user
    space = Space.objects.create(
        kind=SpaceKind.COHORT, title="Bretagne\r\n", slug="c-bzh", programme=programme, cohort=cohort
    )
    thread = forum_services.thread_start(space=space, title="Ma\r\nquestion", source="Bonjour", by=learner)
    thread.refresh_from_db()
    space.refresh_from_db()
    assert (thread.title, space.title) == ("Ma question", "Bretagne")


@pytest.mark.django_db
def test_module_page_title_is_stored_on_one_line(modules):
    """A module's title saved with CR/LF (as a crafted admin POST could send it) is published on one
    line, in the page and in its revision."""
    module = ModulePage.objects.get(pk=modules[0].pk)
    module.title = "Module\r\nsocle"
    revision = module.save_revision()
    revision.publish()
    page = Page.objects.get(pk=module.pk).specific
    assert isinstance(page, ModulePage)
    assert page.title == "Module socle"
    assert page.draft_title == "Module socle"
    assert revision.as_object().title == "Module socle"
