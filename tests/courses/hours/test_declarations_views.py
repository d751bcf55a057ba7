"""In-organisation declarations through the web: who reaches which page, the learner's form and
list, the staff queue and review, with the messages shown and nothing written on error."""

from __future__ import annotations

import datetime
import html
from decimal import Decimal

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.enums import Modality
from courses.hours.models import DeclarationStatus, HoursEntry, OrganisationDeclaration
from courses.learning import services as learning_services
from tests.factories import CohortFactory, EnrolmentFactory, TrainerFactory
from tests.uploads_samples import EXE, pdf_bytes

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()


def today() -> datetime.date:
    return timezone.localdate()


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _cohort(programme, region, name):
    return CohortFactory(
        programme=programme,
        region=region,
        name=name,
        start_date=today() - datetime.timedelta(days=60),
        end_date=today() + datetime.timedelta(days=300),
    )


def _declaration(enrolment, module, **extra) -> OrganisationDeclaration:
    values = {
        "enrolment": enrolment,
        "module": module,
        "occurred_on": today() - datetime.timedelta(days=2),
        "hours": Decimal("3.5"),
        "description": "Animation du groupe de travail santé mentale.",
    }
    values.update(extra)
    return OrganisationDeclaration.objects.create(**values)


@pytest.fixture
def setup(programme, modules, region, other_region, ars_staff, other_ars_staff, pedagogical):
    cohort = _cohort(programme, region, "Bretagne en cours")
    other_cohort = _cohort(programme, other_region, "Occitanie en cours")
    enrolment = EnrolmentFactory(cohort=cohort)
    learning_services.options_choose(enrolment=enrolment, modules=modules[5:7])
    other_enrolment = EnrolmentFactory(cohort=other_cohort)
    declaration = _declaration(
        enrolment,
        modules[0],
        evidence=SimpleUploadedFile("cr.pdf", PDF),
        evidence_name="cr.pdf",
        evidence_content_type="application/pdf",
    )
    return {
        "cohort": cohort,
        "other_cohort": other_cohort,
        "enrolment": enrolment,
        "declaration": declaration,
        "users": {
            "anonymous": None,
            "learner": enrolment.user,
            "learner_other_region": other_enrolment.user,
            "ars_region": ars_staff,
            "ars_other_region": other_ars_staff,
            "trainer": TrainerFactory(),
            "pedagogical": pedagogical,
        },
    }


def _urls(s):
    d = s["declaration"].pk
    return {
        "list": ("get", "/parcours/declarations/"),
        "create": ("get", "/parcours/declarations/nouvelle/"),
        "withdraw": ("get", f"/parcours/declarations/{d}/retirer/"),
        "withdraw_post": ("post", f"/parcours/declarations/{d}/retirer/"),
        "evidence": ("get", f"/parcours/declarations/{d}/justificatif/"),
        "queue": ("get", "/gestion/declarations/"),
        "review": ("get", f"/gestion/declarations/{d}/"),
        "review_evidence": ("get", f"/gestion/declarations/{d}/justificatif/"),
        "validate": ("post", f"/gestion/declarations/{d}/valider/"),
        "refuse": ("post", f"/gestion/declarations/{d}/refuser/"),
    }


# The learner's own declaration: another learner and another region get 404; staff pages are 403
# for learners and trainers, learner pages are 403 for staff.
#                  anon learner l.other ars  ars2 trainer pedago
MATRIX = {
    "list": [302, 200, 200, 403, 403, 403, 403],
    "create": [302, 200, 200, 403, 403, 403, 403],
    "withdraw": [302, 200, 404, 403, 403, 403, 403],
    "withdraw_post": [302, 302, 404, 403, 403, 403, 403],
    "evidence": [302, 200, 404, 403, 403, 403, 403],
    "queue": [302, 403, 403, 200, 200, 403, 200],
    "review": [302, 403, 403, 200, 404, 403, 200],
    "review_evidence": [302, 403, 403, 200, 404, 403, 200],
    "validate": [302, 403, 403, 302, 404, 403, 302],
    "refuse": [302, 403, 403, 302, 404, 403, 302],
}
ROLES = [
    "anonymous",
    "learner",
    "learner_other_region",
    "ars_region",
    "ars_other_region",
    "trainer",
    "pedagogical",
]
CASES = [
    (name, role, code) for name, codes in MATRIX.items() for role, code in zip(ROLES, codes, strict=True)
]


@pytest.mark.parametrize(("name", "role", "expected"), CASES, ids=[f"{n}-{r}" for n, r, _ in CASES])
def test_declaration_url_matrix(client, setup, name, role, expected):
    """Each role gets the expected status; another learner's or region's declaration is not found."""
    user = setup["users"][role]
    if user:
        client.force_login(user)
    method, url = _urls(setup)[name]
    data = {"reason": "Hors du périmètre du module."} if name == "refuse" else {}
    response = getattr(client, method)(url, data)
    assert response.status_code == expected
    if expected in (403, 404):
        assert OrganisationDeclaration.objects.get().status == DeclarationStatus.SUBMITTED


def test_review_actions_answer_get_with_405(client, setup, ars_staff):
    """Validate and refuse change state: a GET does nothing."""
    client.force_login(ars_staff)
    for name in ("validate", "refuse"):
        assert client.get(_urls(setup)[name][1]).status_code == 405
    assert OrganisationDeclaration.objects.get().status == DeclarationStatus.SUBMITTED


# --- Learner pages ---------------------------------------------------------------------------------


def _post(client, data=None, files=None):
    values = {
        "occurred_on": (today() - datetime.timedelta(days=1)).isoformat(),
        "hours": "2,5",
        "module": "",
        "description": "Préparation du diagnostic local de santé.",
    }
    values.update(data or {})
    values.update(files or {})
    return client.post("/parcours/declarations/nouvelle/", values)


def test_learner_declares_hours_with_evidence(client, setup, modules):
    """A valid form stores a pending declaration with its PDF and shows it in the list."""
    client.force_login(setup["enrolment"].user)
    response = _post(
        client, {"module": modules[6].pk}, {"evidence": SimpleUploadedFile("attestation.pdf", PDF)}
    )
    assert response.status_code == 302 and response.url == "/parcours/declarations/"
    declaration = OrganisationDeclaration.objects.latest("pk")
    assert (declaration.hours, declaration.module, declaration.status) == (
        Decimal("2.5"),
        modules[6],
        DeclarationStatus.SUBMITTED,
    )
    page = text(client.get(response.url))
    assert "est enregistrée : elle attend la validation" in page
    assert "En attente de validation" in page and "Santé mentale" in page


def test_form_offers_only_followed_modules(client, setup, modules):
    """The module list holds the core modules and the two chosen options, not the third option."""
    client.force_login(setup["enrolment"].user)
    page = text(client.get("/parcours/declarations/nouvelle/"))
    assert all(m.title in page for m in modules[:4] + modules[5:7])
    assert "Méthodologie de projet" not in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"occurred_on": "tomorrow"}, "La date ne peut pas être dans le futur."),
        ({"occurred_on": "before"}, "La date précède le début de votre promotion"),
        ({"hours": "-1"}, "Le nombre d'heures doit être supérieur à zéro."),
        ({"hours": "0"}, "Le nombre d'heures doit être supérieur à zéro."),
        ({"hours": "0,1"}, "Les heures se déclarent par quarts d'heure"),
        ({"hours": "11"}, "Une déclaration compte au plus 10 h."),
        ({"hours": "beaucoup"}, "Indiquez un nombre d'heures."),
        ({"module": "unfollowed"}, "Vous ne suivez pas ce module"),
        ({"description": ""}, "Décrivez en quelques lignes ce qui a été fait."),
    ],
    ids=["future", "before-cohort", "negative", "zero", "tenth", "eleven", "words", "unfollowed", "empty"],
)
def test_bad_declaration_shows_message_and_writes_nothing(client, setup, modules, data, message):
    """Each bad input (a crafted POST for an unfollowed module included) is shown, nothing stored."""
    client.force_login(setup["enrolment"].user)
    data = {"module": modules[0].pk, **data}
    if data.get("occurred_on") == "tomorrow":
        data["occurred_on"] = (today() + datetime.timedelta(days=1)).isoformat()
    if data.get("occurred_on") == "before":
        data["occurred_on"] = (setup["cohort"].start_date - datetime.timedelta(days=1)).isoformat()
    if data["module"] == "unfollowed":
        data["module"] = modules[4].pk
    response = _post(client, data)
    assert response.status_code == 400
    page = text(response)
    assert message in page and "Déclaration non enregistrée" in page
    assert OrganisationDeclaration.objects.count() == 1


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (("releve.pdf", EXE), "« releve.pdf » : malgré son extension .pdf, c'est un programme exécutable"),
        (
            ("releve.pdf", PDF + b"0" * (11 * 512 * 1024)),
            "« releve.pdf » : le fichier pèse 5,5 Mo : la limite est de 5 Mo.",
        ),
    ],
    ids=["exe-renamed-pdf", "five-and-a-half-mb"],
)
def test_bad_evidence_shows_message_and_writes_nothing(client, setup, modules, upload, message):
    """A fake PDF or a 5.5 MB file (within the view's body limit) is refused with a clear message;
    nothing is stored."""
    client.force_login(setup["enrolment"].user)
    response = _post(client, {"module": modules[0].pk}, {"evidence": SimpleUploadedFile(*upload)})
    assert response.status_code == 400
    assert message in text(response)
    assert OrganisationDeclaration.objects.count() == 1


def test_thirty_hour_day_is_refused_through_the_form(client, setup, modules):
    """Three 10-hour declarations for one day: the first passes, the others are refused."""
    client.force_login(setup["enrolment"].user)
    day = (today() - datetime.timedelta(days=10)).isoformat()
    codes = [
        _post(client, {"module": m.pk, "occurred_on": day, "hours": "10"}).status_code for m in modules[:3]
    ]
    assert codes == [302, 400, 400]
    response = _post(client, {"module": modules[3].pk, "occurred_on": day, "hours": "10"})
    assert "une journée compte au plus 10 h (il vous en reste 0 h)" in text(response)
    assert OrganisationDeclaration.objects.filter(occurred_on=day).count() == 1


def test_list_shows_badges_and_refusal_reason(client, setup, modules, ars_staff):
    """Each declaration shows its status badge; a refused one shows the reason."""
    enrolment = setup["enrolment"]
    _declaration(
        enrolment,
        modules[1],
        status=DeclarationStatus.REFUSED,
        refusal_reason="Aucun lien avec l'animation du CLS.",
        reviewed_by=ars_staff,
    )
    _declaration(enrolment, modules[2], status=DeclarationStatus.WITHDRAWN)
    client.force_login(enrolment.user)
    page = text(client.get("/parcours/declarations/"))
    for label in ("En attente de validation", "Refusée", "Retirée"):
        assert label in page
    assert "Motif : Aucun lien avec l'animation du CLS." in page
    assert page.count("/retirer/") == 1


def test_list_empty_state_says_what_to_do(client, programme, region):
    """A learner with no declaration is invited to declare."""
    enrolment = EnrolmentFactory(cohort=_cohort(programme, region, "Vide"))
    client.force_login(enrolment.user)
    assert "Vous n'avez encore déclaré aucune heure." in text(client.get("/parcours/declarations/"))


def test_withdraw_confirmation_then_withdrawn(client, setup):
    """Withdrawing asks for confirmation first, then the declaration is withdrawn."""
    client.force_login(setup["enrolment"].user)
    url = _urls(setup)["withdraw"][1]
    assert "Retirer la déclaration du" in text(client.get(url))
    assert OrganisationDeclaration.objects.get().status == DeclarationStatus.SUBMITTED
    response = client.post(url, follow=True)
    assert "Votre déclaration est retirée" in text(response)
    assert OrganisationDeclaration.objects.get().status == DeclarationStatus.WITHDRAWN


def test_withdraw_after_validation_is_refused(client, setup, ars_staff):
    """A validated declaration cannot be withdrawn; the learner is told why, nothing changes."""
    client.force_login(ars_staff)
    client.post(_urls(setup)["validate"][1])
    client.force_login(setup["enrolment"].user)
    for method in ("get", "post"):
        response = getattr(client, method)(_urls(setup)["withdraw"][1], follow=True)
        assert "Cette déclaration est validée : elle ne peut plus être retirée." in text(response)
    assert OrganisationDeclaration.objects.get().status == DeclarationStatus.VALIDATED
    assert HoursEntry.objects.count() == 1


def test_evidence_is_streamed_as_attachment(client, setup, ars_staff):
    """The evidence comes through the permission-checked view, as a PDF attachment."""
    for user, name in ((setup["enrolment"].user, "evidence"), (ars_staff, "review_evidence")):
        client.force_login(user)
        response = client.get(_urls(setup)[name][1])
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
        assert b"".join(response.streaming_content) == PDF


def test_declaration_without_evidence_has_no_download(client, setup, modules, ars_staff):
    """No file, no download: the view answers 404 and the page says none was attached."""
    declaration = _declaration(setup["enrolment"], modules[1])
    client.force_login(ars_staff)
    assert client.get(f"/gestion/declarations/{declaration.pk}/justificatif/").status_code == 404
    assert "Aucun justificatif joint." in text(client.get(f"/gestion/declarations/{declaration.pk}/"))


# --- Staff pages -----------------------------------------------------------------------------------


def test_queue_lists_own_region_oldest_first(client, setup, modules, ars_staff):
    """The queue holds the region's pending declarations, oldest first; other regions are absent."""
    other = EnrolmentFactory(cohort=setup["other_cohort"])
    _declaration(other, modules[0], description="Occitanie")
    newer = _declaration(setup["enrolment"], modules[1])
    newer.created_at = timezone.now() + datetime.timedelta(minutes=5)
    newer.save()
    client.force_login(ars_staff)
    page = text(client.get("/gestion/declarations/"))
    first = page.index(f"/gestion/declarations/{setup['declaration'].pk}/")
    assert first < page.index(f"/gestion/declarations/{newer.pk}/")
    assert other.user.display_name not in page and "Occitanie en cours" not in page
    assert "2 déclarations" in page


def test_queue_filters_by_status_and_cohort(client, setup, modules, ars_staff, programme, region):
    """Pending by default; « Tous les statuts » and a cohort narrow or widen the list."""
    second = _cohort(programme, region, "Bretagne bis")
    other = EnrolmentFactory(cohort=second)
    _declaration(other, modules[0], status=DeclarationStatus.VALIDATED, reviewed_by=ars_staff)
    client.force_login(ars_staff)
    assert "1 déclaration." in text(client.get("/gestion/declarations/"))
    assert "2 déclarations" in text(client.get("/gestion/declarations/?status="))
    page = text(client.get(f"/gestion/declarations/?status=&cohort={second.pk}"))
    assert "1 déclaration." in page and other.user.display_name in page
    empty = text(client.get(f"/gestion/declarations/?status=refused&cohort={second.pk}"))
    assert "Aucune déclaration ne correspond à ces filtres." in empty


def test_queue_cannot_filter_on_another_regions_cohort(client, setup, ars_staff):
    """A cohort of another region is not a valid filter: the default queue is shown instead."""
    client.force_login(ars_staff)
    page = text(client.get(f"/gestion/declarations/?cohort={setup['other_cohort'].pk}"))
    assert "Occitanie en cours" not in page and "1 déclaration." in page


def test_validate_credits_hours_and_emails_once(client, setup, ars_staff, django_capture_on_commit_callbacks):
    """Validation credits the ledger, emails the learner, and a double submit changes nothing."""
    client.force_login(ars_staff)
    url = _urls(setup)["validate"][1]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "Déclaration validée : 3,5 h créditées" in text(response)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "Cette déclaration est déjà validée : rien n'a été modifié." in text(response)
    entry = HoursEntry.objects.get()
    assert entry.modality == Modality.ORGANISATION and entry.hours == Decimal("3.5")
    assert len(mail.outbox) == 1 and "sont validées" in mail.outbox[0].subject


def test_refuse_without_reason_shows_message(client, setup, ars_staff):
    """A refusal needs a reason: the page says so and the declaration stays pending."""
    client.force_login(ars_staff)
    response = client.post(_urls(setup)["refuse"][1], {"reason": ""})
    assert response.status_code == 400
    assert "Indiquez le motif du refus" in text(response)
    assert OrganisationDeclaration.objects.get().status == DeclarationStatus.SUBMITTED
    assert not mail.outbox


def test_refuse_sends_reason(client, setup, ars_staff, django_capture_on_commit_callbacks):
    """A refusal with a reason is recorded and the learner receives the reason by email."""
    client.force_login(ars_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_urls(setup)["refuse"][1], {"reason": "Date hors promotion."}, follow=True)
    assert "Déclaration refusée" in text(response)
    assert OrganisationDeclaration.objects.get().refusal_reason == "Date hors promotion."
    assert "Date hors promotion." in mail.outbox[0].body


def test_refuse_a_withdrawn_declaration_is_refused(client, setup, ars_staff):
    """Staff cannot refuse (or validate) what the learner withdrew; the message says why."""
    declaration = setup["declaration"]
    declaration.status = DeclarationStatus.WITHDRAWN
    declaration.save()
    client.force_login(ars_staff)
    for name, data in (("refuse", {"reason": "Non."}), ("validate", {})):
        response = client.post(_urls(setup)[name][1], data, follow=True)
        assert "L'apprenant·e a retiré cette déclaration" in text(response)
    assert OrganisationDeclaration.objects.get().status == DeclarationStatus.WITHDRAWN
    assert not HoursEntry.objects.exists()


def test_dashboard_shows_validated_organisation_hours(client, setup, ars_staff):
    """Once validated, the hours appear on the learner's dashboard in the organisation row."""
    client.force_login(ars_staff)
    client.post(_urls(setup)["validate"][1])
    client.force_login(setup["enrolment"].user)
    page = client.get("/mon-espace/").content.decode()
    row = page[page.index('data-modality="organisation"') :]
    assert "3,5 h" in row[: row.index("</tr>")]


# --- Query budgets -----------------------------------------------------------------------------


def _many(enrolments, modules, count):
    OrganisationDeclaration.objects.bulk_create(
        OrganisationDeclaration(
            enrolment=enrolments[i % len(enrolments)],
            module=modules[i % 4],
            occurred_on=today() - datetime.timedelta(days=1 + i % 50),
            hours=Decimal("1.25"),
            description=f"Travail {i}",
        )
        for i in range(count)
    )


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_staff_queue_query_count_is_flat(client, setup, modules, ars_staff, programme, region):
    """The queue runs as many queries for 100 declarations as for 10."""
    enrolments = [EnrolmentFactory(cohort=setup["cohort"]) for _ in range(5)]
    client.force_login(ars_staff)
    _many(enrolments, modules, 9)
    small = _count_queries(client, "/gestion/declarations/")
    _many(enrolments, modules, 90)
    for _ in range(3):
        _cohort(programme, region, f"Autre {_}")
    large = _count_queries(client, "/gestion/declarations/")
    assert OrganisationDeclaration.objects.count() == 100
    assert small == large, (small, large)


def test_learner_list_query_count_is_flat(client, setup, modules):
    """The learner's list runs as many queries for 100 declarations as for 10."""
    client.force_login(setup["enrolment"].user)
    _many([setup["enrolment"]], modules, 9)
    small = _count_queries(client, "/parcours/declarations/")
    _many([setup["enrolment"]], modules, 90)
    large = _count_queries(client, "/parcours/declarations/")
    assert small == large, (small, large)
