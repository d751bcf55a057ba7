"""The mémoire's pages (namespace `memoire`)."""

from django.urls import path
from django.views.generic import RedirectView

from assessments.memoire import views

app_name = "memoire"
urlpatterns = [
    path("parcours/memoire/", views.my_memoire, name="mine"),
    path("parcours/memoire/sujet/", views.subject_propose, name="propose"),
    path("parcours/memoire/brouillon/", views.draft_upload, name="draft_upload"),
    path("parcours/memoire/version-finale/", views.final_submit, name="final_submit"),
    # The board is served by the board room (included before this one); the name still reverses.
    path("gestion/memoires/", RedirectView.as_view(pattern_name="board:memoires"), name="board"),
    path("memoires/<int:memoire_id>/", views.memoire_detail, name="detail"),
    path("memoires/<int:memoire_id>/approuver/", views.subject_approve, name="approve"),
    path("memoires/<int:memoire_id>/renvoyer/", views.subject_return, name="return"),
    path("memoires/<int:memoire_id>/tuteur/", views.tutor_assign, name="tutor"),
    path("memoires/<int:memoire_id>/version-finale/", views.final_file, name="final_file"),
    path("memoires/<int:memoire_id>/annexes/", views.annexes_file, name="annexes_file"),
    path("memoires/brouillons/<int:draft_id>/", views.draft_detail, name="draft"),
    path("memoires/brouillons/<int:draft_id>/fichier/", views.draft_file, name="draft_file"),
    path("formation/tutores/", views.tutees, name="tutees"),
]
