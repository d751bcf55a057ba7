"""The choice of the two optional modules."""

from django import forms

from courses.enums import OPTIONS_TO_CHOOSE


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
