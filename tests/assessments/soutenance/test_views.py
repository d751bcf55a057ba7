"""The soutenance's pages through the web: the team composes a jury and opens slots (times in the
region's zone), the learner books, the jury declares and grades, the president previews and signs;
each bad input comes back with its French message and what was typed."""

from __future__ import annotations

import datetime
import html

import pytest
from django.utils import timezone

from assessments.memoire.enums import MemoireState
from assessments.rubrics.models import MarkingScheme
from assessments.soutenance import services
from assessments.soutenance.models import Booking, ConflictDeclaration, Jury, ProcesVerbal, Slot
from assessments.soutenance.rules import SLOT_TAKEN
from tests.assessments.soutenance.factories import (
    graded,
    jury_of,
    memoire_released,
    oral_scheme,
    signature_data_url,
    slot_of,
)
from tests.factories import EnrolmentFactory, TrainerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(programme, cohort, enrolment, pedagogical):
    oral_scheme(programme)
    president, member = TrainerFactory(), TrainerFactory()
    jury = jury_of(cohort, president=president, members=[member], team=pedagogical)
    return {
        "memoire": memoire_released(enrolment, 13, team=pedagogical),
        "jury": jury,
        "president": president,
        "member": member,
        "slot": slot_of(jury, team=pedagogical),
        "learner": enrolment.user,
        "team": pedagogical,
    }


def _local(days: int, hour: int) -> str:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return f"{day:%Y-%m-%d}T{hour:02d}:00"


def test_the_team_composes_a_jury(client, cohort, pedagogical):
    """A valid jury is saved with its president and members."""
    president, member = TrainerFactory(), TrainerFactory()
    client.force_login(pedagogical)
    response = client.post(
        "/gestion/soutenances/jurys/nouveau/",
        {"cohort": cohort.pk, "name": "Jury de juin", "president": president.pk, "members": [member.pk]},
    )
    jury = Jury.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/gestion/soutenances/jurys/{jury.pk}/"
    assert jury.members.get(is_president=True).member == president


def test_a_jury_without_another_member_is_refused_and_the_name_kept(client, cohort, pedagogical):
    """The president alone is refused with a French message; the name typed is shown again."""
    president = TrainerFactory()
    client.force_login(pedagogical)
    response = client.post(
        "/gestion/soutenances/jurys/nouveau/",
        {"cohort": cohort.pk, "name": "Jury de juin", "president": president.pk, "members": [president.pk]},
    )
    assert response.status_code == 400
    assert "au moins un membre en plus" in response.content.decode()
    assert 'value="Jury de juin"' in response.content.decode()
    assert not Jury.objects.exists()


def test_the_team_opens_a_slot_in_the_region_time_zone(client, world):
    """The start typed on the page is read in the region's zone (Europe/Paris here)."""
    client.force_login(world["team"])
    response = client.post(
        f"/gestion/soutenances/jurys/{world['jury'].pk}/creneaux/nouveau/",
        {
            "starts_at": _local(40, 9),
            "duration_minutes": 45,
            "place": "EHESP Rennes",
            "video_link": "",
            "change_deadline": _local(35, 18),
        },
    )
    assert response.status_code == 302
    slot = Slot.objects.order_by("-pk").first()
    assert timezone.localtime(slot.starts_at).hour == 9


def test_a_bad_slot_is_refused_with_its_messages_and_what_was_typed(client, world):
    """No place nor link, and a deadline after the start: each field says so; nothing is saved."""
    client.force_login(world["team"])
    before = Slot.objects.count()
    response = client.post(
        f"/gestion/soutenances/jurys/{world['jury'].pk}/creneaux/nouveau/",
        {"starts_at": _local(40, 9), "duration_minutes": 45, "place": "", "change_deadline": _local(41, 9)},
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "Indiquez un lieu ou un lien de visioconférence." in page
    assert "La date limite de réservation doit précéder le début du créneau." in page
    assert f'value="{_local(40, 9)}"' in page
    assert Slot.objects.count() == before


def test_the_learner_sees_the_free_slots_and_books_one(client, world):
    """« Ma soutenance » lists the free slot; the confirmation books it and the page shows the booking."""
    client.force_login(world["learner"])
    page = client.get("/parcours/memoire/soutenance/").content.decode()
    assert f"/parcours/memoire/soutenance/creneaux/{world['slot'].pk}/" in page
    confirm = client.get(f"/parcours/memoire/soutenance/creneaux/{world['slot'].pk}/")
    assert "Confirmer la réservation" in confirm.content.decode()
    response = client.post(f"/parcours/memoire/soutenance/creneaux/{world['slot'].pk}/")
    assert response.status_code == 302
    assert Booking.objects.active().get().memoire == world["memoire"]
    page = client.get("/parcours/memoire/soutenance/").content.decode()
    assert "Votre réservation" in page and "invitation.ics" in page


def test_a_slot_taken_meanwhile_gives_the_clear_message(client, world, cohort):
    """The learner who confirms a slot someone booked in between reads why, and nothing is booked."""
    other = memoire_released(EnrolmentFactory(cohort=cohort), 12, team=world["team"])
    client.force_login(other.enrolment.user)
    client.get(f"/parcours/memoire/soutenance/creneaux/{world['slot'].pk}/")
    services.soutenance_book(memoire=world["memoire"], slot=world["slot"], by=world["learner"])
    response = client.post(f"/parcours/memoire/soutenance/creneaux/{world['slot'].pk}/")
    assert response.status_code == 400
    assert SLOT_TAKEN.replace("'", "&#x27;") in response.content.decode()
    assert not Booking.objects.filter(memoire=other).exists()


def test_the_learner_changes_the_booking_until_the_deadline(client, world):
    """Another slot's confirmation moves the booking; the old one is cancelled."""
    services.soutenance_book(memoire=world["memoire"], slot=world["slot"], by=world["learner"])
    later = slot_of(world["jury"], days=15, team=world["team"])
    client.force_login(world["learner"])
    assert (
        "Confirmer le changement"
        in client.get(f"/parcours/memoire/soutenance/creneaux/{later.pk}/").content.decode()
    )
    assert client.post(f"/parcours/memoire/soutenance/creneaux/{later.pk}/").status_code == 302
    assert Booking.objects.active().get().slot == later


def test_a_jury_member_declares_then_grades(client, world):
    """The member ticks the declaration, then submits a complete grid; a missing score is refused first."""
    booking = services.soutenance_book(memoire=world["memoire"], slot=world["slot"], by=world["learner"])
    url = f"/formation/soutenances/{booking.pk}/"
    client.force_login(world["member"])
    refused = client.post(url, {"action": "conflict"})
    assert refused.status_code == 400 and "Cochez la case" in refused.content.decode()
    assert client.post(url, {"action": "conflict", "confirmed": "on"}).status_code == 302
    assert ConflictDeclaration.objects.filter(member=world["member"]).exists()
    criteria = list(MarkingScheme.objects.get().oral_rubric.criteria.all())
    partial = client.post(url, {"action": "submit", f"score_{criteria[0].pk}": "14"})
    assert partial.status_code == 400
    assert "Notez ce critère" in partial.content.decode() and 'value="14"' in partial.content.decode()
    data = {"action": "submit", **{f"score_{c.pk}": "14,5" for c in criteria}}
    assert client.post(url, data).status_code == 302
    page = client.get(url).content.decode()
    assert "Votre grille (remise)" in page


def test_the_president_previews_then_signs_and_the_learner_downloads(client, world):
    """Preview shows the result without writing; signing writes the PV; the learner gets the PDF."""
    booking = services.soutenance_book(memoire=world["memoire"], slot=world["slot"], by=world["learner"])
    graded(world["memoire"], world["jury"], 15)
    url = f"/formation/soutenances/{booking.pk}/proces-verbal/"
    client.force_login(world["president"])
    preview = client.post(url, {"action": "preview", "result": "admitted"})
    assert preview.status_code == 200 and "Aperçu du procès-verbal" in preview.content.decode()
    assert not ProcesVerbal.objects.exists()
    unsigned = client.post(url, {"action": "sign", "result": "adjourned", "corrections": "Partie 3"})
    page = unsigned.content.decode()
    assert unsigned.status_code == 400 and "Signez dans le cadre" in page and "Partie 3" in page
    signed = client.post(url, {"action": "sign", "result": "admitted", "signature": signature_data_url()})
    assert signed.status_code == 302
    pv = ProcesVerbal.objects.get()
    world["memoire"].refresh_from_db()
    assert world["memoire"].state == MemoireState.ADMITTED
    client.force_login(world["learner"])
    page = client.get("/parcours/memoire/soutenance/").content.decode()
    assert "Résultat : Admis·e" in page
    assert client.get(f"/soutenances/proces-verbaux/{pv.pk}/").content == bytes(pv.pdf)


def test_the_ics_download(client, world):
    """The invitation downloads as a calendar file with the slot's UTC times."""
    booking = services.soutenance_book(memoire=world["memoire"], slot=world["slot"], by=world["learner"])
    client.force_login(world["learner"])
    response = client.get(f"/soutenances/{booking.pk}/invitation.ics")
    assert response["Content-Type"].startswith("text/calendar")
    assert (
        f"DTSTART:{world['slot'].starts_at.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}"
        in response.content.decode()
    )


def test_the_memoire_page_links_to_the_soutenance_once_released(client, world):
    """« Mon mémoire » offers « Ma soutenance » once the written mark is released."""
    client.force_login(world["learner"])
    assert "/parcours/memoire/soutenance/" in client.get("/parcours/memoire/").content.decode()
