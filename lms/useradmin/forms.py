from django import forms
from wagtail.users.forms import UserCreationForm, UserEditForm

from lms.enums import Role
from lms.models import Region

from . import permissions

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


class AccessRulesFormMixin:
    """Shapes Wagtail's user form to what `actor` may do to the account (lms.useradmin.permissions).

    A field the actor may not change is removed (password, superuser status, active status) or
    disabled (address, role, regions, groups: shown as they are); Django ignores whatever is
    posted for a disabled field, so a crafted POST changes nothing either."""

    def __init__(self, *args, actor, **kwargs):
        instance = kwargs.get("instance")
        target = instance if instance is not None and instance.pk is not None else None
        self.actor = actor
        # Read by Wagtail's UserForm while it builds its fields, hence set first.
        self.password_allowed = permissions.can_set_password(actor, target)
        super().__init__(*args, **kwargs)
        if not permissions.can_grant_superuser(actor, target):
            self.fields.pop("is_superuser", None)
        if not permissions.can_change_email(actor, target):
            self._freeze("email", "Seul·e un·e superutilisateur·rice modifie l'adresse d'un compte existant.")
        if not permissions.can_assign_groups(actor, target):
            self._freeze("groups", "Les groupes suivent le rôle.")
        if target is not None and not permissions.can_change_access(actor, target):
            self._freeze("role", "Votre propre rôle se change par un·e autre administrateur·rice.")
            self._freeze("regions", "")
            self.fields.pop("is_active", None)

    @property
    def password_enabled(self):
        return super().password_enabled and self.password_allowed

    def _freeze(self, name: str, help_text: str) -> None:
        field = self.fields.get(name)
        if field is not None:
            field.disabled = True
            field.required = False
            if help_text:
                field.help_text = help_text

    def save(self, commit=True):
        from lms.services import user_role_sync

        user = super().save(commit=False)
        if user.pk is None and not self.password_allowed:
            # Nobody but its owner knows the password: they choose it through « Mot de passe oublié ».
            user.set_unusable_password()
        if commit:
            user.save()
            self.save_m2m()
            # Groups follow the role: saving the groups field must not undo what the role gives.
            user_role_sync(user=user)
        return user


class PlatformUserCreationForm(AccessRulesFormMixin, PlatformFieldsForm, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | set(PLATFORM_FIELDS)


class PlatformUserEditForm(AccessRulesFormMixin, PlatformFieldsForm, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | set(PLATFORM_FIELDS)
