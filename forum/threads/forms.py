"""Forum forms: they only carry the text and the chosen files; the rules (empty, length, flood,
access, file content) live in forum.services and forum.attachments."""

from django import forms

from forum.attachments.checks import ACCEPT_ATTRIBUTE, MAX_FILES

MESSAGE_HELP = (
    "Markdown : **gras**, *italique*, listes, liens, > citation. Le HTML n'est pas interprété. "
    "20 000 caractères au plus."
)
ATTACHMENTS_HELP = (
    f"Jusqu'à {MAX_FILES} fichiers de 5 Mo au plus chacun : images PNG, JPEG, WebP ou GIF, "
    "ou documents PDF de 50 pages au plus."
)


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that lets the member choose several files at once (Django refuses the
    `multiple` attribute unless the widget says it handles a list)."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A list of uploaded files (possibly empty); their content is checked by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_clean = super().clean
        if isinstance(data, list | tuple):
            return [single_clean(item, initial) for item in data if item]
        return [single_clean(data, initial)] if data else []


class MessageForm(forms.Form):
    message = forms.CharField(
        label="Votre message",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MESSAGE_HELP,
    )


class AttachmentsMixin(forms.Form):
    # allow_empty_file: an empty file is refused by forum.attachments, with a message naming it.
    attachments = MultipleFileField(
        label="Pièces jointes", required=False, allow_empty_file=True, help_text=ATTACHMENTS_HELP
    )


class ThreadForm(AttachmentsMixin, MessageForm):
    # Required in the form only so that the label is not marked « facultatif »; the service keeps
    # the rule (and the same message) for every other caller.
    title = forms.CharField(
        label="Titre de la question",
        strip=False,
        error_messages={"required": "Donnez un titre à votre question."},
    )

    field_order = ["title", "message", "attachments"]


class ReplyForm(AttachmentsMixin, MessageForm):
    quote = forms.IntegerField(required=False, widget=forms.HiddenInput)


class PostEditForm(MessageForm):
    """Editing changes the text only; the attachments stay as published."""
