"""The similarity room's pages (namespace `similarity`): the team's screen under /gestion/, a
mémoire's report and the team's decisions under the mémoire's address."""

from django.urls import path

from assessments.similarity import views

app_name = "similarity"
urlpatterns = [
    path("gestion/similarite/", views.flags, name="flags"),
    path("memoires/<int:memoire_id>/similarite/", views.report, name="report"),
    path("memoires/<int:memoire_id>/similarite/lever/", views.clear, name="clear"),
    path("memoires/<int:memoire_id>/similarite/confirmer/", views.confirm, name="confirm"),
    path("memoires/<int:memoire_id>/similarite/relancer/", views.rerun, name="rerun"),
]
