"""`manage.py load_demo`: the demo content of the platform, idempotently.

Pages are created only when missing (looked up by slug under their parent), so edits made in the
Wagtail admin survive a re-run; reference data (competency framework, glossary, resources,
regions) is brought back to the values of `content.demo_data`; accounts are created only when
missing, so a password someone changed is never reset. The texts live in `content.demo_data`.

The demo accounts (a superuser among them) share a password published in the README, so the
command runs only under settings that declare `DEMO_DATA_ALLOWED = True` (development and tests).
It is a constant of the settings module, not an environment variable, so that no stray variable
can enable it on a server; the production settings module is refused even if the flag were copied
into it. And since `manage.py` defaults to the development settings, `DATABASE_URL=<a real
database> manage.py load_demo` would pass that check: the command also refuses any database that
holds an account the demo does not make (foreign_accounts_count), before writing anything.
"""

from __future__ import annotations

from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Page, Site

from assessments.deliverables.demo import deliverables_demo_load
from assessments.marking.demo import marking_demo_load
from assessments.memoire.demo import memoire_demo_load
from assessments.soutenance.demo import DEMO_EMAILS as SOUTENANCE_DEMO_EMAILS
from assessments.soutenance.demo import soutenance_demo_load
from content import demo_data
from content.demo_classmates import CLASSMATES, classmates_load
from content.models import (
    Competency,
    CompetencyDomain,
    ContentPage,
    GlossaryTerm,
    HomePage,
    Resource,
)
from courses.catalogue.models import LessonPage, ModulePage, ProgrammePage
from courses.cohorts.models import Cohort, Enrolment
from courses.cohorts.services import enrolment_create
from forum.demo import forum_demo_load
from forum.threads import services as forum_services
from lms.enums import Role
from lms.models import Region, User
from lms.useradmin.services import user_created_record

DEMO_URL = "http://127.0.0.1:8000/"
PRODUCTION_SETTINGS = "lms.settings.production"


def demo_refusal() -> str | None:
    """Why the demo must not be loaded with the current settings, or None when it may."""
    if (
        settings.SETTINGS_MODULE == PRODUCTION_SETTINGS
        or getattr(settings, "DEMO_DATA_ALLOWED", False) is not True
    ):
        return (
            "Refusé : le contenu de démonstration crée des comptes (dont un super-utilisateur) au mot "
            "de passe public. Il ne se charge qu'avec les réglages de développement "
            "(DJANGO_SETTINGS_MODULE=lms.settings.dev), jamais en production."
        )
    return None


def demo_emails() -> set[str]:
    """The addresses of every account the demo makes (demo roles and Bretagne classmates)."""
    return (
        {spec["email"] for spec in demo_data.DEMO_ACCOUNTS}
        | {classmate.email for classmate in CLASSMATES}
        | SOUTENANCE_DEMO_EMAILS
    )


def foreign_accounts_count() -> int:
    """How many accounts of the database the demo did not make (addresses are stored lowercased)."""
    return User.objects.exclude(email__in=demo_emails()).count()


def foreign_accounts_refusal(count: int) -> str:
    accounts = "1 compte qui n'a pas été créé" if count == 1 else f"{count} comptes qui n'ont pas été créés"
    return (
        f"Refusé : la base de données contient {accounts} par la démonstration. Le contenu de "
        "démonstration crée un super-utilisateur au mot de passe public : il ne se charge jamais sur "
        "une base qui contient de vrais comptes. Vérifiez DATABASE_URL, ou chargez la démonstration "
        "sur une base neuve."
    )


class Command(BaseCommand):
    help = (
        "Charge le contenu de démonstration : pages du site et du programme, référentiel de "
        "compétences, glossaire, ressources, régions, promotions et comptes de démonstration. "
        "Peut être relancée sans rien dupliquer."
    )

    def handle(self, *args, **options):
        refusal = demo_refusal()
        if refusal:
            raise CommandError(refusal)
        self.created_pages = 0
        with transaction.atomic():
            foreign = foreign_accounts_count()
            if foreign:
                raise CommandError(foreign_accounts_refusal(foreign))
            home = self.load_home()
            programme = self.load_programme(home)
            self.load_child_page(
                home,
                ContentPage,
                demo_data.ABOUT_PAGE["slug"],
                title=demo_data.ABOUT_PAGE["title"],
                body=demo_data.ABOUT_PAGE["body"],
                show_in_menus=True,
            )
            competencies = self.load_competencies()
            modules = self.load_modules(programme, competencies)
            self.load_glossary()
            self.load_resources(modules)
            regions = self.load_regions()
            cohorts = self.load_cohorts(programme, regions)
            self.load_accounts(programme, regions, cohorts)
            providers = self.load_sessions(modules, regions, cohorts)
            self.classmates = classmates_load(
                cohort=cohorts["bretagne"],
                modules=modules,
                certified=providers[0],
                uncertified=providers[1],
                staff=User.objects.get(email="referente.ars@demo.cls.fr"),
                trainer=User.objects.filter(email="formateur@demo.cls.fr").first(),
                password=demo_data.DEMO_PASSWORD,
            )
            forum_services.spaces_ensure(programme=programme)
            forum_demo_load(programme=programme)
            deliverables_demo_load(
                modules=modules,
                cohort=cohorts["bretagne"],
                trainer=User.objects.filter(email="formateur@demo.cls.fr").first(),
                learner_email="apprenante@demo.cls.fr",
            )
            memoire_demo_load(
                cohort=cohorts["bretagne"],
                learner=User.objects.get(email="apprenante@demo.cls.fr"),
                team=User.objects.get(email="equipe.pedagogique@demo.cls.fr"),
                tutor=User.objects.get(email="formateur@demo.cls.fr"),
            )
            marking_demo_load(
                cohort=cohorts["bretagne"],
                team=User.objects.get(email="equipe.pedagogique@demo.cls.fr"),
                first=User.objects.get(email="correctrice@demo.cls.fr"),
                second=User.objects.get(email="formateur@demo.cls.fr"),
            )
            soutenance_demo_load(
                cohort=cohorts["bretagne"],
                team=User.objects.get(email="equipe.pedagogique@demo.cls.fr"),
                president=User.objects.get(email="formateur@demo.cls.fr"),
                password=demo_data.DEMO_PASSWORD,
            )
        self.print_summary()

    # --- Pages -----------------------------------------------------------------------------------

    def load_child_page(self, parent: Page, model: type[Page], slug: str, **fields) -> Page:
        """The `model` page with `slug` under `parent`, created and published if missing."""
        existing = parent.get_children().filter(slug=slug).first()
        if existing is not None:
            existing = existing.specific
            if not isinstance(existing, model):
                raise CommandError(
                    f"La page « {existing.title} » ({existing.url_path}) occupe le slug "
                    f"« {slug} » attendu pour un contenu de type {model._meta.verbose_name}."
                )
            return existing
        page = model(slug=slug, **fields)
        return self.add_and_publish(parent, page)

    def add_and_publish(self, parent: Page, page: Page) -> Page:
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.created_pages += 1
        return page

    def load_home(self) -> HomePage:
        """The HomePage as the default site's root, replacing Wagtail's « Welcome » page."""
        home = HomePage.objects.first()
        if home is None:
            root = Page.get_first_root_node()
            spec = demo_data.HOME
            home = self.load_child_page(
                root,
                HomePage,
                spec["slug"],
                title=spec["title"],
                lead=spec["lead"],
                body=spec["body"],
            )
        site = Site.objects.filter(hostname="localhost", port=80).first() or Site(
            hostname="localhost", port=80
        )
        Site.objects.filter(is_default_site=True).exclude(pk=site.pk).update(is_default_site=False)
        if site.root_page_id != home.pk or not site.is_default_site or not site.site_name:
            site.root_page = home
            site.is_default_site = True
            site.site_name = site.site_name or demo_data.SITE_NAME
            site.save()
        self.remove_welcome_page()
        return home

    def remove_welcome_page(self) -> None:
        """Delete the placeholder page Wagtail creates on install, if it is still untouched."""
        root = Page.get_first_root_node()
        welcome = (
            root.get_children()
            .filter(
                slug="home",
                content_type__app_label="wagtailcore",
                content_type__model="page",
            )
            .first()
        )
        if welcome is not None and welcome.is_leaf() and not Site.objects.filter(root_page=welcome).exists():
            welcome.delete()

    def load_programme(self, home: HomePage) -> ProgrammePage:
        spec = demo_data.PROGRAMME
        return self.load_child_page(
            home,
            ProgrammePage,
            spec["slug"],
            title=spec["title"],
            intro=spec["intro"],
            hours_min=Decimal(spec["hours_min"]),
            hours_max=Decimal(spec["hours_max"]),
            show_in_menus=True,
        )

    def load_modules(
        self, programme: ProgrammePage, competencies: dict[str, Competency]
    ) -> dict[int, ModulePage]:
        modules = {}
        for spec in demo_data.MODULES:
            module = ModulePage.objects.child_of(programme).filter(slug=spec["slug"]).first()
            if module is None:
                module = self.create_module(programme, spec, competencies)
            modules[spec["number"]] = module
            for lesson_spec in spec["lessons"]:
                body = list(lesson_spec["body"])
                if lesson_spec.get("knowledge_check"):
                    body.append(demo_data.knowledge_check(lesson_spec["knowledge_check"]))
                self.load_child_page(
                    module,
                    LessonPage,
                    lesson_spec["slug"],
                    title=lesson_spec["title"],
                    duration_hours=Decimal(lesson_spec["duration"]),
                    introduction=lesson_spec["introduction"],
                    body=body,
                )
        return modules

    def create_module(
        self, programme: ProgrammePage, spec: dict, competencies: dict[str, Competency]
    ) -> ModulePage:
        presential, elearning, organisation = (Decimal(h) for h in spec["hours"])
        module = ModulePage(
            title=spec["title"],
            slug=spec["slug"],
            number=spec["number"],
            kind=spec["kind"],
            summary=spec["summary"],
            hours_presential=presential,
            hours_elearning=elearning,
            hours_organisation=organisation,
            objectives=spec["objectives"],
            themes=[{"type": "theme", "value": theme} for theme in spec["themes"]],
        )
        module.competences.set([competencies[code] for code in spec["competences"]])
        # ModulePage.clean checks the hour figures against the programme's other modules.
        module._parent_for_validation = programme
        return self.add_and_publish(programme, module)

    # --- Reference data --------------------------------------------------------------------------

    def load_competencies(self) -> dict[str, Competency]:
        competencies = {}
        for domain_order, spec in enumerate(demo_data.COMPETENCY_DOMAINS, start=1):
            domain, _ = CompetencyDomain.objects.update_or_create(
                code=spec["code"],
                defaults={
                    "title": spec["title"],
                    "description": spec["description"],
                    "order": domain_order,
                },
            )
            for order, (code, kind, title) in enumerate(spec["competencies"], start=1):
                competencies[code], _ = Competency.objects.update_or_create(
                    code=code,
                    defaults={"domain": domain, "kind": kind, "title": title, "order": order},
                )
        return competencies

    def load_glossary(self) -> None:
        for acronym, expansion, definition in demo_data.GLOSSARY:
            GlossaryTerm.objects.update_or_create(
                acronym=acronym,
                defaults={"expansion": expansion, "definition": definition},
            )

    def load_resources(self, modules: dict[int, ModulePage]) -> None:
        for spec in demo_data.RESOURCES:
            resource, _ = Resource.objects.update_or_create(
                title=spec["title"],
                defaults={
                    "category": spec["category"],
                    "summary": spec["summary"],
                    "source": spec.get("source", demo_data.RESOURCE_SOURCE),
                    "order": spec["order"],
                },
            )
            resource.modules.set([modules[number] for number in spec["modules"]])

    def load_regions(self) -> dict[str, Region]:
        regions = {}
        for name, slug, timezone in demo_data.REGIONS:
            regions[slug], _ = Region.objects.update_or_create(
                slug=slug,
                defaults={"name": name, "timezone": timezone},
            )
        return regions

    def load_cohorts(self, programme: ProgrammePage, regions: dict[str, Region]) -> dict[str, Cohort]:
        cohorts = {}
        for slug, region in regions.items():
            cohorts[slug], _ = Cohort.objects.get_or_create(
                region=region,
                name=demo_data.COHORT_NAME.format(region=region.name),
                defaults={
                    "programme": programme,
                    "start_date": demo_data.COHORT_START,
                    "end_date": demo_data.COHORT_END,
                },
            )
        return cohorts

    # --- Accounts --------------------------------------------------------------------------------

    def load_accounts(
        self,
        programme: ProgrammePage,
        regions: dict[str, Region],
        cohorts: dict[str, Cohort],
    ) -> None:
        """Create the demo accounts that are missing, each recorded in the audit log with its
        access (the platform as author); never touch an existing one's password."""
        created = []
        for spec in demo_data.DEMO_ACCOUNTS:
            user = User.objects.filter(email=spec["email"]).first()
            if user is None:
                user = User.objects.create_user(
                    email=spec["email"],
                    password=demo_data.DEMO_PASSWORD,
                    first_name=spec["first_name"],
                    last_name=spec["last_name"],
                    role=spec["role"],
                    is_staff=spec.get("is_staff", False),
                    is_superuser=spec.get("is_superuser", False),
                )
                user.regions.set([regions[slug] for slug in spec.get("regions", [])])
                created.append(user)
            EmailAddress.objects.get_or_create(
                user=user,
                email=user.email,
                defaults={"verified": True, "primary": True},
            )
            cohort_region = spec.get("cohort_region")
            if cohort_region and not Enrolment.objects.filter(user=user, programme=programme).exists():
                enrolment_create(user=user, cohort=cohorts[cohort_region])
        user_created_record(actor=None, users=created)

    def load_sessions(self, modules, regions: dict[str, Region], cohorts: dict[str, Cohort]):
        """Two providers (one Qualiopi-certified, one not) and a seminar for the Bretagne cohort
        next month, led by the demo trainer; created only when missing; returns the two providers."""
        import datetime
        from zoneinfo import ZoneInfo

        from django.utils import timezone

        from courses.sessions.models import PresentialSession, TrainingProvider

        certified, _ = TrainingProvider.objects.get_or_create(
            siret="73282932000074",
            defaults={
                "name": "IREPS Bretagne (démo)",
                "qualiopi_number": "QUA-DEMO-2025-001",
                "qualiopi_valid_from": datetime.date(2025, 1, 1),
                "qualiopi_valid_until": datetime.date(2028, 12, 31),
            },
        )
        uncertified, _ = TrainingProvider.objects.get_or_create(
            siret="35600000000001", defaults={"name": "Collectif local sans certification (démo)"}
        )
        region = regions["bretagne"]
        if PresentialSession.objects.filter(title="Séminaire régional — CLS mode d'emploi").exists():
            return certified, uncertified
        module = modules[1]
        day = timezone.localdate() + datetime.timedelta(days=30)
        zone = ZoneInfo(region.timezone)
        session = PresentialSession.objects.create(
            module=module,
            provider=certified,
            region=region,
            title="Séminaire régional — CLS mode d'emploi",
            place="ARS Bretagne, Rennes",
            starts_at=datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=zone),
            ends_at=datetime.datetime.combine(day, datetime.time(17, 0), tzinfo=zone),
            hours=Decimal(6),
        )
        session.cohorts.set([cohorts["bretagne"]])
        session.trainers.set(User.objects.filter(email="formateur@demo.cls.fr"))
        return certified, uncertified

    # --- Output ----------------------------------------------------------------------------------

    def print_summary(self) -> None:
        write = self.stdout.write
        write(
            self.style.SUCCESS(
                f"Contenu de démonstration prêt ({self.created_pages} page(s) créée(s) à ce passage)."
            )
        )
        write("")
        write("Comptes de démonstration :")
        rows = [("Rôle", "E-mail", "Mot de passe")] + [
            (Role(spec["role"]).label, spec["email"], demo_data.DEMO_PASSWORD)
            for spec in demo_data.DEMO_ACCOUNTS
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        separator = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
        write(separator)
        for index, row in enumerate(rows):
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            write("| " + " | ".join(cells) + " |")
            if index == 0:
                write(separator)
        write(separator)
        write("(Un mot de passe modifié depuis la création du compte n'est pas réinitialisé.)")
        write(
            f"La promotion Bretagne compte aussi {len(CLASSMATES)} camarades de promotion "
            f"(par exemple {CLASSMATES[0].email}), même mot de passe"
            + (f" ; {self.classmates} créé·es à ce passage." if self.classmates else ".")
        )
        write("")
        write(f"Ouvrez {DEMO_URL}")
