"""Settings shared by every environment; anything that differs between machines comes from the
environment (see README « Production »)."""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "forum.threads.views.csrf_failure"  # French page; forum drafts are kept in the browser

INSTALLED_APPS = [
    "lms",
    "lms.security.apps.SecurityConfig",
    "content",
    "courses",
    "assessments",
    "forum",
    "certificates",
    "dsfr",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "lms.apps.PlatformUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lms.security.middleware.ContentSecurityPolicyMiddleware",
    # Before anything that may read the body (sessions, CSRF): see lms/security/middleware.py.
    "lms.security.middleware.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After auth and messages: sign out expired sessions, then hold staff without 2FA (lms/accounts/).
    "lms.accounts.middleware.SessionLifetimeMiddleware",
    "lms.accounts.middleware.MfaRequiredMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lms.context_processors.platform",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several request threads (runserver, the bench) write the same file: wait for the lock.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # The similarity fingerprints' covering index (INCLUDE) is a PostgreSQL feature; SQLite keeps
    # the plain index on the hash, which is all the embedded default needs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "lms.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "lms:my_space"
LOGOUT_REDIRECT_URL = "/"

# django-allauth: email is the login; accounts are created by staff (enrolment), not by sign-up.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# Sign-in and password reset answer alike whether an address has an account or not (allauth's
# default, pinned here and tested: tests/lms/test_account_enumeration.py).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[DE Coordinateur CLS] "
ACCOUNT_ADAPTER = "lms.adapters.AccountAdapter"
# allauth is the one sign-in path (lms/accounts/): its limits cover every sign-in, reset and change.
# The second factor counts its failures under « login_failed » too, per user.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,3/15m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "DE Coordinateur CLS — EHESP"
# Staff roles (ARS, trainers, pedagogical team, superusers) must activate an authenticator app
# before using the platform; on by default in production (lms/settings/production.py).
MFA_REQUIRED_FOR_STAFF = env_bool("MFA_REQUIRED_FOR_STAFF", False)
# The Wagtail admin signs in, resets and changes passwords through allauth only (lms/accounts/).
# Both go through lms/accounts/views.py, which sends anonymous visitors on to allauth and tells a
# signed-in person without access so (allauth would bounce them back: a redirect loop).
WAGTAILADMIN_LOGIN_URL = "accounts:admin_sign_in"
WAGTAIL_FRONTEND_LOGIN_URL = "accounts:front_end_sign_in"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False  # an address changes through allauth, which verifies it

# Session lifetimes per role (lms/accounts/middleware.py): signed out after this long without a
# request (the lesson heartbeat counts), or this long after signing in, whichever comes first.
SESSION_STAFF_IDLE_SECONDS = int(os.environ.get("SESSION_STAFF_IDLE_SECONDS", 30 * 60))
SESSION_STAFF_MAX_SECONDS = int(os.environ.get("SESSION_STAFF_MAX_SECONDS", 10 * 3600))
SESSION_LEARNER_IDLE_SECONDS = int(os.environ.get("SESSION_LEARNER_IDLE_SECONDS", 2 * 3600))
SESSION_LEARNER_MAX_SECONDS = int(os.environ.get("SESSION_LEARNER_MAX_SECONDS", 7 * 24 * 3600))
SESSION_COOKIE_AGE = max(SESSION_STAFF_MAX_SECONDS, SESSION_LEARNER_MAX_SECONDS)

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Private files (documents, later deliverables): never served by the web server directly.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
MiB = 1024 * 1024
# The largest request body a view accepts, refused (413) before it is read
# (lms.security.middleware.RequestBodyLimitMiddleware); upload views raise it with
# @lms.security.decorators.body_limit, Wagtail's below. The reverse proxy's own limit
# (nginx client_max_body_size) must be at least the largest of them: docs/operations.md.
REQUEST_BODY_MAX_BYTES = 1 * MiB
# Wagtail's page and snippet editors post a whole long lesson (StreamField) as form fields.
EDITOR_BODY_MAX_BYTES = 5 * MiB
# The form fields other than files, Django's own second line behind the per-view limits above:
# at most the editors' limit, which is the only view that takes that much text.
DATA_UPLOAD_MAX_MEMORY_SIZE = EDITOR_BODY_MAX_BYTES
# Each StreamField block is four fields or more: a long lesson passes Django's default of 1,000
# (Wagtail's own project template sets the same 10,000). Bodies stay bounded by the limits above.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * MiB
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * MiB
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000  # the gate refuses above it, before decoding
REQUEST_BODY_MAX_BYTES_BY_VIEW = {
    **dict.fromkeys(
        ["wagtaildocs:add", "wagtaildocs:edit", "wagtaildocs:add_multiple", "wagtaildocs_chooser:create"],
        WAGTAILDOCS_MAX_UPLOAD_SIZE + REQUEST_BODY_MAX_BYTES,
    ),
    **dict.fromkeys(
        [
            "wagtailimages:add",
            "wagtailimages:edit",
            "wagtailimages:add_multiple",
            "wagtailimages_chooser:create",
        ],
        WAGTAILIMAGES_MAX_UPLOAD_SIZE + REQUEST_BODY_MAX_BYTES,
    ),
    # Snippet views are named per model (wagtailsnippets_<app>_<model>:edit): `*` stands for any part.
    **dict.fromkeys(
        [
            "wagtailadmin_pages:add",
            "wagtailadmin_pages:edit",
            "wagtailadmin_pages:preview_on_add",
            "wagtailadmin_pages:preview_on_edit",
            "wagtailadmin_pages:revisions_revert",
            "wagtailsnippets_*:add",
            "wagtailsnippets_*:edit",
            "wagtailsnippets_*:revisions_revert",
        ],
        EDITOR_BODY_MAX_BYTES,
    ),
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "media" / "emails"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "DE Coordinateur CLS <noreply@ehesp.fr>")

# Celery: with REDIS_URL, a real broker and result backend; without, tasks run in-process.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

WAGTAIL_SITE_NAME = "DE Coordinateur d'un contrat local de santé"
# The admin's browser talks to this site only (Content-Security-Policy): no avatars from Gravatar
# (which would also learn staff addresses' hashes), no release check against wagtail.org.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# On PostgreSQL the database backend uses full-text search; "french" gives French stemming
# (« heure » finds « heures »). After changing it, run `manage.py update_index`.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "french"}
}
# Messages may quote user input (names, titles): never render them as raw HTML; views that need a
# link in a message build it with format_html.
DSFR_CONTENT_IS_SAFE = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français")]

# The learner's lesson heartbeat: at most one counted beat per this many seconds, and at
# most this many seconds credited per beat (time spent is proof of follow-up, never hours).
HEARTBEAT_MIN_INTERVAL_SECONDS = 20
HEARTBEAT_MAX_CREDIT_SECONDS = 90
HEARTBEAT_MAX_SECONDS_PER_DAY = 10 * 3600

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Documents and images the pedagogical team uploads in the admin go through the upload gate
# (lms/uploads/wagtail_forms.py), which judges them by content; the extensions only have to agree.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "lms.uploads.wagtail_forms.GateDocumentForm"
WAGTAILIMAGES_IMAGE_FORM_BASE = "lms.uploads.wagtail_forms.GateImageForm"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "xlsx", "csv"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# Every document downloads (attachment), PDFs included: none is shown in the site's origin.
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []

# Public address of the site, for links in emails sent by background tasks (no request there).
SITE_BASE_URL = os.environ.get("SITE_BASE_URL", WAGTAILADMIN_BASE_URL).rstrip("/")

# A learner with no activity (lesson time, completion, ledger entry) for this many days is flagged
# in the ARS views and gets one reminder email per period of inactivity.
DROPOUT_INACTIVE_DAYS = int(os.environ.get("DROPOUT_INACTIVE_DAYS", "30"))

# Periodic jobs, run by `celery -A lms beat` (one beat process per deployment).
CELERY_BEAT_SCHEDULE = {
    "dropout-reminders": {"task": "courses.tasks.send_dropout_reminders", "schedule": 24 * 3600},
    # Hourly: "tomorrow" starts at a different UTC hour in each region; each session is reminded once.
    "session-reminders": {"task": "courses.session_tasks.session_reminders", "schedule": 3600},
    "qualiopi-expiry-reminders": {
        "task": "courses.session_tasks.qualiopi_expiry_reminders",
        "schedule": 24 * 3600,
    },
    # Hourly, like sessions: each soutenance of tomorrow (the region's date) is reminded once.
    "soutenance-reminders": {"task": "assessments.soutenance.tasks.soutenance_reminders", "schedule": 3600},
    # Every morning at 7:00 (CELERY_TIMEZONE): the forum digest of members in « digest » mode.
    "forum-daily-digest": {"task": "forum.tasks.send_daily_digests", "schedule": crontab(hour=7, minute=0)},
    # Every night at 3:30: expired sessions are deleted (the database keeps them otherwise).
    "clear-expired-sessions": {
        "task": "lms.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=30),
    },
}

# Content-Security-Policy of every response (lms.security.middleware; django-csp's settings, the
# shape of Django 6's SECURE_CSP). Scripts: this site's files, and inline scripts carrying the
# response's nonce ({% csp_nonce %}). Styles allow inline: the Wagtail admin and DSFR put `style`
# attributes in their HTML, which no nonce can cover. Frames: lesson videos (EmbedBlock) from the
# hosts in CSP_FRAME_HOSTS. A response that sets its own policy (attachments: `sandbox`) keeps it.
CSP_FRAME_HOSTS = env_list(
    "CSP_FRAME_HOSTS",
    "https://www.youtube-nocookie.com,https://www.youtube.com,https://player.vimeo.com,"
    "https://www.dailymotion.com,https://geo.dailymotion.com",
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],  # blob: the admin's preview of an image being uploaded
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF, *CSP_FRAME_HOSTS],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
