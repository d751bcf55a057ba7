"""Forms of the FAQ and the forum search: they check the shape of the input only."""

from django import forms

from forum.search.selectors import MAX_QUERY_CHARS


class SearchForm(forms.Form):
    """`?q=`: optional (an empty query shows the page's empty state), bounded in length."""

    q = forms.CharField(
        label="Rechercher",
        required=False,
        max_length=MAX_QUERY_CHARS,
        error_messages={
            "max_length": (
                f"Votre recherche est trop longue : {MAX_QUERY_CHARS} caractères au plus "
                "(elle en compte %(show_value)d). Gardez quelques mots-clés."
            )
        },
    )

    def query(self) -> str:
        """The cleaned query, or "" when the form is invalid or empty."""
        if not self.is_valid():
            return ""
        return " ".join(self.cleaned_data["q"].split())


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
