"""Forum URLs for attachments, included by forum.urls before the space patterns."""

from django.urls import path

from forum.attachments import views

urlpatterns = [
    path("pieces-jointes/<int:pk>/", views.attachment_download, name="attachment"),
]
