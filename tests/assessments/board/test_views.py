"""The team's board: filters, pagination, exports of the filtered rows (markers, and the written
mark only once released), and the bulk assignment of tutors (per-row errors, nothing lost)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from assessments.memoire.enums import MemoireState
from assessments.memoire.models import Memoire, MemoireEvent
from tests.assessments.board.helpers import agreed_mark, assign_markers, move_to, text
from tests.assessments.memoire.factories import memoire_at
from tests.factories import CohortFactory, EnrolmentFactory, TrainerFactory, UserFactory

S = MemoireState
pytestmark = pytest.mark.django_db


@pytest.fixture
def board(programme, cohort, other_region, pedagogical):
    """Three learners in Bretagne (one marked and released, one marked not released, one with a
    formula-like name) and one in Occitanie."""
    tutor = TrainerFactory(first_name="Julien", last_name="Marchand")
    markers = [
        TrainerFactory(first_name="Anne", last_name="Morel"),
        TrainerFactory(first_name="Paul", last_name="Roy"),
    ]
    released = memoire_at(
        EnrolmentFactory(cohort=cohort, user=UserFactory(first_name="Hélène", last_name="Bernard")),
        S.FINAL_SUBMITTED,
        tutor=tutor,
        team=pedagogical,
    )
    move_to(released, S.RELEASED)
    assign_markers(released, *markers, by=pedagogical)
    agreed_mark(released, "14.50", released_by=pedagogical)
    unreleased = memoire_at(
        EnrolmentFactory(cohort=cohort, user=UserFactory(first_name="Marc", last_name="Petit")),
        S.FINAL_SUBMITTED,
        tutor=tutor,
        team=pedagogical,
    )
    move_to(unreleased, S.MARKED)
    assign_markers(unreleased, *markers, by=pedagogical)
    agreed_mark(unreleased, "9.00")
    formula = EnrolmentFactory(cohort=cohort, user=UserFactory(first_name="Zoé", last_name="=HYPERLINK(1)"))
    occitanie = CohortFactory(programme=programme, region=other_region, name="Occitanie 2026")
    far = memoire_at(
        EnrolmentFactory(cohort=occitanie, user=UserFactory(first_name="Luc", last_name="Garnier")),
        S.SUBJECT_PROPOSED,
        team=pedagogical,
    )
    return {
        "tutor": tutor,
        "released": released,
        "unreleased": unreleased,
        "formula": formula,
        "far": far,
        "occitanie": occitanie,
    }


def test_filters_by_region_tutor_state_and_name(client, pedagogical, board, cohort, region):
    """Each filter narrows the rows; the search matches a part of the name."""
    client.force_login(pedagogical)
    page = text(client.get("/gestion/memoires/", {"region": board["occitanie"].region.pk}))
    assert "Luc Garnier" in page and "Hélène Bernard" not in page
    page = text(client.get("/gestion/memoires/", {"tutor": board["tutor"].pk}))
    assert "Hélène Bernard" in page and "Marc Petit" in page and "Luc Garnier" not in page
    page = text(client.get("/gestion/memoires/", {"state": S.MARKED}))
    assert "Marc Petit" in page and "Hélène Bernard" not in page
    page = text(client.get("/gestion/memoires/", {"q": "bern"}))
    assert "Hélène Bernard" in page and "Marc Petit" not in page
    page = text(client.get("/gestion/memoires/", {"cohort": cohort.pk, "q": "garnier"}))
    assert "Aucun·e apprenant·e à cette étape." in page


def test_board_shows_markers_and_only_released_marks(client, pedagogical, board):
    """Markers are listed; the agreed mark appears once released, never before."""
    client.force_login(pedagogical)
    page = text(client.get("/gestion/memoires/"))
    assert "Anne Morel, Paul Roy" in page
    assert "14,5/20" in page
    assert "9/20" not in page and "9,0" not in page


def test_unknown_filter_is_refused_in_french(client, pedagogical, board):
    """A crafted cohort id: 400, the French message, and the board unfiltered."""
    client.force_login(pedagogical)
    response = client.get("/gestion/memoires/", {"cohort": 999999})
    assert response.status_code == 400
    page = text(response)
    assert "Cette promotion n'existe pas : choisissez-en une dans la liste." in page
    assert "Luc Garnier" in page and "Hélène Bernard" in page


def test_board_paginates_by_fifty(client, pedagogical, cohort):
    """51 learners: 50 on the first page, the last on the second."""
    for _ in range(51):
        EnrolmentFactory(cohort=cohort)
    client.force_login(pedagogical)
    first = text(client.get("/gestion/memoires/"))
    assert "Page 1 sur 2" in first and "51 apprenant·es." in first
    assert "Page 2 sur 2" in text(client.get("/gestion/memoires/", {"page": 2}))


def _csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body), delimiter=";"))


def test_csv_export_of_the_filtered_rows(client, pedagogical, board, region):
    """The CSV is streamed, lists the filtered rows only, with markers, the released mark only,
    and formula-like text neutralised."""
    client.force_login(pedagogical)
    response = client.get("/gestion/memoires/export.csv", {"region": region.pk})
    assert response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="memoires-')
    rows = _csv_rows(response)
    assert rows[0][:3] == ["Nom", "Prénom", "E-mail"] and rows[0][-2] == "Note écrite publiée (/20)"
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"Bernard", "Petit", "'=HYPERLINK(1)"}
    assert by_name["Bernard"][5] == "Note publiée"
    assert by_name["Bernard"][10] == "Anne Morel, Paul Roy"
    assert by_name["Bernard"][11] == "14,5"
    assert by_name["Petit"][11] == ""
    assert by_name["Bernard"][9] == "Julien Marchand"
    assert by_name["Bernard"][6] == board["released"].title


def test_xlsx_export_of_the_filtered_rows(client, pedagogical, board):
    """The workbook holds the same rows, marks as numbers, text never a formula."""
    client.force_login(pedagogical)
    response = client.get("/gestion/memoires/export.xlsx", {"state": S.RELEASED})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == "Bernard" and float(rows[1][11]) == 14.5
    everyone = load_workbook(io.BytesIO(client.get("/gestion/memoires/export.xlsx").content)).active
    cells = [row[0] for row in everyone.iter_rows(min_row=2)]
    formula = next(cell for cell in cells if str(cell.value).startswith("="))
    assert formula.data_type == "s"


def test_unknown_export_format_is_404(client, pedagogical):
    client.force_login(pedagogical)
    assert client.get("/gestion/memoires/export.pdf").status_code == 404


@pytest.fixture
def waiting(cohort, pedagogical):
    """Three mémoires whose subject is approved, waiting for a tutor."""
    return [
        memoire_at(EnrolmentFactory(cohort=cohort), S.SUBJECT_APPROVED, team=pedagogical) for _ in range(3)
    ]


def test_bulk_tutors_assigns_each_chosen_row(client, pedagogical, waiting):
    """Two rows chosen, one left for later: two tutors assigned and logged, the third still waits."""
    first, second = TrainerFactory(), TrainerFactory()
    client.force_login(pedagogical)
    response = client.post(
        "/gestion/memoires/tuteurs/",
        {
            f"tuteur-{waiting[0].pk}": first.pk,
            f"tuteur-{waiting[1].pk}": second.pk,
            f"tuteur-{waiting[2].pk}": "",
        },
        follow=True,
    )
    assert "2 mémoires confiés à un·e tuteur·rice" in text(response)
    states = dict(Memoire.objects.filter(pk__in=[m.pk for m in waiting]).values_list("pk", "tutor_id"))
    assert states == {waiting[0].pk: first.pk, waiting[1].pk: second.pk, waiting[2].pk: None}
    assert MemoireEvent.objects.filter(transition="assign_tutor").count() == 2


def test_bulk_tutors_refused_row_keeps_its_choice(client, pedagogical, waiting):
    """A crafted trainer id on one row: that row is refused with its message and keeps nothing
    written, the other row is saved."""
    good = TrainerFactory()
    learner_id = waiting[0].enrolment.user_id
    client.force_login(pedagogical)
    response = client.post(
        "/gestion/memoires/tuteurs/",
        {f"tuteur-{waiting[0].pk}": learner_id, f"tuteur-{waiting[1].pk}": good.pk},
    )
    assert response.status_code == 400
    page = text(response)
    assert "1 mémoire non confié" in page
    assert "Choisissez un·e formateur·rice dans la liste." in page
    assert f'id="tuteur-{waiting[0].pk}" name="tuteur-{waiting[0].pk}" aria-invalid="true"' in page
    waiting[0].refresh_from_db()
    waiting[1].refresh_from_db()
    assert waiting[0].tutor_id is None and waiting[0].state == S.SUBJECT_APPROVED
    assert waiting[1].tutor_id == good.pk


def test_bulk_tutors_never_replaces_a_tutor_set_meanwhile(client, pedagogical, waiting):
    """A mémoire that got its tutor in another tab is refused, with the tutor named, not changed."""
    from assessments.memoire import services

    already = TrainerFactory(first_name="Claire", last_name="Dumas")
    services.memoire_tutor_assign(memoire=waiting[0], tutor=already, by=pedagogical)
    other = TrainerFactory()
    client.force_login(pedagogical)
    response = client.post("/gestion/memoires/tuteurs/", {f"tuteur-{waiting[0].pk}": other.pk})
    assert response.status_code == 400
    page = text(response)
    assert "Ce mémoire a déjà un·e tuteur·rice (Claire Dumas) : rien n'a été changé." in page
    waiting[0].refresh_from_db()
    assert waiting[0].tutor_id == already.pk
    # The refused row is still shown with the choice that was made.
    assert f'<option value="{other.pk}" selected>' in page


def test_bulk_tutors_empty_state(client, pedagogical):
    client.force_login(pedagogical)
    assert "Aucun mémoire n'attend de tuteur·rice." in text(client.get("/gestion/memoires/tuteurs/"))
