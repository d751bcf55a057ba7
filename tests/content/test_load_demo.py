"""`manage.py load_demo`: the demo content is complete, consistent and idempotent."""

from decimal import Decimal
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from wagtail.models import Page, Revision, Site

from assessments.checks.blocks import KnowledgeCheckBlock
from assessments.soutenance.demo import DEMO_EMAILS as SOUTENANCE_DEMO_EMAILS
from content.models import Competency, CompetencyDomain, GlossaryTerm, HomePage, Resource
from courses.attendance.models import Attendance
from courses.catalogue.models import LessonPage, ModulePage, ProgrammePage
from courses.cohorts.models import Cohort, ElectiveChoice, Enrolment
from courses.enums import Modality, ModuleKind
from courses.hours.models import DeclarationStatus, HoursEntry, OrganisationDeclaration
from courses.hours.selectors import hours_breakdown
from courses.sessions.models import PresentialSession
from lms.audit.enums import AuditAction
from lms.audit.models import AuditEntry
from lms.enums import Role
from lms.models import Region, User

PASSWORD = "demo-cls-2026"

EXPECTED_MODULES = {
    # number: (kind, presential, e-learning, organisation)
    1: (ModuleKind.CORE, "12", "5", "7.5"),
    2: (ModuleKind.CORE, "12", "5", "7.5"),
    3: (ModuleKind.CORE, "12", "5", "7.5"),
    4: (ModuleKind.CORE, "12", "5", "7.5"),
    5: (ModuleKind.OPTIONAL, "18", "6", "14"),
    6: (ModuleKind.OPTIONAL, "6", "4", "6"),
    7: (ModuleKind.OPTIONAL, "6", "4", "6"),
}

EXPECTED_ACCOUNTS = {
    "apprenante@demo.cls.fr": Role.LEARNER,
    "referente.ars@demo.cls.fr": Role.ARS_STAFF,
    "formateur@demo.cls.fr": Role.TRAINER,
    "correctrice@demo.cls.fr": Role.TRAINER,
    "equipe.pedagogique@demo.cls.fr": Role.PEDAGOGICAL_TEAM,
}

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """Load the demo once for this module, inside a transaction rolled back at the end so
    that other test modules start from an empty database; yields the command's printout."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def counts() -> dict[str, int]:
    models = {
        "pages": Page,
        "revisions": Revision,
        "users": User,
        "emails": EmailAddress,
        "terms": GlossaryTerm,
        "resources": Resource,
        "cohorts": Cohort,
        "regions": Region,
        "domains": CompetencyDomain,
        "competencies": Competency,
        "enrolments": Enrolment,
        "sites": Site,
        "ledger": HoursEntry,
        "attendances": Attendance,
        "declarations": OrganisationDeclaration,
        "sessions": PresentialSession,
        "audit": AuditEntry,
    }
    return {name: model.objects.count() for name, model in models.items()}


def modules() -> list[ModulePage]:
    return list(ModulePage.objects.order_by("number"))


def test_home_page_replaces_wagtail_welcome_page(demo_output):
    """The HomePage is the default site's root and Wagtail's « Welcome » page is gone."""
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("localhost", 80)
    assert isinstance(site.root_page.specific, HomePage)
    assert site.root_page.title == "Accueil"
    assert not Page.objects.filter(depth=2, content_type__model="page").exists()
    programme = ProgrammePage.objects.get(slug="programme")
    assert (programme.hours_min, programme.hours_max) == (Decimal(130), Decimal(152))
    assert programme.get_parent().pk == site.root_page.pk
    assert site.root_page.get_children().filter(slug="a-propos", live=True).exists()


def test_pages_are_live_with_a_revision(demo_output):
    """Every page created by the command is published and has a revision."""
    pages = Page.objects.filter(depth__gt=1)
    assert pages.count() >= 2 + 7 + 14
    assert not pages.filter(live=False).exists()
    assert not pages.filter(latest_revision__isnull=True).exists()


def test_seven_modules_with_demo_hour_figures(demo_output):
    """Seven modules, numbered 1–7, core then optional, with the PROGRAM.md demo figures."""
    found = {
        m.number: (m.kind, m.hours_presential, m.hours_elearning, m.hours_organisation) for m in modules()
    }
    assert found == {
        number: (kind, Decimal(p), Decimal(e), Decimal(o))
        for number, (kind, p, e, o) in EXPECTED_MODULES.items()
    }
    for module in modules():
        assert module.summary and module.objectives and len(module.themes) >= 3


def test_lesson_durations_add_up_to_elearning_hours(demo_output):
    """Each module has at least two lessons whose durations sum to its e-learning hours."""
    for module in modules():
        lessons = LessonPage.objects.child_of(module)
        assert lessons.count() >= 2, module.title
        assert sum(lesson.duration_hours for lesson in lessons) == module.hours_elearning


def test_lessons_have_teaching_content_without_video(demo_output):
    """Lessons carry headings, text and a callout, and no video embed (no network here)."""
    for lesson in LessonPage.objects.all():
        types = {block.block_type for block in lesson.body}
        assert {"heading", "paragraph", "callout"} <= types, lesson.title
        assert "video" not in types


def test_last_lesson_of_each_module_ends_with_a_valid_knowledge_check(demo_output):
    """Each module's last lesson ends with a 3–4 question check (70 %) that the block accepts."""
    for module in modules():
        last = LessonPage.objects.child_of(module).order_by("path").last()
        assert last.body[-1].block_type == "knowledge_check", module.title
        check = last.knowledge_check
        assert check["pass_mark"] == 70
        assert 3 <= len(check["questions"]) <= 4
        for question in check["questions"]:
            assert any(choice["correct"] for choice in question["choices"]), question["text"]
            assert question["review_hint"]
        KnowledgeCheckBlock().clean(check)


def test_regions_with_time_zones(demo_output):
    """The eight regions of the programme exist with their IANA time zones."""
    assert dict(Region.objects.values_list("name", "timezone")) == {
        "Bretagne": "Europe/Paris",
        "Centre-Val de Loire": "Europe/Paris",
        "Grand Est": "Europe/Paris",
        "Guyane": "America/Cayenne",
        "Île-de-France": "Europe/Paris",
        "Occitanie": "Europe/Paris",
        "Provence-Alpes-Côte d'Azur": "Europe/Paris",
        "La Réunion": "Indian/Reunion",
    }


def test_one_cohort_per_region(demo_output):
    """Each region has its « Promotion 2026 » cohort of the programme."""
    programme = ProgrammePage.objects.get(slug="programme")
    for region in Region.objects.all():
        cohort = Cohort.objects.get(region=region, name=f"Promotion 2026 — {region.name}")
        assert cohort.programme_id == programme.pk
        assert (cohort.start_date.isoformat(), cohort.end_date.isoformat()) == (
            "2026-09-01",
            "2027-06-30",
        )


def test_glossary_holds_the_guide_acronyms(demo_output):
    """The glossary has at least 30 terms, including CLS, ARS and CPTS."""
    assert GlossaryTerm.objects.count() >= 30
    acronyms = set(GlossaryTerm.objects.values_list("acronym", flat=True))
    assert {"CLS", "ARS", "CPTS", "CLSM", "PRS", "EPCI"} <= acronyms
    assert GlossaryTerm.objects.get(acronym="CLS").expansion == "Contrat local de santé"


def test_competency_framework_linked_to_modules(demo_output):
    """The framework has domains and competencies, and every module targets some of them."""
    assert CompetencyDomain.objects.exists()
    assert Competency.objects.filter(code="D1.1", domain__code="D1").exists()
    assert set(Competency.objects.values_list("kind", flat=True)) == {
        Competency.Kind.KNOWLEDGE,
        Competency.Kind.SKILL,
        Competency.Kind.ATTITUDE,
    }
    for module in modules():
        assert module.competences.exists(), module.title


def test_resource_library_of_practical_sheets(demo_output):
    """At least six practical sheets from the regional guide, summarised and linked to modules."""
    sheets = Resource.objects.filter(
        category=Resource.Category.PRACTICAL_SHEET,
        source="Guide régional CLS (ARS Normandie, 2025)",
    )
    assert sheets.count() >= 6
    for sheet in sheets:
        assert sheet.summary and sheet.modules.exists(), sheet.title


def test_demo_accounts_can_sign_in_with_their_roles(demo_output):
    """The four demo accounts have their roles, a verified email and the demo password."""
    for email, role in EXPECTED_ACCOUNTS.items():
        user = authenticate(email=email, password=PASSWORD)
        assert user is not None, email
        assert user.role == role
        assert user.first_name and user.last_name
        assert EmailAddress.objects.filter(user=user, email=email, verified=True, primary=True).exists()
    team = User.objects.get(email="equipe.pedagogique@demo.cls.fr")
    assert team.is_staff and team.is_superuser
    ars = User.objects.get(email="referente.ars@demo.cls.fr")
    assert list(ars.regions.values_list("slug", flat=True)) == ["bretagne"]


def test_learner_enrolled_in_bretagne_without_options(demo_output):
    """The demo learner is enrolled in the Bretagne cohort and has not chosen options yet."""
    enrolment = Enrolment.objects.get(user__email="apprenante@demo.cls.fr")
    assert enrolment.cohort.region.slug == "bretagne"
    assert not ElectiveChoice.objects.filter(enrolment=enrolment).exists()


def test_printout_lists_accounts_and_url(demo_output):
    """The command prints each demo account with its password, and the local URL."""
    for email in EXPECTED_ACCOUNTS:
        assert email in demo_output
    assert PASSWORD in demo_output
    assert "http://127.0.0.1:8000/" in demo_output


def test_every_demo_account_is_recorded_as_created_by_the_platform(demo_output):
    """Each account the command made (the superuser, the demo roles, the classmates) has one
    « Compte créé » entry in the audit log, authored by the platform, with the access it starts with."""
    entries = AuditEntry.objects.filter(action=AuditAction.USER_CREATED)
    assert sorted(entries.values_list("target_id", flat=True)) == sorted(
        str(pk) for pk in User.objects.values_list("pk", flat=True)
    )
    assert not entries.exclude(actor=None).exists() and not entries.exclude(actor_email="").exists()
    admin = User.objects.get(is_superuser=True)
    assert entries.get(target_id=str(admin.pk)).details["after"]["is_superuser"] is True
    for email, role in EXPECTED_ACCOUNTS.items():
        user = User.objects.get(email=email)
        assert entries.get(target_id=str(user.pk)).details["after"]["role"] == role


def test_second_run_changes_no_counts(demo_output):
    """Running the command again creates nothing: pages, users, terms, resources, cohorts, and no
    audit entry either…"""
    before = counts()
    call_command("load_demo", stdout=StringIO())
    assert counts() == before


def test_second_run_keeps_a_changed_password(demo_output):
    """A password changed after the first run survives a re-run of the command."""
    user = User.objects.get(email="apprenante@demo.cls.fr")
    user.set_password("mon-nouveau-secret-2027")
    user.save()
    call_command("load_demo", stdout=StringIO())
    assert authenticate(email=user.email, password="mon-nouveau-secret-2027") is not None
    assert authenticate(email=user.email, password=PASSWORD) is None


@pytest.mark.django_db
def test_demo_has_providers_and_a_session_for_the_demo_cohort():
    """The demo holds a certified and an uncertified provider and a seminar for the Bretagne cohort,
    led by the demo trainer, once whatever the number of runs."""
    from courses.sessions.models import PresentialSession, TrainingProvider

    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())
    assert TrainingProvider.objects.count() == 2
    session = PresentialSession.objects.get(title="Séminaire régional — CLS mode d'emploi")
    assert session.trainers.get().email == "formateur@demo.cls.fr"
    assert session.cohorts.get().region.slug == "bretagne"
    assert session.provider.is_certified_on(session.starts_at.date())


def test_bretagne_classmates_give_the_staff_views_a_lived_in_cohort(demo_output):
    """Eight classmates in the Bretagne cohort, enrolled since its start, with options, lessons,
    confirmed attendance at two past seminars and declarations in each state (the soutenance's demo
    adds three more, at the soutenance's steps)."""
    cohort = Cohort.objects.get(region__slug="bretagne")
    classmates = (
        Enrolment.objects.filter(cohort=cohort)
        .exclude(user__email="apprenante@demo.cls.fr")
        .exclude(user__email__in=SOUTENANCE_DEMO_EMAILS)
    )
    assert classmates.count() == 8
    assert all(e.created_at.date() <= cohort.start_date for e in classmates)
    assert classmates.filter(ars_agreement_on__isnull=True).count() == 1
    statuses = set(
        OrganisationDeclaration.objects.filter(enrolment__cohort=cohort).values_list("status", flat=True)
    )
    assert statuses == {DeclarationStatus.VALIDATED, DeclarationStatus.REFUSED, DeclarationStatus.SUBMITTED}
    sessions = PresentialSession.objects.filter(
        cohorts=cohort, attendances__confirmed_at__isnull=False
    ).distinct()
    assert sessions.count() == 2
    assert {s.provider.is_certified_on(s.starts_at.date()) for s in sessions} == {True, False}


def test_uncertified_seminar_hours_are_credited_but_do_not_count(demo_output):
    """Yann attended both seminars: 6 h count (certified provider), 6 h are shown as not counting."""
    breakdown = hours_breakdown(enrolment=Enrolment.objects.get(user__email="yann.lebihan@demo.cls.fr"))
    assert breakdown.credited[Modality.PRESENTIAL] == Decimal(12)
    assert breakdown.counted[Modality.PRESENTIAL] == Decimal(6)
    assert breakdown.counted[Modality.ORGANISATION] == Decimal(15)


def test_classmates_include_learners_to_follow_up(demo_output):
    """Two classmates have had no activity for weeks: Gwenaëlle since a lesson six weeks ago, Thomas
    never since the cohort started; the others were active today."""
    from django.conf import settings
    from django.utils import timezone

    from courses.tracking.progress import cohort_progress

    cohort = Cohort.objects.get(region__slug="bretagne")
    rows = {row.enrolment.user.email: row for row in cohort_progress(cohort=cohort)}
    limit = timezone.now() - timezone.timedelta(days=settings.DROPOUT_INACTIVE_DAYS)
    assert rows["gwenaelle.tanguy@demo.cls.fr"].last_activity < limit
    assert rows["thomas.morvan@demo.cls.fr"].last_activity is None
    assert rows["yann.lebihan@demo.cls.fr"].last_activity > limit
