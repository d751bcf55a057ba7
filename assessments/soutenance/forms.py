"""Forms of the soutenance: a jury, a slot (times typed in the region's zone), the declaration of
no conflict of interest, the PV (result, corrections, deadline, the signature drawn on screen)."""

from __future__ import annotations

from django import forms

from assessments.soutenance.enums import PvResult
from courses.attendance.forms import SignatureForm
from courses.sessions.forms import LocalDateTimeField


def _label_user(user) -> str:
    return user.display_name


class JuryForm(forms.Form):
    cohort = forms.ModelChoiceField(
        label="Promotion",
        queryset=None,
        empty_label="Choisissez une promotion",
        error_messages={"required": "Choisissez la promotion dont le jury entend les soutenances."},
    )
    name = forms.CharField(
        label="Nom du jury", max_length=200, error_messages={"required": "Donnez un nom au jury."}
    )
    president = forms.ModelChoiceField(
        label="Président·e",
        queryset=None,
        empty_label="Choisissez un·e formateur·rice",
        error_messages={"required": "Choisissez un·e formateur·rice pour présider le jury."},
    )
    members = forms.ModelMultipleChoiceField(
        label="Membres (en plus du ou de la président·e)",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Un jury compte au moins un membre en plus de son ou sa président·e."},
    )

    def __init__(self, *args, cohorts, trainers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
        self.fields["president"].queryset = trainers
        self.fields["members"].queryset = trainers
        self.fields["cohort"].label_from_instance = lambda cohort: cohort.name
        for name in ("president", "members"):
            self.fields[name].label_from_instance = _label_user
        for name in ("cohort", "president"):
            self.fields[name].widget.attrs.update({"class": "fr-select"})

    def clean(self):
        cleaned = super().clean()
        president, members = cleaned.get("president"), cleaned.get("members")
        if president is not None and members is not None:
            others = [m for m in members if m.pk != president.pk]
            if not others:
                self.add_error(
                    "members", "Un jury compte au moins un membre en plus de son ou sa président·e."
                )
            cleaned["members"] = others
        return cleaned


class SlotForm(forms.Form):
    starts_at = LocalDateTimeField(label="Début (heure de la région)")
    duration_minutes = forms.IntegerField(
        label="Durée (minutes)",
        min_value=10,
        max_value=240,
        initial=45,
        error_messages={
            "required": "Indiquez la durée en minutes.",
            "min_value": "La durée va de 10 à 240 minutes.",
            "max_value": "La durée va de 10 à 240 minutes.",
            "invalid": "Indiquez la durée en minutes, par exemple 45.",
        },
    )
    place = forms.CharField(label="Lieu", max_length=250, required=False)
    video_link = forms.URLField(
        label="Lien de visioconférence",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Saisissez une adresse web complète, par exemple https://…"},
    )
    change_deadline = LocalDateTimeField(
        label="Réservation modifiable jusqu'au (heure de la région)",
        help_text="Après cette date, l'apprenant·e ne peut plus réserver ni changer ce créneau.",
    )

    def clean(self):
        cleaned = super().clean()
        if (
            not (cleaned.get("place") or "").strip()
            and not cleaned.get("video_link")
            and "video_link" not in self.errors
        ):
            self.add_error("place", "Indiquez un lieu ou un lien de visioconférence.")
        starts_at, deadline = cleaned.get("starts_at"), cleaned.get("change_deadline")
        if starts_at and deadline and deadline > starts_at:
            self.add_error(
                "change_deadline", "La date limite de réservation doit précéder le début du créneau."
            )
        return cleaned


class ConflictForm(forms.Form):
    confirmed = forms.BooleanField(
        label="Je déclare n'avoir aucun conflit d'intérêts avec l'apprenant·e ni avec le sujet de ce mémoire "
        "(lien familial, hiérarchique, professionnel ou financier).",
        error_messages={"required": "Cochez la case pour déclarer que vous n'avez aucun conflit d'intérêts."},
    )


class BookForm(forms.Form):
    """The confirmation of a booking (the slot is in the URL)."""


class PvForm(SignatureForm):
    result = forms.ChoiceField(
        label="Résultat",
        choices=PvResult.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez le résultat : admis·e ou ajourné·e."},
    )
    corrections = forms.CharField(
        label="Corrections demandées (si ajourné·e)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    new_deadline = forms.DateField(
        label="Nouvelle échéance de remise (si ajourné·e)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Saisissez une date valide."},
    )

    field_order = ["result", "corrections", "new_deadline", "signature"]

    def __init__(self, *args, correcting: bool = False, previewing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if correcting:
            self.fields["correction_reason"] = forms.CharField(
                label="Motif de la rectification",
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": "Indiquez pourquoi le procès-verbal est rectifié."},
            )
        if previewing:
            self.fields["signature"].required = False

    def clean_signature(self):
        if not self.data.get("signature") and not self.fields["signature"].required:
            return b""
        return super().clean_signature()
