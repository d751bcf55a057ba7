"""The search box of the forum and of the FAQ: it checks the shape of the input only."""

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


def search_query(request) -> tuple[SearchForm, str]:
    """The search form of `?q=` (unbound without it) and its cleaned query ("" when invalid)."""
    form = SearchForm(request.GET if "q" in request.GET else None)
    return form, (form.query() if form.is_bound else "")
