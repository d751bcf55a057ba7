"""Forum forms: they only carry the text; the rules (empty, length, flood, access) live in services."""

from django import forms

MESSAGE_HELP = (
    "Markdown : **gras**, *italique*, listes, liens, > citation. Le HTML n'est pas interprété. "
    "20 000 caractères au plus."
)


class MessageForm(forms.Form):
    message = forms.CharField(
        label="Votre message",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MESSAGE_HELP,
    )


class ThreadForm(MessageForm):
    title = forms.CharField(label="Titre de la question", required=False, strip=False)

    field_order = ["title", "message"]


class ReplyForm(MessageForm):
    quote = forms.IntegerField(required=False, widget=forms.HiddenInput)
