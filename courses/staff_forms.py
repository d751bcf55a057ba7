from decimal import Decimal

from django import forms
from django.utils import timezone

from lms import permissions

from .models import Cohort
from .services import hours_correction_refusal

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["region", "name", "start_date", "end_date", "capacity"]
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = permissions.regions_managed_by(user)
        self.fields["region"].empty_label = None
        self.fields["region"].widget.attrs["class"] = "fr-select"


class EnrolForm(forms.Form):
    last_name = forms.CharField(label="Nom", max_length=150)
    first_name = forms.CharField(label="Prénom", max_length=150)
    email = forms.EmailField(label="Adresse e-mail")
    employer = forms.CharField(label="Employeur (collectivité)", max_length=200, required=False)
    job_title = forms.CharField(label="Fonction", max_length=200, required=False)
    ars_agreement_on = forms.DateField(label="Date de l'accord de l'ARS", required=False, widget=DATE_WIDGET)
    employer_agreement_on = forms.DateField(
        label="Date de l'accord de l'employeur", required=False, widget=DATE_WIDGET
    )

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for name in ("ars_agreement_on", "employer_agreement_on"):
            value = cleaned.get(name)
            if value and value > today:
                self.add_error(name, "Cette date ne peut pas être dans le futur.")
        return cleaned


class AgreementForm(forms.Form):
    ars_agreement_on = forms.DateField(label="Date de l'accord de l'ARS", required=False, widget=DATE_WIDGET)
    employer_agreement_on = forms.DateField(
        label="Date de l'accord de l'employeur", required=False, widget=DATE_WIDGET
    )
    # The file is judged by the upload gate in services.enrolment_agreement_record (an empty file
    # included, with a message naming it).
    document = forms.FileField(
        label="Document d'accord (PDF, 5 Mo au plus)",
        required=False,
        allow_empty_file=True,
        help_text="Facultatif. Le document est vérifié : un vrai PDF, de 5 Mo au plus.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier des apprenant·es (CSV ou XLSX, 2 Mo au plus)",
        help_text=(
            "Colonnes : Nom, Prénom, E-mail, Employeur, Fonction, Date accord ARS, Date accord employeur."
        ),
    )


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
