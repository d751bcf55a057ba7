"""Soutenance test data: a released mémoire, an oral rubric in the programme's scheme, a jury and
slots, a booked soutenance, graded and signed."""

from __future__ import annotations

import base64
import datetime
import io

from django.utils import timezone
from PIL import Image

from assessments.marking import services as marking_services
from assessments.memoire.models import Memoire
from assessments.rubrics.models import MarkingScheme, RubricKind
from assessments.soutenance import services
from tests.assessments.marking.factories import grade, marking_at
from tests.assessments.marking.factories import scheme as marking_scheme
from tests.assessments.rubrics.factories import rubric, scores_all
from tests.factories import PedagogicalFactory, TrainerFactory


def memoire_released(enrolment, mark, *, tutor=None, team=None) -> Memoire:
    """The enrolment's mémoire with its written mark released, through the marking services: two
    markers give `mark` to every criterion (so their average is `mark`), and the team releases it."""
    team = team or PedagogicalFactory()
    programme = enrolment.cohort.programme
    if not MarkingScheme.objects.filter(programme=programme, written_rubric__isnull=False).exists():
        marking_scheme(programme)
    memoire, first, second = marking_at(enrolment, team=team, tutor=tutor)
    grade(memoire, first, mark)
    grade(memoire, second, mark)
    marking_services.mark_release(memoire=memoire, by=team)
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
