from django import forms
from wagtail.admin.forms import WagtailAdminPageForm

from .enums import OPTIONS_TO_CHOOSE


class ModulePageForm(WagtailAdminPageForm):
    """Lets the hour-bounds rule in ModulePage.clean see the programme of a page not yet saved."""

    def _post_clean(self):
        if self.parent_page is not None:
            self.instance._parent_for_validation = self.parent_page
        super()._post_clean()


class OptionChoiceForm(forms.Form):
    options = forms.ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        label=f"Choisissez exactement {OPTIONS_TO_CHOOSE} modules d'approfondissement",
        error_messages={"required": f"Choisissez exactement {OPTIONS_TO_CHOOSE} modules."},
    )

    def __init__(self, *args, modules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["options"].queryset = modules
        self.fields["options"].label_from_instance = lambda m: m.title
