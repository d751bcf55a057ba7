"""Test data: factories for accounts and enrolments, and a builder for the course page tree."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.conf import settings
from wagtail.models import Collection, Locale, Page, Site

from content.models import HomePage
from courses.catalogue.models import LessonPage, ModulePage, ProgrammePage
from courses.cohorts.models import Cohort, Enrolment
from courses.enums import ModuleKind
from lms.enums import Role
from lms.models import Region, User

PASSWORD = "motdepasse-de-test-42"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Région {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")
    timezone = "Europe/Paris"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    role = Role.LEARNER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """Accounts made by staff start with a verified email, as the demo accounts do."""
        if create:
            from allauth.account.models import EmailAddress

            obj.save()
            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )


class ArsStaffFactory(UserFactory):
    role = Role.ARS_STAFF

    @factory.post_generation
    def regions(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.regions.set(extracted)


class TrainerFactory(UserFactory):
    role = Role.TRAINER


class PedagogicalFactory(UserFactory):
    role = Role.PEDAGOGICAL_TEAM
    is_staff = True


def quiz_block(pass_mark: int = 50) -> dict:
    return {
        "type": "knowledge_check",
        "value": {
            "title": "Vérifiez vos connaissances",
            "pass_mark": pass_mark,
            "questions": [
                {
                    "text": "Qui signe un contrat local de santé ?",
                    "review_hint": "Relisez la partie sur les signataires.",
                    "choices": [
                        {"text": "L'ARS et une collectivité", "correct": True},
                        {"text": "Le seul ministère", "correct": False},
                    ],
                },
                {
                    "text": "Quels sont les objectifs d'un CLS ?",
                    "review_hint": "Relisez la partie sur les inégalités de santé.",
                    "choices": [
                        {"text": "Réduire les inégalités sociales de santé", "correct": True},
                        {"text": "Réduire les inégalités territoriales de santé", "correct": True},
                        {"text": "Financer des hôpitaux", "correct": False},
                    ],
                },
            ],
        },
    }


def ensure_wagtail_base_rows() -> None:
    """Recreate what Wagtail's migrations insert (locale, root page, root collection), if the flush
    that ends a transactional test removed it."""
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Page.get_root_nodes().exists():
        Page.add_root(instance=Page(title="Root", slug="root"))
    if not Collection.get_root_nodes().exists():
        Collection.add_root(name="Root")


def build_programme(
    *,
    lessons_per_module: int = 2,
    core: int = 4,
    options: tuple[tuple[str, str, str, str], ...] = (
        ("Méthodologie de projet", "18", "6", "14"),
        ("Santé environnement", "6", "4", "6"),
        ("Santé mentale", "6", "4", "6"),
    ),
    quiz_in_last_lesson: bool = True,
) -> ProgrammePage:
    """Home → programme → modules → lessons, live, with the demo hour figures of PROGRAM.md.
    Each module's last lesson ends with a two-question knowledge check (pass mark 50 %)."""
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(instance=HomePage(title="Accueil", slug="accueil-test"))
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"root_page": home, "hostname": "localhost", "site_name": "Test"},
        )
    programme = home.add_child(
        instance=ProgrammePage(title="DE Coordinateur CLS", slug=f"de-{Page.objects.count()}")
    )
    specs = [(f"Module socle {i + 1}", ModuleKind.CORE, "12", "5", "7.5") for i in range(core)]
    specs += [(title, ModuleKind.OPTIONAL, p, e, o) for title, p, e, o in options]
    for number, (title, kind, presential, elearning, organisation) in enumerate(specs, start=1):
        module = ModulePage(
            title=title,
            slug=f"module-{number}",
            kind=kind,
            number=number,
            hours_presential=Decimal(presential),
            hours_elearning=Decimal(elearning),
            hours_organisation=Decimal(organisation),
        )
        programme.add_child(instance=module)
        duration = Decimal(elearning) / lessons_per_module
        for position in range(1, lessons_per_module + 1):
            body = [{"type": "paragraph", "value": f"<p>Contenu de la leçon {position}.</p>"}]
            if quiz_in_last_lesson and position == lessons_per_module:
                body.append(quiz_block())
            module.add_child(
                instance=LessonPage(
                    title=f"{title} — leçon {position}",
                    slug=f"lecon-{position}",
                    duration_hours=duration.quantize(Decimal("0.01")),
                    body=body,
                )
            )
    return programme


def modules_of(programme: ProgrammePage) -> list[ModulePage]:
    return list(ModulePage.objects.child_of(programme).order_by("number"))


def lessons_of(module: ModulePage) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(module).order_by("path"))


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Promotion {n}")
    start_date = datetime.date(2026, 9, 1)
    end_date = datetime.date(2027, 6, 30)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    user = factory.SubFactory(UserFactory)
    cohort = factory.SubFactory(CohortFactory)
    programme = factory.SelfAttribute("cohort.programme")
