"""Forms of the cohort tools: a cohort, one enrolment, an import, the prerequisite agreement."""

from django import forms
from django.utils import timezone

from courses.cohorts.models import Cohort
from lms import permissions

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
