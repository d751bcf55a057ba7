"""A region's time zone: only IANA names, refused in French otherwise."""

import pytest
from django.core.exceptions import ValidationError

from lms.models import Region

pytestmark = pytest.mark.django_db


def test_a_mistyped_time_zone_is_refused_by_the_model():
    """« Europe/Pairs » is refused with a French message naming the mistake."""
    region = Region(name="Bretagne", slug="bretagne", timezone="Europe/Pairs")
    with pytest.raises(ValidationError) as error:
        region.full_clean()
    assert error.value.message_dict["timezone"] == [
        "« Europe/Pairs » n'est pas un fuseau horaire connu : saisissez un nom IANA, par exemple "
        "Europe/Paris, America/Cayenne ou Indian/Reunion."
    ]


@pytest.mark.parametrize("name", ["Europe/Paris", "America/Cayenne", "Indian/Reunion"])
def test_the_programme_time_zones_are_accepted(name):
    """The zones of the programme's regions pass validation."""
    Region(name="Région", slug="region", timezone=name).full_clean()


def test_the_admin_refuses_a_mistyped_time_zone(client, pedagogical):
    """Adding a region in the Wagtail admin with a typo in its zone is refused and creates nothing."""
    client.force_login(pedagogical)
    response = client.post(
        "/cms/snippets/lms/region/add/", {"name": "Guyane", "slug": "guyane", "timezone": "America/Cayene"}
    )
    assert response.status_code == 200
    assert "« America/Cayene » n&#x27;est pas un fuseau horaire connu" in response.content.decode()
    assert not Region.objects.filter(slug="guyane").exists()
    response = client.post(
        "/cms/snippets/lms/region/add/", {"name": "Guyane", "slug": "guyane", "timezone": "America/Cayenne"}
    )
    assert response.status_code == 302
    assert Region.objects.get(slug="guyane").timezone == "America/Cayenne"
