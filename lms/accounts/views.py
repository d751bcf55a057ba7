"""The pages of the one sign-in path that allauth does not provide: the redirections that replace
the Wagtail admin's own login and password reset, and the page that tells staff why two-factor
authentication is required."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from . import policies, services


def login_url_with_next(next_url: str | None) -> str:
    """allauth's sign-in address, with `next` (allauth checks it is a local address)."""
    login_url = resolve_url(settings.LOGIN_URL)
    return f"{login_url}?{urlencode({'next': next_url}, safe='/')}" if next_url else login_url


@require_http_methods(["GET", "HEAD", "POST"])
def admin_sign_in(request):
    """The Wagtail admin's login address: sends to allauth's sign-in, back to the admin after.
    A POST is never read: no password is checked here, no session is opened."""
    return redirect(login_url_with_next(request.GET.get("next") or reverse("wagtailadmin_home")))


@require_http_methods(["GET", "HEAD", "POST"])
def front_end_sign_in(request):
    """Wagtail's front-end login (private pages): sends to allauth's sign-in, `next` kept."""
    return redirect(login_url_with_next(request.GET.get("next")))


@require_http_methods(["GET", "HEAD", "POST"])
def password_reset(request, **kwargs):
    """Every address of the admin's password reset: sends to allauth's (rate-limited) form."""
    return redirect("account_reset_password")


@login_required
def mfa_required(request):
    """Why a staff member must activate an authenticator app, and the way to do it."""
    user = request.user
    if not policies.mfa_required_for(user) or services.totp_active(request=request):
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/mfa_required.html", {"role_label": user.get_role_display()})
