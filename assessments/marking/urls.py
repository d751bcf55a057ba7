"""The double marking's pages (namespace `marking`)."""

from django.urls import path

from assessments.marking import views

app_name = "marking"
urlpatterns = [
    path("formation/corrections/", views.my_marking, name="mine"),
    path("gestion/memoires/publication/", views.publication, name="publication"),
    path(
        "gestion/memoires/publication/promotion/<int:cohort_id>/", views.release_cohort, name="release_cohort"
    ),
    path("gestion/memoires/correction-anonyme/<int:cohort_id>/", views.blind_marking, name="blind_marking"),
    path("memoires/<int:memoire_id>/correcteurs/", views.markers_assign, name="markers"),
    path("memoires/<int:memoire_id>/grille/", views.grid, name="grid"),
    path("memoires/<int:memoire_id>/grille/remettre/", views.grid_submit, name="grid_submit"),
    path("memoires/<int:memoire_id>/grilles/<int:grid_id>/", views.grid_detail, name="grid_detail"),
    path("memoires/<int:memoire_id>/copie/", views.final_copy, name="copy"),
    path("memoires/<int:memoire_id>/conciliation/", views.reconciliation, name="reconciliation"),
    path("memoires/<int:memoire_id>/conciliation/tiers/", views.third_marker, name="third_marker"),
    path("memoires/<int:memoire_id>/publier/", views.release, name="release"),
]
