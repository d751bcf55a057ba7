"""The demo learner's classmates: a Bretagne cohort that looks lived in.

Six learners of « Promotion 2026 — Bretagne » with their employer, the joint agreement (one
missing), their two options, lessons completed, two past regional seminars with confirmed
attendance (one by a Qualiopi-certified provider, one by a provider without certification, whose
hours do not count), in-organisation declarations validated, refused and waiting, and two learners
with no recent activity (flagged as inactive). Everything goes through the services, so the demo
obeys the same rules as real use; it is created only when missing, so `load_demo` stays
idempotent. Dates are relative to today, clamped to the cohort's start, so that the demo stays
coherent whenever it is loaded.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.utils import timezone

from courses.attendance.models import AttendanceStatus
from courses.attendance.services import Mark, attendance_confirm, attendance_mark
from courses.catalogue.models import LessonPage, ModulePage
from courses.cohorts import services as cohorts_services
from courses.cohorts.models import Cohort, Enrolment
from courses.enums import HalfDay
from courses.hours import services as hours_services
from courses.learning import services as learning_services
from courses.sessions.models import PresentialSession, TrainingProvider
from lms.enums import Role
from lms.models import User
from lms.useradmin.services import user_created_record

CERTIFIED_SEMINAR = "Séminaire régional — Animation et gouvernance d'un CLS"
UNCERTIFIED_SEMINAR = "Atelier local — Les concepts cadres du CLS"


@dataclass
class Classmate:
    email: str
    first_name: str
    last_name: str
    employer: str
    job_title: str
    agreement: bool
    options: tuple[int, ...]
    # Modules whose lessons are all completed, then (module, how many lessons) for a partial one.
    completed_modules: tuple[int, ...] = ()
    partial: tuple[int, int] | None = None
    # Status for each seminar (certified, uncertified), or None when not marked.
    seminar_status: tuple[str | None, str | None] = (None, None)
    # (days ago, module number, hours, what was done, outcome: "validated", "refused" or "pending").
    declarations: list[tuple[int, int, str, str, str]] = field(default_factory=list)
    # Days ago of the last time spent on a lesson, when the learner has not completed anything since.
    last_seen_days_ago: int | None = None


CLASSMATES = [
    Classmate(
        email="yann.lebihan@demo.cls.fr",
        first_name="Yann",
        last_name="Le Bihan",
        employer="Ville de Brest",
        job_title="Coordinateur du contrat local de santé",
        agreement=True,
        options=(5, 6),
        completed_modules=(1, 2, 3, 4),
        partial=(5, 2),
        seminar_status=(AttendanceStatus.PRESENT, AttendanceStatus.PRESENT),
        declarations=[
            (40, 1, "7.5", "Diagnostic local de santé : entretiens avec les partenaires du CLS", "validated"),
            (25, 2, "7.5", "Préparation et animation du comité de pilotage du CLS", "validated"),
            (6, 3, "4", "Note de cadrage sur les déterminants de santé du territoire", "pending"),
        ],
    ),
    Classmate(
        email="nolwenn.guillou@demo.cls.fr",
        first_name="Nolwenn",
        last_name="Guillou",
        employer="Lorient Agglomération",
        job_title="Coordinatrice CLS",
        agreement=True,
        options=(6, 7),
        completed_modules=(1, 2),
        partial=(3, 1),
        seminar_status=(AttendanceStatus.PARTIAL, AttendanceStatus.PRESENT),
        declarations=[
            (30, 1, "6", "Cartographie des acteurs de santé de l'agglomération", "validated"),
            (4, 2, "3.5", "Compte rendu de l'assemblée plénière du CLS", "pending"),
        ],
    ),
    Classmate(
        email="maelle.riou@demo.cls.fr",
        first_name="Maëlle",
        last_name="Riou",
        employer="Communauté de communes du Kreiz-Breizh",
        job_title="Chargée de mission santé, coordinatrice CLS",
        agreement=True,
        options=(5, 7),
        completed_modules=(1,),
        partial=(2, 1),
        seminar_status=(AttendanceStatus.EXCUSED, AttendanceStatus.PRESENT),
        declarations=[
            (12, 1, "9", "Lecture de documents et veille sur les politiques de santé", "refused"),
        ],
    ),
    Classmate(
        email="erwan.lecorre@demo.cls.fr",
        first_name="Erwan",
        last_name="Le Corre",
        employer="Ville de Saint-Brieuc",
        job_title="Coordinateur CLS",
        agreement=False,
        options=(6, 7),
        partial=(1, 1),
        seminar_status=(AttendanceStatus.PRESENT, None),
    ),
    Classmate(
        email="gwenaelle.tanguy@demo.cls.fr",
        first_name="Gwenaëlle",
        last_name="Tanguy",
        employer="Quimper Bretagne Occidentale",
        job_title="Coordinatrice du contrat local de santé",
        agreement=True,
        options=(5, 6),
        seminar_status=(None, AttendanceStatus.ABSENT),
        last_seen_days_ago=45,
    ),
    Classmate(
        email="thomas.morvan@demo.cls.fr",
        first_name="Thomas",
        last_name="Morvan",
        employer="Rennes Métropole",
        job_title="Coordinateur santé",
        agreement=True,
        options=(),
    ),
    Classmate(
        email="aude.kerleroux@demo.cls.fr",
        first_name="Aude",
        last_name="Kerleroux",
        employer="Lorient Agglomération",
        job_title="Coordinatrice du contrat local de santé",
        agreement=True,
        options=(6, 7),
        completed_modules=(1, 2, 3, 4, 6, 7),
    ),
    Classmate(
        email="loic.pennec@demo.cls.fr",
        first_name="Loïc",
        last_name="Pennec",
        employer="Saint-Brieuc Armor Agglomération",
        job_title="Coordinateur du contrat local de santé",
        agreement=True,
        options=(5, 7),
        completed_modules=(1, 2, 3, 4, 5, 7),
    ),
]

REFUSAL_REASON = (
    "Une veille documentaire relève de l'e-learning ; décrivez une action menée dans votre collectivité "
    "(réunion, diagnostic, production) et redéposez la déclaration."
)


def _weekday_before(day: datetime.date) -> datetime.date:
    """The last Thursday on or before `day` (seminars are held on weekdays)."""
    return day - datetime.timedelta(days=(day.weekday() - 3) % 7)


def _past_day(today: datetime.date, days_ago: int, *, not_before: datetime.date) -> datetime.date:
    return max(today - datetime.timedelta(days=days_ago), not_before)


def _seminar(
    *,
    title: str,
    module: ModulePage,
    provider: TrainingProvider,
    cohort: Cohort,
    trainer: User | None,
    day: datetime.date,
    place: str,
) -> PresentialSession:
    zone = ZoneInfo(cohort.region.timezone)
    session = PresentialSession.objects.filter(title=title, region=cohort.region).first()
    if session is None:
        session = PresentialSession.objects.create(
            module=module,
            provider=provider,
            region=cohort.region,
            title=title,
            place=place,
            starts_at=datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=zone),
            ends_at=datetime.datetime.combine(day, datetime.time(17, 0), tzinfo=zone),
            hours=Decimal(6),
        )
        session.cohorts.set([cohort])
        if trainer is not None:
            session.trainers.set([trainer])
    return session


def _lessons(module: ModulePage) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(module).live().order_by("path"))


def _complete(enrolment: Enrolment, lessons: list[LessonPage]) -> None:
    for lesson in lessons:
        learning_services.lesson_complete(
            enrolment=enrolment, lesson=lesson, passed_check=lesson.knowledge_check is not None
        )


def classmates_load(
    *,
    cohort: Cohort,
    modules: dict[int, ModulePage],
    certified: TrainingProvider,
    uncertified: TrainingProvider,
    staff: User,
    trainer: User | None,
    password: str,
) -> int:
    """Create the classmates that are missing, with their history; return how many were created."""
    today = timezone.localdate()
    start = cohort.start_date
    if today <= start + datetime.timedelta(days=14):
        # Too early in the cohort's life for a history: the classmates would have nothing to show.
        return 0
    enrolled_at = datetime.datetime.combine(
        start, datetime.time(9, 0), tzinfo=ZoneInfo(cohort.region.timezone)
    )
    certified_day = _weekday_before(_past_day(today, 26, not_before=start + datetime.timedelta(days=7)))
    uncertified_day = _weekday_before(_past_day(today, 47, not_before=start + datetime.timedelta(days=7)))
    if uncertified_day == certified_day:
        uncertified_day -= datetime.timedelta(days=7)
    if uncertified_day < start:
        return 0
    seminars = (
        _seminar(
            title=CERTIFIED_SEMINAR,
            module=modules[2],
            provider=certified,
            cohort=cohort,
            trainer=trainer,
            day=certified_day,
            place="ARS Bretagne, Rennes",
        ),
        _seminar(
            title=UNCERTIFIED_SEMINAR,
            module=modules[3],
            provider=uncertified,
            cohort=cohort,
            trainer=trainer,
            day=uncertified_day,
            place="Maison des associations, Pontivy",
        ),
    )

    created = []
    for spec in CLASSMATES:
        if User.objects.filter(email=spec.email).exists():
            continue
        user = User.objects.create_user(
            email=spec.email,
            password=password,
            first_name=spec.first_name,
            last_name=spec.last_name,
            role=Role.LEARNER,
        )
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        user_created_record(actor=None, users=[user])
        enrolment = cohorts_services.enrolment_create(user=user, cohort=cohort)
        Enrolment.objects.filter(pk=enrolment.pk).update(
            created_at=enrolled_at, employer=spec.employer, job_title=spec.job_title
        )
        enrolment.refresh_from_db()
        if spec.agreement:
            cohorts_services.enrolment_agreement_record(
                enrolment=enrolment,
                ars_agreement_on=start - datetime.timedelta(days=20),
                employer_agreement_on=start - datetime.timedelta(days=27),
                by=staff,
            )
        if spec.options:
            learning_services.options_choose(enrolment=enrolment, modules=[modules[n] for n in spec.options])
        for number in spec.completed_modules:
            _complete(enrolment, _lessons(modules[number]))
        if spec.partial:
            number, count = spec.partial
            _complete(enrolment, _lessons(modules[number])[:count])
        if spec.last_seen_days_ago is not None:
            lesson = _lessons(modules[1])[0]
            seen = timezone.now() - datetime.timedelta(days=spec.last_seen_days_ago)
            learning_services.heartbeat_record(enrolment=enrolment, lesson=lesson, now=seen)
            learning_services.heartbeat_record(
                enrolment=enrolment, lesson=lesson, now=seen + datetime.timedelta(minutes=4)
            )
        for days_ago, number, hours, text, outcome in spec.declarations:
            declaration = hours_services.declaration_submit(
                enrolment=enrolment,
                module=modules[number],
                occurred_on=_past_day(today, days_ago, not_before=start),
                hours=Decimal(hours),
                description=text,
                by=user,
            )
            if outcome == "validated":
                hours_services.declaration_validate(declaration=declaration, by=staff)
            elif outcome == "refused":
                hours_services.declaration_refuse(declaration=declaration, reason=REFUSAL_REASON, by=staff)
        created.append((spec, enrolment))

    for index, session in enumerate(seminars):
        marks = [
            Mark(enrolment_id=enrolment.pk, status=spec.seminar_status[index])
            for spec, enrolment in created
            if spec.seminar_status[index] is not None
        ]
        day = session.starts_at.astimezone(ZoneInfo(cohort.region.timezone)).date()
        for half_day in (HalfDay.MORNING, HalfDay.AFTERNOON):
            half_marks = [
                # A partial presence: the learner left after the first two hours of the afternoon.
                Mark(enrolment_id=m.enrolment_id, status=m.status, hours=Decimal("2"))
                if m.status == AttendanceStatus.PARTIAL and half_day == HalfDay.AFTERNOON
                else Mark(
                    enrolment_id=m.enrolment_id,
                    status=AttendanceStatus.PRESENT if m.status == AttendanceStatus.PARTIAL else m.status,
                )
                for m in marks
            ]
            if half_marks:
                attendance_mark(session=session, day=day, half_day=half_day, marks=half_marks, by=staff)
                attendance_confirm(session=session, day=day, half_day=half_day, by=staff)
    return len(created)
