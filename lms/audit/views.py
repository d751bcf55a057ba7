"""The audit log in the Wagtail admin: a read-only list and detail for superusers (the permission
policy in lms.useradmin.policies refuses adding, changing and deleting to everyone)."""

from wagtail.admin.viewsets.model import ModelViewSet

from .models import AuditEntry


class AuditEntryViewSet(ModelViewSet):
    model = AuditEntry
    icon = "history"
    menu_label = "Journal d'audit"
    add_to_settings_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["created_at", "action", "actor_display", "target_repr"]
    list_filter = ["action"]
    search_fields = ["target_repr", "actor_email"]
    search_backend_name = None
    inspect_view_fields = [
        "created_at",
        "action",
        "actor_display",
        "target_type",
        "target_id",
        "target_repr",
        "details",
    ]
    form_fields = []
