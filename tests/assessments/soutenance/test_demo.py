"""The soutenance's demo data: a jury with open slots, a booked soutenance, an admitted and an
adjourned classmate with their signed PV, and nothing added twice when `load_demo` runs again."""

from io import StringIO

import pytest
from django.core.management import call_command

from assessments.memoire.enums import MemoireState
from assessments.memoire.models import Memoire, MemoireEvent
from assessments.soutenance.models import Booking, Jury, ProcesVerbal, Slot
from assessments.soutenance.selectors import memoire_outcome_for

pytestmark = pytest.mark.django_db


def test_load_demo_gives_the_soutenance_screens_something_to_show_once():
    """Each soutenance state appears once; open slots remain; a second run adds nothing."""
    call_command("load_demo", stdout=StringIO())
    states = dict(Memoire.objects.values_list("enrolment__user__email", "state"))
    assert states["soizic.kerleau@demo.cls.fr"] == MemoireState.SOUTENANCE_BOOKED
    assert states["loic.legall@demo.cls.fr"] == MemoireState.ADMITTED
    assert states["anne.pichon@demo.cls.fr"] == MemoireState.ADJOURNED
    admitted = Memoire.objects.get(enrolment__user__email="loic.legall@demo.cls.fr")
    outcome = memoire_outcome_for(enrolment=admitted.enrolment)
    assert outcome.memoire_passed and outcome.soutenance_passed
    adjourned = ProcesVerbal.objects.get(memoire__enrolment__user__email="anne.pichon@demo.cls.fr")
    assert adjourned.corrections and adjourned.new_deadline
    assert Slot.objects.exclude(pk__in=Booking.objects.values("slot_id")).count() >= 3
    counts = (
        Jury.objects.count(),
        Slot.objects.count(),
        ProcesVerbal.objects.count(),
        MemoireEvent.objects.count(),
    )
    call_command("load_demo", stdout=StringIO())
    assert (
        Jury.objects.count(),
        Slot.objects.count(),
        ProcesVerbal.objects.count(),
        MemoireEvent.objects.count(),
    ) == counts
