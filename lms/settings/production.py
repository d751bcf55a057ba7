"""Production: every secret and host from the environment; HTTPS everywhere."""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
# Staff roles must activate an authenticator app (lms/accounts/); set to false only to roll out.
MFA_REQUIRED_FOR_STAFF = env_bool("MFA_REQUIRED_FOR_STAFF", True)
if not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
if not os.environ.get("REDIS_URL"):
    # Without Redis each process keeps its own cache (rate limits and the heartbeat throttle
    # would not hold across gunicorn workers), tasks run inside web requests, and no Celery beat
    # sends the reminders or the forum's daily digest.
    raise ImproperlyConfigured(
        "REDIS_URL must be set in production: it is the shared cache (rate limits) and "
        "the Celery broker (emails, Celery beat's daily jobs)."
    )
# Links in emails (invitations carry a key that sets the account's password) are built from
# SITE_BASE_URL: never let it fall back to a development address, nor to plain http.
SITE_BASE_URL = os.environ.get("SITE_BASE_URL", "").strip().rstrip("/")
if urlsplit(SITE_BASE_URL).scheme != "https" or not urlsplit(SITE_BASE_URL).netloc:
    raise ImproperlyConfigured(
        "SITE_BASE_URL must be set in production to the site's public https:// address, e.g. "
        "SITE_BASE_URL=https://cls.ehesp.fr: links in emails, including invitations that set a "
        f"password, are built from it (got {SITE_BASE_URL!r})."
    )
WAGTAILADMIN_BASE_URL = SITE_BASE_URL

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
