"""The ledger correction screen on a learner's drill-down: adjust or cancel an entry, with a reason."""

import datetime
from decimal import Decimal

import pytest

from courses.enums import HoursSource, Modality
from courses.hours.models import HoursEntry
from tests.factories import CohortFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(enrolment, modules, ars_staff):
    return HoursEntry.objects.create(
        enrolment=enrolment,
        modality=Modality.ORGANISATION,
        source=HoursSource.DECLARATION,
        module=modules[0],
        hours=Decimal("3"),
        occurred_on=datetime.date(2026, 10, 1),
        recorded_by=ars_staff,
    )


def _url(entry):
    return f"/gestion/inscriptions/{entry.enrolment_id}/heures/{entry.pk}/corriger/"


def test_drill_down_offers_to_correct_each_entry(client, entry, ars_staff):
    """The learner's ledger on the staff drill-down links each entry to its correction form."""
    client.force_login(ars_staff)
    html = client.get(f"/gestion/inscriptions/{entry.enrolment_id}/").content.decode()
    assert f'href="{_url(entry)}"' in html and "Corriger" in html


def test_adjustment_is_confirmed_then_written_as_a_new_entry(client, entry, ars_staff):
    """A first POST shows the confirmation and writes nothing; confirming adds a correction entry
    pointing at the entry, with who and why; the entry itself is unchanged."""
    client.force_login(ars_staff)
    data = {"kind": "adjust", "hours": "-1,5", "reason": "Demi-journée comptée deux fois."}
    response = client.post(_url(entry), data)
    html = response.content.decode()
    assert response.status_code == 200 and "Confirmer la correction" in html
    assert "passera de 3 h à 1,5 h" in html
    assert not HoursEntry.objects.filter(source=HoursSource.CORRECTION).exists()
    response = client.post(_url(entry), {**data, "confirm": "1"})
    assert response.status_code == 302
    correction = HoursEntry.objects.get(source=HoursSource.CORRECTION)
    assert correction.corrects == entry and correction.hours == Decimal("-1.5")
    assert correction.reason == "Demi-journée comptée deux fois." and correction.recorded_by == ars_staff
    entry.refresh_from_db()
    assert entry.hours == Decimal("3")


def test_cancellation_removes_what_is_left_of_the_entry(client, entry, ars_staff):
    """Cancelling an entry already lowered by a correction adds the opposite of what is left."""
    client.force_login(ars_staff)
    client.post(_url(entry), {"kind": "adjust", "hours": "-1", "reason": "Erreur", "confirm": "1"})
    response = client.post(_url(entry), {"kind": "cancel", "reason": "Doublon", "confirm": "1"})
    assert response.status_code == 302
    assert [c.hours for c in entry.corrections.order_by("recorded_at")] == [Decimal("-1"), Decimal("-2")]
    again = client.post(_url(entry), {"kind": "cancel", "reason": "Doublon", "confirm": "1"})
    assert again.status_code == 400 and "déjà annulée" in again.content.decode()
    assert entry.corrections.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "adjust", "hours": "2", "reason": "   "}, "Indiquez le motif de la correction."),
        ({"kind": "adjust", "hours": "30", "reason": "Erreur"}, "Une correction porte sur 24 h au plus"),
        ({"kind": "adjust", "hours": "-1000", "reason": "Erreur"}, "Une correction porte sur 24 h au plus"),
        ({"kind": "adjust", "hours": "-5", "reason": "Erreur"}, "rendrait le total de cette ligne négatif"),
        ({"kind": "adjust", "hours": "0", "reason": "Erreur"}, "Une correction de 0 h ne change rien."),
        ({"kind": "adjust", "hours": "", "reason": "Erreur"}, "Indiquez les heures à ajouter"),
        ({"kind": "adjust", "hours": "deux", "reason": "Erreur"}, "Saisissez un nombre d&#x27;heures"),
        ({"kind": "autre", "hours": "1", "reason": "Erreur"}, "Type inconnu."),
    ],
)
def test_bad_corrections_are_refused(client, entry, ars_staff, data, message):
    """Empty reason, absurd hours, a total going negative, zero, no or bad hours: a French error
    and nothing written, even when the confirmation is forced."""
    client.force_login(ars_staff)
    response = client.post(_url(entry), {**data, "confirm": "1"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not HoursEntry.objects.filter(source=HoursSource.CORRECTION).exists()


def test_a_correction_is_not_itself_corrected(client, entry, ars_staff):
    """A correction entry has no correction screen (the original entry is corrected again)."""
    client.force_login(ars_staff)
    client.post(_url(entry), {"kind": "adjust", "hours": "1", "reason": "Oubli", "confirm": "1"})
    correction = HoursEntry.objects.get(source=HoursSource.CORRECTION)
    assert client.get(_url(correction)).status_code == 404


def test_entry_of_another_enrolment_is_not_found_under_this_one(client, entry, ars_staff, cohort):
    """An entry id paired with another learner's enrolment id is not found."""
    other = EnrolmentFactory(cohort=cohort)
    client.force_login(ars_staff)
    url = f"/gestion/inscriptions/{other.pk}/heures/{entry.pk}/corriger/"
    assert client.get(url).status_code == 404


def test_other_region_staff_cannot_correct(client, entry, other_ars_staff, programme, other_region):
    """ARS staff of another region get « not found » and write nothing, by GET or POST."""
    CohortFactory(programme=programme, region=other_region)
    client.force_login(other_ars_staff)
    assert client.get(_url(entry)).status_code == 404
    data = {"kind": "adjust", "hours": "5", "reason": "Essai", "confirm": "1"}
    assert client.post(_url(entry), data).status_code == 404
    assert not HoursEntry.objects.filter(source=HoursSource.CORRECTION).exists()


def test_kind_radios_are_laid_out_as_dsfr_expects(client, entry, ars_staff):
    """Each radio is followed directly by its label inside one .fr-radio-group, so that the DSFR
    draws the button (a widget template that wraps the input would leave it invisible)."""
    import re

    client.force_login(ars_staff)
    html = client.get(_url(entry)).content.decode()
    for index, label in enumerate(("Ajuster les heures", "Annuler la ligne")):
        pattern = (
            rf'<div class="fr-radio-group"><input type="radio" id="id_kind_{index}"[^>]*>'
            rf'<label class="fr-label" for="id_kind_{index}">{label}</label></div>'
        )
        assert re.search(pattern, html), label
