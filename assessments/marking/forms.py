"""Forms of the double marking. They only parse input: the rules are in memoire/flows.py and
services.py. The grids use rubrics.forms.GridForm."""

from django import forms

from assessments.marking.selectors import PUBLICATION_STATES
from assessments.memoire.flows import MAX_COMMENT_CHARS


def _trainer_field(label: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=None,
        empty_label="Choisissez un·e formateur·rice",
        error_messages={
            "required": "Choisissez un·e formateur·rice.",
            "invalid_choice": "Choisissez un·e formateur·rice de la liste.",
        },
    )


class _TrainersForm(forms.Form):
    def __init__(self, *args, trainers, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.queryset = trainers
                field.label_from_instance = lambda user: user.display_name
                field.widget.attrs.update({"class": "fr-select"})


class MarkersForm(_TrainersForm):
    first = _trainer_field("Correcteur·rice 1")
    second = _trainer_field("Correcteur·rice 2")
    comment = forms.CharField(
        label="Commentaire (facultatif, pour l'historique)",
        required=False,
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ThirdMarkerForm(_TrainersForm):
    marker = _trainer_field("Tiers correcteur·rice")
    comment = forms.CharField(
        label="Commentaire (facultatif, pour l'historique)",
        required=False,
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConfirmForm(forms.Form):
    """A confirmation step: the button alone (the CSRF token protects it)."""


class PublicationFilterForm(forms.Form):
    cohort = forms.ModelChoiceField(label="Promotion", queryset=None, required=False, empty_label="Toutes")
    state = forms.ChoiceField(
        label="Étape",
        required=False,
        choices=[("", "Toutes")] + [(s.value, s.label) for s in PUBLICATION_STATES],
    )

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
        for name in ("cohort", "state"):
            self.fields[name].widget.attrs.update({"class": "fr-select"})


class BlindMarkingForm(forms.Form):
    blind_marking = forms.BooleanField(
        label="Correction anonyme",
        required=False,
        help_text="Les correcteur·rices reçoivent une copie sans le nom de l'auteur·rice "
        "(ni dans le nom du fichier ni dans ses métadonnées) et voient un code à la place de son nom.",
    )
