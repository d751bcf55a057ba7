"""Mounted first in lms/urls.py, so that these patterns win over the Wagtail admin's and
Wagtail's own sign-in and password reset patterns, which stay registered behind them."""

from django.urls import path, re_path

from . import views

app_name = "accounts"

urlpatterns = [
    path("cms/login/", views.admin_sign_in, name="admin_sign_in"),
    re_path(r"^cms/password_reset/", views.password_reset, name="admin_password_reset"),
    path("_util/login/", views.front_end_sign_in, name="front_end_sign_in"),
    path("comptes/double-authentification-requise/", views.mfa_required, name="mfa_required"),
]
