"""Local development: DEBUG on unless the environment says otherwise."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
if not os.environ.get("SECRET_KEY"):
    SECRET_KEY = "dev-only-insecure-key-change-me"  # noqa: S105

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
