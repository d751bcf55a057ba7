"""Forms of the provider and session pages; the rules themselves are in courses/sessions.py."""

import datetime

from django import forms

from courses.catalogue.models import ModulePage
from courses.cohorts import permissions as cohorts_permissions
from courses.sessions import selectors
from courses.sessions.models import PresentialSession, TrainingProvider
from lms import permissions
from lms.enums import Role
from lms.models import User

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class ProviderForm(forms.ModelForm):
    """The model's clean() checks the SIRET key and the certificate dates and number."""

    class Meta:
        model = TrainingProvider
        fields = ["name", "siret", "qualiopi_number", "qualiopi_valid_from", "qualiopi_valid_until"]
        widgets = {"qualiopi_valid_from": DATE_WIDGET, "qualiopi_valid_until": DATE_WIDGET}
        help_texts = {
            "siret": "14 chiffres.",
            "qualiopi_number": "Obligatoire si vous indiquez des dates de validité.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["siret"].max_length = None
        self.fields["siret"].validators = []

    def clean_siret(self):
        """Spaces are allowed in what is typed (« 732 829 320 00074 »), not stored."""
        return "".join(self.cleaned_data["siret"].split())


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=LOCAL_FORMAT)


class LocalDateTimeField(forms.Field):
    """A wall-clock date and time, kept naive: the region chosen in the same form gives its zone."""

    widget = LocalDateTimeInput
    default_error_messages = {"invalid": "Saisissez une date et une heure valides (jj/mm/aaaa hh:mm)."}
    formats = (LOCAL_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.replace(tzinfo=None)
        for fmt in self.formats:
            try:
                return datetime.datetime.strptime(str(value).strip(), fmt)
            except ValueError:
                continue
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


def _label_user(user) -> str:
    return user.display_name


class SessionForm(forms.Form):
    """Start and end are typed in the region's local time and converted to UTC in clean()."""

    module = forms.ModelChoiceField(label="Module", queryset=ModulePage.objects.none(), empty_label=None)
    provider = forms.ModelChoiceField(
        label="Organisme de formation", queryset=TrainingProvider.objects.all(), empty_label=None
    )
    region = forms.ModelChoiceField(label="Région", queryset=None, empty_label=None)
    title = forms.CharField(label="Intitulé", max_length=200)
    place = forms.CharField(
        label="Lieu",
        max_length=300,
        required=False,
        help_text="Adresse de la salle ; pour une session à distance, le lien de connexion si vous l'avez.",
    )
    is_remote = forms.BooleanField(label="Session à distance", required=False)
    starts_local = LocalDateTimeField(
        label="Début (heure locale de la région)", help_text="Format : jj/mm/aaaa hh:mm."
    )
    ends_local = LocalDateTimeField(
        label="Fin (heure locale de la région)", help_text="Format : jj/mm/aaaa hh:mm."
    )
    hours = forms.DecimalField(
        label="Heures de formation",
        max_digits=6,
        decimal_places=2,
        help_text="Les heures créditées aux présent·es ; au plus la durée de la session et 12 h par jour.",
    )
    trainers = forms.ModelMultipleChoiceField(
        label="Formateur·rices",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cohorts = forms.ModelMultipleChoiceField(
        label="Promotions invitées",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, session: PresentialSession | None = None, **kwargs):
        if session is not None and session.pk and "initial" not in kwargs:
            zone = session.region.timezone
            kwargs["initial"] = {
                "module": session.module_id,
                "provider": session.provider_id,
                "region": session.region_id,
                "title": session.title,
                "place": session.place,
                "is_remote": session.is_remote,
                "starts_local": selectors.utc_to_local(session.starts_at, zone).strftime(LOCAL_FORMAT),
                "ends_local": selectors.utc_to_local(session.ends_at, zone).strftime(LOCAL_FORMAT),
                "hours": session.hours,
                "trainers": [t.pk for t in session.trainers.all()],
                "cohorts": [c.pk for c in session.cohorts.all()],
            }
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = ModulePage.objects.live().order_by("number", "title")
        self.fields["region"].queryset = permissions.regions_managed_by(user)
        self.fields["trainers"].queryset = User.objects.filter(role=Role.TRAINER, is_active=True)
        self.fields["trainers"].label_from_instance = _label_user
        self.fields["cohorts"].queryset = cohorts_permissions.cohorts_managed_by(user).select_related(
            "region"
        )
        self.fields["cohorts"].label_from_instance = lambda c: f"{c.name} ({c.region.name})"
        for name in ("module", "provider", "region"):
            self.fields[name].widget.attrs["class"] = "fr-select"

    def clean(self):
        cleaned = super().clean()
        region = cleaned.get("region")
        for local, utc in (("starts_local", "starts_at"), ("ends_local", "ends_at")):
            value = cleaned.get(local)
            cleaned[utc] = selectors.local_to_utc(value, region.timezone) if value and region else None
        return cleaned

    def fill(self, session: PresentialSession) -> PresentialSession:
        """Copy the cleaned values onto the session (not saved)."""
        data = self.cleaned_data
        for name in (
            "module",
            "provider",
            "region",
            "title",
            "place",
            "is_remote",
            "starts_at",
            "ends_at",
            "hours",
        ):
            setattr(session, name, data[name])
        return session
