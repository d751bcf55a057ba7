from django.apps import AppConfig


class SecurityConfig(AppConfig):
    """The `lms.security` room: its template tags (`{% load lms_security %}`) and, when ready, the
    nonce given to the inline script that Wagtail's chooser widgets write from Python."""

    name = "lms.security"
    label = "lms_security"
    verbose_name = "Sécurité HTTP"

    def ready(self) -> None:
        from .wagtail import give_chooser_scripts_the_nonce

        give_chooser_scripts_the_nonce()
