"""Demo soutenances (loaded by `manage.py load_demo`): an oral rubric in the programme's marking
scheme, a jury (the demo trainer presides, a second trainer sits), open slots, and three
classmates: one with a booked soutenance, one admitted and one adjourned with a signed PV. Made
through the services (dates in the past passed as `now`); idempotent.

The written mark goes through the marking room's services (load_demo runs the marking demo first,
which sets up the written rubric): two markers, the similarity check, the release."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from assessments.marking import services as marking_services
from assessments.memoire import services as memoire_services
from assessments.memoire.enums import MemoireKind
from assessments.memoire.models import Memoire
from assessments.rubrics.models import MarkingScheme, Rubric, RubricCriterion, RubricKind
from assessments.similarity.services import similarity_check_run
from assessments.soutenance import services
from assessments.soutenance.models import Jury
from courses.cohorts.models import Cohort
from courses.cohorts.services import enrolment_create
from lms.enums import Role
from lms.models import User
from lms.useradmin.services import user_created_record

JURY_NAME = "Jury de soutenance — démonstration"
RUBRIC_NAME = "Grille de soutenance"
ORAL_CRITERIA = [
    (
        "Clarté de la présentation",
        1,
        "Insuffisant : exposé confus ; satisfaisant : plan suivi ; très bien : "
        "exposé clair, rythmé, dans le temps imparti.",
    ),
    (
        "Maîtrise du sujet et du CLS",
        2,
        "Insuffisant : réponses vagues ; satisfaisant : réponses exactes ; "
        "très bien : réponses étayées par le terrain.",
    ),
    (
        "Recul réflexif",
        2,
        "Insuffisant : description seule ; satisfaisant : analyse ; très bien : analyse "
        "critique et perspectives pour le CLS.",
    ),
]
JURY_TRAINER = {"email": "formatrice.jury@demo.cls.fr", "first_name": "Katell", "last_name": "Le Floch"}
#: (email, first name, last name, mémoire title, what happened, oral score)
CLASSMATES = [
    ("soizic.kerleau@demo.cls.fr", "Soizic", "Kerleau", "Le CLS face aux déserts médicaux", "booked", None),
    (
        "loic.legall@demo.cls.fr",
        "Loïc",
        "Le Gall",
        "Santé des jeunes : un parcours coordonné",
        "admitted",
        15,
    ),
    ("anne.pichon@demo.cls.fr", "Anne", "Pichon", "Habitat indigne et santé : agir en CLS", "adjourned", 8),
]
DEMO_EMAILS = frozenset({JURY_TRAINER["email"]} | {row[0] for row in CLASSMATES})


def _pdf(pages: int, title: str) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for number in range(1, pages + 1):
        pdf.drawString(72, 720, f"{title} — page {number}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _signature() -> bytes:
    image = Image.new("RGB", (400, 120), "white")
    ImageDraw.Draw(image).line(
        [(20, 90), (90, 30), (150, 80), (230, 25), (360, 70)], fill=(0, 0, 145), width=4
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _user(email: str, first_name: str, last_name: str, role: str, password: str) -> User:
    """The demo account, created when missing and then recorded in the audit log like the others."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=password, first_name=first_name, last_name=last_name, role=role
        )
        user_created_record(actor=None, users=[user])
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def _oral_rubric(programme) -> Rubric:
    scheme, _ = MarkingScheme.objects.get_or_create(programme=programme)
    if scheme.oral_rubric_id is None:
        rubric = Rubric.objects.filter(name=RUBRIC_NAME, kind=RubricKind.ORAL).first()
        if rubric is None:
            rubric = Rubric.objects.create(name=RUBRIC_NAME, kind=RubricKind.ORAL)
            for position, (label, weight, descriptors) in enumerate(ORAL_CRITERIA):
                RubricCriterion.objects.create(
                    rubric=rubric, label=label, weight=weight, descriptors=descriptors, sort_order=position
                )
        scheme.oral_rubric = rubric
        scheme.save()
    return scheme.oral_rubric


#: The marking demo's trainer, who marks with the tutor.
DEMO_SECOND_MARKER = "correctrice@demo.cls.fr"


def _released(enrolment, title: str, *, team, tutor, mark: Decimal) -> Memoire:
    """The classmate's mémoire through every step up to its released written mark."""
    learner = enrolment.user
    memoire = memoire_services.memoire_subject_propose(
        enrolment=enrolment,
        by=learner,
        title=title,
        kind=MemoireKind.PRACTICE,
        summary=f"{title} : le terrain, la question et la démarche, en quelques lignes.",
        cls_name="CLS du Pays de Saint-Brieuc",
    )
    memoire = memoire_services.memoire_subject_approve(memoire=memoire, by=team)
    memoire = memoire_services.memoire_tutor_assign(memoire=memoire, tutor=tutor, by=team)
    memoire_services.memoire_final_submit(
        memoire=memoire, file=SimpleUploadedFile("memoire.pdf", _pdf(15, title)), by=learner
    )
    # The written mark through the marking room: two markers give `mark` to every criterion of the
    # programme's written rubric (the marking demo sets it up), then the team releases it once the
    # similarity check (run here, as the task would after the commit) is done.
    first = User.objects.get(email=DEMO_SECOND_MARKER)
    marking_services.markers_assign(memoire=memoire, first=first, second=tutor, by=team)
    for marker in (first, tutor):
        grid = marking_services.marker_grid(memoire=memoire, by=marker)
        scores = {c.pk: (mark, "") for c in grid.rubric.criteria.all()}
        marking_services.marker_grid_save(memoire=memoire, scores=scores, comment="", by=marker)
        marking_services.marker_grid_submit(memoire=memoire, by=marker)
    similarity_check_run(memoire_id=memoire.pk)
    marking_services.mark_release(memoire=memoire, by=team)
    memoire.refresh_from_db()
    return memoire


def _slot(jury, *, starts: datetime.datetime, team, now: datetime.datetime, video: bool = False):
    return services.slot_save(
        jury=jury,
        starts_at=starts,
        duration_minutes=45,
        place="" if video else "ARS Bretagne, Rennes — salle Iroise",
        video_link="https://visio.demo.cls.fr/soutenances" if video else "",
        change_deadline=starts - datetime.timedelta(days=3),
        by=team,
        now=now,
    )


def soutenance_demo_load(*, cohort: Cohort, team, president, password: str) -> int:
    """Create what is missing (rubric, jury, slots, the three classmates and their soutenances);
    returns how many classmates were created."""
    oral = _oral_rubric(cohort.programme)
    member = _user(
        JURY_TRAINER["email"], JURY_TRAINER["first_name"], JURY_TRAINER["last_name"], Role.TRAINER, password
    )
    jury = Jury.objects.filter(cohort=cohort, name=JURY_NAME).first()
    now = timezone.now()
    zone_now = timezone.localtime(now).replace(hour=14, minute=0, second=0, microsecond=0)
    if jury is None:
        jury = services.jury_save(
            cohort=cohort, name=JURY_NAME, president=president, members=[member], by=team
        )
        for days in (21, 22, 23, 28):
            _slot(jury, starts=zone_now + datetime.timedelta(days=days), team=team, now=now, video=days == 23)
    created = 0
    for email, first_name, last_name, title, fate, score in CLASSMATES:
        if User.objects.filter(email=email).exists():
            continue
        learner = _user(email, first_name, last_name, Role.LEARNER, password)
        enrolment = enrolment_create(user=learner, cohort=cohort)
        memoire = _released(enrolment, title, team=team, tutor=member, mark=Decimal("13.5"))
        created += 1
        if fate == "booked":
            slot = _slot(jury, starts=zone_now + datetime.timedelta(days=20), team=team, now=now)
            services.soutenance_book(memoire=memoire, slot=slot, by=learner)
            continue
        held = zone_now - datetime.timedelta(days=7 if fate == "admitted" else 6)
        before = held - datetime.timedelta(days=20)
        slot = _slot(jury, starts=held, team=team, now=before)
        services.soutenance_book(memoire=memoire, slot=slot, by=learner, now=before)
        scores = {c.pk: (score, "") for c in oral.criteria.all()}
        for trainer in (president, member):
            services.conflict_declare(memoire=memoire, by=trainer, confirmed=True, now=held)
            services.oral_grid_save(memoire=memoire, by=trainer, scores=scores, submit=True)
        signed = held + datetime.timedelta(hours=1)
        services.pv_sign(
            memoire=memoire,
            by=president,
            result=fate,
            corrections="Reprendre l'analyse du diagnostic local (partie 2) et ajouter la bibliographie."
            if fate == "adjourned"
            else "",
            new_deadline=timezone.localdate(signed) + datetime.timedelta(days=90)
            if fate == "adjourned"
            else None,
            signature_png=_signature(),
            now=signed,
        )
    return created
