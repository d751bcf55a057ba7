"""Administration that cannot escalate: what a pedagogical-team member who is not a superuser may
not do in the Wagtail user screens, whatever they post, and what a superuser still may."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction

from lms.enums import Role
from lms.models import User
from lms.services import PEDAGOGICAL_GROUP
from tests.factories import (
    PASSWORD,
    ArsStaffFactory,
    PedagogicalFactory,
    RegionFactory,
    TrainerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "un-mot-de-passe-choisi-par-l-equipe-2026"


def _superuser(**kwargs):
    return UserFactory(role=Role.PEDAGOGICAL_TEAM, is_staff=True, is_superuser=True, **kwargs)


def _edit_data(user, **extra):
    """What the edit screen posts back for `user`, unchanged, plus `extra`."""
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role": user.role,
        "regions": [r.pk for r in user.regions.all()],
        "is_active": "on" if user.is_active else "",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v != ""}


def _bulk_url(action, *users):
    ids = "&".join(f"id={u.pk}" for u in users)
    return f"/cms/bulk/lms/user/{action}/?{ids}"


@pytest.fixture
def team(client):
    member = PedagogicalFactory()
    client.force_login(member)
    return member


@pytest.fixture
def superuser(client):
    admin = _superuser()
    client.force_login(admin)
    return admin


# --- What the team may not do -------------------------------------------------------------------


def test_team_cannot_set_another_users_password(client, team):
    """A password posted by a team member on a trainer's edit screen is ignored."""
    trainer = TrainerFactory()
    client.post(
        f"/cms/users/edit/{trainer.pk}/", _edit_data(trainer, password1=NEW_PASSWORD, password2=NEW_PASSWORD)
    )
    trainer.refresh_from_db()
    assert trainer.check_password(PASSWORD) and not trainer.check_password(NEW_PASSWORD)


def _inputs(html, name):
    return re.findall(rf'<(?:input|select)[^>]*name="{name}"[^>]*>', html)


def test_team_edit_form_has_no_password_or_superuser_field(client, team):
    """The team's edit screen offers no password or superuser field, shows the address and groups
    read-only, and lets them change the role and regions."""
    trainer = TrainerFactory()
    html = client.get(f"/cms/users/edit/{trainer.pk}/").content.decode()
    assert not _inputs(html, "password1") and not _inputs(html, "is_superuser")
    assert _inputs(html, "email") and all("disabled" in tag for tag in _inputs(html, "email"))
    assert _inputs(html, "groups") and all("disabled" in tag for tag in _inputs(html, "groups"))
    assert not any("disabled" in tag for tag in _inputs(html, "role") + _inputs(html, "regions"))


def test_team_cannot_grant_superuser_on_edit(client, team):
    """A crafted is_superuser=on on a trainer's edit screen leaves the trainer without it."""
    trainer = TrainerFactory()
    response = client.post(f"/cms/users/edit/{trainer.pk}/", _edit_data(trainer, is_superuser="on"))
    assert response.status_code == 302
    trainer.refresh_from_db()
    assert not trainer.is_superuser


def test_team_cannot_create_a_superuser_or_choose_the_password(client, team):
    """An account created by the team is never a superuser and has no password the team knows."""
    form = client.get("/cms/users/new/").content.decode()
    assert "Le compte est créé sans mot de passe" in form and 'name="password1"' not in form
    response = client.post(
        "/cms/users/new/",
        {
            "email": "nouveau.formateur@exemple.fr",
            "first_name": "Paul",
            "last_name": "Durand",
            "role": Role.TRAINER,
            "is_active": "on",
            "is_superuser": "on",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    created = User.objects.get(email="nouveau.formateur@exemple.fr")
    assert not created.is_superuser
    assert not created.has_usable_password()


def test_team_cannot_change_another_users_email(client, team):
    """The address is the key to a password reset: the team cannot redirect it to another mailbox."""
    trainer = TrainerFactory()
    client.post(f"/cms/users/edit/{trainer.pk}/", _edit_data(trainer, email="pirate@exemple.fr"))
    trainer.refresh_from_db()
    assert trainer.email != "pirate@exemple.fr"


def test_team_cannot_put_a_user_in_a_group(client, team):
    """Groups follow the role: a crafted groups=... on a learner's edit screen is ignored."""
    learner = UserFactory()
    group = Group.objects.get(name=PEDAGOGICAL_GROUP)
    client.post(f"/cms/users/edit/{learner.pk}/", _edit_data(learner, groups=[group.pk]))
    assert not learner.groups.exists()


def test_team_cannot_open_or_edit_a_superusers_account(client, team):
    """A superuser's edit screen sends the team back to the user list with a French message; a
    crafted POST changes nothing."""
    admin = _superuser()
    response = client.get(f"/cms/users/edit/{admin.pk}/", follow=True)
    assert response.redirect_chain == [("/cms/users/", 302)]
    assert "seul·e un·e autre superutilisateur·rice peut le modifier" in response.content.decode()
    response = client.post(
        f"/cms/users/edit/{admin.pk}/",
        _edit_data(admin, email="pirate@exemple.fr", password1=NEW_PASSWORD, password2=NEW_PASSWORD),
    )
    assert response.status_code == 302
    admin.refresh_from_db()
    assert admin.email != "pirate@exemple.fr" and admin.check_password(PASSWORD)


def test_team_cannot_deactivate_a_superuser_from_the_edit_screen(client, team):
    """Posting the superuser's form without is_active leaves the superuser active."""
    admin = _superuser()
    data = _edit_data(admin)
    data.pop("is_active")
    assert client.post(f"/cms/users/edit/{admin.pk}/", data)["Location"] == "/cms/users/"
    admin.refresh_from_db()
    assert admin.is_active


def test_team_cannot_delete_a_superuser(client, team):
    """Deleting a superuser sends the team back with the reason, and the account stays."""
    admin = _superuser()
    response = client.post(f"/cms/users/delete/{admin.pk}/", follow=True)
    assert (
        "seul·e un·e autre superutilisateur·rice peut le modifier ou le supprimer"
        in response.content.decode()
    )
    assert User.objects.filter(pk=admin.pk).exists()


def test_team_cannot_deactivate_a_superuser_in_bulk(client, team):
    """The bulk « set active state » action skips superusers for the team."""
    admin = _superuser()
    trainer = TrainerFactory()
    client.post(_bulk_url("set_active_state", admin, trainer), {"mark_as_active": "False"})
    admin.refresh_from_db()
    trainer.refresh_from_db()
    assert admin.is_active
    assert not trainer.is_active


def test_team_cannot_assign_groups_in_bulk(client, team):
    """The bulk « assign role » action (Wagtail groups) is for superusers only."""
    learner = UserFactory()
    group = Group.objects.get(name=PEDAGOGICAL_GROUP)
    response = client.post(_bulk_url("assign_role", learner), {"role": group.pk}, follow=True)
    assert "Les groupes Wagtail sont réservés aux superutilisateur·rices" in response.content.decode()
    assert not learner.groups.exists()


def test_team_cannot_delete_a_superuser_in_bulk(client, team):
    """The bulk delete action skips superusers for the team."""
    admin = _superuser()
    client.post(_bulk_url("delete", admin))
    assert User.objects.filter(pk=admin.pk).exists()


def test_team_cannot_change_own_role_groups_or_superuser_flag(client, team):
    """A team member's own edit screen changes neither their role, their groups, their active status
    nor their superuser flag, whatever is posted."""
    group, _ = Group.objects.get_or_create(name="Moderators")
    client.post(
        f"/cms/users/edit/{team.pk}/",
        _edit_data(team, role=Role.TRAINER, is_superuser="on", groups=[group.pk], is_active=""),
    )
    team.refresh_from_db()
    assert team.role == Role.PEDAGOGICAL_TEAM and not team.is_superuser and team.is_active
    assert list(team.groups.values_list("name", flat=True)) == [PEDAGOGICAL_GROUP]


def test_team_cannot_edit_groups(client, team):
    """The team reaches neither the group list nor a group's permissions (their own included)."""
    group = Group.objects.get(name=PEDAGOGICAL_GROUP)
    before = set(group.permissions.values_list("pk", flat=True))
    assert client.get("/cms/groups/").status_code == 302
    assert client.get(f"/cms/groups/edit/{group.pk}/").status_code == 302
    client.post(f"/cms/groups/edit/{group.pk}/", {"name": group.name, "permissions": []})
    assert set(group.permissions.values_list("pk", flat=True)) == before


def test_team_group_has_no_user_model_or_group_power_beyond_users(client, team):
    """The team's group holds no permission on groups, permissions or the audit log."""
    codenames = set(Group.objects.get(name=PEDAGOGICAL_GROUP).permissions.values_list("codename", flat=True))
    assert not {c for c in codenames if c.endswith("_group") or c.endswith("_permission")}
    assert not {c for c in codenames if c.endswith("_auditentry")}


# --- What the team still may do -----------------------------------------------------------------


def test_team_changes_role_regions_and_active_status(client, team):
    """The team manages who has which role and region, and deactivates an ordinary account."""
    region = RegionFactory(name="Normandie", slug="normandie")
    trainer = TrainerFactory()
    data = _edit_data(trainer, role=Role.ARS_STAFF, regions=[region.pk])
    data.pop("is_active")
    assert client.post(f"/cms/users/edit/{trainer.pk}/", data).status_code == 302
    trainer.refresh_from_db()
    assert trainer.role == Role.ARS_STAFF and list(trainer.regions.all()) == [region]
    assert not trainer.is_active


def test_promotion_to_the_team_in_the_admin_brings_the_team_group(client, team):
    """Giving a learner the team role on the edit screen puts them in the team's group (the groups
    field, saved after the role, used to take it away again)."""
    learner = UserFactory()
    assert (
        client.post(
            f"/cms/users/edit/{learner.pk}/", _edit_data(learner, role=Role.PEDAGOGICAL_TEAM)
        ).status_code
        == 302
    )
    assert list(learner.groups.values_list("name", flat=True)) == [PEDAGOGICAL_GROUP]


def test_team_edits_own_name(client, team):
    """A team member still corrects their own name on their edit screen."""
    assert (
        client.post(f"/cms/users/edit/{team.pk}/", _edit_data(team, first_name="Amélie")).status_code == 302
    )
    team.refresh_from_db()
    assert team.first_name == "Amélie"


# --- What a superuser may do --------------------------------------------------------------------


def test_superuser_sets_password_grants_superuser_and_changes_email(client, superuser):
    """A superuser sets a trainer's password, makes them superuser and corrects their address."""
    trainer = TrainerFactory()
    data = _edit_data(
        trainer,
        email="formateur@exemple.fr",
        is_superuser="on",
        password1=NEW_PASSWORD,
        password2=NEW_PASSWORD,
    )
    assert client.post(f"/cms/users/edit/{trainer.pk}/", data).status_code == 302
    trainer.refresh_from_db()
    assert trainer.is_superuser and trainer.check_password(NEW_PASSWORD)
    assert trainer.email == "formateur@exemple.fr"


def test_superuser_edits_and_deactivates_another_superuser(client, superuser):
    """A superuser edits another superuser's account, down to removing their superuser status."""
    other = _superuser()
    data = _edit_data(other, last_name="Martin")
    data.pop("is_active")
    assert client.post(f"/cms/users/edit/{other.pk}/", data).status_code == 302
    other.refresh_from_db()
    assert other.last_name == "Martin" and not other.is_active and not other.is_superuser


def test_superuser_cannot_remove_own_superuser_status(client, superuser):
    """Even a superuser cannot lock themselves out: their own flag and role are not on their form."""
    client.post(f"/cms/users/edit/{superuser.pk}/", _edit_data(superuser, role=Role.LEARNER, is_active=""))
    superuser.refresh_from_db()
    assert superuser.is_superuser and superuser.is_active and superuser.role == Role.PEDAGOGICAL_TEAM


@pytest.mark.parametrize("who", ["team", "superuser"])
def test_no_copy_screen_bypasses_the_add_screen(client, who, request):
    """Wagtail's « copy » of an account (which crashed, and skipped the access rules of the add
    screen) is not offered: the list links to no copy screen and the address does not exist."""
    request.getfixturevalue(who)
    learner = UserFactory()
    assert client.get(f"/cms/users/copy/{learner.pk}/").status_code == 404
    assert client.post(f"/cms/users/copy/{learner.pk}/", {"email": "x@exemple.fr"}).status_code == 404
    assert "/cms/users/copy/" not in client.get("/cms/users/").content.decode()


# --- Role × URL matrix of the Wagtail user screens ----------------------------------------------

ROLES = ["anonymous", "learner", "ars_staff", "trainer", "team", "superuser"]
# A redirect is told apart by where it goes: to the sign-in page (no admin access), or back into
# the admin with a message saying why (Wagtail's refusal: the admin home; ours: the user list).
LOGIN = "login"
HOME = "/cms/"
USERS = "/cms/users/"

#                     anon   learner ars    trainer team   superuser
MATRIX = {
    "users": [LOGIN, LOGIN, LOGIN, LOGIN, 200, 200],
    "users_new": [LOGIN, LOGIN, LOGIN, LOGIN, 200, 200],
    "edit_learner": [LOGIN, LOGIN, LOGIN, LOGIN, 200, 200],
    "edit_superuser": [LOGIN, LOGIN, LOGIN, LOGIN, USERS, 200],
    "delete_learner": [LOGIN, LOGIN, LOGIN, LOGIN, 200, 200],
    "delete_superuser": [LOGIN, LOGIN, LOGIN, LOGIN, USERS, 200],
    "groups": [LOGIN, LOGIN, LOGIN, LOGIN, HOME, 200],
    "group_edit": [LOGIN, LOGIN, LOGIN, LOGIN, HOME, 200],
    "bulk_assign_role": [LOGIN, LOGIN, LOGIN, LOGIN, USERS, 200],
    "audit_log": [LOGIN, LOGIN, LOGIN, LOGIN, HOME, 200],
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One account per role, a learner and a second superuser to act on, built once."""
    with django_db_blocker.unblock(), transaction.atomic():
        users = {
            "anonymous": None,
            "learner": UserFactory(),
            "ars_staff": ArsStaffFactory(regions=[RegionFactory(name="Bretagne", slug="bretagne")]),
            "trainer": TrainerFactory(),
            "team": PedagogicalFactory(),
            "superuser": _superuser(),
        }
        yield {
            "users": users,
            "target_learner": UserFactory(),
            "target_superuser": _superuser(),
            "group": Group.objects.get(name=PEDAGOGICAL_GROUP),
        }
        transaction.set_rollback(True)


def _url(world, name):
    learner, admin = world["target_learner"], world["target_superuser"]
    return {
        "users": "/cms/users/",
        "users_new": "/cms/users/new/",
        "edit_learner": f"/cms/users/edit/{learner.pk}/",
        "edit_superuser": f"/cms/users/edit/{admin.pk}/",
        "delete_learner": f"/cms/users/delete/{learner.pk}/",
        "delete_superuser": f"/cms/users/delete/{admin.pk}/",
        "groups": "/cms/groups/",
        "group_edit": f"/cms/groups/edit/{world['group'].pk}/",
        "bulk_assign_role": _bulk_url("assign_role", learner),
        "audit_log": "/cms/journal-audit/",
    }[name]


def _outcome(response):
    """The status, or for a redirect where it leads (LOGIN for any sign-in page)."""
    if response.status_code != 302:
        return response.status_code
    location = response["Location"]
    return LOGIN if "login" in location else location


CASES = [
    (name, role, expected)
    for name, statuses in MATRIX.items()
    for role, expected in zip(ROLES, statuses, strict=True)
]


@pytest.mark.parametrize(("name", "role", "expected"), CASES, ids=[f"{n}-{r}" for n, r, _ in CASES])
def test_user_admin_matrix(client, world, name, role, expected):
    """Each role gets exactly the expected outcome on each Wagtail user, group or audit screen (GET)."""
    cache.clear()
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    assert _outcome(client.get(_url(world, name))) == expected
