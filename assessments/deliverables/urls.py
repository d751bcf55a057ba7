"""Written deliverables (namespace `deliverables`): the learner's pages under /parcours/, the
reviewers' under /gestion/."""

from django.urls import path

from assessments.deliverables import views

app_name = "deliverables"
urlpatterns = [
    path("parcours/productions/", views.deliverable_list, name="list"),
    path("parcours/productions/<int:deliverable_id>/deposer/", views.submission_create, name="submit"),
    path("productions/depots/<int:submission_id>/fichier/", views.submission_file, name="file"),
    path("productions/depots/<int:submission_id>/annote/", views.annotated_file, name="annotated"),
    path("gestion/a-corriger/productions/", views.review_queue, name="queue"),
    path("gestion/a-corriger/<int:submission_id>/", views.review_detail, name="review"),
    path("gestion/correcteurs/", views.reviewers, name="reviewers"),
    path("gestion/correcteurs/<int:assignment_id>/retirer/", views.reviewer_remove, name="reviewer_remove"),
]
