from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction
from django.urls import reverse

from .tasks import send_email


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by staff, never by open sign-up; account emails go through Celery."""

    def is_open_for_signup(self, request):
        return False

    def get_login_redirect_url(self, request):
        return reverse("lms:my_space")

    def send_mail(self, template_prefix, email, context):
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        html = next((body for body, mimetype in message.alternatives if mimetype == "text/html"), None)
        kwargs = {
            "subject": message.subject,
            "body": message.body,
            "to": list(message.to),
            "html": html,
        }
        transaction.on_commit(lambda: send_email.delay(**kwargs))
