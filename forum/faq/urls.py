"""Forum URLs for the faq part, appended to forum.urls before the space patterns."""

from django.urls import path

from forum.faq import views as views_faq

urlpatterns = [
    path("faq/", views_faq.faq_index, name="faq"),
    path("faq/<int:pk>/", views_faq.faq_entry, name="faq_entry"),
    path("faq/<int:pk>/avis/", views_faq.faq_feedback, name="faq_feedback"),
    path("faq/ajouter/<int:thread_id>/", views_faq.faq_promote, name="faq_promote"),
]
