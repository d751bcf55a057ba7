"""In-organisation declarations: the rules of declaration_submit / withdraw / validate / refuse,
the ledger credited once, and the review emails sent once."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from courses.enums import HoursSource, Modality
from courses.hours import tasks as hours_tasks
from courses.hours.models import DeclarationStatus, HoursEntry, OrganisationDeclaration
from courses.hours.services import (
    declaration_refuse,
    declaration_submit,
    declaration_validate,
    declaration_withdraw,
)
from courses.learning import services as learning_services
from tests.factories import ArsStaffFactory, CohortFactory, EnrolmentFactory
from tests.uploads_samples import EXE, docx_bytes, image_bytes, odt_bytes, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()
PNG = png_bytes()
JPEG = image_bytes("JPEG")


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def stored_files(path: str = "evidence") -> set[str]:
    """Every file the storage holds under `path` (the in-memory storage of the test settings)."""
    try:
        dirs, files = default_storage.listdir(path)
    except FileNotFoundError:
        return set()
    found = {f"{path}/{name}" for name in files}
    for directory in dirs:
        found |= stored_files(f"{path}/{directory}")
    return found


def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def decl_cohort(programme, region):
    """A cohort that started 60 days ago, whatever today is."""
    return CohortFactory(
        programme=programme,
        region=region,
        name="Bretagne en cours",
        start_date=today() - datetime.timedelta(days=60),
        end_date=today() + datetime.timedelta(days=300),
    )


@pytest.fixture
def decl_enrolment(decl_cohort, modules):
    """A learner of that cohort who chose Santé environnement and Santé mentale."""
    enrolment = EnrolmentFactory(cohort=decl_cohort)
    learning_services.options_choose(enrolment=enrolment, modules=modules[5:7])
    return enrolment


@pytest.fixture
def submit(decl_enrolment, modules):
    def _submit(**overrides):
        values = {
            "enrolment": decl_enrolment,
            "module": modules[0],
            "occurred_on": today() - datetime.timedelta(days=3),
            "hours": Decimal("3.5"),
            "description": "Réunion du comité de pilotage du CLS avec la collectivité.",
            "evidence": None,
            "by": decl_enrolment.user,
        }
        values.update(overrides)
        return declaration_submit(**values)

    return _submit


def messages_of(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def test_submit_records_a_pending_declaration_with_its_evidence(submit):
    """A valid declaration is stored « submitted » with its file and credits nothing yet."""
    declaration = submit(evidence=upload("compte-rendu.pdf", PDF))
    assert declaration.status == DeclarationStatus.SUBMITTED
    assert declaration.evidence.read() == PDF
    assert declaration.evidence_name == "compte-rendu.pdf" and "compte-rendu" not in declaration.evidence.name
    assert declaration.evidence.name in stored_files()
    assert not HoursEntry.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"occurred_on": "tomorrow"}, "La date ne peut pas être dans le futur."),
        ({"occurred_on": "before"}, "La date précède le début de votre promotion"),
        ({"hours": Decimal("-2")}, "Le nombre d'heures doit être supérieur à zéro."),
        ({"hours": Decimal("0")}, "Le nombre d'heures doit être supérieur à zéro."),
        ({"hours": Decimal("0.1")}, "Les heures se déclarent par quarts d'heure"),
        ({"hours": Decimal("11")}, "Une déclaration compte au plus 10 h."),
        ({"description": "   "}, "Décrivez en quelques lignes ce qui a été fait."),
        ({"description": "x" * 2001}, "2000 caractères au plus"),
    ],
    ids=["future", "before-cohort", "negative", "zero", "tenth", "eleven", "empty-text", "long-text"],
)
def test_submit_refuses_bad_input_and_writes_nothing(submit, decl_cohort, overrides, message):
    """Each bad value gets its clear message and no declaration is stored."""
    if overrides.get("occurred_on") == "tomorrow":
        overrides["occurred_on"] = today() + datetime.timedelta(days=1)
    if overrides.get("occurred_on") == "before":
        overrides["occurred_on"] = decl_cohort.start_date - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        submit(**overrides)
    assert message in messages_of(caught.value)
    assert not OrganisationDeclaration.objects.exists()


def test_cohort_start_day_and_today_are_accepted(submit, decl_cohort):
    """The bounds themselves are allowed: the cohort's first day and today."""
    submit(occurred_on=decl_cohort.start_date)
    submit(occurred_on=today())
    assert OrganisationDeclaration.objects.count() == 2


def test_a_thirty_hour_day_is_refused_across_declarations(submit, modules):
    """Pending and validated hours of one day add up to 10 h at most; the third 10 h is refused."""
    day = today() - datetime.timedelta(days=5)
    submit(occurred_on=day, hours=Decimal("6"))
    submit(occurred_on=day, hours=Decimal("4"), module=modules[1])
    for hours in (Decimal("10"), Decimal("0.25")):
        with pytest.raises(ValidationError) as caught:
            submit(occurred_on=day, hours=hours, module=modules[2])
        assert "une journée compte au plus 10 h" in messages_of(caught.value)
        assert "il vous en reste 0 h" in messages_of(caught.value)
    assert OrganisationDeclaration.objects.filter(occurred_on=day).count() == 2


def test_withdrawn_and_refused_hours_free_the_day(submit, ars_staff):
    """Only pending and validated declarations count toward the daily ceiling."""
    day = today() - datetime.timedelta(days=5)
    first = submit(occurred_on=day, hours=Decimal("10"))
    declaration_withdraw(declaration=first, by=first.enrolment.user)
    second = submit(occurred_on=day, hours=Decimal("10"))
    declaration_refuse(declaration=second, reason="Date erronée.", by=ars_staff)
    validated = submit(occurred_on=day, hours=Decimal("10"))
    declaration_validate(declaration=validated, by=ars_staff)
    with pytest.raises(ValidationError, match="il vous en reste 0 h"):
        submit(occurred_on=day, hours=Decimal("1"))


def test_unfollowed_option_is_refused(submit, modules):
    """An option the learner did not choose (Méthodologie de projet) cannot carry hours."""
    with pytest.raises(ValidationError) as caught:
        submit(module=modules[4])
    assert "Vous ne suivez pas le module « Méthodologie de projet »" in messages_of(caught.value)
    assert not OrganisationDeclaration.objects.exists()


def test_chosen_option_is_accepted(submit, modules):
    """A chosen option (Santé mentale) carries hours like a core module."""
    assert submit(module=modules[6]).module == modules[6]


def test_only_the_learner_declares_their_hours(submit, ars_staff, decl_cohort):
    """Nobody declares for someone else, not even staff or another learner."""
    other = EnrolmentFactory(cohort=decl_cohort).user
    for by in (ars_staff, other):
        with pytest.raises(PermissionDenied):
            submit(by=by)
    assert not OrganisationDeclaration.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("releve.pdf", PDF),
        ("photo.png", PNG),
        ("photo.JPG", JPEG),
        ("photo.jpeg", JPEG),
        ("compte-rendu.docx", docx_bytes()),
        ("compte-rendu.odt", odt_bytes()),
    ],
)
def test_real_evidence_files_are_accepted(submit, name, content):
    """PDF, PNG, JPEG, DOCX and ODT are accepted when their content matches their name."""
    assert submit(evidence=upload(name, content)).evidence


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "releve.pdf",
            EXE,
            "« releve.pdf » : malgré son extension .pdf, c'est un programme exécutable, pas un document",
        ),
        ("photo.png", PDF, "« photo.png » : ce fichier est un PDF : son nom doit finir par .pdf."),
        (
            "compte-rendu.docx",
            odt_bytes(),
            "« compte-rendu.docx » : ce fichier est un document OpenDocument (ODT) : "
            "son nom doit finir par .odt.",
        ),
        ("compte-rendu.odt", b"PK\x03\x04pas un zip", "« compte-rendu.odt » : ce document est endommagé"),
        ("programme.exe", EXE, "« programme.exe » : c'est un programme exécutable"),
        (
            "releve.pdf",
            PDF + b"0" * (6 * 1024 * 1024),
            "« releve.pdf » : le fichier pèse 6,0 Mo : la limite est de 5 Mo.",
        ),
        ("vide.pdf", b"", "« vide.pdf » : le fichier est vide."),
    ],
    ids=["exe-as-pdf", "pdf-as-png", "odt-as-docx", "broken-zip", "exe", "six-mb", "empty"],
)
def test_bad_evidence_is_refused_and_not_stored(submit, name, content, message):
    """Evidence is judged by its bytes and size; on error neither the row nor the file is stored."""
    before = stored_files()
    with pytest.raises(ValidationError) as caught:
        submit(evidence=upload(name, content))
    assert message in messages_of(caught.value)
    assert not OrganisationDeclaration.objects.exists()
    assert stored_files() == before


def test_withdraw_while_submitted(submit):
    """The learner withdraws a pending declaration; it credits nothing."""
    declaration = submit()
    declaration_withdraw(declaration=declaration, by=declaration.enrolment.user)
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.WITHDRAWN


@pytest.mark.parametrize(
    ("review", "message"),
    [
        ("validate", "Cette déclaration est validée : elle ne peut plus être retirée."),
        ("refuse", "Cette déclaration a été refusée : elle ne peut plus être retirée."),
        ("withdraw", "Cette déclaration est déjà retirée."),
    ],
)
def test_withdraw_after_review_is_refused(submit, ars_staff, review, message):
    """Once validated, refused or withdrawn, a declaration cannot be withdrawn (again)."""
    declaration = submit()
    if review == "validate":
        declaration_validate(declaration=declaration, by=ars_staff)
    elif review == "refuse":
        declaration_refuse(declaration=declaration, reason="Pas de lien avec le module.", by=ars_staff)
    else:
        declaration_withdraw(declaration=declaration, by=declaration.enrolment.user)
    status = OrganisationDeclaration.objects.get().status
    with pytest.raises(ValidationError, match=message):
        declaration_withdraw(declaration=declaration, by=declaration.enrolment.user)
    assert OrganisationDeclaration.objects.get().status == status


def test_another_learner_cannot_withdraw(submit, decl_cohort):
    """Withdrawing is the declaring learner's act only."""
    declaration = submit()
    with pytest.raises(PermissionDenied):
        declaration_withdraw(declaration=declaration, by=EnrolmentFactory(cohort=decl_cohort).user)
    assert OrganisationDeclaration.objects.get().status == DeclarationStatus.SUBMITTED


def test_validate_credits_the_ledger_once(submit, ars_staff, modules):
    """Validation records who and when and writes one organisation ledger entry; a second
    validation (double submit) is refused and credits nothing more."""
    declaration = submit(hours=Decimal("3.75"), module=modules[5])
    declaration_validate(declaration=declaration, by=ars_staff)
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.VALIDATED
    assert declaration.reviewed_by == ars_staff and declaration.reviewed_at is not None
    entry = HoursEntry.objects.get()
    assert (entry.modality, entry.source, entry.hours, entry.module) == (
        Modality.ORGANISATION,
        HoursSource.DECLARATION,
        Decimal("3.75"),
        modules[5],
    )
    assert entry.declaration == declaration and entry.occurred_on == declaration.occurred_on
    with pytest.raises(ValidationError, match="Cette déclaration est déjà validée"):
        declaration_validate(declaration=declaration, by=ars_staff)
    assert HoursEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("first", "message"),
    [
        ("validate", "Cette déclaration est déjà validée"),
        ("refuse", "Cette déclaration est déjà refusée"),
        ("withdraw", "L'apprenant·e a retiré cette déclaration"),
    ],
)
@pytest.mark.parametrize("then", ["validate", "refuse"])
def test_review_of_a_declaration_not_submitted_is_refused(submit, ars_staff, first, message, then):
    """Validate and refuse apply to pending declarations only: nothing changes otherwise."""
    declaration = submit()
    if first == "validate":
        declaration_validate(declaration=declaration, by=ars_staff)
    elif first == "refuse":
        declaration_refuse(declaration=declaration, reason="Hors sujet.", by=ars_staff)
    else:
        declaration_withdraw(declaration=declaration, by=declaration.enrolment.user)
    before = OrganisationDeclaration.objects.values().get()
    entries = HoursEntry.objects.count()
    with pytest.raises(ValidationError, match=message):
        if then == "validate":
            declaration_validate(declaration=declaration, by=ars_staff)
        else:
            declaration_refuse(declaration=declaration, reason="Encore.", by=ars_staff)
    assert OrganisationDeclaration.objects.values().get() == before
    assert HoursEntry.objects.count() == entries


def test_refuse_needs_a_reason(submit, ars_staff):
    """A refusal without a reason is refused and the declaration stays pending."""
    declaration = submit()
    with pytest.raises(ValidationError) as caught:
        declaration_refuse(declaration=declaration, reason="  ", by=ars_staff)
    assert "Indiquez le motif du refus" in messages_of(caught.value)
    assert OrganisationDeclaration.objects.get().status == DeclarationStatus.SUBMITTED


def test_refuse_records_reason_and_credits_nothing(submit, ars_staff):
    """A refused declaration keeps its reason and reviewer; the ledger is untouched."""
    declaration = submit()
    declaration_refuse(declaration=declaration, reason="Justificatif illisible.", by=ars_staff)
    declaration.refresh_from_db()
    assert (declaration.status, declaration.refusal_reason) == (
        DeclarationStatus.REFUSED,
        "Justificatif illisible.",
    )
    assert declaration.reviewed_by == ars_staff
    assert not HoursEntry.objects.exists()


def test_staff_of_another_region_cannot_review(submit, other_ars_staff, trainer):
    """ARS staff of another region and trainers neither validate nor refuse."""
    declaration = submit()
    for by in (other_ars_staff, trainer):
        with pytest.raises(PermissionDenied):
            declaration_validate(declaration=declaration, by=by)
        with pytest.raises(PermissionDenied):
            declaration_refuse(declaration=declaration, reason="Non.", by=by)
    assert OrganisationDeclaration.objects.get().status == DeclarationStatus.SUBMITTED
    assert not HoursEntry.objects.exists()


def test_pedagogical_team_may_review(submit, pedagogical):
    """The pedagogical team validates in every region."""
    declaration_validate(declaration=submit(), by=pedagogical)
    assert HoursEntry.objects.count() == 1


def test_validation_email_is_sent_once_after_commit(submit, ars_staff, django_capture_on_commit_callbacks):
    """The learner is emailed after the commit; replaying the task sends nothing twice."""
    declaration = submit()
    with django_capture_on_commit_callbacks(execute=True):
        declaration_validate(declaration=declaration, by=ars_staff)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [declaration.enrolment.user.email]
    assert "sont validées" in message.subject
    assert "3,5 h" in message.body and "/parcours/declarations/" in message.body
    assert hours_tasks.send_declaration_validated.delay(declaration_id=declaration.pk).get() is False
    assert len(mail.outbox) == 1


def test_refusal_email_carries_the_reason_once(submit, ars_staff, django_capture_on_commit_callbacks):
    """The refusal email gives the reason; a replay sends nothing, nor does a validated-email task."""
    declaration = submit()
    with django_capture_on_commit_callbacks(execute=True):
        declaration_refuse(
            declaration=declaration, reason="Le justificatif ne porte pas de date.", by=ars_staff
        )
    assert len(mail.outbox) == 1
    assert "ne sont pas validées" in mail.outbox[0].subject
    assert "Le justificatif ne porte pas de date." in mail.outbox[0].body
    hours_tasks.send_declaration_refused.delay(declaration_id=declaration.pk)
    hours_tasks.send_declaration_validated.delay(declaration_id=declaration.pk)
    assert len(mail.outbox) == 1


def test_no_email_is_queued_when_review_fails(submit, ars_staff, django_capture_on_commit_callbacks):
    """A refused double validation queues no second email."""
    declaration = submit()
    with django_capture_on_commit_callbacks(execute=True):
        declaration_validate(declaration=declaration, by=ars_staff)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ValidationError):
        declaration_validate(declaration=declaration, by=ars_staff)
    assert callbacks == [] and len(mail.outbox) == 1


def test_failed_send_releases_the_marker(submit, ars_staff, monkeypatch):
    """When the mail server fails, the marker is released so that Celery's retry can send."""
    declaration = submit()
    declaration_validate(declaration=declaration, by=ars_staff)

    def broken(**kwargs):
        raise OSError("serveur SMTP injoignable")

    monkeypatch.setattr(hours_tasks, "send_mail", broken)
    with pytest.raises(OSError):
        hours_tasks.review_email_send(declaration_id=declaration.pk, status=DeclarationStatus.VALIDATED)
    monkeypatch.undo()
    assert hours_tasks.review_email_send(declaration_id=declaration.pk, status=DeclarationStatus.VALIDATED)
    assert len(mail.outbox) == 1


def test_staff_of_several_regions_reviews_each(submit, other_region):
    """ARS staff holding several regions review the declarations of each of them."""
    declaration = submit()
    staff = ArsStaffFactory(regions=[other_region, declaration.enrolment.cohort.region])
    declaration_validate(declaration=declaration, by=staff)
    assert OrganisationDeclaration.objects.get().reviewed_by == staff
