"""The cohort tools of the staff space (/gestion/); gathered under the `staff` namespace by
courses/urls.py with the tracking and hours rooms' staff pages."""

from django.urls import path
from django.views.generic import RedirectView

from courses.cohorts import views

urlpatterns = [
    # /gestion/ itself: the cohorts list, the staff space's entry point.
    path("", RedirectView.as_view(pattern_name="staff:cohort_list"), name="index"),
    path("promotions/", views.cohort_list, name="cohort_list"),
    path("promotions/nouvelle/", views.cohort_form, name="cohort_create"),
    path("promotions/<int:cohort_id>/modifier/", views.cohort_form, name="cohort_edit"),
    path("promotions/<int:cohort_id>/cloture/", views.cohort_close, name="cohort_close"),
    path("promotions/<int:cohort_id>/inscrire/", views.enrol_one, name="enrol_one"),
    path("promotions/<int:cohort_id>/importer/", views.import_upload, name="import_upload"),
    path(
        "promotions/<int:cohort_id>/importer/<int:import_id>/",
        views.import_preview,
        name="import_preview",
    ),
    path(
        "inscriptions/<int:enrolment_id>/accord.pdf",
        views.agreement_document,
        name="agreement_document",
    ),
]
