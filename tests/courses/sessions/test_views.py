"""Provider and session pages: who gets what, forms with local times, bad input, query budgets."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.sessions import selectors as sessions_selectors
from courses.sessions.models import PresentialSession, TrainingProvider
from tests.factories import (
    ArsStaffFactory,
    CohortFactory,
    EnrolmentFactory,
    RegionFactory,
    TrainerFactory,
)

pytestmark = pytest.mark.django_db

SIRET = "73282932000074"


def make_provider(name="Formation Santé Ouest", *, certified=True, siret=SIRET):
    values = {"name": name, "siret": siret}
    if certified:
        values |= {
            "qualiopi_number": "QUA-001",
            "qualiopi_valid_from": datetime.date(2024, 1, 1),
            "qualiopi_valid_until": datetime.date(2030, 12, 31),
        }
    return TrainingProvider.objects.create(**values)


def make_session(module, region, provider, *, day=datetime.date(2026, 10, 5), title="Séminaire", cohorts=()):
    start = sessions_selectors.local_to_utc(datetime.datetime.combine(day, datetime.time(9)), region.timezone)
    session = PresentialSession.objects.create(
        module=module,
        provider=provider,
        region=region,
        title=title,
        place="Rennes",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=8),
        hours=Decimal(7),
    )
    session.cohorts.set(cohorts)
    return session


@pytest.fixture
def setup(programme, modules, region, other_region, cohort, learner, ars_staff, other_ars_staff, pedagogical):
    other_cohort = CohortFactory(programme=programme, region=other_region, name="Occitanie 2026")
    provider = make_provider()
    session = make_session(modules[0], region, provider, cohorts=[cohort])
    trainer = TrainerFactory()
    session.trainers.add(trainer)
    return {
        "provider": provider,
        "session": session,
        "cohort": cohort,
        "other_cohort": other_cohort,
        "users": {
            "anonymous": None,
            "learner": learner,
            "other_learner": EnrolmentFactory(cohort=other_cohort).user,
            "ars_region": ars_staff,
            "ars_other_region": other_ars_staff,
            "trainer": trainer,
            "other_trainer": TrainerFactory(),
            "pedagogical": pedagogical,
        },
    }


def _urls(s):
    p, x = s["provider"].pk, s["session"].pk
    return {
        "provider_list": "/gestion/organismes/",
        "provider_create": "/gestion/organismes/nouveau/",
        "provider_edit": f"/gestion/organismes/{p}/modifier/",
        "session_list": "/gestion/sessions/",
        "session_create": "/gestion/sessions/nouvelle/",
        "detail": f"/gestion/sessions/{x}/",
        "session_edit": f"/gestion/sessions/{x}/modifier/",
        "ics": f"/gestion/sessions/{x}/session.ics",
        "learner_calendar": "/parcours/sessions/",
        "learner_detail": f"/parcours/sessions/{x}/",
        "learner_ics": f"/parcours/sessions/{x}/session.ics",
    }


ROLES = [
    "anonymous",
    "learner",
    "other_learner",
    "ars_region",
    "ars_other_region",
    "trainer",
    "other_trainer",
    "pedagogical",
]
#                   anon learner other ars  ars2 trainer trainer2 pedago
MATRIX = {
    "provider_list": [302, 403, 403, 403, 403, 403, 403, 200],
    "provider_create": [302, 403, 403, 403, 403, 403, 403, 200],
    "provider_edit": [302, 403, 403, 403, 403, 403, 403, 200],
    "session_list": [302, 403, 403, 200, 200, 200, 200, 200],
    "session_create": [302, 403, 403, 200, 200, 403, 403, 200],
    "detail": [302, 403, 403, 200, 404, 200, 404, 200],
    "session_edit": [302, 403, 404, 200, 404, 403, 404, 200],
    "ics": [302, 200, 404, 200, 404, 200, 404, 200],
    "learner_calendar": [302, 200, 200, 403, 403, 403, 403, 403],
    "learner_detail": [302, 200, 404, 403, 403, 403, 403, 403],
    "learner_ics": [302, 200, 404, 200, 404, 200, 404, 200],
}
CASES = [(n, r, c) for n, codes in MATRIX.items() for r, c in zip(ROLES, codes, strict=True)]


@pytest.mark.parametrize(("name", "role", "expected"), CASES, ids=[f"{n}-{r}" for n, r, _ in CASES])
def test_session_url_matrix(client, setup, name, role, expected):
    """Each role gets the expected status; other regions' sessions and unled sessions are not found."""
    user = setup["users"][role]
    if user:
        client.force_login(user)
    assert client.get(_urls(setup)[name]).status_code == expected


# --- Providers -----------------------------------------------------------------------------------


def test_provider_list_badges(client, setup, pedagogical):
    """The list shows each provider's Qualiopi state as a badge."""
    today = datetime.date.today()
    TrainingProvider.objects.create(
        name="Bientôt",
        siret="12345678901237",
        qualiopi_number="Q2",
        qualiopi_valid_from=today - datetime.timedelta(days=300),
        qualiopi_valid_until=today + datetime.timedelta(days=20),
    )
    TrainingProvider.objects.create(name="Sans certificat", siret="44209123400017")
    client.force_login(pedagogical)
    html = client.get("/gestion/organismes/").content.decode()
    assert "fr-badge--success" in html and "fr-badge--warning" in html
    assert "Expire dans moins de 60 jours" in html and "Aucun certificat" in html


def test_provider_create(client, pedagogical):
    """The team registers a provider with its certificate."""
    client.force_login(pedagogical)
    response = client.post(
        "/gestion/organismes/nouveau/",
        {
            "name": "IREPS Bretagne",
            "siret": "732 829 320 00074",
            "qualiopi_number": "QUA-42",
            "qualiopi_valid_from": "2025-01-01",
            "qualiopi_valid_until": "2028-01-01",
        },
    )
    assert response.status_code == 302
    assert TrainingProvider.objects.get().siret == SIRET


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"siret": "73282932000075"}, "Ce numéro SIRET n&#x27;est pas valide"),
        (
            {
                "qualiopi_number": "Q",
                "qualiopi_valid_from": "2026-06-01",
                "qualiopi_valid_until": "2026-01-01",
            },
            "La fin de validité doit suivre son début.",
        ),
        (
            {"qualiopi_valid_from": "2026-01-01", "qualiopi_valid_until": "2027-01-01"},
            "Indiquez le numéro du",
        ),
    ],
    ids=["bad-siret", "dates-order", "number-required"],
)
def test_provider_form_bad_input(client, pedagogical, data, message):
    """Bad input shows the model's message next to the field and writes nothing."""
    client.force_login(pedagogical)
    response = client.post("/gestion/organismes/nouveau/", {"name": "Organisme", "siret": SIRET} | data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TrainingProvider.objects.exists()


# --- Sessions: forms -----------------------------------------------------------------------------


def _post(region, module, provider, cohorts=(), **overrides):
    data = {
        "module": module.pk,
        "provider": provider.pk,
        "region": region.pk,
        "title": "Animation et gouvernance",
        "place": "Saint-Denis, CHU Félix-Guyon",
        "starts_local": "2026-10-05T09:00",
        "ends_local": "2026-10-05T17:00",
        "hours": "7",
        "cohorts": [c.pk for c in cohorts],
    }
    return data | overrides


def test_reunion_session_entered_in_local_time(client, programme, modules, pedagogical):
    """09:00–17:00 typed for La Réunion is stored as 05:00–13:00 UTC and shown back as 09:00."""
    reunion = RegionFactory(name="La Réunion", slug="la-reunion", timezone="Indian/Reunion")
    cohort = CohortFactory(programme=programme, region=reunion, name="Réunion 2026")
    provider = make_provider()
    client.force_login(pedagogical)
    response = client.post("/gestion/sessions/nouvelle/", _post(reunion, modules[1], provider, [cohort]))
    assert response.status_code == 302
    session = PresentialSession.objects.get()
    assert session.starts_at == datetime.datetime(2026, 10, 5, 5, 0, tzinfo=datetime.UTC)
    assert session.ends_at == datetime.datetime(2026, 10, 5, 13, 0, tzinfo=datetime.UTC)
    detail = client.get(response["Location"]).content.decode()
    assert "lundi 5 octobre 2026 à 09:00" in detail and "17:00" in detail
    edit = client.get(f"/gestion/sessions/{session.pk}/modifier/").content.decode()
    assert 'value="2026-10-05T09:00"' in edit


def test_guyane_session_shown_in_local_time(client, programme, modules, pedagogical):
    """A Guyane session at 12:00 UTC shows as 09:00 in the staff list."""
    guyane = RegionFactory(name="Guyane", slug="guyane", timezone="America/Cayenne")
    make_session(modules[0], guyane, make_provider(), title="Cayenne")
    client.force_login(pedagogical)
    html = client.get("/gestion/sessions/").content.decode()
    assert "05/10/2026 09:00 – 17:00" in html


def test_ars_form_offers_own_region_and_cohorts_only(client, setup, ars_staff):
    """The region and cohort choices of ARS staff are their region's."""
    client.force_login(ars_staff)
    html = client.get("/gestion/sessions/nouvelle/").content.decode()
    assert "Bretagne 2026" in html and "Occitanie 2026" not in html
    assert "Occitanie" not in html.split('id="id_region"')[1].split("</select>")[0]


def test_ars_cannot_invite_another_regions_cohort(client, setup, ars_staff, modules, region):
    """A cohort of another region posted by ARS staff is refused by the form; nothing is written."""
    client.force_login(ars_staff)
    before = PresentialSession.objects.count()
    data = _post(region, modules[0], setup["provider"], [setup["other_cohort"]], place="Rennes")
    response = client.post("/gestion/sessions/nouvelle/", data)
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert PresentialSession.objects.count() == before


def test_team_cannot_mix_regions(client, setup, pedagogical, modules, region):
    """A Bretagne session inviting an Occitanie cohort shows the rule's message; nothing is written."""
    client.force_login(pedagogical)
    before = PresentialSession.objects.count()
    response = client.post(
        "/gestion/sessions/nouvelle/", _post(region, modules[0], setup["provider"], [setup["other_cohort"]])
    )
    assert response.status_code == 400
    assert "« Occitanie 2026 » n&#x27;est pas de la région de la session" in response.content.decode()
    assert PresentialSession.objects.count() == before


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"starts_local": "2026-10-05T17:00", "ends_local": "2026-10-05T09:00"},
            "La fin de la session doit suivre",
        ),
        ({"hours": "0"}, "Le nombre d&#x27;heures doit être positif."),
        ({"hours": "9"}, "c&#x27;est plus que la durée de la session (8 h"),
        (
            {"starts_local": "2026-10-05T08:00", "ends_local": "2026-10-06T20:00", "hours": "30"},
            "au plus 12 h de formation par jour",
        ),
        ({"place": ""}, "Indiquez le lieu de la session"),
        ({"starts_local": "demain matin"}, "Saisissez une date et une heure valides"),
    ],
    ids=["end-before-start", "zero-hours", "more-than-lasts", "30-hour-day", "no-place", "bad-date"],
)
def test_session_form_bad_input(client, setup, ars_staff, modules, region, overrides, message):
    """Each bad input shows its message and writes nothing."""
    client.force_login(ars_staff)
    before = PresentialSession.objects.count()
    response = client.post(
        "/gestion/sessions/nouvelle/",
        _post(region, modules[0], setup["provider"], [setup["cohort"]], **overrides),
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert PresentialSession.objects.count() == before


def test_uncertified_provider_warns_after_save(client, setup, ars_staff, modules, region):
    """A session with an uncertified provider is saved, with a warning that its hours won't count."""
    uncertified = make_provider("Sans Qualiopi", certified=False, siret="12345678901237")
    client.force_login(ars_staff)
    response = client.post(
        "/gestion/sessions/nouvelle/", _post(region, modules[0], uncertified, [setup["cohort"]]), follow=True
    )
    html = response.content.decode()
    assert PresentialSession.objects.filter(provider=uncertified).exists()
    assert "n&#x27;a pas de certification Qualiopi valide" in html and "ne compteront pas" in html


def test_edit_session_keeps_it_in_place(client, setup, ars_staff, modules, region):
    """Editing changes the session, its trainers and cohorts, not another."""
    client.force_login(ars_staff)
    session = setup["session"]
    response = client.post(
        f"/gestion/sessions/{session.pk}/modifier/",
        _post(region, modules[0], setup["provider"], [setup["cohort"]], title="Séminaire modifié", hours="6"),
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title == "Séminaire modifié" and session.hours == Decimal(6)
    assert list(session.trainers.all()) == []


# --- Calendars -----------------------------------------------------------------------------------


def test_staff_list_month_filter(client, setup, pedagogical, modules, region):
    """The month filter keeps the sessions starting that month."""
    make_session(modules[0], region, setup["provider"], day=datetime.date(2026, 11, 3), title="Novembre")
    client.force_login(pedagogical)
    html = client.get("/gestion/sessions/?mois=2026-11").content.decode()
    assert "Novembre" in html and ">Séminaire<" not in html
    empty = client.get("/gestion/sessions/?mois=2027-03").content.decode()
    assert "Aucune session ce mois-ci" in empty


def test_staff_list_upcoming_first(client, setup, pedagogical, modules, region):
    """Upcoming sessions come first, soonest first; then past ones, latest first."""
    make_session(modules[0], region, setup["provider"], day=datetime.date(2020, 1, 6), title="Ancienne")
    make_session(modules[0], region, setup["provider"], day=datetime.date(2099, 6, 1), title="Lointaine")
    make_session(modules[0], region, setup["provider"], day=datetime.date(2099, 1, 5), title="Prochaine")
    client.force_login(pedagogical)
    html = client.get("/gestion/sessions/").content.decode()
    order = [html.index(f">{t}<") for t in ("Prochaine", "Lointaine", "Séminaire", "Ancienne")]
    assert order == sorted(order)


def test_learner_calendar_says_whether_hours_count(client, setup, learner, modules, region):
    """The learner sees their sessions, and which ones will not count."""
    uncertified = make_provider("Sans Qualiopi", certified=False, siret="12345678901237")
    make_session(modules[0], region, uncertified, title="Non certifiée", cohorts=[setup["cohort"]])
    make_session(
        modules[0], region, setup["provider"], title="Autre promotion", cohorts=[setup["other_cohort"]]
    )
    client.force_login(learner)
    html = client.get("/parcours/sessions/").content.decode()
    assert "Séminaire" in html and "Non certifiée" in html and "Autre promotion" not in html
    assert "Ces heures ne compteront pas : l&#x27;organisme n&#x27;a pas de certification Qualiopi" in html
    assert "Heures comptées" in html


def test_learner_calendar_empty_state(client, anonymous_learner):
    """A learner without sessions is told what happens next."""
    client.force_login(anonymous_learner)
    assert "Aucune session n'est encore programmée" in client.get("/parcours/sessions/").content.decode()


def test_ics_download(client, setup, learner):
    """The .ics is served as text/calendar with the session's UTC times."""
    client.force_login(learner)
    response = client.get(f"/parcours/sessions/{setup['session'].pk}/session.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body and "DTSTART:20261005T070000Z" in body


# --- Query budgets -------------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["ars", "learner"])
def test_calendar_query_count_is_flat(client, programme, modules, region, who):
    """The staff session list and the learner calendar run as many queries for 50 sessions as for 5."""
    cohort = CohortFactory(programme=programme, region=region, name="Budget")
    learner = EnrolmentFactory(cohort=cohort).user
    user = ArsStaffFactory(regions=[region]) if who == "ars" else learner
    url = "/gestion/sessions/" if who == "ars" else "/parcours/sessions/"
    provider = make_provider()
    client.force_login(user)
    counts = []
    for size in (5, 50):
        PresentialSession.objects.all().delete()
        for n in range(size):
            make_session(
                modules[n % 7],
                region,
                provider,
                day=datetime.date(2026, 10, 1) + datetime.timedelta(days=n),
                title=f"S{n}",
                cohorts=[cohort],
            )
        counts.append(_count(client, url))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 12, counts


# --- A session with confirmed attendance -----------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"hours": "6"}, "Le nombre d&#x27;heures ne peut plus changer"),
        ({"starts_local": "2026-10-05T10:00"}, "Le début ne peut plus changer"),
        ({"ends_local": "2026-10-05T16:00"}, "La fin ne peut plus changer"),
        ({"provider": "other"}, "L&#x27;organisme ne peut plus changer"),
    ],
    ids=["hours", "start", "end", "provider"],
)
def test_confirmed_session_keeps_its_times_hours_and_provider(
    client, setup, ars_staff, learner, modules, region, overrides, message
):
    """Once attendance is confirmed, a new start, end, number of hours or provider is refused in
    French and nothing changes; the title can still be corrected."""
    from courses.attendance.models import Attendance, AttendanceStatus

    session = setup["session"]
    Attendance.objects.create(
        session=session,
        enrolment=learner.enrolments.get(),
        day=datetime.date(2026, 10, 5),
        half_day="am",
        status=AttendanceStatus.PRESENT,
        hours=Decimal("3.5"),
        marked_by=ars_staff,
        confirmed_by=ars_staff,
        confirmed_at=datetime.datetime(2026, 10, 5, 12, tzinfo=datetime.UTC),
    )
    if overrides.get("provider") == "other":
        overrides = {"provider": make_provider("Autre organisme", siret="12345678901237").pk}
    client.force_login(ars_staff)
    url = f"/gestion/sessions/{session.pk}/modifier/"
    # The form's start and end must match the stored ones (09:00–17:00 in Paris).
    base = _post(region, modules[0], setup["provider"], [setup["cohort"]], ends_local="2026-10-05T17:00")
    before = PresentialSession.objects.values().get(pk=session.pk)
    response = client.post(url, base | overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert PresentialSession.objects.values().get(pk=session.pk) == before
    assert client.post(url, base | {"title": "Séminaire corrigé"}).status_code == 302
    session.refresh_from_db()
    assert session.title == "Séminaire corrigé" and session.hours == Decimal(7)


# --- Writing POSTs by roles that may not write, and other regions' lists ------------------------

SESSION_EDIT_POST = {
    "learner": 403,
    "other_learner": 404,
    "trainer": 403,
    "other_trainer": 404,
    "ars_other_region": 404,
}


@pytest.mark.parametrize(("role", "expected"), SESSION_EDIT_POST.items(), ids=list(SESSION_EDIT_POST))
def test_session_edit_post_by_other_roles_writes_nothing(client, setup, modules, region, role, expected):
    """Posting a session edit as a learner, a trainer or ARS staff of another region: 403 or 404,
    the session, its trainers and its cohorts unchanged."""
    session = setup["session"]
    before = (
        PresentialSession.objects.values().get(pk=session.pk),
        set(session.trainers.values_list("pk", flat=True)),
        set(session.cohorts.values_list("pk", flat=True)),
    )
    client.force_login(setup["users"][role])
    data = _post(region, modules[0], setup["provider"], [setup["other_cohort"]], title="Piratée", hours="2")
    response = client.post(f"/gestion/sessions/{session.pk}/modifier/", data)
    assert response.status_code == expected
    assert (
        PresentialSession.objects.values().get(pk=session.pk),
        set(session.trainers.values_list("pk", flat=True)),
        set(session.cohorts.values_list("pk", flat=True)),
    ) == before


def test_session_list_of_another_region_does_not_name_the_session(client, setup, ars_staff, other_ars_staff):
    """ARS staff of another region do not see the session's name in the session list."""
    PresentialSession.objects.filter(pk=setup["session"].pk).update(title="Séminaire Armorique 2026")
    client.force_login(other_ars_staff)
    assert "Séminaire Armorique" not in client.get("/gestion/sessions/").content.decode()
    assert "Séminaire Armorique" not in client.get("/gestion/sessions/?mois=2026-10").content.decode()
    client.force_login(ars_staff)
    assert "Séminaire Armorique" in client.get("/gestion/sessions/").content.decode()
