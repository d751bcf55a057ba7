"""Forms of the moderation pages: they carry the reason and the choice; the rules (empty reason,
destination space, who may act) live in forum.moderation."""

from django import forms

from forum.moderation.services import MAX_REASON_CHARS


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Motif",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"Obligatoire, {MAX_REASON_CHARS:_} caractères au plus. ".replace("_", "\u202f")
        + "Il est conservé dans le journal de modération.",
    )


class ReportForm(ReasonForm):
    reason = forms.CharField(
        label="Motif du signalement",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Obligatoire. Expliquez en quoi ce message pose problème : seule la modération le lira.",
    )


class MoveForm(ReasonForm):
    to_space = forms.ModelChoiceField(
        label="Espace de destination",
        queryset=None,
        empty_label="Choisissez un espace",
        error_messages={
            "required": "Choisissez l'espace de destination.",
            "invalid_choice": "Choisissez un espace de la même formation que vous modérez.",
        },
        widget=forms.Select(attrs={"class": "fr-select"}),
    )

    field_order = ["to_space", "reason"]

    def __init__(self, *args, spaces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_space"].queryset = spaces


class LogFilterForm(forms.Form):
    espace = forms.ModelChoiceField(
        label="Espace",
        queryset=None,
        required=False,
        to_field_name="slug",
        empty_label="Tous les espaces que vous modérez",
        error_messages={"invalid_choice": "Cet espace n'existe pas ou vous ne le modérez pas."},
        widget=forms.Select(attrs={"class": "fr-select"}),
    )

    def __init__(self, *args, spaces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["espace"].queryset = spaces
