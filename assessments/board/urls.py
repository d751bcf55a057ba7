"""The team's board (namespace `board`)."""

from django.urls import path

from assessments.board import views

app_name = "board"
urlpatterns = [
    path("gestion/memoires/", views.board, name="memoires"),
    path("gestion/memoires/export.<str:fmt>", views.board_export, name="export"),
    path("gestion/memoires/tuteurs/", views.tutors_assign, name="tutors"),
]
