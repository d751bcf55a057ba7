"""The form of a grid: one score field (out of 20, by half points) and one optional justification
per criterion of the rubric, and a general comment. A posted criterion that is not in the rubric
is refused, not ignored."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms

from assessments.rubrics.grading import MARK_MAX, MARK_MIN, SCORE_STEP
from assessments.rubrics.models import Grid, Rubric

_FIELD = re.compile(r"^(score|justification)_(.+)$")
UNKNOWN_CRITERION = "La grille envoyée contient un critère qui n'en fait pas partie : rechargez la page."


class GridForm(forms.Form):
    comment = forms.CharField(
        label="Appréciation générale",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self,
        *args,
        rubric: Rubric,
        grid: Grid | None = None,
        submitting: bool = False,
        justification_required: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        self.criteria = list(rubric.criteria.all())
        self.submitting = submitting
        existing = {}
        if grid is not None and grid.pk:
            existing = {s.criterion_id: s for s in grid.scores.all()}
            self.fields["comment"].initial = grid.comment
        for criterion in self.criteria:
            previous = existing.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.label} (coefficient {criterion.weight})",
                min_value=MARK_MIN,
                max_value=MARK_MAX,
                decimal_places=2,
                step_size=SCORE_STEP,
                required=submitting,
                initial=previous.score if previous else None,
                help_text=criterion.descriptors,
                error_messages={
                    "required": "Notez ce critère (de 0 à 20) avant de remettre la grille.",
                    "min_value": "La note va de 0 à 20.",
                    "max_value": "La note va de 0 à 20.",
                    "step_size": "Notez par demi-points (12 ou 12,5).",
                    "invalid": "Saisissez une note de 0 à 20, par exemple 12,5.",
                },
                localize=True,
            )
            self.fields[f"justification_{criterion.pk}"] = forms.CharField(
                label=f"Justification — {criterion.label}",
                required=submitting and justification_required,
                max_length=3000,
                initial=previous.justification if previous else "",
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"required": "Justifiez la note retenue pour ce critère."},
            )

    def rows(self):
        """(criterion, score field, justification field) for the template."""
        return [(c, self[f"score_{c.pk}"], self[f"justification_{c.pk}"]) for c in self.criteria]

    def clean(self):
        cleaned = super().clean()
        known = {str(c.pk) for c in self.criteria}
        for key in self.data:
            match = _FIELD.match(key)
            if match and match.group(2) not in known:
                raise forms.ValidationError(UNKNOWN_CRITERION)
        return cleaned

    def scores(self) -> dict[int, tuple[Decimal | None, str]]:
        """{criterion id: (score or None, justification)} from the cleaned data."""
        return {
            c.pk: (
                self.cleaned_data.get(f"score_{c.pk}"),
                (self.cleaned_data.get(f"justification_{c.pk}") or "").strip(),
            )
            for c in self.criteria
        }
