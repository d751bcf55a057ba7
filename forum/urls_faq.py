"""Forum URLs for the faq part, appended to forum.urls before the space patterns."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
