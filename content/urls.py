from django.urls import path

from . import views

app_name = "content"

urlpatterns = [
    path("glossaire/", views.glossary, name="glossary"),
    path("ressources/", views.resources, name="resources"),
    path("referentiel/", views.competency_framework, name="framework"),
]
