"""Forms of the similarity room. They only parse input: the rules are in the mémoire's flows
(clear_similarity, confirm_similarity) and in services.py."""

from django import forms

from assessments.memoire.flows import MAX_COMMENT_CHARS


class FlagDecisionForm(forms.Form):
    comment = forms.CharField(
        label="Motif de la décision",
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Il reste dans l'historique du mémoire, visible de l'équipe pédagogique.",
        error_messages={
            "required": "Écrivez le motif de la décision : il reste dans l'historique du mémoire.",
            "max_length": f"Le motif compte au plus {MAX_COMMENT_CHARS} caractères.",
        },
    )
