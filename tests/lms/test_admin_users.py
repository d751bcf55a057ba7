import pytest

from lms.enums import Role
from lms.models import User
from lms.services import PEDAGOGICAL_GROUP
from tests.factories import PedagogicalFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _form(**extra):
    data = {
        "email": "nouvelle.referente@ars.sante.fr",
        "first_name": "Nadia",
        "last_name": "Le Goff",
        "password1": "un-mot-de-passe-solide-2026",
        "password2": "un-mot-de-passe-solide-2026",
        "is_active": "on",
    }
    data.update(extra)
    return data


def test_team_creates_ars_staff_with_regions(client):
    """The pedagogical team creates an ARS staff account attached to a region in the Wagtail admin."""
    region = RegionFactory(name="Grand Est", slug="grand-est")
    client.force_login(PedagogicalFactory())
    response = client.post("/cms/users/new/", _form(role=Role.ARS_STAFF, regions=[region.pk]))
    assert response.status_code == 302
    user = User.objects.get(email="nouvelle.referente@ars.sante.fr")
    assert user.role == Role.ARS_STAFF and list(user.regions.all()) == [region]


def test_ars_staff_without_region_is_refused(client):
    """An ARS staff account with no region is refused with a clear message, nothing created."""
    client.force_login(PedagogicalFactory())
    response = client.post("/cms/users/new/", _form(role=Role.ARS_STAFF))
    assert response.status_code == 200
    assert "au moins une région" in response.content.decode()
    assert not User.objects.filter(email="nouvelle.referente@ars.sante.fr").exists()


def test_pedagogical_role_grants_admin_and_other_roles_lose_it(client):
    """Giving the pedagogical role opens the admin; taking it away closes it again."""
    user = UserFactory()
    assert client.login(email=user.email, password="motdepasse-de-test-42")
    assert client.get("/cms/").status_code == 302
    user.role = Role.PEDAGOGICAL_TEAM
    user.save()
    assert user.groups.filter(name=PEDAGOGICAL_GROUP).exists()
    assert client.get("/cms/").status_code == 200
    user.role = Role.TRAINER
    user.save()
    assert client.get("/cms/").status_code == 302


def test_edit_form_shows_current_role_and_regions(client):
    """The edit screen starts from the account's role and regions."""
    from tests.factories import ArsStaffFactory

    region = RegionFactory(name="Guyane", slug="guyane", timezone="America/Cayenne")
    staff = ArsStaffFactory(regions=[region])
    client.force_login(PedagogicalFactory())
    html = client.get(f"/cms/users/edit/{staff.pk}/").content.decode()
    assert '<option value="ars_staff" selected>' in html
    assert f'value="{region.pk}"' in html and "checked" in html.split(f'value="{region.pk}"')[1][:120]
