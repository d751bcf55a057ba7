"""Attendance pages: role × URL matrix, marking and confirming through the sheet, QR and code
check-in, signatures, the PDF and the sheet's query budget."""

from __future__ import annotations

import base64
import datetime
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.attendance import selectors as attendance_selectors
from courses.attendance import services as attendance_services
from courses.attendance.models import Attendance, Signature
from courses.hours.models import HoursEntry
from tests.courses.attendance.test_services import (  # noqa: F401
    DAY,
    enrol,
    make_session,
    png_bomb,
    png_bytes,
    world,
)
from tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "learner",
    "learner_other_region",
    "ars_region",
    "ars_other_region",
    "trainer",
    "other_trainer",
    "pedagogical",
]


def _users(w):
    return {
        "anonymous": None,
        "learner": w["enrolments"][0].user,
        "learner_other_region": w["outsider"].user,
        "ars_region": w["ars"],
        "ars_other_region": w["ars_other"],
        "trainer": w["trainer"],
        "other_trainer": w["other_trainer"],
        "pedagogical": w["pedagogical"],
    }


def _urls(w):
    s = w["session"].pk
    token = attendance_selectors.checkin_token(
        w["session"], attendance_selectors.checkin_window(timezone.now())
    )
    return {
        "overview": f"/gestion/sessions/{s}/presences/",
        "qr": f"/gestion/sessions/{s}/presences/qr/",
        "sheet": f"/gestion/sessions/{s}/presences/2026-10-05/am/",
        "confirm": f"/gestion/sessions/{s}/presences/2026-10-05/am/confirmer/",
        "pdf": f"/gestion/sessions/{s}/presences/2026-10-05/am/feuille.pdf",
        "trainer_sign": f"/gestion/sessions/{s}/presences/2026-10-05/pm/signer/",
        "learner": f"/parcours/emargement/{s}/",
        "code": f"/parcours/emargement/{s}/code/",
        "learner_sign": f"/parcours/emargement/{s}/2026-10-05/am/signer/",
        "checkin": f"/parcours/emargement/{s}/{token}/",
    }


#                anon learner l-other ars  ars2 trainer trainer2 pedago
MATRIX = {
    "overview": [302, 403, 404, 200, 404, 200, 404, 200],
    "qr": [302, 403, 404, 200, 404, 200, 404, 200],
    "sheet": [302, 403, 404, 200, 404, 200, 404, 200],
    "confirm": [302, 403, 404, 200, 404, 403, 404, 200],
    "pdf": [302, 403, 404, 200, 404, 200, 404, 200],
    "trainer_sign": [302, 403, 404, 403, 404, 200, 404, 403],
    "learner": [302, 200, 403, 403, 403, 403, 403, 403],
    "code": [302, 200, 403, 403, 403, 403, 403, 403],
    "learner_sign": [302, 200, 403, 403, 403, 403, 403, 403],
    "checkin": [302, 302, 403, 403, 403, 403, 403, 403],
}
CASES = [(n, r, c) for n, codes in MATRIX.items() for r, c in zip(ROLES, codes, strict=True)]


@pytest.mark.parametrize(("name", "role", "expected"), CASES, ids=[f"{n}-{r}" for n, r, _ in CASES])
def test_attendance_url_matrix(client, world, name, role, expected):  # noqa: F811
    """Each role gets the expected status; other regions' and other trainers' sessions are not found."""
    user = _users(world)[role]
    if user:
        client.force_login(user)
    assert client.get(_urls(world)[name]).status_code == expected


def test_uncovered_half_day_is_not_found(client, world):  # noqa: F811
    """A day the session does not cover has no sheet."""
    client.force_login(world["ars"])
    s = world["session"].pk
    assert client.get(f"/gestion/sessions/{s}/presences/2026-10-06/am/").status_code == 404
    assert client.get(f"/gestion/sessions/{s}/presences/2026-02-30/am/").status_code == 404


def _post_sheet(client, world, data, half_day="am"):  # noqa: F811
    return client.post(f"/gestion/sessions/{world['session'].pk}/presences/2026-10-05/{half_day}/", data)


def test_trainer_marks_the_sheet_in_one_post(client, world):  # noqa: F811
    """One POST records present, partial (hours typed with a comma) and absent."""
    a, b, c = world["enrolments"]
    client.force_login(world["trainer"])
    response = _post_sheet(
        client,
        world,
        {
            f"status-{a.pk}": "present",
            f"status-{b.pk}": "partial",
            f"hours-{b.pk}": "2,25",
            f"status-{c.pk}": "absent",
        },
    )
    assert response.status_code == 302
    statuses = dict(Attendance.objects.values_list("enrolment_id", "status"))
    assert statuses == {a.pk: "present", b.pk: "partial", c.pk: "absent"}
    assert str(Attendance.objects.get(enrolment=b).hours) == "2.25"
    html = client.get(response.url).content.decode()
    assert "Appel enregistré" in html


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"partial_hours": "0"}, "supérieur à zéro"),
        ({"partial_hours": "-2"}, "supérieur à zéro"),
        ({"partial_hours": "12"}, "plus que la demi-journée"),
        ({"partial_hours": "deux"}, "Indiquez les heures de présence partielle"),
        ({"outsider": True}, "ne figure pas sur la feuille"),
        ({"nothing": True}, "Aucun statut n&#x27;a été saisi"),
    ],
)
def test_bad_sheet_input_is_refused(client, world, extra, message):  # noqa: F811
    """Bad partial hours, a crafted learner not invited, or an empty sheet: message shown, nothing written."""
    a, b, _ = world["enrolments"]
    data = {f"status-{a.pk}": "present"}
    if "partial_hours" in extra:
        data.update({f"status-{b.pk}": "partial", f"hours-{b.pk}": extra["partial_hours"]})
    if "outsider" in extra:
        data[f"status-{world['outsider'].pk}"] = "present"
    if "nothing" in extra:
        data = {f"status-{a.pk}": ""}
    client.force_login(world["trainer"])
    response = _post_sheet(client, world, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Rien n'a été enregistré" in response.content.decode()
    assert not Attendance.objects.exists()


def test_staff_confirm_through_confirmation_page(client, world):  # noqa: F811
    """Staff see a confirmation page, then confirming credits the ledger once and locks the sheet."""
    a, b, c = world["enrolments"]
    client.force_login(world["trainer"])
    _post_sheet(client, world, {f"status-{a.pk}": "present", f"status-{b.pk}": "absent"})
    client.force_login(world["ars"])
    url = f"/gestion/sessions/{world['session'].pk}/presences/2026-10-05/am/confirmer/"
    page = client.get(url).content.decode()
    assert "1 personne sans statut" in page and "Confirmer et créditer les heures" in page
    assert client.post(url).status_code == 302
    assert HoursEntry.objects.filter(enrolment=a).count() == 1
    assert Attendance.objects.get(enrolment=c).status == "absent"
    again = client.post(url)
    assert again.status_code == 400 and "déjà confirmée" in again.content.decode()
    assert HoursEntry.objects.count() == 1
    client.force_login(world["trainer"])
    response = _post_sheet(client, world, {f"status-{a.pk}": "absent"})
    assert response.status_code == 400 and "déjà confirmée" in response.content.decode()
    assert Attendance.objects.get(enrolment=a).status == "present"


def test_pdf_is_served(client, world):  # noqa: F811
    """The PDF view answers application/pdf."""
    client.force_login(world["trainer"])
    response = client.get(f"/gestion/sessions/{world['session'].pk}/presences/2026-10-05/am/feuille.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def _data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def test_trainer_signs_and_bad_signature_is_refused(client, world):  # noqa: F811
    """A trainer's drawn PNG is kept; a data URL that is not a PNG is refused with a message."""
    client.force_login(world["trainer"])
    url = f"/gestion/sessions/{world['session'].pk}/presences/2026-10-05/pm/signer/"
    bad = client.post(url, {"signature": "data:image/png;base64," + base64.b64encode(b"not a png").decode()})
    assert bad.status_code == 400 and "ce format n&#x27;est pas accepté" in bad.content.decode()
    empty = client.post(url, {"signature": ""})
    assert empty.status_code == 400 and "Signez dans le cadre" in empty.content.decode()
    assert not Signature.objects.exists()
    assert client.post(url, {"signature": _data_url(png_bytes())}).status_code == 302
    assert bytes(Signature.objects.get().image_png).startswith(attendance_services.PNG_MAGIC)


def test_signature_bomb_posted_by_the_pad_is_refused(client, world):  # noqa: F811
    """The 190 KB PNG of 13,000 × 13,000 pixels posted as the pad's data URL is answered 400 with a
    French message, quickly, and nothing is stored."""
    client.force_login(world["trainer"])
    url = f"/gestion/sessions/{world['session'].pk}/presences/2026-10-05/pm/signer/"
    bomb = _data_url(png_bomb(13_000, 13_000))
    assert client.get(url).status_code == 200  # the page's first rendering is not what is timed
    started = time.monotonic()
    response = client.post(url, {"signature": bomb})
    assert time.monotonic() - started < 1
    assert response.status_code == 400
    assert (
        "cette image est trop grande : 360\u00a0000 pixels au plus. Signez à nouveau"
        in response.content.decode()
    )
    assert not Signature.objects.exists()


# --- Learners ---------------------------------------------------------------------------------------


@pytest.fixture
def live(world, region, modules):  # noqa: F811
    """A session running now for the same cohort."""
    cache.clear()
    now = timezone.now().replace(microsecond=0)
    return make_session(
        region=region,
        module=modules[2],
        cohorts=[world["cohort"]],
        trainers=[world["trainer"]],
        provider=world["session"].provider,
        starts=now - datetime.timedelta(hours=1),
        ends=now + datetime.timedelta(hours=2),
        hours="3",
    )


def _token(session, minutes_ago=0):
    return attendance_selectors.checkin_token(
        session, attendance_selectors.checkin_window(timezone.now()) - minutes_ago
    )


@pytest.mark.parametrize("minutes_ago", [0, 1])
def test_qr_checkin_current_and_previous_window(client, world, live, minutes_ago):  # noqa: F811
    """The QR link of this minute or the previous one checks the learner in; a replay says so."""
    learner = world["enrolments"][0].user
    client.force_login(learner)
    response = client.get(f"/parcours/emargement/{live.pk}/{_token(live, minutes_ago)}/", follow=True)
    assert "Votre présence est enregistrée" in response.content.decode()
    record = Attendance.objects.get(session=live)
    assert (record.source, record.status, record.confirmed_at) == ("qr", "present", None)
    replay = client.get(f"/parcours/emargement/{live.pk}/{_token(live)}/", follow=True)
    assert "Vous êtes déjà enregistré·e" in replay.content.decode()
    assert Attendance.objects.filter(session=live).count() == 1


def test_qr_checkin_expired_token_is_refused(client, world, live):  # noqa: F811
    """A token two minutes old sends the learner to the code page, nothing written."""
    client.force_login(world["enrolments"][0].user)
    response = client.get(f"/parcours/emargement/{live.pk}/{_token(live, 3)}/", follow=True)
    assert "Ce QR code a expiré" in response.content.decode()
    assert not Attendance.objects.exists()


def test_qr_checkin_outside_window(client, world):  # noqa: F811
    """Outside the session's window the check-in is refused with the window's message."""
    session = world["session"]
    client.force_login(world["enrolments"][0].user)
    response = client.get(f"/parcours/emargement/{session.pk}/{_token(session)}/", follow=True)
    assert "L&#x27;émargement n&#x27;est ouvert que pendant la session" in response.content.decode()
    assert not Attendance.objects.exists()


def test_code_checkin_and_rate_limit(client, world, live):  # noqa: F811
    """The typed code checks in; five wrong codes block further tries with a clear message."""
    other = world["enrolments"][1].user
    client.force_login(other)
    url = f"/parcours/emargement/{live.pk}/code/"
    right = attendance_selectors.checkin_code(live, attendance_selectors.checkin_window(timezone.now()))
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    for _ in range(5):
        response = client.post(url, {"code": wrong})
        assert response.status_code == 400 and "n&#x27;est pas valable" in response.content.decode()
    blocked = client.post(url, {"code": right})
    assert "Trop de codes erronés" in blocked.content.decode()
    assert not Attendance.objects.exists()
    short = client.post(url, {"code": "12"})
    assert "exactement 6 chiffres" in short.content.decode()
    client.force_login(world["enrolments"][0].user)
    assert client.post(url, {"code": right}).status_code == 302
    assert Attendance.objects.get().source == "code"


def test_learner_signs_after_check_in(client, world, live):  # noqa: F811
    """A checked-in learner signs for the current half-day; the signature is tied to the attendance."""
    learner = world["enrolments"][0].user
    client.force_login(learner)
    record = attendance_services.attendance_checkin(session=live, user=learner, now=timezone.now())
    page = client.get(f"/parcours/emargement/{live.pk}/").content.decode()
    assert "Signer pour le" in page
    url = f"/parcours/emargement/{live.pk}/{record.day.isoformat()}/{record.half_day}/signer/"
    assert client.post(url, {"signature": _data_url(png_bytes())}).status_code == 302
    assert Signature.objects.get().attendance == record
    again = client.post(url, {"signature": _data_url(png_bytes())})
    assert again.status_code == 400 and "déjà signé" in again.content.decode()


def test_qr_panel_shows_code_while_open(client, world, live):  # noqa: F811
    """During the session the staff QR page shows an SVG QR code and this minute's code."""
    client.force_login(world["ars"])
    html = client.get(f"/gestion/sessions/{live.pk}/presences/qr/").content.decode()
    window = attendance_selectors.checkin_window(timezone.now())
    assert "<svg" in html
    assert any(attendance_selectors.checkin_code(live, w) in html for w in (window, window - 1))


# --- Query budget -----------------------------------------------------------------------------------


def _sheet_queries(client, world, count):  # noqa: F811
    for _ in range(count - len(world["enrolments"])):
        enrol(world["cohort"])
    client.force_login(world["trainer"])
    url = f"/gestion/sessions/{world['session'].pk}/presences/2026-10-05/am/"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_sheet_query_budget_is_flat(client, world):  # noqa: F811
    """The sheet costs the same number of queries for 10 and for 100 learners."""
    small = _sheet_queries(client, world, 10)
    a = world["enrolments"][0]
    Attendance.objects.create(
        session=world["session"],
        enrolment=a,
        day=DAY,
        half_day="am",
        status="present",
        marked_by=world["trainer"],
    )
    large = _sheet_queries(client, world, 100)
    assert small == large
    assert large <= 12


def test_enrolment_factory_default_is_after_session(world):  # noqa: F811
    """Sanity: a learner enrolled today is not listed on a past half-day's sheet."""
    late = EnrolmentFactory(cohort=world["cohort"])
    sheet = attendance_selectors.attendance_sheet(session=world["session"], day=DAY, half_day="am")
    assert late.pk not in [r.enrolment.pk for r in sheet.rows]


# --- Writing POSTs by roles that may not write ---------------------------------------------------

#                      learner l-other trainer trainer2 ars2
POST_EXPECTED = {
    "sheet": {"learner": 403, "learner_other_region": 404, "other_trainer": 404, "ars_other_region": 404},
    "confirm": {
        "learner": 403,
        "learner_other_region": 404,
        "trainer": 403,
        "other_trainer": 404,
        "ars_other_region": 404,
    },
}
POST_CASES = [(name, role, code) for name, codes in POST_EXPECTED.items() for role, code in codes.items()]


def _attendance_state():
    return sorted(
        Attendance.objects.values_list("enrolment_id", "day", "half_day", "status", "hours", "confirmed_at")
    ), HoursEntry.objects.count()


@pytest.mark.parametrize(("name", "role", "expected"), POST_CASES, ids=[f"{n}-{r}" for n, r, _ in POST_CASES])
def test_attendance_posts_by_other_roles_write_nothing(client, world, name, role, expected):  # noqa: F811
    """Saving or confirming a sheet as a learner, a trainer who does not lead the session (or, to
    confirm, one who does) or ARS staff of another region: 403 or 404, nothing written."""
    from tests.courses.attendance.test_services import mark_three

    mark_three(world)
    before = _attendance_state()
    client.force_login(_users(world)[role])
    a = world["enrolments"][0]
    data = {f"status-{e.pk}": "excused" for e in world["enrolments"]} if name == "sheet" else {}
    data |= {f"status-{a.pk}": "present"} if name == "sheet" else {}
    response = client.post(_urls(world)[name], data)
    assert response.status_code == expected
    assert _attendance_state() == before
    assert not Attendance.objects.filter(confirmed_at__isnull=False).exists()
