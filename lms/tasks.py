from importlib import import_module

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email(self, *, subject: str, body: str, to: list[str], html: str | None = None) -> int:
    """Send one email; retried with back-off when the mail server is unreachable."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


@shared_task
def clear_expired_sessions() -> None:
    """Delete the sessions past their expiry from the session store, as `manage.py clearsessions`
    does (the database backend never deletes them by itself); run daily by Celery beat."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
