"""The bench's large data set: thousands of learners with enrolments, option choices and a
realistic hours ledger, and a forum with a few hundred threads and one of 1,000 posts, written
with bulk_create.

Seeding is additive and deterministic: learners are numbered (bench-learner-00042@…), and a run
only creates the ones missing to reach the requested count, so running it twice changes nothing.
Every fourth learner, up to 500 of them, goes to one large cohort (LARGE_COHORT_NAME) whose
progress page and exports the bench measures; the others are spread over the regional cohorts.
The forum is seeded once, after the learners (forum_seed), and left alone when its long thread
(LONG_THREAD_TITLE) is there.
"""

from __future__ import annotations

import datetime
import io
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from courses.catalogue.models import LessonPage, ModulePage, ProgrammePage
from courses.cohorts.models import Cohort, ElectiveChoice, Enrolment
from courses.enums import HoursSource, Modality, ModuleKind
from courses.hours.models import HoursEntry
from courses.learning.models import LessonActivity, LessonCompletion
from lms.enums import Role
from lms.models import Region, User

LEARNER_EMAIL = "bench-learner-{:05d}@exemple.fr"
LEARNER_PREFIX = "bench-learner-"
STAFF_EMAIL = "bench-ars-{}@exemple.fr"
PASSWORD = "banc-d-essai-2026"  # noqa: S105
BATCH = 2000
HALF = Decimal("0.5")

#: The large cohort: learner number i joins it when i % LARGE_COHORT_EVERY == 0, until it holds
#: LARGE_COHORT_LEARNERS (exactly 500 with the default 2,000 learners).
LARGE_COHORT_NAME = "Promotion banc d'essai 500"
LARGE_COHORT_REGION = "Occitanie"
LARGE_COHORT_LEARNERS = 500
LARGE_COHORT_EVERY = 4
#: Places of the regional cohorts the bench creates; raised to the enrolled count after seeding.
REGIONAL_CAPACITY = 300

#: The programme's regions (PROGRAM.md), with the IANA time zone of each.
REGIONS = [
    ("Bretagne", "Europe/Paris"),
    ("Centre-Val de Loire", "Europe/Paris"),
    ("Grand Est", "Europe/Paris"),
    ("Guyane", "America/Cayenne"),
    ("Île-de-France", "Europe/Paris"),
    ("Occitanie", "Europe/Paris"),
    ("Provence-Alpes-Côte d'Azur", "Europe/Paris"),
    ("La Réunion", "Indian/Reunion"),
]

FIRST_NAMES = [
    "Camille",
    "Nadia",
    "Julien",
    "Sophie",
    "Karim",
    "Élodie",
    "Thomas",
    "Inès",
    "Mathieu",
    "Claire",
    "Yanis",
    "Léa",
    "Olivier",
    "Fatou",
    "Pierre",
    "Anaïs",
    "Hugo",
    "Marion",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Moreau",
    "Laurent",
    "Girard",
    "Lefèvre",
    "Mercier",
    "Blanc",
    "Guerin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "Robin",
    "Clément",
    "Morel",
    "Hoarau",
    "Payet",
]
CORRECTIONS = [
    ("attendance", "Départ à mi-journée signalé par le formateur : présence corrigée."),
    ("declaration", "Heures déclarées deux fois pour la même réunion."),
]


@dataclass
class SeedStats:
    created: int = 0
    total: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class _Module:
    page: ModulePage
    lessons: list[LessonPage]


def demo_command_path() -> Path:
    from django.conf import settings

    return Path(settings.BASE_DIR) / "content" / "management" / "commands" / "load_demo.py"


def content_ensure(*, log: Callable[[str], None] = print) -> ProgrammePage:
    """The programme the bench runs against: the demo content (`load_demo`) when that command
    exists, otherwise the test suite's programme tree; built once."""
    programme = ProgrammePage.objects.live().order_by("pk").first()
    if programme is not None:
        return programme
    if demo_command_path().exists():
        log("  content: manage.py load_demo")
        call_command("load_demo", verbosity=0, stdout=io.StringIO())
    else:
        from tests.factories import build_programme

        log("  content: load_demo not found, using tests.factories.build_programme")
        build_programme(lessons_per_module=3)
    programme = ProgrammePage.objects.live().order_by("pk").first()
    if programme is None:
        raise RuntimeError("No live ProgrammePage after loading the content.")
    return programme


def cohorts_ensure(*, programme: ProgrammePage) -> list[Cohort]:
    """One cohort of `programme` per programme region (reusing the demo's), one bench ARS staff
    account per region to record attendance and validate declarations, and last, the large cohort
    (LARGE_COHORT_NAME, in LARGE_COHORT_REGION)."""
    cohorts = []
    for name, tz in REGIONS:
        slug = slugify(name)
        region = Region.objects.filter(name=name).first() or Region.objects.filter(slug=slug).first()
        if region is None:
            region = Region.objects.create(name=name, slug=slug, timezone=tz)
        cohort = Cohort.objects.filter(programme=programme, region=region).order_by("pk").first()
        if cohort is None:
            cohort = Cohort.objects.create(
                programme=programme,
                region=region,
                name=f"Promotion banc d'essai {name}",
                start_date=datetime.date(2025, 9, 1),
                end_date=datetime.date(2026, 12, 18),
                capacity=REGIONAL_CAPACITY,
            )
        staff, created = User.objects.get_or_create(
            email=STAFF_EMAIL.format(region.slug),
            defaults={"role": Role.ARS_STAFF, "first_name": "Référent·e", "last_name": name},
        )
        if created:
            staff.set_unusable_password()
            staff.save(update_fields=["password"])
            staff.regions.add(region)
        cohorts.append(cohort)
    region = cohorts[[name for name, _ in REGIONS].index(LARGE_COHORT_REGION)].region
    large, _ = Cohort.objects.get_or_create(
        region=region,
        name=LARGE_COHORT_NAME,
        defaults={
            "programme": programme,
            "start_date": datetime.date(2025, 9, 1),
            "end_date": datetime.date(2026, 12, 18),
            "capacity": LARGE_COHORT_LEARNERS,
        },
    )
    cohorts.append(large)
    return cohorts


def large_cohort() -> Cohort:
    return Cohort.objects.select_related("region").get(name=LARGE_COHORT_NAME)


def staff_of(cohort: Cohort) -> User:
    """The bench ARS staff account of the cohort's region."""
    return User.objects.get(email=STAFF_EMAIL.format(cohort.region.slug))


def _cohort_for(index: int, *, large: Cohort | None, regional: list[Cohort], rng: random.Random) -> Cohort:
    if (
        large is not None
        and index % LARGE_COHORT_EVERY == 0
        and index // LARGE_COHORT_EVERY < LARGE_COHORT_LEARNERS
    ):
        return large
    return rng.choice(regional)


def _capacities_fit(cohorts: list[Cohort]) -> None:
    """Raise a cohort's places to its enrolled count where below (the demo's start at 30)."""
    for cohort in cohorts:
        enrolled = cohort.enrolments.count()
        if cohort.capacity < enrolled:
            cohort.capacity = enrolled
            cohort.save(update_fields=["capacity"])


def bench_learners():
    return User.objects.filter(role=Role.LEARNER, email__startswith=LEARNER_PREFIX)


def _modules(programme: ProgrammePage) -> tuple[list[_Module], list[_Module]]:
    core, optional = [], []
    for page in ModulePage.objects.live().child_of(programme).order_by("number", "title"):
        lessons = list(LessonPage.objects.live().child_of(page).order_by("path"))
        (optional if page.kind == ModuleKind.OPTIONAL else core).append(_Module(page, lessons))
    if len(optional) < 2:
        raise RuntimeError("The programme needs at least two optional modules.")
    return core, optional


def _at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(rng.randint(8, 20), rng.randint(0, 59)))
    )


def _split(total: Decimal, chunk: Decimal) -> list[Decimal]:
    """`total` hours as sessions of at most `chunk` hours."""
    parts, left = [], total
    while left > 0:
        parts.append(min(chunk, left))
        left -= chunk
    return parts


@transaction.atomic
def learners_seed(
    *,
    programme: ProgrammePage,
    cohorts: list[Cohort],
    target: int,
    rng_seed: int = 2026,
) -> SeedStats:
    """Bring the number of bench learners to `target` (never removes any). Each new learner has an
    enrolment in one of `cohorts` (the large cohort, when in the list, for every fourth learner up
    to LARGE_COHORT_LEARNERS; a random regional one otherwise), two optional modules, lessons
    completed in order with their e-learning hours, time-spent records, attended sessions,
    validated declarations and, for a few, a correction: every ledger total matches the
    completions it stands for."""
    stats = SeedStats()
    existing = bench_learners().count()
    stats.total = max(existing, target)
    if existing >= target:
        return stats
    rng = random.Random(rng_seed + existing)
    core, optional = _modules(programme)
    staff = {c.region_id: staff_of(c) for c in cohorts}
    large = next((c for c in cohorts if c.name == LARGE_COHORT_NAME), None)
    regional = [c for c in cohorts if c is not large]
    today = timezone.localdate()
    t0 = time.perf_counter()
    password = make_password(PASSWORD)
    stats.timings["password hash"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    indexes = range(existing, target)
    users = [
        User(
            email=LEARNER_EMAIL.format(i),
            password=password,
            role=Role.LEARNER,
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            is_active=True,
        )
        for i in indexes
    ]
    User.objects.bulk_create(users, batch_size=BATCH)
    _verified_emails(users)
    enrolments = [
        Enrolment(
            user=u,
            cohort=(c := _cohort_for(i, large=large, regional=regional, rng=rng)),
            programme_id=c.programme_id,
        )
        for i, u in zip(indexes, users, strict=True)
    ]
    Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
    _capacities_fit(cohorts)
    stats.timings["users + enrolments"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    choices, completions, activities, entries = [], [], [], []
    correctable: list[tuple[HoursEntry, str]] = []
    cohort_by_id = {c.pk: c for c in cohorts}
    for enrolment in enrolments:
        cohort = cohort_by_id[enrolment.cohort_id]
        recorder = staff[cohort.region_id]
        start = cohort.start_date
        span = max(1, (min(cohort.end_date, max(today, start)) - start).days)
        picked = rng.sample(optional, 2)
        chosen_at = _at(start + datetime.timedelta(days=rng.randint(0, 20)), rng)
        choices += [ElectiveChoice(enrolment=enrolment, module=m.page, chosen_at=chosen_at) for m in picked]
        followed = core + picked
        progress = rng.betavariate(2, 2)  # most learners halfway, a few just started or done
        ordered = [(m, lesson) for m in followed for lesson in m.lessons]
        done = ordered[: round(progress * len(ordered))]
        day = start
        for module, lesson in done:
            day = min(
                day + datetime.timedelta(days=rng.randint(0, 6)),
                start + datetime.timedelta(days=span),
            )
            when = _at(day, rng)
            completions.append(LessonCompletion(enrolment=enrolment, lesson=lesson, completed_at=when))
            entries.append(
                HoursEntry(
                    enrolment=enrolment,
                    modality=Modality.ELEARNING,
                    source=HoursSource.LESSON,
                    module=module.page,
                    lesson=lesson,
                    hours=lesson.duration_hours,
                    occurred_on=day,
                    recorded_by=enrolment.user,
                    recorded_at=when,
                )
            )
        touched = done + ordered[len(done) : len(done) + 1]  # plus the lesson in progress
        for _module, lesson in touched:
            days = sorted(rng.sample(range(span + 1), k=min(span + 1, rng.randint(1, 3))))
            for offset in days:
                seen = _at(start + datetime.timedelta(days=offset), rng)
                seconds = rng.randint(5, 60) * 60
                activities.append(
                    LessonActivity(
                        enrolment=enrolment,
                        lesson=lesson,
                        day=seen.date(),
                        seconds=seconds,
                        beats=seconds // 30,
                        first_seen_at=seen,
                        last_beat_at=seen + datetime.timedelta(seconds=seconds),
                    )
                )
        for module in followed:
            if rng.random() < progress:
                for hours in _split(module.page.hours_presential, Decimal(6)):
                    entry = HoursEntry(
                        enrolment=enrolment,
                        modality=Modality.PRESENTIAL,
                        source=HoursSource.ATTENDANCE,
                        module=module.page,
                        hours=hours,
                        occurred_on=start + datetime.timedelta(days=rng.randint(0, span)),
                        recorded_by=recorder,
                        recorded_at=timezone.now(),
                    )
                    entries.append(entry)
                    correctable.append((entry, "attendance"))
            if rng.random() < progress:
                budget = module.page.hours_organisation
                for _ in range(rng.randint(1, 3)):
                    hours = min(budget, HALF * rng.randint(2, 8))
                    if hours <= 0:
                        break
                    budget -= hours
                    entry = HoursEntry(
                        enrolment=enrolment,
                        modality=Modality.ORGANISATION,
                        source=HoursSource.DECLARATION,
                        module=module.page,
                        hours=hours,
                        occurred_on=start + datetime.timedelta(days=rng.randint(0, span)),
                        recorded_by=recorder,
                        recorded_at=timezone.now(),
                    )
                    entries.append(entry)
                    correctable.append((entry, "declaration"))
    ElectiveChoice.objects.bulk_create(choices, batch_size=BATCH)
    LessonCompletion.objects.bulk_create(completions, batch_size=BATCH)
    LessonActivity.objects.bulk_create(activities, batch_size=BATCH)
    HoursEntry.objects.bulk_create(entries, batch_size=BATCH)
    if entries and entries[0].pk is None:
        raise RuntimeError("This database does not return primary keys from bulk_create.")
    stats.timings["choices, completions, activity, ledger"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    reasons = dict(CORRECTIONS)
    corrections = []
    for entry, kind in rng.sample(correctable, k=min(len(correctable), max(1, len(enrolments) // 25))):
        corrections.append(
            HoursEntry(
                enrolment=entry.enrolment,
                modality=entry.modality,
                source=HoursSource.CORRECTION,
                module=entry.module,
                hours=-(entry.hours / 2).quantize(Decimal("0.01")),
                occurred_on=entry.occurred_on,
                recorded_by=entry.recorded_by,
                recorded_at=timezone.now(),
                corrects=entry,
                reason=reasons[kind],
            )
        )
    HoursEntry.objects.bulk_create(corrections, batch_size=BATCH)
    stats.timings["corrections"] = time.perf_counter() - t0

    stats.created = len(users)
    stats.rows = {
        "learners": len(users),
        "enrolments": len(enrolments),
        "elective choices": len(choices),
        "lesson completions": len(completions),
        "lesson activity": len(activities),
        "ledger entries": len(entries) + len(corrections),
        "corrections": len(corrections),
    }
    return stats


def _verified_emails(users: list[User]) -> None:
    """Accounts made by staff start with a verified email, as the demo accounts do."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        batch_size=BATCH,
    )


# --- The forum ------------------------------------------------------------------------------------

TRAINER_EMAIL = "bench-formateur-{}@exemple.fr"
TRAINERS = 3
PEDAGOGICAL_EMAIL = "bench-equipe@exemple.fr"
#: Threads per space, by kind of space (the long thread comes on top, in the first core module's).
FORUM_THREADS = {"general": 60, "module": 30, "cohort": 10}
FORUM_DAYS = 180
LONG_THREAD_TITLE = "Échanges de pratiques : le diagnostic local de santé, étape par étape"
LONG_THREAD_POSTS = 1000

QUESTIONS = [
    (
        "Comment compter les heures en organisation ?",
        "Bonjour, les réunions de mon CLS comptent-elles "
        "comme **heures en organisation** ? Je n'ai trouvé que le tableau du module 2.",
    ),
    (
        "Qualiopi : quelle attestation fournir ?",
        "Mon employeur me demande une attestation pour le "
        "financement. Laquelle fournir, et à qui la demander ?",
    ),
    (
        "Choix du sujet de mémoire",
        "J'hésite entre deux sujets :\n\n1. la santé mentale des jeunes ;\n"
        "2. l'habitat indigne.\n\nLequel se prête le mieux à un diagnostic partagé ?",
    ),
    (
        "Options : peut-on changer après le début ?",
        "J'ai choisi *Santé environnement* mais mon poste "
        "évolue. Puis-je changer d'option en cours de formation ?",
    ),
    (
        "Date limite du dépôt de mémoire",
        "Quelle est la date limite de dépôt, et le format attendu (PDF, nombre de pages) ?",
    ),
    (
        "Absence à une journée en présentiel",
        "Je serai absente à la prochaine session : comment rattraper les heures ?",
    ),
    ("Modèle de fiche action", "Existe-t-il un modèle de fiche action commun aux CLS de la région ?"),
    ("Animer un comité de pilotage", "Vos conseils pour un premier COPIL avec l'ARS et les élus ?"),
]
PEER_REPLIES = [
    "Même question de mon côté, je suis la discussion.",
    "Chez nous, l'ARS a fourni un modèle : je peux le partager en message privé.",
    "J'ai eu le cas l'an dernier ; voir [la fiche du module](https://exemple.fr/module) pour le détail.",
    "Merci, c'est très clair !",
    "Nous avons procédé en deux temps : d'abord les partenaires, puis les habitant·es.",
]
TRAINER_REPLIES = [
    "Bonjour, oui : ces heures se déclarent dans votre espace, rubrique **Heures en organisation**.",
    "L'attestation est délivrée par l'équipe pédagogique sur demande ; comptez une semaine.",
    "Bonne question. Le plus simple est d'en parler en séance ; en attendant, voir la leçon 3.",
    "Le changement d'option est possible avant la première session du module choisi.",
]
LONG_THREAD_POST = (
    "Retour d'expérience : nous avons croisé les données de l'ORS avec les entretiens "
    "d'acteurs, puis restitué le diagnostic en **atelier** avec les habitant·es.\n\n"
    "- ce qui a marché : la carte des ressources ;\n- ce qui a coincé : l'accès aux données."
)


def forum_staff() -> tuple[list[User], User]:
    """The bench trainers and the bench member of the pedagogical team, created once."""
    trainers = []
    for i in range(1, TRAINERS + 1):
        trainer, created = User.objects.get_or_create(
            email=TRAINER_EMAIL.format(i),
            defaults={"role": Role.TRAINER, "first_name": "Formateur·rice", "last_name": f"Banc {i}"},
        )
        if created:
            trainer.set_unusable_password()
            trainer.save(update_fields=["password"])
        trainers.append(trainer)
    team, created = User.objects.get_or_create(
        email=PEDAGOGICAL_EMAIL,
        defaults={"role": Role.PEDAGOGICAL_TEAM, "first_name": "Équipe", "last_name": "Pédagogique"},
    )
    if created:
        team.set_unusable_password()
        team.save(update_fields=["password"])
    return trainers, team


def forum_trainer() -> User:
    """The trainer whose session loads the unanswered questions page."""
    return User.objects.get(email=TRAINER_EMAIL.format(1))


def long_thread():
    from forum.threads.models import Thread

    return Thread.objects.select_related("space").get(title=LONG_THREAD_TITLE)


class _Html:
    """forum.threads.rendering.post_html, once per distinct source."""

    def __init__(self):
        from forum.threads.rendering import post_html

        self._render = post_html
        self._cache: dict[str, str] = {}

    def __call__(self, source: str) -> str:
        if source not in self._cache:
            self._cache[source] = self._render(source)
        return self._cache[source]


@transaction.atomic
def forum_seed(
    *,
    programme: ProgrammePage,
    threads: dict[str, int] | None = None,
    long_posts: int = LONG_THREAD_POSTS,
    rng_seed: int = 2026,
) -> SeedStats:
    """The programme's forum spaces (forum.services.spaces_ensure) and, once, their threads: per
    space `threads[kind]` questions from its members over FORUM_DAYS days, most answered by a
    trainer after a few hours (first_trainer_reply_at set as forum.services.post_reply would),
    some by peers only, some still waiting, a few locked or hidden, answers marked on some; plus
    one thread of `long_posts` posts in the first core module's space. A no-op (creating nothing
    but missing spaces) when the long thread exists."""
    from forum.enums import SpaceKind
    from forum.threads.models import Post, Thread
    from forum.threads.services import spaces_ensure

    stats = SeedStats()
    t0 = time.perf_counter()
    spaces = spaces_ensure(programme=programme)
    trainers, team = forum_staff()
    if Thread.objects.filter(title=LONG_THREAD_TITLE).exists():
        return stats
    threads = threads or FORUM_THREADS
    rng = random.Random(rng_seed)
    html = _Html()
    now = timezone.now()
    learner_ids = list(
        bench_learners().filter(enrolments__programme=programme).values_list("pk", "enrolments__cohort_id")
    )
    if not learner_ids:
        raise RuntimeError("Seed the learners before the forum.")
    everyone = [pk for pk, _ in learner_ids]
    by_cohort: dict[int, list[int]] = {}
    for pk, cohort_id in learner_ids:
        by_cohort.setdefault(cohort_id, []).append(pk)
    by_option: dict[int, list[int]] = {}
    for pk, module_id in ElectiveChoice.objects.filter(enrolment__user_id__in=everyone).values_list(
        "enrolment__user_id", "module_id"
    ):
        by_option.setdefault(module_id, []).append(pk)
    ars_by_region = dict(
        User.objects.filter(role=Role.ARS_STAFF, email__startswith="bench-ars-").values_list("regions", "pk")
    )
    cohorts = {c.pk: c for c in Cohort.objects.filter(programme=programme)}
    staff_ids = [t.pk for t in trainers] + [team.pk]

    def members(space) -> list[int]:
        if space.kind == SpaceKind.COHORT:
            ars = ars_by_region.get(cohorts[space.cohort_id].region_id)
            return by_cohort.get(space.cohort_id, []) + ([ars] if ars else [])
        if space.kind == SpaceKind.MODULE and space.module.kind == ModuleKind.OPTIONAL:
            return by_option.get(space.module_id, [])
        return everyone

    plans = []  # (thread, [(author id, source, created_at, is trainer)], answer index or None)
    for space in spaces:
        people = members(space)
        if not people:
            continue
        for _ in range(threads.get(space.kind, 0)):
            asked = now - datetime.timedelta(seconds=rng.randint(3600, FORUM_DAYS * 86400))
            title, question = rng.choice(QUESTIONS)
            posts = [(rng.choice(people), question, asked, False)]
            for _ in range(rng.choice([0, 0, 1, 1, 2, 3, 5])):
                at = asked + datetime.timedelta(seconds=rng.randint(600, 10 * 86400))
                if at < now:
                    posts.append((rng.choice(people), rng.choice(PEER_REPLIES), at, False))
            if rng.random() < 0.75:
                delay = datetime.timedelta(hours=min(rng.lognormvariate(1.8, 1.1), 20 * 24))
                if asked + delay < now:
                    posts.append((rng.choice(staff_ids), rng.choice(TRAINER_REPLIES), asked + delay, True))
            posts.sort(key=lambda p: p[2])
            thread = Thread(
                space=space,
                title=title,
                author_id=posts[0][0],
                created_at=asked,
                last_post_at=posts[-1][2],
                first_trainer_reply_at=next((p[2] for p in posts if p[3]), None),
                is_locked=rng.random() < 0.03,
                is_hidden=rng.random() < 0.01,
            )
            answer = None
            replies = [i for i, p in enumerate(posts) if i and (p[3] or rng.random() < 0.2)]
            if replies and rng.random() < 0.4:
                answer = replies[0]
            plans.append((thread, posts, answer))

    core_space = next(s for s in spaces if s.kind == SpaceKind.MODULE and s.module.kind == ModuleKind.CORE)
    started = now - datetime.timedelta(days=120)
    step = datetime.timedelta(days=120) / max(1, long_posts)
    long_posts_plan = [
        (
            rng.choice(staff_ids) if i % 10 == 3 else rng.choice(everyone),
            LONG_THREAD_POST if (i + 1) % 25 else rng.choice(PEER_REPLIES),
            started + i * step,
            i % 10 == 3,
        )
        for i in range(long_posts)
    ]
    long = Thread(
        space=core_space,
        title=LONG_THREAD_TITLE,
        author_id=long_posts_plan[0][0],
        created_at=started,
        last_post_at=long_posts_plan[-1][2],
        first_trainer_reply_at=next((p[2] for p in long_posts_plan if p[3]), None),
    )
    plans.append((long, long_posts_plan, None))
    stats.timings["forum plan"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    Thread.objects.bulk_create([thread for thread, _, _ in plans], batch_size=BATCH)
    posts = [
        Post(thread=thread, author_id=author, source=source, html=html(source), created_at=at)
        for thread, plan, _ in plans
        for author, source, at, _ in plan
    ]
    Post.objects.bulk_create(posts, batch_size=BATCH)
    if posts[0].pk is None:
        raise RuntimeError("This database does not return primary keys from bulk_create.")
    answered, offset = [], 0
    for thread, plan, answer in plans:
        if answer is not None:
            thread.answer = posts[offset + answer]
            answered.append(thread)
        offset += len(plan)
    Thread.objects.bulk_update(answered, ["answer"], batch_size=BATCH)
    stats.timings["forum threads + posts"] = time.perf_counter() - t0
    stats.rows = {
        "forum spaces": len(spaces),
        "forum threads": len(plans),
        "forum posts": len(posts),
        "answers marked": len(answered),
    }
    stats.created = len(plans)
    return stats


def seed(*, learners: int, log: Callable[[str], None] = print) -> SeedStats:
    """The bench data set with at least `learners` learners and the forum; a no-op when it is
    already there."""
    t0 = time.perf_counter()
    programme = content_ensure(log=log)
    cohorts = cohorts_ensure(programme=programme)
    content_time = time.perf_counter() - t0
    stats = learners_seed(programme=programme, cohorts=cohorts, target=learners)
    forum = forum_seed(programme=programme)
    stats.timings = {"content + cohorts": content_time, **stats.timings, **forum.timings}
    stats.rows = {**stats.rows, **forum.rows}
    return stats


# --- Mémoires (issue 9): the large cohort's 500 mémoires, at every step --------------------------

#: The steps the large cohort's mémoires are spread over, in turn.
MEMOIRE_STATES = (
    "in_progress",
    "marking",
    "reconciliation",
    "released",
    "not_started",
    "subject_proposed",
    "subject_approved",
    "in_progress",
    "final_submitted",
    "marked",
    "soutenance_booked",
    "admitted",
)
#: How many of the bench trainer's tutees and marking assignments fill their « À corriger ».
TRAINER_TUTEES = 40
TRAINER_MARKING = 30


def memoires_seed(*, log: Callable[[str], None] = print) -> int:
    """One mémoire per enrolment of the large cohort, spread over the steps (rows written directly:
    the bench measures reads), with the bench trainer as tutor of some (each with an uncommented
    draft) and marker of others; released ones get their agreed mark. Idempotent: returns how many
    mémoires were created."""
    from assessments.marking.models import AgreedMark, MarkerAssignment
    from assessments.memoire.models import Memoire, MemoireDraft

    cohort = large_cohort()
    enrolments = list(cohort.enrolments.filter(memoire__isnull=True).order_by("pk"))
    if not enrolments:
        return 0
    trainers, team = forum_staff()
    trainer, other = trainers[0], trainers[1 % len(trainers)]
    now = timezone.now()
    rows = []
    for index, enrolment in enumerate(enrolments):
        state = MEMOIRE_STATES[index % len(MEMOIRE_STATES)]
        tutored = state not in {"not_started", "subject_proposed", "subject_approved"}
        rows.append(
            Memoire(
                enrolment=enrolment,
                state=state,
                title="" if state == "not_started" else f"Mémoire de banc d'essai n° {index + 1}",
                kind="" if state == "not_started" else "practice",
                summary="" if state == "not_started" else "Un projet mené comme coordinateur·rice du CLS.",
                cls_name="" if state == "not_started" else "CLS de banc d'essai",
                tutor=(trainer if index % 3 == 0 else other) if tutored else None,
                created_at=now - datetime.timedelta(days=60),
                updated_at=now - datetime.timedelta(days=index % 30),
            )
        )
    with transaction.atomic():
        memoires = Memoire.objects.bulk_create(rows, batch_size=BATCH)
        drafts, assignments, marks = [], [], []
        tutees = [m for m in memoires if m.state == "in_progress" and m.tutor_id == trainer.pk]
        for number, memoire in enumerate(tutees[:TRAINER_TUTEES]):
            drafts.append(
                MemoireDraft(
                    memoire=memoire,
                    version=1,
                    file="memoires/brouillons/banc.pdf",
                    file_name="brouillon.pdf",
                    content_type="application/pdf",
                    uploaded_at=now - datetime.timedelta(days=number % 20),
                )
            )
        marking = [m for m in memoires if m.state in {"marking", "reconciliation"}]
        for memoire in marking[:TRAINER_MARKING]:
            assignments += [
                MarkerAssignment(memoire=memoire, marker=trainer, role="first", assigned_by=team),
                MarkerAssignment(memoire=memoire, marker=other, role="second", assigned_by=team),
            ]
        for memoire in memoires:
            if memoire.state in {"released", "soutenance_booked", "admitted"}:
                marks.append(
                    AgreedMark(
                        memoire=memoire,
                        mark=Decimal("13.5"),
                        rule="average",
                        rule_text="Moyenne de 13 et 14, arrondie au demi-point : 13,5",
                        released_at=now,
                        released_by=team,
                    )
                )
        MemoireDraft.objects.bulk_create(drafts, batch_size=BATCH)
        MarkerAssignment.objects.bulk_create(assignments, batch_size=BATCH)
        AgreedMark.objects.bulk_create(marks, batch_size=BATCH)
    log(
        f"  mémoires: {len(memoires)} in « {cohort.name} », {len(drafts)} drafts and "
        f"{len(assignments) // 2} marking assignments for the bench trainer"
    )
    return len(memoires)


def pedagogical_user() -> User:
    return User.objects.get(email=PEDAGOGICAL_EMAIL)
