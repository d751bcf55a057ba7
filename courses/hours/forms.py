"""Forms of in-organisation declarations. They only parse input: the rules are in declarations.py."""

from decimal import Decimal

from django import forms

from courses.cohorts.forms import DATE_WIDGET
from courses.hours.models import DeclarationStatus
from courses.hours.services import (
    EVIDENCE_POLICY,
    MAX_DESCRIPTION_CHARS,
    MAX_REASON_CHARS,
    hours_correction_refusal,
)
from lms.uploads import accept_attribute


class HoursCorrectionForm(forms.Form):
    """A correction of one ledger entry: a signed adjustment, or the cancellation of what is left
    of the entry; always with a reason. `net` is the entry's current total (with its corrections)."""

    ADJUST = "adjust"
    CANCEL = "cancel"

    kind = forms.ChoiceField(
        label="Type de correction",
        choices=[(ADJUST, "Ajuster les heures"), (CANCEL, "Annuler la ligne")],
        initial=ADJUST,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez le type de correction.", "invalid_choice": "Type inconnu."},
    )
    hours = forms.DecimalField(
        label="Heures à ajouter ou à retirer",
        help_text="Par exemple 1,5 pour ajouter une heure et demie, -2 pour retirer deux heures.",
        required=False,
        max_digits=6,
        decimal_places=2,
        localize=True,
        error_messages={
            "invalid": "Saisissez un nombre d'heures, par exemple 1,5 ou -2.",
            "max_decimal_places": "Au plus deux décimales.",
            "max_digits": "Ce nombre d'heures n'est pas plausible.",
            "max_whole_digits": "Ce nombre d'heures n'est pas plausible.",
        },
    )
    reason = forms.CharField(
        label="Motif de la correction",
        help_text="Visible dans le relevé d'heures : pourquoi, et sur quelle pièce.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Indiquez le motif de la correction."},
    )

    def __init__(self, *args, net: Decimal, **kwargs):
        super().__init__(*args, **kwargs)
        self.net = net

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Indiquez le motif de la correction.")
        return reason

    def clean(self):
        cleaned = super().clean()
        kind, hours = cleaned.get("kind"), cleaned.get("hours")
        if kind == self.CANCEL:
            if self.net <= 0:
                raise forms.ValidationError("Cette ligne est déjà annulée.")
            cleaned["adjustment"] = -self.net
        elif kind == self.ADJUST and "hours" not in self.errors:
            if hours is None:
                self.add_error("hours", "Indiquez les heures à ajouter (ou à retirer, avec un signe moins).")
            elif refusal := hours_correction_refusal(net=self.net, hours=hours):
                self.add_error("hours", refusal)
            else:
                cleaned["adjustment"] = hours
        return cleaned


class DeclarationForm(forms.Form):
    occurred_on = forms.DateField(
        label="Date",
        widget=DATE_WIDGET,
        help_text="Le jour où le travail a été réalisé, depuis le début de votre promotion.",
        error_messages={"required": "Indiquez la date du travail réalisé.", "invalid": "Date invalide."},
    )
    hours = forms.DecimalField(
        label="Heures",
        localize=True,
        max_digits=5,
        decimal_places=2,
        help_text="Par quarts d'heure, par exemple 1,5 pour une heure et demie ; 10 heures au plus par jour.",
        error_messages={
            "required": "Indiquez un nombre d'heures.",
            "invalid": "Indiquez un nombre d'heures.",
        },
    )
    module = forms.ModelChoiceField(
        label="Module",
        queryset=None,
        empty_label="Choisissez un module",
        help_text="Les modules socles et vos deux options.",
        error_messages={
            "required": "Choisissez le module concerné.",
            "invalid_choice": (
                "Vous ne suivez pas ce module : choisissez un module socle ou l'une de vos options."
            ),
        },
    )
    description = forms.CharField(
        label="Ce qui a été fait",
        max_length=MAX_DESCRIPTION_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"En texte simple, {MAX_DESCRIPTION_CHARS} caractères au plus.",
        error_messages={"required": "Décrivez en quelques lignes ce qui a été fait."},
    )
    # allow_empty_file: an empty file is refused by the upload gate, with a message naming it.
    evidence = forms.FileField(
        label="Justificatif",
        required=False,
        allow_empty_file=True,
        help_text="PDF, PNG, JPEG, DOCX ou ODT, 5 Mo au plus. Le contenu du fichier est vérifié.",
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute(EVIDENCE_POLICY.kinds)}),
    )

    def __init__(self, *args, modules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = modules
        # Point at the hint includes/field.html renders (Django would point at an id it never renders).
        self.fields["module"].widget.attrs.update({"class": "fr-select", "aria-describedby": "aide-module"})


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label="Motif du refus",
        max_length=MAX_REASON_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Il est envoyé à l'apprenant·e par e-mail.",
        error_messages={"required": "Indiquez le motif du refus : il est transmis à l'apprenant·e."},
    )


STATUS_FILTERS = [("", "Tous les statuts"), *DeclarationStatus.choices]


class QueueFilterForm(forms.Form):
    cohort = forms.ModelChoiceField(label="Promotion", queryset=None, required=False, empty_label="Toutes")
    status = forms.ChoiceField(label="Statut", choices=STATUS_FILTERS, required=False)

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
        for field in self.fields.values():
            field.widget.attrs["class"] = "fr-select"
