"""The learner's path (namespace `courses`, under /parcours/)."""

from django.urls import path

from courses.learning import views

app_name = "courses"
urlpatterns = [
    path("options/", views.options_choose, name="options"),
    path("lecons/<int:lesson_id>/terminer/", views.lesson_complete, name="lesson_complete"),
    path("lecons/<int:lesson_id>/quiz/", views.knowledge_check_submit, name="knowledge_check"),
    path("lecons/<int:lesson_id>/activite/", views.heartbeat, name="heartbeat"),
]
