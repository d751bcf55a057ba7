"""Local development: DEBUG on unless the environment says otherwise."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
if not os.environ.get("SECRET_KEY"):
    SECRET_KEY = "dev-only-insecure-key-change-me"  # noqa: S105

# `manage.py load_demo` creates accounts with a published password: only settings that say so
# allow it (never production, and no environment variable can turn it on).
DEMO_DATA_ALLOWED = True

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
