"""Forms of the forum notifications: they carry the choices; forum.notifications applies them."""

from django import forms

from forum.enums import EmailMode

REPLY_DOES_NOT_FOLLOW = (
    "Répondre à un fil ne vous y abonne pas : utilisez « Suivre ce fil » pour être averti·e de la suite."
)


class FollowForm(forms.Form):
    """The « Suivre » / « Ne plus suivre » buttons: what to do, and where to come back to."""

    action = forms.ChoiceField(
        choices=[("follow", "Suivre"), ("unfollow", "Ne plus suivre")],
        error_messages={
            "required": "Action inconnue : choisissez « Suivre » ou « Ne plus suivre ».",
            "invalid_choice": "Action inconnue : choisissez « Suivre » ou « Ne plus suivre ».",
        },
    )
    next = forms.CharField(required=False)


class PreferenceForm(forms.Form):
    email_mode = forms.ChoiceField(
        label="Recevoir un e-mail du forum",
        choices=EmailMode.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez quand recevoir les e-mails du forum.",
            "invalid_choice": "Choisissez l'une des options proposées pour les e-mails du forum.",
        },
    )
    follow_own_threads = forms.BooleanField(
        label="Suivre automatiquement les questions que je pose",
        required=False,
        help_text="Vous serez averti·e des réponses à vos questions. " + REPLY_DOES_NOT_FOLLOW,
    )
