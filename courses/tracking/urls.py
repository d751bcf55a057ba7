"""The tracking room's staff pages (namespace `staff`, gathered by courses/urls.py)."""

from django.urls import path

from courses.tracking import views

urlpatterns = [
    path("promotions/<int:cohort_id>/", views.cohort_detail, name="cohort_detail"),
    path("promotions/<int:cohort_id>/export.<str:fmt>", views.cohort_export, name="cohort_export"),
    path("inscriptions/<int:enrolment_id>/", views.enrolment_detail, name="enrolment_detail"),
]
