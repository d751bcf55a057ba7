"""Forms of written deliverables. They only parse input: the rules are in services.py."""

from django import forms

from assessments.deliverables.models import ReviewDecision
from assessments.deliverables.services import ANNOTATED_POLICY, MAX_COMMENT_CHARS, MAX_FEEDBACK_CHARS
from lms.uploads import accept_attribute


class SubmissionForm(forms.Form):
    # allow_empty_file: an empty file is refused by the upload gate, with a message naming it.
    file = forms.FileField(
        label="Fichier",
        allow_empty_file=True,
        error_messages={"required": "Choisissez le fichier à déposer."},
    )
    comment = forms.CharField(
        label="Commentaire (facultatif)",
        required=False,
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"Un mot pour votre correcteur·rice, {MAX_COMMENT_CHARS} caractères au plus.",
    )

    def __init__(self, *args, policy, formats_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        size = policy.max_bytes // (1024 * 1024)
        field.help_text = f"{formats_label}, {size} Mo au plus. Le contenu du fichier est vérifié."
        field.widget.attrs["accept"] = accept_attribute(policy.kinds)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Décision",
        choices=ReviewDecision.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez : accepter, ou demander une révision.",
            "invalid_choice": "Choisissez : accepter, ou demander une révision.",
        },
    )
    feedback = forms.CharField(
        label="Retour à l'apprenant·e",
        required=False,
        max_length=MAX_FEEDBACK_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Obligatoire pour demander une révision ; envoyé par e-mail.",
    )
    annotated_file = forms.FileField(
        label="Fichier annoté (facultatif)",
        required=False,
        allow_empty_file=True,
        help_text="PDF, DOCX ou ODT, 20 Mo au plus.",
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute(ANNOTATED_POLICY.kinds)}),
    )


class ReviewerAssignmentForm(forms.Form):
    cohort = forms.ModelChoiceField(
        label="Promotion",
        queryset=None,
        empty_label="Choisissez une promotion",
        error_messages={
            "required": "Choisissez la promotion.",
            "invalid_choice": "Choisissez une promotion dans la liste.",
        },
    )
    module = forms.ModelChoiceField(
        label="Module",
        queryset=None,
        empty_label="Choisissez un module",
        error_messages={
            "required": "Choisissez le module.",
            "invalid_choice": "Choisissez un module dans la liste.",
        },
    )
    trainer = forms.ModelChoiceField(
        label="Formateur·rice",
        queryset=None,
        empty_label="Choisissez un·e formateur·rice",
        error_messages={
            "required": "Choisissez le ou la formateur·rice.",
            "invalid_choice": "Choisissez un·e formateur·rice dans la liste.",
        },
    )

    def __init__(self, *args, cohorts, modules, trainers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
        self.fields["module"].queryset = modules
        self.fields["module"].label_from_instance = lambda module: f"{module.number}. {module.title}"
        self.fields["trainer"].queryset = trainers
        self.fields["trainer"].label_from_instance = lambda user: user.display_name
        for name in ("cohort", "module", "trainer"):
            self.fields[name].widget.attrs.update({"class": "fr-select"})


class ReviewerFilterForm(forms.Form):
    cohort = forms.ModelChoiceField(
        label="Promotion",
        queryset=None,
        required=False,
        empty_label="Toutes",
        error_messages={"invalid_choice": "Choisissez une promotion dans la liste."},
    )

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
        self.fields["cohort"].widget.attrs.update({"class": "fr-select"})
