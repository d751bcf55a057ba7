"""Forms of the team's board. They only parse input: the rules are in the mémoire's flows."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms

from assessments.memoire.enums import MemoireState

MAX_SEARCH_CHARS = 100


class BoardFilterForm(forms.Form):
    cohort = forms.ModelChoiceField(
        label="Promotion",
        queryset=None,
        required=False,
        empty_label="Toutes",
        error_messages={"invalid_choice": "Cette promotion n'existe pas : choisissez-en une dans la liste."},
    )
    region = forms.ModelChoiceField(
        label="Région",
        queryset=None,
        required=False,
        empty_label="Toutes",
        error_messages={"invalid_choice": "Cette région n'existe pas : choisissez-en une dans la liste."},
    )
    state = forms.ChoiceField(
        label="Étape",
        required=False,
        choices=[("", "Toutes")] + MemoireState.choices,
        error_messages={"invalid_choice": "Cette étape n'existe pas : choisissez-en une dans la liste."},
    )
    tutor = forms.ModelChoiceField(
        label="Tuteur·rice",
        queryset=None,
        required=False,
        empty_label="Tous et toutes",
        error_messages={"invalid_choice": "Choisissez un·e tuteur·rice dans la liste."},
    )
    q = forms.CharField(
        label="Nom ou e-mail de l'apprenant·e",
        required=False,
        max_length=MAX_SEARCH_CHARS,
        error_messages={"max_length": f"La recherche compte au plus {MAX_SEARCH_CHARS} caractères."},
    )

    def __init__(self, *args, cohorts, regions, trainers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
        self.fields["region"].queryset = regions
        self.fields["tutor"].queryset = trainers
        self.fields["tutor"].label_from_instance = lambda user: user.display_name
        for name in ("cohort", "region", "state", "tutor"):
            self.fields[name].widget.attrs.update({"class": "fr-select"})

    def filters(self) -> dict:
        """The selector's keyword arguments; empty when the form is unbound or invalid."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "state": data["state"] or None,
            "region": data["region"],
            "tutor": data["tutor"],
            "query": data["q"].strip(),
            "cohort": data["cohort"],
        }

    def query_string(self) -> str:
        """The valid filters as a query string, for the pagination and export links."""
        if not self.is_bound or not self.is_valid():
            return ""
        kept = {
            name: getattr(value, "pk", value)
            for name, value in self.cleaned_data.items()
            if value not in (None, "")
        }
        return urlencode(kept)
