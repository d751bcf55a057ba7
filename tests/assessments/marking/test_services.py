"""Double marking's services: every transition, refusals in order, sealed grids, the average or a
reconciliation at the boundaries, the third marker, the release and its email, blind copies."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject

from assessments.marking import permissions, selectors, services
from assessments.marking.blind import blind_copy, blind_file_name
from assessments.marking.models import AgreedMark, AgreedMarkRule, MarkerAssignment, MarkerRole
from assessments.memoire.enums import MemoireState
from assessments.memoire.flows import TUTOR_MAY_NOT_MARK
from assessments.rubrics.forms import UNKNOWN_CRITERION
from assessments.rubrics.models import Grid, GridScore
from tests.assessments.marking.factories import grade, marking_at, scheme
from tests.assessments.memoire.factories import memoire_at
from tests.assessments.rubrics.factories import scores_all
from tests.factories import EnrolmentFactory, TrainerFactory

pytestmark = pytest.mark.django_db
S = MemoireState


def text(exc) -> str:
    return " ".join(exc.value.messages) if isinstance(exc.value, ValidationError) else str(exc.value)


@pytest.fixture
def written(programme):
    return scheme(programme)


# --- assigning markers ---------------------------------------------------------------------------


def test_the_team_assigns_two_markers_and_the_memoire_is_being_marked(enrolment, pedagogical, written):
    """FINAL_SUBMITTED → MARKING, two assignments by role, the step logged."""
    memoire, first, second = marking_at(enrolment, team=pedagogical)
    assert memoire.state == S.MARKING
    assert dict(MarkerAssignment.objects.filter(memoire=memoire).values_list("role", "marker_id")) == {
        MarkerRole.FIRST: first.pk,
        MarkerRole.SECOND: second.pk,
    }
    event = memoire.events.get(transition="assign_markers")
    assert (event.from_state, event.to_state, event.by_id) == (S.FINAL_SUBMITTED, S.MARKING, pedagogical.pk)


def test_assigning_markers_is_refused_in_order(enrolment, pedagogical, trainer, written):
    """Who first (a trainer is denied), then the state (before the final version), then the data."""
    memoire = memoire_at(enrolment, S.IN_PROGRESS, team=pedagogical)
    a, b = TrainerFactory(), TrainerFactory()
    with pytest.raises(PermissionDenied):
        services.markers_assign(memoire=memoire, first=a, second=b, by=trainer)
    with pytest.raises(ValidationError) as exc:
        services.markers_assign(memoire=memoire, first=a, second=b, by=pedagogical)
    assert text(exc) == "Désignez les correcteur·rices une fois la version finale déposée."
    assert not MarkerAssignment.objects.filter(memoire=memoire).exists()


def test_the_same_trainer_cannot_mark_twice(enrolment, pedagogical, written):
    memoire = memoire_at(enrolment, S.FINAL_SUBMITTED, team=pedagogical)
    a = TrainerFactory()
    with pytest.raises(ValidationError) as exc:
        services.markers_assign(memoire=memoire, first=a, second=a, by=pedagogical)
    assert exc.value.message_dict == {"second": ["Choisissez deux correcteur·rices différent·es."]}


def test_the_tutor_marks_only_if_the_team_allows_it(enrolment, pedagogical, trainer, programme):
    """Refused with the brief's message while tutor_may_mark is off; accepted once on."""
    scheme(programme, tutor_may_mark=False)
    memoire = memoire_at(enrolment, S.FINAL_SUBMITTED, team=pedagogical, tutor=trainer)
    with pytest.raises(ValidationError) as exc:
        services.markers_assign(memoire=memoire, first=trainer, second=TrainerFactory(), by=pedagogical)
    assert exc.value.message_dict == {"first": [TUTOR_MAY_NOT_MARK]}
    assert memoire.events.filter(transition="assign_markers").count() == 0
    scheme(programme, tutor_may_mark=True)
    services.markers_assign(memoire=memoire, first=trainer, second=TrainerFactory(), by=pedagogical)
    assert permissions.is_first_or_second_marker(trainer, memoire)


def test_a_marker_who_has_not_submitted_may_be_replaced_one_who_has_may_not(enrolment, pedagogical, written):
    memoire, first, second = marking_at(enrolment, team=pedagogical)
    services.marker_grid(memoire=memoire, by=second)  # a draft, dropped with the assignment
    third = TrainerFactory()
    services.markers_assign(memoire=memoire, first=first, second=third, by=pedagogical)
    assert not permissions.is_marker(second, memoire)
    assert permissions.marker_role(third, memoire) == MarkerRole.SECOND
    grade(memoire, first, 12)
    with pytest.raises(ValidationError) as exc:
        services.markers_assign(memoire=memoire, first=TrainerFactory(), second=third, by=pedagogical)
    assert "a déjà remis sa grille" in text(exc)


# --- grids ---------------------------------------------------------------------------------------


def test_a_trainer_not_assigned_cannot_grade(enrolment, pedagogical, written):
    memoire, _, _ = marking_at(enrolment, team=pedagogical)
    outsider = TrainerFactory()
    with pytest.raises(PermissionDenied):
        services.marker_grid(memoire=memoire, by=outsider)
    with pytest.raises(PermissionDenied):
        services.marker_grid_submit(memoire=memoire, by=outsider)


def test_no_rubric_chosen_is_refused_with_a_message(enrolment, pedagogical, programme):
    scheme(programme, written_rubric=None)
    memoire, first, _ = marking_at(enrolment, team=pedagogical)
    with pytest.raises(ValidationError) as exc:
        services.marker_grid(memoire=memoire, by=first)
    assert text(exc) == services.NO_RUBRIC


def test_an_out_of_range_mark_or_a_crafted_criterion_saves_nothing(enrolment, pedagogical, written):
    memoire, first, _ = marking_at(enrolment, team=pedagogical)
    grid = services.marker_grid(memoire=memoire, by=first)
    criterion = grid.rubric.criteria.first()
    with pytest.raises(ValidationError) as exc:
        services.marker_grid_save(memoire=memoire, scores={criterion.pk: ("21", "")}, by=first)
    assert text(exc) == "La note va de 0 à 20."
    with pytest.raises(ValidationError) as exc:
        services.marker_grid_save(memoire=memoire, scores={999999: ("12", "")}, by=first)
    assert text(exc) == UNKNOWN_CRITERION
    assert not GridScore.objects.filter(grid=grid).exists()


def test_a_submitted_grid_is_sealed_and_hidden_from_the_other_marker(enrolment, pedagogical, written):
    """The first grid is sealed; the second marker may not see it until they submit theirs."""
    memoire, first, second = marking_at(enrolment, team=pedagogical)
    grid = grade(memoire, first, 12)
    with pytest.raises(ValidationError):
        services.marker_grid_save(memoire=memoire, scores=scores_all(grid.rubric, 15), by=first)
    assignment = MarkerAssignment.objects.get(memoire=memoire, marker=first)
    assert not permissions.can_see_grid(second, assignment, both_submitted=False)
    assert permissions.can_see_grid(first, assignment, both_submitted=False)
    grade(memoire, second, 13)
    assert permissions.both_grids_submitted(memoire)
    assert permissions.can_see_grid(second, assignment, both_submitted=True)


def test_an_incomplete_grid_is_not_submitted_and_nothing_is_logged(enrolment, pedagogical, written):
    memoire, first, _ = marking_at(enrolment, team=pedagogical)
    grid = services.marker_grid(memoire=memoire, by=first)
    criterion = grid.rubric.criteria.first()
    services.marker_grid_save(memoire=memoire, scores={criterion.pk: ("12", "")}, by=first)
    with pytest.raises(ValidationError) as exc:
        services.marker_grid_submit(memoire=memoire, by=first)
    assert "Notez chaque critère" in text(exc)
    assert not memoire.events.filter(transition="submit_grid").exists()
    assert Grid.objects.get(pk=grid.pk).submitted_at is None


def test_a_grid_cannot_be_submitted_before_the_markers_are_assigned(enrolment, pedagogical, written):
    memoire = memoire_at(enrolment, S.FINAL_SUBMITTED, team=pedagogical)
    with pytest.raises(PermissionDenied):
        services.marker_grid_submit(memoire=memoire, by=TrainerFactory())


# --- average or reconciliation -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first_mark", "second_mark", "state", "agreed", "rule_text"),
    [
        ("12", "13.5", S.MARKED, "13", "Moyenne de 12 et 13,5, arrondie au demi-point : 13"),
        ("10", "13", S.MARKED, "11.5", "Moyenne de 10 et 13, arrondie au demi-point : 11,5"),
        ("10", "13.5", S.RECONCILIATION, None, None),
        ("9.5", "10", S.RECONCILIATION, None, None),
        ("10", "10", S.MARKED, "10", "Moyenne de 10 et 10, arrondie au demi-point : 10"),
        ("12", "14", S.MARKED, "13", "Moyenne de 12 et 14, arrondie au demi-point : 13"),
    ],
)
def test_the_second_grid_settles_the_average_or_opens_a_reconciliation(
    enrolment, pedagogical, written, first_mark, second_mark, state, agreed, rule_text
):
    """A gap of 3 points is averaged, 3.5 is reconciled; 9.5 and 10 straddle the pass mark. The
    agreed mark is the rounded average, never the higher of the two."""
    memoire, first, second = marking_at(enrolment, team=pedagogical)
    grade(memoire, first, first_mark)
    grade(memoire, second, second_mark)
    memoire.refresh_from_db()
    assert memoire.state == state
    if agreed is None:
        assert not AgreedMark.objects.filter(memoire=memoire).exists()
        assert memoire.events.get(transition="open_reconciliation").comment
    else:
        mark = AgreedMark.objects.get(memoire=memoire)
        assert (mark.mark, mark.rule, mark.rule_text) == (Decimal(agreed), AgreedMarkRule.AVERAGE, rule_text)
        assert mark.mark != max(Decimal(first_mark), Decimal(second_mark)) or first_mark == second_mark
        assert mark.released_at is None


def test_the_reconciliation_reason_is_written_for_a_gap_and_for_the_pass_mark(
    enrolment, pedagogical, written
):
    memoire, first, second = marking_at(enrolment, team=pedagogical)
    grade(memoire, first, 8)
    grade(memoire, second, 12)
    assert services.reconciliation_reason(memoire) == (
        "Les deux notes s'écartent de 4 points, plus que le seuil de 3."
    )


def _reconciling(enrolment, pedagogical):
    memoire, first, second = marking_at(enrolment, team=pedagogical)
    grade(memoire, first, 8)
    grade(memoire, second, 12)
    memoire.refresh_from_db()
    return memoire, first, second


def test_a_marker_reconciles_criterion_by_criterion_with_justifications(enrolment, pedagogical, written):
    """Unjustified criteria are refused; once justified, the agreed grid gives the mark, rounded,
    and both original grids stay as they were."""
    memoire, first, second = _reconciling(enrolment, pedagogical)
    originals = list(
        Grid.objects.filter(assignment__memoire=memoire).values_list("pk", "mark", "submitted_at")
    )
    rubric = written.written_rubric
    with pytest.raises(ValidationError) as exc:
        services.reconciliation_submit(memoire=memoire, scores=scores_all(rubric, 10), by=first)
    assert "Justifiez chaque critère" in text(exc)
    assert memoire.events.filter(transition="reconcile").count() == 0
    criteria = list(rubric.criteria.all())
    scores = {c.pk: ("10" if i % 2 else "11", "Accord après relecture.") for i, c in enumerate(criteria)}
    agreed = services.reconciliation_submit(memoire=memoire, scores=scores, comment="Accord.", by=second)
    memoire.refresh_from_db()
    assert memoire.state == S.MARKED
    # weights 2,1,2,1 with 11,10,11,10 → 64/6 = 10.666… → 10.5 by half points
    assert (agreed.mark, agreed.rule) == (Decimal("10.5"), AgreedMarkRule.RECONCILED)
    assert agreed.reconciliation_reason.startswith("Les deux notes s'écartent de 4 points")
    assert agreed.grid.author_id == second.pk
    after = list(Grid.objects.filter(assignment__memoire=memoire).values_list("pk", "mark", "submitted_at"))
    assert after == originals


def test_the_team_names_a_third_marker_who_reconciles(enrolment, pedagogical, trainer, written):
    memoire, first, _ = _reconciling(enrolment, pedagogical)
    third = TrainerFactory()
    with pytest.raises(PermissionDenied):
        services.third_marker_name(memoire=memoire, marker=third, by=trainer)
    with pytest.raises(ValidationError) as exc:
        services.third_marker_name(memoire=memoire, marker=first, by=pedagogical)
    assert "a déjà corrigé ce mémoire" in text(exc)
    services.third_marker_name(memoire=memoire, marker=third, by=pedagogical)
    assert permissions.marker_role(third, memoire) == MarkerRole.THIRD
    assert memoire.events.filter(transition="name_third_marker").count() == 1
    with pytest.raises(PermissionDenied):
        services.marker_grid_submit(memoire=memoire, by=third)
    scores = scores_all(written.written_rubric, 11, "Tiers : accord.")
    agreed = services.reconciliation_submit(memoire=memoire, scores=scores, by=third)
    assert agreed.mark == Decimal(11)


def test_a_third_marker_is_named_only_during_a_reconciliation(enrolment, pedagogical, written):
    memoire, _, _ = marking_at(enrolment, team=pedagogical)
    with pytest.raises(ValidationError) as exc:
        services.third_marker_name(memoire=memoire, marker=TrainerFactory(), by=pedagogical)
    assert text(exc) == "Un·e tiers correcteur·rice se désigne pendant une conciliation ouverte."


def test_the_tutor_is_no_third_marker_unless_allowed(enrolment, pedagogical, trainer, programme):
    scheme(programme)
    memoire, first, second = marking_at(enrolment, team=pedagogical, tutor=trainer)
    grade(memoire, first, 8)
    grade(memoire, second, 12)
    with pytest.raises(ValidationError) as exc:
        services.third_marker_name(memoire=memoire, marker=trainer, by=pedagogical)
    assert exc.value.message_dict == {"marker": [TUTOR_MAY_NOT_MARK]}


# --- release -------------------------------------------------------------------------------------


def test_the_release_is_the_teams_after_the_mark_and_emails_the_learner_once(
    enrolment, pedagogical, trainer, written, django_capture_on_commit_callbacks
):
    memoire, first, second = marking_at(enrolment, team=pedagogical)
    with pytest.raises(ValidationError) as exc:
        services.mark_release(memoire=memoire, by=pedagogical)
    assert text(exc) == "La note n'est pas encore retenue."
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        grade(memoire, first, 12)
        grade(memoire, second, 13)
    assert mail.outbox == []  # nothing reaches the learner before the release
    with pytest.raises(PermissionDenied):
        services.mark_release(memoire=memoire, by=trainer)
    with django_capture_on_commit_callbacks(execute=True):
        agreed = services.mark_release(memoire=memoire, by=pedagogical)
    assert agreed.released_by_id == pedagogical.pk and agreed.released_at is not None
    (message,) = mail.outbox
    assert message.to == [enrolment.user.email]
    assert message.subject == "[DE Coordinateur CLS] La note de votre mémoire est publiée"
    memoire.refresh_from_db()
    assert memoire.state == S.RELEASED
    with pytest.raises(ValidationError) as exc:
        services.mark_release(memoire=memoire, by=pedagogical)
    assert text(exc) == "La note est déjà publiée."


def test_released_mark_is_none_before_the_release(enrolment, pedagogical, written):
    memoire, first, second = marking_at(enrolment, team=pedagogical)
    grade(memoire, first, 12, comment="Bon travail.")
    grade(memoire, second, 13, comment="Analyse solide.")
    assert selectors.released_mark_for(memoire=memoire) is None
    services.mark_release(memoire=memoire, by=pedagogical)
    released = selectors.released_mark_for(memoire=memoire)
    assert released["agreed"].mark == Decimal("12.5")
    assert released["comments"] == ["Bon travail.", "Analyse solide."]


def test_a_whole_cohorts_ready_marks_are_released(cohort, pedagogical, written):
    ready = []
    for score in (12, 14):
        memoire, first, second = marking_at(EnrolmentFactory(cohort=cohort), team=pedagogical)
        grade(memoire, first, score)
        grade(memoire, second, score)
        ready.append(memoire)
    marking_at(EnrolmentFactory(cohort=cohort), team=pedagogical)  # still being marked
    assert services.marks_release_cohort(cohort=cohort, by=pedagogical) == 2
    assert AgreedMark.objects.filter(released_at__isnull=False).count() == 2


# --- the queue -----------------------------------------------------------------------------------


def test_the_queue_lists_mémoires_to_mark_and_reconciliations(cohort, pedagogical, written):
    marker = TrainerFactory()
    to_mark, _, _ = marking_at(EnrolmentFactory(cohort=cohort), team=pedagogical, first=marker)
    reconciling, _, other = marking_at(EnrolmentFactory(cohort=cohort), team=pedagogical, first=marker)
    grade(reconciling, marker, 8)
    grade(reconciling, other, 12)
    done, _, _ = marking_at(EnrolmentFactory(cohort=cohort), team=pedagogical, first=marker)
    grade(done, marker, 12)
    items = selectors.marking_queue_for(trainer=marker)
    assert [(i.memoire.pk, i.kind) for i in items] == [(to_mark.pk, "mark"), (reconciling.pk, "reconcile")]
    assert all(i.waiting_days == 0 for i in items)


def test_the_queue_shows_a_code_when_the_cohort_marks_blind(cohort, pedagogical, written):
    services.blind_marking_set(cohort=cohort, blind=True, by=pedagogical)
    memoire, first, _ = marking_at(EnrolmentFactory(cohort=cohort), team=pedagogical)
    (item,) = selectors.marking_queue_for(trainer=first)
    assert item.who == f"M{memoire.pk:04d}" and item.cohort == ""


# --- blind copies --------------------------------------------------------------------------------


def _named_pdf(name: str) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setAuthor(name)
    pdf.setTitle(f"Mémoire de {name}")
    pdf.setCreator(name)
    for page in range(3):
        pdf.drawString(72, 720, f"Page {page + 1}")
        pdf.showPage()
    pdf.save()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buffer.getvalue())))
    xmp = StreamObject()
    xmp.set_data(f"<x:xmpmeta><dc:creator>{name}</dc:creator></x:xmpmeta>".encode())
    writer._root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_blind_copy_has_no_author_no_xmp_and_no_name_in_its_bytes():
    original = _named_pdf("Camille Durand")
    assert b"Camille Durand" in original
    copy = blind_copy(original)
    reader = PdfReader(io.BytesIO(copy))
    assert len(reader.pages) == 3
    assert not reader.metadata  # no /Info: no Author, Creator, Producer nor Title
    assert "/Metadata" not in reader.trailer["/Root"]
    assert reader.xmp_metadata is None
    assert b"Camille" not in copy and b"Durand" not in copy


def test_the_blind_file_name_is_a_code(enrolment, pedagogical):
    memoire = memoire_at(enrolment, S.NOT_STARTED, team=pedagogical)
    assert blind_file_name(memoire) == f"memoire-M{memoire.pk:04d}.pdf"
