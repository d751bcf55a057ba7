"""Deliverable pages: the role × URL matrix, the learner's journey through the web, the review
form, the in-site notice, the statuses staff see without files, and query budgets."""

from __future__ import annotations

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.deliverables import services
from assessments.deliverables.models import Review, ReviewDecision, Submission, SubmissionStatus
from tests.assessments.deliverables.factories import AssignmentFactory, DeliverableFactory
from tests.factories import EnrolmentFactory, TrainerFactory
from tests.uploads_samples import EXE, pdf_bytes


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def world(modules, cohort, enrolment, ars_staff, other_ars_staff, pedagogical):
    deliverable = DeliverableFactory(module=modules[0])
    reviewer = TrainerFactory()
    AssignmentFactory(module=deliverable.module, cohort=cohort, trainer=reviewer)
    submission = services.submission_create(
        deliverable=deliverable,
        enrolment=enrolment,
        file=SimpleUploadedFile("diagnostic.pdf", pdf_bytes()),
        by=enrolment.user,
    )
    reviewed = services.submission_create(
        deliverable=DeliverableFactory(module=modules[1]),
        enrolment=enrolment,
        file=SimpleUploadedFile("plan.pdf", pdf_bytes()),
        by=enrolment.user,
    )
    services.submission_review(
        submission=reviewed,
        decision=ReviewDecision.REVISION,
        feedback="Précisez les partenaires.",
        annotated_file=SimpleUploadedFile("annote.pdf", pdf_bytes()),
        by=pedagogical,
    )
    users = {
        "anonymous": None,
        "learner": enrolment.user,
        "other_learner": EnrolmentFactory(cohort=cohort).user,
        "reviewer": reviewer,
        "other_trainer": TrainerFactory(),
        "ars_region": ars_staff,
        "ars_other_region": other_ars_staff,
        "pedagogical": pedagogical,
    }
    return {"deliverable": deliverable, "submission": submission, "reviewed": reviewed, "users": users}


ROLES = [
    "anonymous",
    "learner",
    "other_learner",
    "reviewer",
    "other_trainer",
    "ars_region",
    "ars_other_region",
    "pedagogical",
]
LOGIN = 302
#: Expected status per URL, in the order of ROLES.
MATRIX = {
    "list": [LOGIN, 200, 200, 403, 403, 403, 403, 403],
    "submit": [LOGIN, 200, 200, 403, 403, 403, 403, 403],
    "file": [LOGIN, 200, 404, 200, 404, 404, 404, 200],
    "annotated": [LOGIN, 200, 404, 404, 404, 404, 404, 200],
    "queue": [LOGIN, 403, 403, 200, 200, 403, 403, 200],
    "review": [LOGIN, 403, 403, 200, 404, 403, 403, 200],
}


def _url(name, world):
    if name in ("list", "queue"):
        return reverse(f"deliverables:{name}")
    if name == "submit":
        return reverse("deliverables:submit", args=[world["deliverable"].pk])
    if name == "annotated":
        return reverse("deliverables:annotated", args=[world["reviewed"].pk])
    return reverse(f"deliverables:{name}", args=[world["submission"].pk])


@pytest.mark.parametrize("name", list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_role_url_matrix(client, world, name, role):
    """Each role gets the expected status on each deliverable page; files are 404 for ARS staff
    and for another learner."""
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    response = client.get(_url(name, world))
    assert response.status_code == MATRIX[name][ROLES.index(role)]


def test_file_download_is_sandboxed(client, world):
    """The learner's file comes back as an attachment with nosniff and a sandbox CSP."""
    client.force_login(world["users"]["learner"])
    response = client.get(_url("file", world))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"


def test_learner_submits_through_the_page(client, world):
    """A valid upload creates version 2 and redirects to the list with a message."""
    client.force_login(world["users"]["learner"])
    response = client.post(
        _url("submit", world),
        {"file": SimpleUploadedFile("v2.pdf", pdf_bytes()), "comment": "Corrigé"},
        follow=True,
    )
    assert "Version 2" in text(response)
    assert Submission.objects.filter(deliverable=world["deliverable"]).count() == 2


def test_learner_submit_bad_file_is_400(client, world):
    """An executable renamed .pdf: 400, the French message, nothing written."""
    client.force_login(world["users"]["learner"])
    response = client.post(_url("submit", world), {"file": SimpleUploadedFile("v2.pdf", EXE)})
    assert response.status_code == 400
    assert "v2.pdf" in text(response)
    assert Submission.objects.filter(deliverable=world["deliverable"]).count() == 1


def test_in_site_notice_shown_once(client, world):
    """The learner sees the new decision once on their page, then it is marked seen."""
    client.force_login(world["users"]["learner"])
    first = text(client.get(_url("list", world)))
    assert "révision demandée" in first and "Précisez les partenaires." in first
    assert Review.objects.filter(seen_by_learner_at__isnull=True).count() == 0
    second = text(client.get(_url("list", world)))
    assert "fr-alert--warning" not in second


def test_review_through_the_page(client, world):
    """The reviewer asks for a revision without feedback (400), then accepts."""
    client.force_login(world["users"]["reviewer"])
    url = _url("review", world)
    refused = client.post(url, {"decision": ReviewDecision.REVISION, "feedback": ""})
    assert refused.status_code == 400 and "Écrivez votre retour" in text(refused)
    assert not Review.objects.filter(submission=world["submission"]).exists()
    response = client.post(url, {"decision": ReviewDecision.ACCEPTED}, follow=True)
    assert response.status_code == 200
    world["submission"].refresh_from_db()
    assert world["submission"].status == SubmissionStatus.ACCEPTED


def test_queue_lists_oldest_first_with_waiting_time(client, world):
    """The queue shows the submission waiting, with its waiting time; the reviewed one is gone."""
    client.force_login(world["users"]["reviewer"])
    page = text(client.get(_url("queue", world)))
    assert "1 production à corriger" in page
    assert world["deliverable"].title in page


def test_ars_enrolment_page_shows_status_without_files(client, world, enrolment):
    """ARS staff see each deliverable's status on the enrolment page, never a file link."""
    client.force_login(world["users"]["ars_region"])
    page = text(client.get(reverse("staff:enrolment_detail", args=[enrolment.pk])))
    assert "Productions écrites" in page and "Révision demandée" in page
    assert "/productions/depots/" not in page


def test_dashboard_shows_deliverables(client, world):
    """The learner's dashboard lists each module's deliverables with their status."""
    client.force_login(world["users"]["learner"])
    page = text(client.get(reverse("lms:my_space")))
    assert "Mes productions écrites" in page and world["deliverable"].title in page


def _grow(world, modules, cohort, count):
    for _ in range(count):
        other = EnrolmentFactory(cohort=cohort)
        deliverable = DeliverableFactory(module=modules[0])
        services.submission_create(
            deliverable=deliverable,
            enrolment=other,
            file=SimpleUploadedFile("d.pdf", pdf_bytes()),
            by=other.user,
        )
        services.submission_create(
            deliverable=world["deliverable"],
            enrolment=world["users"]["learner"].enrolments.first(),
            file=SimpleUploadedFile("d.pdf", pdf_bytes()),
            by=world["users"]["learner"],
        )


@pytest.mark.parametrize("size", [0, 6])
def test_query_budgets(client, world, modules, cohort, size, django_assert_max_num_queries):
    """The learner's list, the dashboard and the queue run a fixed number of queries at two sizes."""
    _grow(world, modules, cohort, size)
    client.force_login(world["users"]["learner"])
    with django_assert_max_num_queries(20):
        assert client.get(_url("list", world)).status_code == 200
    with django_assert_max_num_queries(40):
        assert client.get(reverse("lms:my_space")).status_code == 200
    client.force_login(world["users"]["pedagogical"])
    with django_assert_max_num_queries(14):
        assert client.get(_url("queue", world)).status_code == 200
