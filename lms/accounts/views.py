"""The pages of the one sign-in path that allauth does not provide: the redirections that replace
the Wagtail admin's own login and password reset, and the page that tells staff why two-factor
authentication is required."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from . import policies, services


def login_url_with_next(next_url: str | None) -> str:
    """allauth's sign-in address, with `next` (allauth checks it is a local address)."""
    login_url = resolve_url(settings.LOGIN_URL)
    return f"{login_url}?{urlencode({'next': next_url}, safe='/')}" if next_url else login_url


def _signed_in_refusal(request, message: str):
    """The page for a signed-in person whom Wagtail sends to its login address because they lack
    access: sending them to allauth's sign-in would bounce them straight back (allauth redirects
    a signed-in person to `next`), an endless loop. Wagtail's own English-sourced notice queued
    on the way is dropped, this page says it in full."""
    list(messages.get_messages(request))  # marked as read, so not kept for the next page either
    return render(request, "403.html", {"exception": message, "messages": []}, status=403)


@require_http_methods(["GET", "HEAD", "POST"])
def admin_sign_in(request):
    """The Wagtail admin's login address (WAGTAILADMIN_LOGIN_URL): sends to allauth's sign-in,
    back to the admin after. A POST is never read: no password is checked here, no session is
    opened. A signed-in person without access to the admin is told so (403)."""
    next_url = request.GET.get("next") or reverse("wagtailadmin_home")
    if request.user.is_authenticated:
        if request.user.has_perm("wagtailadmin.access_admin"):
            return redirect(reverse("wagtailadmin_home"))
        return _signed_in_refusal(
            request,
            "L'administration du site est réservée à l'équipe pédagogique : votre compte n'y a pas accès.",
        )
    return redirect(login_url_with_next(next_url))


@require_http_methods(["GET", "HEAD", "POST"])
def front_end_sign_in(request):
    """Wagtail's front-end login (WAGTAIL_FRONTEND_LOGIN_URL, private pages): sends to allauth's
    sign-in, `next` kept; a signed-in person who may not see the page is told so (403)."""
    if request.user.is_authenticated:
        return _signed_in_refusal(
            request, "Cette page est réservée à certain·es membres : votre compte n'y a pas accès."
        )
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
