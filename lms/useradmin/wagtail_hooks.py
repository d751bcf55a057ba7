"""Wagtail hooks of the user administration. Registered from lms/wagtail_hooks.py, which Wagtail
discovers."""

from wagtail import hooks

from lms.audit.views import AuditEntryViewSet

from .views import BULK_ACTIONS

# Same action types as Wagtail's user bulk actions, registered after them (a higher order) so that
# the bulk action registry keeps these.
for _action in BULK_ACTIONS:
    hooks.register("register_bulk_action", _action, order=100)


@hooks.register("register_admin_viewset")
def register_audit_viewset():
    return AuditEntryViewSet("lms_audit", url_prefix="journal-audit")
