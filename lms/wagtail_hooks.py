from .accounts import wagtail_hooks as _account_hooks  # noqa: F401  (registers the hooks)
from .useradmin import wagtail_hooks as _useradmin_hooks  # noqa: F401  (registers the hooks)
