"""Forms of the mémoire. They only parse input: the rules are in flows.py and services.py."""

from django import forms

from assessments.memoire.enums import MemoireKind
from assessments.memoire.flows import MAX_COMMENT_CHARS, MAX_SUMMARY_CHARS, MAX_TITLE_CHARS
from assessments.memoire.services import ANNEXES_POLICY, DRAFT_POLICY, FINAL_POLICY, MAX_NOTE_CHARS
from lms.models import User
from lms.uploads import accept_attribute, kinds_label, size_limit_label


def _file_help(policy) -> str:
    return (
        f"{kinds_label(policy.kinds)}, {size_limit_label(policy.max_bytes)} au plus. Le contenu est vérifié."
    )


class SubjectForm(forms.Form):
    title = forms.CharField(
        label="Titre du mémoire",
        max_length=MAX_TITLE_CHARS,
        error_messages={"required": "Indiquez le titre de votre mémoire."},
    )
    kind = forms.ChoiceField(
        label="Type de mémoire",
        choices=[("", "Choisissez le type de mémoire")] + MemoireKind.choices,
        error_messages={
            "required": "Choisissez le type de mémoire.",
            "invalid_choice": "Choisissez le type de mémoire.",
        },
    )
    summary = forms.CharField(
        label="Résumé du sujet",
        max_length=MAX_SUMMARY_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=f"La question, le terrain et la démarche, {MAX_SUMMARY_CHARS} caractères au plus.",
        error_messages={"required": "Résumez votre sujet en quelques lignes."},
    )
    cls_name = forms.CharField(
        label="Contrat local de santé (CLS) concerné",
        max_length=200,
        error_messages={"required": "Indiquez le contrat local de santé (CLS) concerné."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.attrs.update({"class": "fr-select"})


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label="Commentaire pour l'apprenant·e",
        required=False,
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="Ce qu'il faut reprendre",
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="L'apprenant·e le lit dans « Mon mémoire » avant de proposer à nouveau son sujet.",
        error_messages={"required": "Dites à l'apprenant·e ce qu'il faut reprendre dans son sujet."},
    )


class TutorForm(forms.Form):
    tutor = forms.ModelChoiceField(
        label="Tuteur·rice",
        queryset=User.objects.none(),
        empty_label="Choisissez un·e formateur·rice",
        error_messages={
            "required": "Choisissez un·e formateur·rice comme tuteur·rice.",
            "invalid_choice": "Choisissez un·e formateur·rice comme tuteur·rice.",
        },
    )

    def __init__(self, *args, trainers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tutor"].queryset = trainers
        self.fields["tutor"].label_from_instance = lambda user: user.display_name
        self.fields["tutor"].widget.attrs.update({"class": "fr-select"})


class DraftForm(forms.Form):
    file = forms.FileField(
        label="Brouillon",
        allow_empty_file=True,
        help_text=_file_help(DRAFT_POLICY),
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute(DRAFT_POLICY.kinds)}),
        error_messages={"required": "Joignez votre brouillon."},
    )
    note = forms.CharField(
        label="Note pour votre tuteur·rice",
        required=False,
        max_length=MAX_NOTE_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce qui a changé, ce sur quoi vous attendez un avis.",
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Votre commentaire",
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Écrivez votre commentaire."},
    )


class FinalForm(forms.Form):
    file = forms.FileField(
        label="Mémoire (PDF)",
        allow_empty_file=True,
        help_text=_file_help(FINAL_POLICY) + " Les pages sont comptées, annexes à part.",
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute(FINAL_POLICY.kinds)}),
        error_messages={"required": "Joignez votre mémoire au format PDF."},
    )
    annexes = forms.FileField(
        label="Annexes",
        required=False,
        allow_empty_file=True,
        help_text=_file_help(ANNEXES_POLICY) + " Elles ne sont pas comptées dans les pages.",
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute(ANNEXES_POLICY.kinds)}),
    )
    confirm = forms.BooleanField(
        label="Je dépose ma version finale : elle ne pourra plus être remplacée.",
        error_messages={"required": "Cochez la case pour confirmer le dépôt de la version finale."},
    )
