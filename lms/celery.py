"""The Celery application, configured from Django settings (CELERY_* names).

The settings module comes from DJANGO_SETTINGS_MODULE and nowhere else: this module is imported
with the `lms` package, before `lms.wsgi` or `manage.py` can choose their own default, so a
default here would win over theirs. Export DJANGO_SETTINGS_MODULE before `celery -A lms`.
"""

from celery import Celery

app = Celery("lms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

#: How the tasks that send mail are retried: on a mail server's OSError, with backoff, at most five
#: times (`@shared_task(name=..., **MAIL_RETRY)`).
MAIL_RETRY = {"bind": True, "autoretry_for": (OSError,), "retry_backoff": True, "max_retries": 5}
