"""Demo content of the forum, loaded by `manage.py load_demo` once the spaces exist: questions that
CLS coordinators really ask, answered by the demo trainer (or the ARS referent in the cohort's
space) with the answer marked, one question still waiting for a trainer, and published FAQ
entries by theme and module. The texts are ours, drawn from the programme's rules (PROGRAM.md).

Idempotent: a thread is looked up by space and title, an entry by its question; what exists is
left as it is (edits made on the site or in the admin survive a re-run). Threads are written
with their own dates in the past and without notifications: demo content must not email anyone,
nor count against the demo accounts' posting rate."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from forum.enums import SpaceKind
from forum.faq.models import FaqEntry
from forum.threads.models import Post, Space, Thread
from forum.threads.rendering import post_html
from lms.models import User

LEARNER = "apprenante@demo.cls.fr"
ARS = "referente.ars@demo.cls.fr"
TRAINER = "formateur@demo.cls.fr"
TEAM = "equipe.pedagogique@demo.cls.fr"

GENERAL = "general"
COHORT = "cohort"

# space: GENERAL, COHORT (the Bretagne cohort's space) or a module number.
THREADS = [
    {
        "key": "heures-copil",
        "space": GENERAL,
        "title": "Les réunions du comité de pilotage comptent-elles dans mes heures en organisation ?",
        "author": LEARNER,
        "question": (
            "Bonjour,\n\nJe prépare et j'anime le comité de pilotage de notre CLS (trois réunions cette "
            "année). Est-ce que je peux compter ce temps dans mes **heures au sein de l'organisation** ? "
            "Et à quel module les rattacher ?"
        ),
        "replier": TRAINER,
        "reply": (
            "Bonjour Camille,\n\nOui : préparer et animer une instance du CLS, c'est exactement le travail "
            "en organisation que la formation attend, à condition de le relier à un module. Ici, le "
            "module 2 « Animation et gouvernance d'un CLS » s'impose.\n\n"
            "Déclarez chaque réunion dans **Heures en organisation** : date, nombre d'heures, module, "
            "une phrase sur ce que vous avez fait (ordre du jour, animation, compte rendu) et, si vous "
            "l'avez, un justificatif. Les heures comptent une fois validées par votre référente ARS.\n\n"
            "Une déclaration validée ne se modifie plus : en cas d'erreur, une nouvelle écriture la "
            "corrige, avec son motif."
        ),
        "asked_days_ago": 24,
        "answered_after_hours": 6,
    },
    {
        "key": "qualiopi-ireps",
        "space": GENERAL,
        "title": "Le séminaire d'un organisme non certifié Qualiopi compte-t-il dans mon présentiel ?",
        "author": LEARNER,
        "question": (
            "Une association de notre territoire propose une journée sur le diagnostic local de santé. "
            "Elle n'est pas certifiée Qualiopi : si j'y vais, est-ce que ces heures comptent dans mon "
            "présentiel ?"
        ),
        "replier": TRAINER,
        "reply": (
            "Pour le diplôme, seules comptent les sessions assurées par un organisme de formation "
            "**certifié Qualiopi à la date de la session**. L'équipe pédagogique enregistre le numéro et "
            "les dates de validité du certificat de chaque organisme ; la plateforme vérifie la date de "
            "chaque séance.\n\n"
            "Vous pouvez bien sûr participer à cette journée, elle sera utile à votre CLS, mais elle "
            "n'entrera pas dans vos heures de présentiel. En cas de doute sur un organisme, demandez à "
            "votre référent·e ARS avant de vous inscrire."
        ),
        "asked_days_ago": 20,
        "answered_after_hours": 20,
    },
    {
        "key": "choix-options",
        "space": GENERAL,
        "title": "Comment choisir mes deux modules d'approfondissement ?",
        "author": LEARNER,
        "question": (
            "J'hésite entre Santé mentale et Méthodologie de projet. Est-ce que je peux suivre les trois "
            "options ? Et est-ce que le choix change le nombre d'heures ?"
        ),
        "replier": TRAINER,
        "reply": (
            "Vous choisissez **exactement deux** options parmi les trois : Méthodologie de projet en "
            "santé publique, Santé environnement et Santé mentale. Le choix se fait dans **Mes options**.\n\n"
            "Oui, il change vos heures : chaque module a ses propres heures de présentiel, d'e-learning "
            "et de travail en organisation. Méthodologie de projet est la plus dense. Selon vos deux "
            "options, le parcours complet fait entre 130 et 152 heures.\n\n"
            "Le meilleur critère reste votre plan d'action : prenez les options qui servent les axes de "
            "votre CLS."
        ),
        "asked_days_ago": 30,
        "answered_after_hours": 3,
    },
    {
        "key": "memoire-evaluation",
        "space": 4,
        "title": "Mon mémoire peut-il porter sur l'évaluation de notre CLS ?",
        "author": LEARNER,
        "question": (
            "Notre CLS arrive à mi-parcours et nous lançons son évaluation. Est-ce un sujet de mémoire "
            "recevable ? Et quand faut-il proposer le sujet ?"
        ),
        "replier": TRAINER,
        "reply": (
            "Oui, c'est un très bon sujet. Le mémoire (10 à 20 pages) est un travail réflexif : soit sur "
            "votre pratique de coordinatrice à partir d'un projet que vous avez mené, soit au bénéfice du "
            "CLS lui-même. Une démarche d'évaluation entre dans les deux cas.\n\n"
            "Proposez votre sujet tôt sur la plateforme : l'équipe pédagogique l'approuve, puis vous "
            "attribue un·e formateur·rice qui suit vos versions jusqu'à la version finale et la "
            "soutenance. Les échéances sont celles du calendrier de votre promotion."
        ),
        "asked_days_ago": 12,
        "answered_after_hours": 28,
    },
    {
        "key": "plafond-72h",
        "space": 1,
        "title": "J'aurai plus de 72 h de présentiel : le surplus compte-t-il ?",
        "author": LEARNER,
        "question": (
            "Avec les séminaires régionaux et deux journées en plus proposées par l'ARS, je vais dépasser "
            "72 heures de présentiel. Est-ce que tout sera pris en compte ?"
        ),
        "replier": TRAINER,
        "reply": (
            "Au-delà de **72 heures**, le présentiel n'est plus compté pour le diplôme : c'est un plafond "
            "de la formation. Ce n'est pas gênant pour vous, car votre objectif de présentiel (48 h pour "
            "les modules socles, plus 12 à 24 h selon vos options) reste sous ce plafond.\n\n"
            "Les journées en plus restent utiles, mais elles ne compensent pas un manque d'heures "
            "d'e-learning ou en organisation : chaque modalité doit atteindre son propre objectif."
        ),
        "asked_days_ago": 8,
        "answered_after_hours": 4,
    },
    {
        "key": "seminaire-rennes",
        "space": COHORT,
        "title": "Où aura lieu le séminaire régional du module 1 ?",
        "author": LEARNER,
        "question": "Bonjour, avez-vous le lieu et les horaires du premier séminaire régional ?",
        "replier": ARS,
        "reply": (
            "Bonjour, il aura lieu à l'ARS Bretagne, à Rennes, de 9 h à 17 h. Vous le retrouvez dans "
            "**Mes sessions** ; pensez à scanner le QR code de la session sur place pour signaler votre "
            "présence."
        ),
        "asked_days_ago": 5,
        "answered_after_hours": 2,
    },
    {
        "key": "ressources-cps",
        "space": 3,
        "title": "Des ressources sur les compétences psychosociales à partager ?",
        "author": LEARNER,
        "question": (
            "Nous voulons inscrire un axe « compétences psychosociales » dans le prochain plan d'action. "
            "Avez-vous des outils ou des retours d'expérience à partager ?"
        ),
        "replier": None,
        "reply": None,
        "asked_days_ago": 2,
        "answered_after_hours": None,
    },
]

# module: None for a general entry, else a module number; thread: the key of a THREADS entry.
FAQ_ENTRIES = [
    {
        "theme": "Parcours",
        "module": None,
        "order": 10,
        "question": "Comment la formation est-elle organisée ?",
        "answer": (
            "<p>Le diplôme d'établissement de l'EHESP « Coordinateur d'un contrat local de santé » se "
            "compose de <b>quatre modules socles</b>, suivis par tous, et de <b>deux modules "
            "d'approfondissement</b> que vous choisissez parmi trois.</p>"
            "<p>Chaque module combine trois modalités :</p>"
            "<ul><li>des leçons en e-learning sur cette plateforme ;</li>"
            "<li>du présentiel, lors des séminaires régionaux organisés par l'ARS et ses partenaires ;</li>"
            "<li>du travail au sein de votre organisation, en lien avec votre CLS.</li></ul>"
            "<p>Le parcours complet représente entre 130 et 152 heures selon les options choisies.</p>"
        ),
    },
    {
        "theme": "Parcours",
        "module": None,
        "order": 20,
        "question": "Qui peut suivre la formation ?",
        "answer": (
            "<p>La formation s'adresse aux personnes qui occupent un poste de coordinateur·rice de CLS. "
            "Il faut l'<b>accord conjoint</b> de votre ARS et de votre employeur (la collectivité "
            "territoriale signataire).</p>"
            "<p>C'est l'ARS de votre région qui gère les candidatures et vous inscrit dans une promotion ; "
            "la formation est prise en charge par l'ARS, sans frais d'inscription pour vous.</p>"
        ),
    },
    {
        "theme": "Heures",
        "module": None,
        "order": 30,
        "question": "Comment mes heures sont-elles comptées ?",
        "answer": (
            "<p>Vos heures sont suivies séparément pour chaque modalité, et chacune doit atteindre son "
            "objectif : l'une ne compense pas l'autre.</p>"
            "<ul><li><b>E-learning</b> : la durée prévue d'une leçon vous est créditée quand vous la "
            "terminez (et réussissez son quiz, s'il y en a un).</li>"
            "<li><b>Présentiel</b> : votre présence à une session est enregistrée par l'ARS ou le "
            "formateur, ou par vous en scannant le QR code de la session.</li>"
            "<li><b>Au sein de l'organisation</b> : vous déclarez vos heures, qui comptent une fois "
            "validées par votre référent·e ARS.</li></ul>"
            "<p>Votre objectif dépend de vos deux options : c'est la somme des heures des quatre modules "
            "socles et de vos deux modules d'approfondissement.</p>"
        ),
    },
    {
        "theme": "Heures",
        "module": None,
        "order": 40,
        "question": "Quelles activités puis-je déclarer en heures au sein de l'organisation ?",
        "thread": "heures-copil",
        "answer": (
            "<p>Tout travail mené pour votre CLS en lien avec un module : préparer et animer une "
            "instance (comité de pilotage, comité technique), conduire un diagnostic local, rédiger une "
            "fiche action, préparer l'évaluation…</p>"
            "<p>Pour chaque activité, indiquez la date, le nombre d'heures, le module concerné et une "
            "courte description ; un justificatif est facultatif. Les heures comptent une fois la "
            "déclaration validée par votre référent·e ARS. Une erreur se corrige par une nouvelle "
            "écriture, jamais en modifiant l'ancienne.</p>"
        ),
    },
    {
        "theme": "Heures",
        "module": None,
        "order": 50,
        "question": "Pourquoi mon présentiel est-il plafonné à 72 heures ?",
        "thread": "plafond-72h",
        "answer": (
            "<p>Le règlement du diplôme retient <b>au plus 72 heures</b> de formation en présentiel. "
            "Au-delà, les heures sont enregistrées mais ne comptent plus pour le diplôme.</p>"
            "<p>Votre objectif de présentiel (48 heures pour les modules socles, plus 12 à 24 heures "
            "selon vos options) ne dépasse jamais ce plafond.</p>"
        ),
    },
    {
        "theme": "Qualiopi",
        "module": None,
        "order": 60,
        "question": "Quelles sessions de présentiel comptent pour le diplôme ?",
        "thread": "qualiopi-ireps",
        "answer": (
            "<p>Seules comptent les sessions assurées par un organisme de formation <b>certifié "
            "Qualiopi à la date de la session</b>. L'équipe pédagogique tient à jour le numéro et la "
            "période de validité du certificat de chaque organisme ; la plateforme vérifie chaque "
            "séance à sa date.</p>"
            "<p>Une journée organisée par un partenaire non certifié peut être utile à votre CLS, mais "
            "elle n'entre pas dans vos heures de présentiel. En cas de doute, interrogez votre ARS "
            "avant de vous inscrire.</p>"
        ),
    },
    {
        "theme": "Options",
        "module": None,
        "order": 70,
        "question": "Comment choisir mes deux modules d'approfondissement ?",
        "thread": "choix-options",
        "answer": (
            "<p>Vous en choisissez <b>exactement deux</b> parmi : Méthodologie de projet en santé "
            "publique, Santé environnement et Santé mentale. Le choix se fait dans « Mes options ».</p>"
            "<p>Chaque option a ses propres heures (présentiel, e-learning, organisation) : votre "
            "objectif d'heures et la durée totale du parcours, entre 130 et 152 heures, en dépendent. "
            "Choisissez celles qui servent les priorités de votre CLS.</p>"
        ),
    },
    {
        "theme": "Mémoire",
        "module": None,
        "order": 80,
        "question": "Qu'attend-on du mémoire ?",
        "answer": (
            "<p>Le mémoire compte de <b>10 à 20 pages</b> et se dépose en PDF. C'est un travail "
            "réflexif, au choix :</p>"
            "<ul><li>sur votre pratique professionnelle, à partir d'un projet mené comme "
            "coordinateur·rice du CLS ;</li>"
            "<li>au bénéfice du CLS lui-même.</li></ul>"
            "<p>Les étapes : vous proposez un sujet, l'équipe pédagogique l'approuve et vous attribue "
            "un·e ou plusieurs formateur·rices, vous déposez vos versions puis la version finale. Le "
            "mémoire est noté sur 20 (10 au moins pour valider), puis vous le soutenez devant un "
            "jury.</p>"
        ),
    },
    {
        "theme": "Mémoire",
        "module": 4,
        "order": 90,
        "question": "Le mémoire peut-il porter sur l'évaluation de mon CLS ?",
        "thread": "memoire-evaluation",
        "answer": (
            "<p>Oui. Concevoir ou conduire l'évaluation de votre CLS (programme d'actions, dynamique "
            "partenariale, indicateurs) fait un bon sujet : c'est un projet que vous menez comme "
            "coordinateur·rice, et il profite directement au CLS.</p>"
            "<p>Proposez votre sujet tôt : les échéances sont celles du calendrier de votre "
            "promotion.</p>"
        ),
    },
    {
        "theme": "Options",
        "module": 5,
        "order": 100,
        "question": "Le module Méthodologie de projet est-il réservé aux coordinateurs de CLS ?",
        "answer": (
            "<p>Non : c'est un module transversal, pensé aussi pour les démarches voisines (CPTS, "
            "maisons et centres de santé). Il porte sur les stratégies éducatives en santé, la "
            "communication en santé et le leadership (mobiliser les partenaires, plaider, dénouer les "
            "difficultés).</p>"
            "<p>C'est l'option la plus dense en heures : tenez-en compte dans votre calendrier.</p>"
        ),
    },
]


@dataclass
class DemoCounts:
    threads: int = 0
    posts: int = 0
    faq_entries: int = 0


def _spaces(programme) -> dict:
    spaces = {}
    for space in Space.objects.filter(programme=programme).select_related("module", "cohort__region"):
        if space.kind == SpaceKind.GENERAL:
            spaces[GENERAL] = space
        elif space.kind == SpaceKind.MODULE:
            spaces[space.module.number] = space
        elif space.cohort.region.slug == "bretagne":
            spaces[COHORT] = space
    return spaces


def _post(thread: Thread, author, source: str, at: datetime.datetime) -> Post:
    return Post.objects.create(
        thread=thread, author=author, source=source, html=post_html(source), created_at=at
    )


@transaction.atomic
def forum_demo_load(*, programme) -> DemoCounts:
    """Create the demo threads and FAQ entries that are missing (see the module docstring)."""
    counts = DemoCounts()
    users = {user.email: user for user in User.objects.filter(email__in=[LEARNER, ARS, TRAINER, TEAM])}
    spaces = _spaces(programme)
    threads = {}
    now = timezone.now()
    for spec in THREADS:
        space = spaces.get(spec["space"])
        author, replier = users.get(spec["author"]), users.get(spec["replier"]) if spec["replier"] else None
        if space is None or author is None or (spec["replier"] and replier is None):
            continue
        thread = Thread.objects.filter(space=space, title=spec["title"]).first()
        if thread is None:
            asked = now - datetime.timedelta(days=spec["asked_days_ago"])
            thread = Thread.objects.create(
                space=space, title=spec["title"], author=author, created_at=asked, last_post_at=asked
            )
            _post(thread, author, spec["question"], asked)
            counts.threads += 1
            counts.posts += 1
            if replier is not None:
                answered = asked + datetime.timedelta(hours=spec["answered_after_hours"])
                reply = _post(thread, replier, spec["reply"], answered)
                counts.posts += 1
                thread.answer = reply
                thread.last_post_at = answered
                if replier.email == TRAINER:
                    thread.first_trainer_reply_at = answered
                thread.save(update_fields=["answer", "last_post_at", "first_trainer_reply_at"])
        threads[spec["key"]] = thread
    counts.faq_entries = _load_faq(programme=programme, threads=threads, team=users.get(TEAM))
    return counts


def _load_faq(*, programme, threads: dict[str, Thread], team) -> int:
    from courses.catalogue.models import ModulePage

    modules = {module.number: module for module in ModulePage.objects.child_of(programme)}
    created = 0
    for spec in FAQ_ENTRIES:
        if FaqEntry.objects.filter(question=spec["question"]).exists():
            continue
        entry = FaqEntry(
            question=spec["question"],
            answer=spec["answer"],
            module=modules.get(spec["module"]) if spec["module"] else None,
            theme=spec["theme"],
            sort_order=spec["order"],
            source_thread=threads.get(spec.get("thread")),
            live=False,
        )
        entry.save()
        entry.save_revision(user=team).publish(user=team)
        created += 1
    return created
