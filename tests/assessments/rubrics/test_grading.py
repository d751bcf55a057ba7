"""The arithmetic of marks: weighted means, the rounding rules, when two marks must be reconciled,
the final mark; and the grids' seal."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from assessments.rubrics import grading, services
from assessments.rubrics.forms import UNKNOWN_CRITERION, GridForm
from assessments.rubrics.grading import Rounding
from assessments.rubrics.models import Grid, GridScore, RubricKind
from assessments.rubrics.selectors import scheme_for
from tests.assessments.rubrics.factories import rubric, scores_all
from tests.factories import TrainerFactory

D = Decimal


@pytest.mark.parametrize(
    ("value", "rule", "expected"),
    [
        ("12.25", Rounding.HALF, "12.5"),
        ("12.74", Rounding.HALF, "12.5"),
        ("12.75", Rounding.HALF, "13"),
        ("12.24", Rounding.HALF, "12"),
        ("12.25", Rounding.TENTH, "12.3"),
        ("12.255", Rounding.HUNDREDTH, "12.26"),
    ],
)
def test_round_mark(value, rule, expected):
    assert grading.round_mark(D(value), rule) == D(expected)


def test_weighted_mark():
    assert grading.weighted_mark([(D(10), 1), (D(16), 2)]) == D(14)
    with pytest.raises(ValueError):
        grading.weighted_mark([])


@pytest.mark.parametrize(
    ("first", "second", "reconcile"),
    [
        ("12", "15", False),  # exactly the threshold: no
        ("12", "15.5", True),  # over the threshold
        ("9.5", "10", True),  # either side of the pass mark
        ("10", "11", False),
        ("4", "7", False),
    ],
)
def test_needs_reconciliation(first, second, reconcile):
    reason = grading.needs_reconciliation(D(first), D(second), threshold=D(3), pass_mark=D(10))
    assert (reason is not None) is reconcile


def test_average_is_never_silently_the_higher_mark():
    assert grading.average_mark(D(12), D(13), rule=Rounding.HALF) == D("12.5")
    assert grading.average_mark(D("12.5"), D(13), rule=Rounding.HALF) == D(13)  # 12.75 → 13
    assert grading.average_mark(D("12.5"), D(13), rule=Rounding.HUNDREDTH) == D("12.75")


@given(
    st.decimals(min_value=0, max_value=20, places=2),
    st.decimals(min_value=0, max_value=20, places=2),
    st.sampled_from(list(Rounding)),
)
def test_average_lies_between_the_marks(first, second, rule):
    average = grading.average_mark(first, second, rule=rule)
    low, high = min(first, second), max(first, second)
    assert low - D("0.25") <= average <= high + D("0.25")


def test_final_mark_weights():
    assert grading.final_mark(D(12), D(16), written_weight=60, oral_weight=40, rule=Rounding.HALF) == D(
        "13.5"
    )


def test_mark_text():
    assert grading.mark_text(D("12.50")) == "12,5"
    assert grading.mark_text(D("13.000")) == "13"
    assert grading.mark_text(None) == "—"


@pytest.mark.django_db
def test_scheme_defaults(programme):
    scheme = scheme_for(programme=programme)
    assert scheme.pk is None
    assert (scheme.pass_mark, scheme.discrepancy_threshold, scheme.rounding) == (D(10), D(3), Rounding.HALF)


@pytest.mark.django_db
class TestGrids:
    def test_submit_seals_with_weighted_mark(self):
        marker = TrainerFactory()
        grid_rubric = rubric()
        grid = services.grid_start(rubric=grid_rubric, author=marker)
        scores = {c.pk: (D(10) if c.weight == 2 else D(16), "") for c in grid_rubric.criteria.all()}
        grid = services.grid_save(grid=grid, scores=scores, submit=True, by=marker)
        assert grid.mark == D(12)  # (10×2 + 16 + 10×2 + 16) / 6
        assert grid.scores.count() == 4
        with pytest.raises(ValidationError, match="remise"):
            services.grid_save(grid=grid, scores=scores, by=marker)
        grid.refresh_from_db()
        grid.comment = "changé"
        with pytest.raises(ValidationError):
            grid.save()
        score = GridScore.objects.filter(grid=grid).first()
        score.score = D(20)
        with pytest.raises(ValidationError):
            score.save()

    def test_draft_then_submit_requires_every_criterion(self):
        marker = TrainerFactory()
        grid_rubric = rubric()
        grid = services.grid_start(rubric=grid_rubric, author=marker)
        first = grid_rubric.criteria.first()
        services.grid_save(grid=grid, scores={first.pk: ("12.5", "")}, by=marker)
        assert Grid.objects.get(pk=grid.pk).submitted_at is None
        with pytest.raises(ValidationError, match="Notez chaque critère"):
            services.grid_save(grid=grid, scores={first.pk: ("12.5", "")}, submit=True, by=marker)

    @pytest.mark.parametrize("bad", ["21", "-1", "12.3", "abc", "NaN", "Infinity"])
    def test_bad_scores_refused(self, bad):
        marker = TrainerFactory()
        grid_rubric = rubric()
        grid = services.grid_start(rubric=grid_rubric, author=marker)
        with pytest.raises(ValidationError):
            services.grid_save(grid=grid, scores=scores_all(grid_rubric, bad), submit=True, by=marker)
        assert not GridScore.objects.filter(grid=grid).exists()

    def test_crafted_criterion_refused(self):
        marker = TrainerFactory()
        grid_rubric, other = rubric(), rubric(RubricKind.ORAL)
        grid = services.grid_start(rubric=grid_rubric, author=marker)
        crafted = {**scores_all(grid_rubric, 12), other.criteria.first().pk: (12, "")}
        with pytest.raises(ValidationError, match="critère qui n'en fait pas partie"):
            services.grid_save(grid=grid, scores=crafted, submit=True, by=marker)

    def test_only_the_author_fills_a_grid(self):
        grid_rubric = rubric()
        grid = services.grid_start(rubric=grid_rubric, author=TrainerFactory())
        with pytest.raises(PermissionDenied):
            services.grid_save(grid=grid, scores=scores_all(grid_rubric, 12), by=TrainerFactory())

    def test_justification_required_when_asked(self):
        marker = TrainerFactory()
        grid_rubric = rubric()
        grid = services.grid_start(rubric=grid_rubric, author=marker)
        with pytest.raises(ValidationError, match="Justifiez"):
            services.grid_save(
                grid=grid,
                scores=scores_all(grid_rubric, 12),
                submit=True,
                by=marker,
                justification_required=True,
            )

    def test_form_refuses_crafted_field_and_reads_french_decimals(self):
        grid_rubric = rubric()
        data = {f"score_{c.pk}": "12,5" for c in grid_rubric.criteria.all()}
        form = GridForm(data, rubric=grid_rubric, submitting=True)
        assert form.is_valid(), form.errors
        assert set(score for score, _ in form.scores().values()) == {D("12.5")}
        form = GridForm({**data, "score_999999": "20"}, rubric=grid_rubric, submitting=True)
        assert not form.is_valid()
        assert form.non_field_errors() == [UNKNOWN_CRITERION]
        form = GridForm(
            {**data, f"score_{grid_rubric.criteria.first().pk}": "25"}, rubric=grid_rubric, submitting=True
        )
        assert not form.is_valid()
