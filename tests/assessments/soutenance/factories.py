"""Soutenance test data: a released mémoire, an oral rubric in the programme's scheme, a jury and
slots, a booked soutenance, graded and signed."""

from __future__ import annotations

import base64
import datetime
import io
from decimal import Decimal

from django.utils import timezone
from PIL import Image

from assessments.marking.models import AgreedMark, AgreedMarkRule
from assessments.memoire.enums import MemoireState
from assessments.memoire.models import Memoire
from assessments.rubrics.models import MarkingScheme, RubricKind
from assessments.soutenance import services
from tests.assessments.memoire.factories import memoire_at
from tests.assessments.rubrics.factories import rubric, scores_all
from tests.factories import PedagogicalFactory, TrainerFactory


def memoire_released(enrolment, mark, *, tutor=None, team=None) -> Memoire:
    """TEST SHORTCUT — the lead replaces it with the marking services at merge: the mémoire is
    brought to FINAL_SUBMITTED through the mémoire's services, then an AgreedMark (released) is
    written and the state set to RELEASED with a queryset update(), skipping the marking steps."""
    team = team or PedagogicalFactory()
    memoire = memoire_at(enrolment, MemoireState.FINAL_SUBMITTED, tutor=tutor, team=team)
    AgreedMark.objects.create(
        memoire=memoire,
        mark=Decimal(str(mark)),
        rule=AgreedMarkRule.AVERAGE,
        rule_text="Moyenne des deux notes, arrondie au demi-point.",
        released_at=timezone.now(),
        released_by=team,
    )
    Memoire.objects.filter(pk=memoire.pk).update(state=MemoireState.RELEASED)
    memoire.refresh_from_db()
    return memoire


def oral_scheme(programme, **options) -> MarkingScheme:
    """The programme's scheme with an oral rubric (Présentation ×1, Réponses au jury ×1)."""
    scheme, _ = MarkingScheme.objects.update_or_create(
        programme=programme, defaults={"oral_rubric": rubric(RubricKind.ORAL), **options}
    )
    return scheme


def jury_of(cohort, *, president=None, members=None, team=None, name="Jury 1"):
    president = president or TrainerFactory()
    members = members if members is not None else [TrainerFactory()]
    return services.jury_save(
        cohort=cohort, name=name, president=president, members=members, by=team or PedagogicalFactory()
    )


def slot_of(jury, *, days=10, deadline_days=3, team=None, now=None):
    now = now or timezone.now()
    return services.slot_save(
        jury=jury,
        starts_at=now + datetime.timedelta(days=days),
        duration_minutes=45,
        place="EHESP, Rennes — salle 12",
        video_link="",
        change_deadline=now + datetime.timedelta(days=deadline_days),
        by=team or PedagogicalFactory(),
    )


def signature_png(size=(300, 100)) -> bytes:
    image = Image.new("RGB", size, "white")
    for x in range(20, 200):
        image.putpixel((x, 50), (0, 0, 145))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def signature_data_url() -> str:
    return "data:image/png;base64," + base64.b64encode(signature_png()).decode()


def graded(memoire, jury, score=14):
    """Every member of `jury` declares no conflict and submits the oral grid with `score`."""
    oral = MarkingScheme.objects.get(programme=memoire.enrolment.programme).oral_rubric
    for seat in jury.members.select_related("member"):
        services.conflict_declare(memoire=memoire, by=seat.member, confirmed=True)
        services.oral_grid_save(memoire=memoire, by=seat.member, scores=scores_all(oral, score), submit=True)
    memoire.refresh_from_db()
    return memoire
