from django.apps import AppConfig
from django.db.models.signals import post_save
from wagtail.users.apps import WagtailUsersAppConfig


def _sync_role(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from .services import user_role_sync

    user_role_sync(user=instance)


class LmsConfig(AppConfig):
    default = True
    name = "lms"
    verbose_name = "Plateforme"

    def ready(self):
        from allauth.account.signals import password_reset

        from . import navigation, permissions

        navigation.nav_register(
            navigation.NavItem(0, "Accueil", "/", visible=lambda user: True, current_path="/"),
            navigation.NavItem(
                10,
                "Mon espace",
                "lms:my_space",
                visible=permissions.is_signed_in,
                current_path="/mon-espace/",
            ),
            navigation.NavItem(
                90, "Administration du contenu", "wagtailadmin_home", visible=permissions.can_edit_content
            ),
        )

        post_save.connect(_sync_role, sender="lms.User", dispatch_uid="lms_user_role_sync")
        password_reset.connect(_verify_email_after_reset, dispatch_uid="lms_verify_email_after_reset")
        from .accounts import signals as account_signals

        account_signals.connect()
        from .useradmin import signals as useradmin_signals

        useradmin_signals.connect()


class PlatformUsersAppConfig(WagtailUsersAppConfig):
    """Replaces "wagtail.users" in INSTALLED_APPS so the user screens know roles and regions."""

    user_viewset = "lms.useradmin.views.PlatformUserViewSet"

    def ready(self):
        super().ready()
        from .useradmin import policies

        policies.register()


def _verify_email_after_reset(sender, request, user, **kwargs):
    """A password set through the emailed reset or invitation link proves the address works."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
