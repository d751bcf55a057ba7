"""The Wagtail admin's account page links to allauth's password and two-factor pages (its own
password form is off: WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False). Registered from
lms/wagtail_hooks.py, which Wagtail discovers."""

from django.urls import reverse
from wagtail import hooks


@hooks.register("register_account_menu_item")
def password_menu_item(request):
    return {
        "url": reverse("account_change_password"),
        "label": "Changer mon mot de passe",
        "help_text": "Sur la page « Mon compte » du site, avec les règles de sécurité de la plateforme.",
    }


@hooks.register("register_account_menu_item")
def mfa_menu_item(request):
    return {
        "url": reverse("mfa_index"),
        "label": "Double authentification",
        "help_text": "Activer ou gérer l'application d'authentification et les codes de récupération.",
    }
