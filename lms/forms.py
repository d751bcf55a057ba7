from django import forms
from wagtail.users.forms import UserCreationForm, UserEditForm

from .enums import Role
from .models import Region

PLATFORM_FIELDS = ("role", "regions")


class PlatformFieldsForm(forms.Form):
    """Role and regions in the Wagtail user forms; an ARS staff member needs at least one region."""

    role = forms.ChoiceField(label="Rôle", choices=Role.choices, initial=Role.LEARNER)
    regions = forms.ModelMultipleChoiceField(
        label="Régions (référent·es ARS)",
        queryset=Region.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.ARS_STAFF and not cleaned.get("regions"):
            self.add_error("regions", "Un·e référent·e ARS doit être rattaché·e à au moins une région.")
        return cleaned


class PlatformUserCreationForm(PlatformFieldsForm, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | set(PLATFORM_FIELDS)


class PlatformUserEditForm(PlatformFieldsForm, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | set(PLATFORM_FIELDS)
