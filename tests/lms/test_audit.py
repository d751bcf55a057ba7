"""The audit log: every change to an account's powers writes exactly one entry per thing changed,
with who, what, before and after; and an entry can be neither changed nor deleted."""

import os
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from courses.cohorts import services as cohorts_services
from lms.audit.enums import AuditAction
from lms.audit.models import AppendOnlyError, AuditEntry
from lms.audit.selectors import audit_entries
from lms.audit.services import audit_record
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

NEW_PASSWORD = "un-nouveau-mot-de-passe-2026"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth counts password requests in the cache: start each test clean."""
    cache.clear()
    yield
    cache.clear()


def _superuser(**kwargs):
    return UserFactory(role=Role.PEDAGOGICAL_TEAM, is_staff=True, is_superuser=True, **kwargs)


def _edit_data(user, **extra):
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


def _only(action, target=None):
    """The one entry of `action` (on `target`), failing if there is not exactly one."""
    [entry] = audit_entries(action=action, target=target)
    return entry


# --- Changes made in the Wagtail user screens ---------------------------------------------------


def test_role_and_regions_change_writes_one_entry_each(client):
    """A team member making a trainer ARS staff of a region writes one role entry and one regions
    entry, each with the team member, the before and the after, and nothing else."""
    team = PedagogicalFactory()
    trainer = TrainerFactory()
    region = RegionFactory(name="Normandie", slug="normandie")
    client.force_login(team)
    client.post(
        f"/cms/users/edit/{trainer.pk}/", _edit_data(trainer, role=Role.ARS_STAFF, regions=[region.pk])
    )
    assert AuditEntry.objects.count() == 2
    role = _only(AuditAction.USER_ROLE_CHANGED, trainer)
    assert (role.actor, role.actor_email) == (team, team.email)
    assert role.details == {"before": Role.TRAINER, "after": Role.ARS_STAFF}
    assert trainer.email in role.target_repr
    regions = _only(AuditAction.USER_REGIONS_CHANGED, trainer)
    assert regions.actor == team and regions.details == {"before": [], "after": ["Normandie"]}


def test_role_giving_the_admin_records_the_group_it_brings(client):
    """Making a learner a team member records the role and the Wagtail group it brings, both by the
    team member who did it."""
    team = PedagogicalFactory()
    learner = UserFactory()
    client.force_login(team)
    client.post(f"/cms/users/edit/{learner.pk}/", _edit_data(learner, role=Role.PEDAGOGICAL_TEAM))
    groups = _only(AuditAction.USER_GROUPS_CHANGED, learner)
    assert groups.actor == team and groups.details == {"before": [], "after": [PEDAGOGICAL_GROUP]}
    assert _only(AuditAction.USER_ROLE_CHANGED, learner).details["after"] == Role.PEDAGOGICAL_TEAM
    assert AuditEntry.objects.count() == 2


def test_superuser_grant_and_password_set_are_recorded_without_the_hash(client):
    """A superuser granting superuser status and setting a password writes one entry each; the
    password entry holds no password or hash."""
    admin = _superuser()
    trainer = TrainerFactory()
    client.force_login(admin)
    client.post(
        f"/cms/users/edit/{trainer.pk}/",
        _edit_data(trainer, is_superuser="on", password1=NEW_PASSWORD, password2=NEW_PASSWORD),
    )
    superuser = _only(AuditAction.USER_SUPERUSER_CHANGED, trainer)
    assert superuser.actor == admin and superuser.details == {"before": False, "after": True}
    password = _only(AuditAction.USER_PASSWORD_SET, trainer)
    assert password.actor == admin and password.details == {}
    trainer.refresh_from_db()
    assert trainer.password.split("$")[-1] not in str(
        list(AuditEntry.objects.values_list("details", flat=True))
    )
    assert AuditEntry.objects.count() == 2


def test_deactivation_is_recorded(client):
    """Deactivating an account on its edit screen writes one entry, True then False."""
    team = PedagogicalFactory()
    trainer = TrainerFactory()
    client.force_login(team)
    data = _edit_data(trainer)
    data.pop("is_active")
    client.post(f"/cms/users/edit/{trainer.pk}/", data)
    assert _only(AuditAction.USER_ACTIVE_CHANGED, trainer).details == {"before": True, "after": False}
    assert AuditEntry.objects.count() == 1


def test_saving_an_unchanged_account_writes_nothing(client):
    """Saving the edit screen as it is, or changing only a name, writes no entry."""
    team = PedagogicalFactory()
    staff = ArsStaffFactory(regions=[RegionFactory(name="Corse", slug="corse")])
    client.force_login(team)
    client.post(f"/cms/users/edit/{staff.pk}/", _edit_data(staff, first_name="Ange"))
    assert not AuditEntry.objects.exists()


def test_refused_change_writes_nothing(client):
    """A team member's crafted superuser grant changes nothing and so records nothing."""
    team = PedagogicalFactory()
    trainer = TrainerFactory()
    client.force_login(team)
    client.post(f"/cms/users/edit/{trainer.pk}/", _edit_data(trainer, is_superuser="on"))
    assert not AuditEntry.objects.exists()


def test_account_creation_is_recorded_with_its_access(client):
    """Creating an account in the admin writes one entry with the role and regions it starts with."""
    team = PedagogicalFactory()
    region = RegionFactory(name="Grand Est", slug="grand-est")
    client.force_login(team)
    client.post(
        "/cms/users/new/",
        {
            "email": "nouvelle.referente@ars.sante.fr",
            "first_name": "Nadia",
            "last_name": "Le Goff",
            "role": Role.ARS_STAFF,
            "regions": [region.pk],
            "is_active": "on",
        },
    )
    created = User.objects.get(email="nouvelle.referente@ars.sante.fr")
    entry = _only(AuditAction.USER_CREATED, created)
    assert entry.actor == team
    assert entry.details["after"]["role"] == Role.ARS_STAFF and entry.details["after"]["regions"] == [
        "Grand Est"
    ]
    assert "password" not in entry.details["after"]
    assert AuditEntry.objects.count() == 1


def test_bulk_deactivation_records_one_entry_per_account_it_changed(client):
    """The bulk « set active state » writes one entry per account deactivated, none for a skipped
    superuser."""
    team = PedagogicalFactory()
    trainers = [TrainerFactory(), TrainerFactory()]
    admin = _superuser()
    client.force_login(team)
    ids = "&".join(f"id={u.pk}" for u in [*trainers, admin])
    client.post(f"/cms/bulk/lms/user/set_active_state/?{ids}", {"mark_as_active": "False"})
    entries = audit_entries(action=AuditAction.USER_ACTIVE_CHANGED)
    assert sorted(e.target_id for e in entries) == sorted(str(t.pk) for t in trainers)
    assert all(e.actor == team and e.details == {"before": True, "after": False} for e in entries)
    assert AuditEntry.objects.count() == 2


def test_deletion_is_recorded_and_outlives_the_account(client):
    """Deleting an account writes one entry, with what it had, that stays once the account is gone."""
    team = PedagogicalFactory()
    trainer = TrainerFactory(email="parti@exemple.fr")
    client.force_login(team)
    client.post(f"/cms/users/delete/{trainer.pk}/")
    assert not User.objects.filter(email="parti@exemple.fr").exists()
    entry = AuditEntry.objects.get(action=AuditAction.USER_DELETED)
    assert entry.actor == team and "parti@exemple.fr" in entry.target_repr
    assert entry.details["before"]["role"] == Role.TRAINER


# --- Changes made elsewhere ---------------------------------------------------------------------


def test_own_password_change_is_recorded_with_the_user_as_author(client):
    """Changing one's password on « Mon compte » writes one entry by the user themselves."""
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    entry = _only(AuditAction.PASSWORD_CHANGED, user)
    assert entry.actor == user and entry.details == {"via": "change"}
    assert AuditEntry.objects.count() == 1


def test_password_reset_by_emailed_link_is_recorded(client, django_capture_on_commit_callbacks):
    """Choosing a new password through the emailed link writes one entry by the account's owner."""
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})
    link = re.search(r"https?://[^/\s]+(/comptes/password/reset/key/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    form_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    with django_capture_on_commit_callbacks(execute=True):
        client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    entry = _only(AuditAction.PASSWORD_RESET, user)
    assert entry.actor == user and entry.details == {"via": "reset"}
    assert AuditEntry.objects.count() == 1


def test_enrolment_creating_a_learner_is_recorded(cohort, ars_staff, django_capture_on_commit_callbacks):
    """Enrolling someone without an account creates a learner: one entry by the ARS staff member."""

    with django_capture_on_commit_callbacks(execute=False):
        enrolment = cohorts_services.enrolment_enrol(
            cohort=cohort,
            request=cohorts_services.EnrolmentRequest(
                email="nouvelle@exemple.fr", last_name="Roux", first_name="Léa"
            ),
            by=ars_staff,
        )
    entry = _only(AuditAction.USER_CREATED, enrolment.user)
    assert entry.actor == ars_staff and entry.details == {"after": {"role": Role.LEARNER}}
    assert "nouvelle@exemple.fr" in entry.target_repr


def test_import_records_each_account_it_creates(cohort, ars_staff, django_capture_on_commit_callbacks):
    """Confirming an import writes one creation entry per new account, none for an existing one."""
    from courses.cohorts import services as cohorts_services

    existing = UserFactory(email="deja@exemple.fr")
    lines = [
        "Nom;Prénom;E-mail",
        "A;Anne;anne@exemple.fr",
        "B;Bruno;bruno@exemple.fr",
        "D;Déjà;deja@exemple.fr",
    ]
    body = "".join(f"{line}\r\n" for line in lines)
    batch = cohorts_services.enrolment_import_create(
        cohort=cohort, filename="a.csv", content=body.encode("utf-8-sig"), by=ars_staff
    )
    with django_capture_on_commit_callbacks(execute=False):
        cohorts_services.enrolment_import_confirm(batch=batch, by=ars_staff)
    entries = audit_entries(action=AuditAction.USER_CREATED)
    assert sorted(e.target_repr for e in entries) == [
        "Anne A <anne@exemple.fr>",
        "Bruno B <bruno@exemple.fr>",
    ]
    assert all(e.actor == ars_staff for e in entries)
    assert not audit_entries(target=existing).exists()


# --- Append-only --------------------------------------------------------------------------------


def test_an_entry_cannot_be_changed_or_deleted():
    """Saving an entry again, deleting it, or updating or deleting through a queryset all fail and
    leave the entry as it was."""
    actor = _superuser()
    entry = audit_record(
        actor=actor,
        action=AuditAction.USER_ROLE_CHANGED,
        target=actor,
        details={"before": "learner", "after": "trainer"},
    )
    entry.details = {"before": "learner", "after": "learner"}
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(details={})
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).details == {"before": "learner", "after": "trainer"}


def test_deleting_the_author_keeps_the_entry_and_their_address():
    """When the author's account is deleted, the entry stays and still says who it was."""
    author = PedagogicalFactory(email="auteur@exemple.fr")
    target = UserFactory()
    entry = audit_record(actor=author, action=AuditAction.USER_ACTIVE_CHANGED, target=target, details={})
    author.delete()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.actor is None and entry.actor_email == "auteur@exemple.fr"
    assert entry.actor_display == "auteur@exemple.fr"


def test_audit_log_is_read_only_in_the_admin(client):
    """A superuser reads the audit log in the admin but cannot add, edit or delete an entry there."""
    admin = _superuser()
    entry = audit_record(actor=admin, action=AuditAction.USER_ACTIVE_CHANGED, target=admin, details={})
    client.force_login(admin)
    assert client.get("/cms/journal-audit/").status_code == 200
    assert client.get(f"/cms/journal-audit/inspect/{entry.pk}/").status_code == 200
    for url in ("/cms/journal-audit/new/", f"/cms/journal-audit/edit/{entry.pk}/"):
        assert client.get(url)["Location"] == "/cms/"
    client.post(f"/cms/journal-audit/delete/{entry.pk}/")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def _require_postgresql() -> None:
    """Return on PostgreSQL; otherwise skip on a developer's machine and fail in CI, where this
    must run (the same rule as tests/courses/test_concurrency.py)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    message = "the database-level guard of the audit log is PostgreSQL's (DATABASE_URL=postgres://…)"
    if os.environ.get("CI_REQUIRE_SERVICES"):
        pytest.fail(f"{message}: required in CI (CI_REQUIRE_SERVICES is set)", pytrace=False)
    pytest.skip(message)


def test_postgresql_refuses_raw_updates_and_deletes_but_lets_the_author_go():
    """On PostgreSQL, raw SQL can neither change nor delete an entry; deleting the author's account
    still works and only clears the link to it."""
    from django.db import DatabaseError, connection, transaction

    _require_postgresql()
    author = PedagogicalFactory(email="auteur@exemple.fr")
    entry = audit_record(
        actor=author, action=AuditAction.USER_ACTIVE_CHANGED, target=author, details={"a": 1}
    )
    for sql in (
        "UPDATE lms_auditentry SET details = '{}' WHERE id = %s",
        "UPDATE lms_auditentry SET actor_id = NULL, target_repr = 'x' WHERE id = %s",
        "DELETE FROM lms_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="ajout seul"),
            transaction.atomic(),
            connection.cursor() as cur,
        ):
            cur.execute(sql, [entry.pk])
    author.delete()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.actor is None and entry.actor_email == "auteur@exemple.fr" and entry.details == {"a": 1}


def test_own_primary_address_change_is_recorded(client):
    """Making another verified address one's primary address on « Mon compte » writes one entry
    by the user, with the old and the new address."""
    from allauth.account.models import EmailAddress

    user = UserFactory(email="ancienne@exemple.fr")
    EmailAddress.objects.create(user=user, email="nouvelle@exemple.fr", verified=True, primary=False)
    client.force_login(user)
    client.post(reverse("account_email"), {"action_primary": "", "email": "nouvelle@exemple.fr"})
    entry = _only(AuditAction.USER_EMAIL_CHANGED, user)
    assert entry.actor == user
    assert entry.details == {"before": "ancienne@exemple.fr", "after": "nouvelle@exemple.fr"}
    assert AuditEntry.objects.count() == 1
