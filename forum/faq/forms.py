"""Forms of the FAQ: they check the shape of the input only."""

from django import forms


class FeedbackForm(forms.Form):
    """« Cette réponse vous a-t-elle aidé ? »: the pressed button's value, oui or non."""

    helpful = forms.ChoiceField(
        choices=[("oui", "Oui"), ("non", "Non")],
        error_messages={
            "required": "Choisissez « Oui » ou « Non ».",
            "invalid_choice": "Choisissez « Oui » ou « Non ».",
        },
    )

    def is_helpful(self) -> bool:
        return self.cleaned_data["helpful"] == "oui"
