"""In-organisation declarations (namespace `declarations`) and the staff's ledger correction."""

from django.urls import path

from courses.hours import views

app_name = "declarations"
urlpatterns = [
    path("parcours/declarations/", views.declaration_list, name="list"),
    path("parcours/declarations/nouvelle/", views.declaration_create, name="create"),
    path(
        "parcours/declarations/<int:declaration_id>/retirer/",
        views.declaration_withdraw,
        name="withdraw",
    ),
    path(
        "parcours/declarations/<int:declaration_id>/justificatif/",
        views.evidence_download,
        name="evidence",
    ),
    path("gestion/declarations/", views.review_queue, name="queue"),
    path("gestion/declarations/<int:declaration_id>/", views.review_detail, name="review"),
    path("gestion/declarations/<int:declaration_id>/valider/", views.review_validate, name="validate"),
    path("gestion/declarations/<int:declaration_id>/refuser/", views.review_refuse, name="refuse"),
    path(
        "gestion/declarations/<int:declaration_id>/justificatif/",
        views.review_evidence,
        name="review_evidence",
    ),
]

#: Staff pages of the hours room under /gestion/ (namespace `staff`, gathered by courses/urls.py).
staff_urlpatterns = [
    path(
        "inscriptions/<int:enrolment_id>/heures/<int:entry_id>/corriger/",
        views.hours_entry_correct,
        name="hours_correct",
    ),
]
