"""Wagtail's user screens and bulk actions, held to lms.useradmin.permissions and audited.

Wagtail's own checks stay in place (its model permissions); these views add the per-account
rules, and every change they make goes through lms.useradmin.services to the audit log with the
signed-in administrator as its author."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.defaults import permission_denied
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.users.views import users as wagtail_users
from wagtail.users.views.bulk_actions import AssignRoleBulkAction, DeleteBulkAction, SetActiveStateBulkAction

from . import permissions, selectors, services
from .forms import PlatformUserCreationForm, PlatformUserEditForm

SUPERUSER_ONLY_MESSAGE = (
    "Le compte de « %(user)s » est celui d'un·e superutilisateur·rice : seul·e un·e autre "
    "superutilisateur·rice peut le modifier ou le supprimer. Adressez-vous à l'un·e d'eux."
)
OWN_ACCOUNT_MESSAGE = (
    "Vous ne pouvez pas supprimer votre propre compte : demandez-le à un·e autre administrateur·rice."
)
GROUPS_MESSAGE = (
    "Les groupes Wagtail sont réservés aux superutilisateur·rices : changez plutôt le rôle de la "
    "personne, qui lui donne les droits correspondants."
)


def _refuse(request, message: str):
    """Back to the user list with the reason, as Wagtail does when access is refused."""
    messages.error(request, message)
    return redirect("wagtailusers_users:index")


class IndexView(wagtail_users.IndexView):
    def get_edit_url(self, instance):
        if permissions.can_edit_user(self.request.user, instance):
            return super().get_edit_url(instance)
        return None

    def get_delete_url(self, instance):
        if permissions.can_delete_user(self.request.user, instance):
            return super().get_delete_url(instance)
        return None


class CreateView(wagtail_users.CreateView):
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "actor": self.request.user}

    def save_instance(self):
        with transaction.atomic():
            instance = super().save_instance()
            services.user_created_record(actor=self.request.user, users=[instance])
        return instance


class EditView(wagtail_users.EditView):
    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_edit_user(request.user, self.object):
            return _refuse(request, SUPERUSER_ONLY_MESSAGE % {"user": self.object})
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "actor": self.request.user}

    def save_instance(self):
        with services.user_access_recorded(actor=self.request.user, users=[self.object]):
            return super().save_instance()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_delete"] = permissions.can_delete_user(self.request.user, self.object)
        if permissions.can_reset_mfa(self.request.user, self.object):
            context["mfa_kinds"] = selectors.user_mfa_kinds(user=self.object)
            context["mfa_reset_url"] = reverse("wagtailusers_users:mfa_reset", args=[self.object.pk])
        return context


class MfaResetView(WagtailAdminTemplateMixin, TemplateView):
    """« Réinitialiser la double authentification »: a confirmation page, then the reset (a lost
    phone). Superusers only (lms.useradmin.permissions.can_reset_mfa), anyone else gets 403."""

    template_name = "useradmin/mfa_reset.html"
    page_title = "Réinitialiser la double authentification"
    header_icon = "key"

    def dispatch(self, request, *args, **kwargs):
        self.object = get_object_or_404(get_user_model(), pk=kwargs["pk"])
        if not permissions.can_reset_mfa(request.user, self.object):
            # A 403 page rather than Wagtail's redirect to the admin home: nobody is led here by a
            # link (the edit screen shows it to superusers only), so there is no screen to go back to.
            return permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wagtailusers_users:index"), "label": "Utilisateurs"},
            {"url": self._edit_url(), "label": str(self.object)},
            {"url": "", "label": self.page_title},
        ]

    def _edit_url(self) -> str:
        return reverse("wagtailusers_users:edit", args=[self.object.pk])

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "person": self.object,
            "mfa_kinds": selectors.user_mfa_kinds(user=self.object),
            "edit_url": self._edit_url(),
        }

    def post(self, request, *args, **kwargs):
        removed = services.user_mfa_reset(actor=request.user, user=self.object)
        if removed:
            messages.success(
                request,
                f"La double authentification de « {self.object} » est réinitialisée : à sa prochaine "
                "connexion, seul son mot de passe lui sera demandé, puis de configurer une nouvelle "
                "application. Un e-mail l'en informe.",
            )
        else:
            messages.info(
                request, f"« {self.object} » n'avait pas de double authentification : rien n'a changé."
            )
        return redirect(self._edit_url())


class DeleteView(wagtail_users.DeleteView):
    def dispatch(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.pk == request.user.pk:
            return _refuse(request, OWN_ACCOUNT_MESSAGE)
        if not permissions.can_delete_user(request.user, self.object):
            return _refuse(request, SUPERUSER_ONLY_MESSAGE % {"user": self.object})
        return super().dispatch(request, *args, **kwargs)

    def delete_action(self):
        with transaction.atomic():
            services.user_deleted_record(actor=self.request.user, users=[self.object])
            super().delete_action()


class PlatformUserViewSet(wagtail_users.UserViewSet):
    """Wagtail's user screens, with the platform's role and the ARS staff's regions, and what each
    administrator may change on each account (lms.useradmin.permissions)."""

    index_view_class = IndexView
    # Wagtail's « copy » pre-fills a new account from another one's access; creation goes through
    # the add screen, where the access rules apply (the copy view bypassed them and crashed).
    copy_view_enabled = False
    add_view_class = CreateView
    edit_view_class = EditView
    delete_view_class = DeleteView

    def get_form_class(self, for_update=False):
        return PlatformUserEditForm if for_update else PlatformUserCreationForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(f"mfa-reset/<{self.pk_path_converter}:pk>/", MfaResetView.as_view(), name="mfa_reset"),
        ]


# --- Bulk actions of the user list (/cms/bulk/lms/user/<action>/) -------------------------------
# Registered under Wagtail's own action types, so they replace Wagtail's (lms/wagtail_hooks.py).
# Accounts the administrator may not act on are listed as such and left out of the action.


class _AccessRuleBulkAction:
    """What the three user bulk actions share: each account must pass `rule(actor, account)` as
    well as Wagtail's own check, and the action runs knowing its actor, for the audit log."""

    rule = staticmethod(lambda actor, user: False)

    def check_perm(self, obj):
        return super().check_perm(obj) and self.rule(self.request.user, obj)

    def get_execution_context(self):
        return {**super().get_execution_context(), "actor": self.request.user}


class PlatformSetActiveStateBulkAction(_AccessRuleBulkAction, SetActiveStateBulkAction):
    rule = staticmethod(permissions.can_change_access)

    @classmethod
    def execute_action(cls, objects, actor=None, **kwargs):
        with services.user_access_recorded(actor=actor, users=objects):
            return super().execute_action(objects, **kwargs)


class PlatformDeleteBulkAction(_AccessRuleBulkAction, DeleteBulkAction):
    rule = staticmethod(permissions.can_delete_user)

    @classmethod
    def execute_action(cls, objects, actor=None, **kwargs):
        services.user_deleted_record(actor=actor, users=objects)
        return super().execute_action(objects, **kwargs)


class PlatformAssignRoleBulkAction(_AccessRuleBulkAction, AssignRoleBulkAction):
    """Wagtail's « Assign role » puts accounts in a Wagtail group: superusers only."""

    rule = staticmethod(permissions.can_assign_groups)

    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_assign_groups(request.user):
            return _refuse(request, GROUPS_MESSAGE)
        return super().dispatch(request, *args, **kwargs)

    @classmethod
    def execute_action(cls, objects, actor=None, **kwargs):
        with services.user_access_recorded(actor=actor, users=objects):
            return super().execute_action(objects, **kwargs)


BULK_ACTIONS = (PlatformSetActiveStateBulkAction, PlatformDeleteBulkAction, PlatformAssignRoleBulkAction)
