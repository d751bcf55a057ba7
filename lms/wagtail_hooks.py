from django.contrib.auth.views import redirect_to_login
from wagtail import hooks

from . import permissions
from .accounts import wagtail_hooks as _account_hooks  # noqa: F401  (registers the hooks)
from .useradmin import wagtail_hooks as _useradmin_hooks  # noqa: F401  (registers the hooks)


@hooks.register("before_serve_document")
def require_sign_in_for_private_documents(document, request):
    """Wagtail serves every document at /documents/<id>/<file>: send anonymous visitors to the
    sign-in page unless the document is one the public may download."""
    if not permissions.can_download_document(request.user, document):
        return redirect_to_login(request.get_full_path())
    return None
