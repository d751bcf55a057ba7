"""Attendance pages (namespace `attendances`): staff sheets under /gestion/sessions/, the learner's
check-in and signature under /parcours/emargement/."""

from django.urls import path, re_path

from courses.attendance import views

app_name = "attendances"
STAFF = r"^gestion/sessions/(?P<session_id>\d+)/presences/"
LEARNER = r"^parcours/emargement/(?P<session_id>\d+)/"
SLOT = r"(?P<day>\d{4}-\d{2}-\d{2})/(?P<half_day>am|pm)/"
urlpatterns = [
    path("gestion/sessions/<int:session_id>/presences/", views.session_attendance, name="overview"),
    path("gestion/sessions/<int:session_id>/presences/qr/", views.checkin_display, name="qr"),
    re_path(STAFF + SLOT + "$", views.sheet, name="sheet"),
    re_path(STAFF + SLOT + "confirmer/$", views.confirm, name="confirm"),
    re_path(STAFF + SLOT + r"feuille\.pdf$", views.sheet_pdf, name="pdf"),
    re_path(STAFF + SLOT + "signer/$", views.trainer_sign, name="trainer_sign"),
    path("parcours/emargement/<int:session_id>/", views.learner_attendance, name="learner"),
    path("parcours/emargement/<int:session_id>/code/", views.checkin_by_code, name="code"),
    re_path(LEARNER + SLOT + "signer/$", views.learner_sign, name="learner_sign"),
    re_path(LEARNER + r"(?P<token>[0-9a-f]{16})/$", views.checkin, name="checkin"),
]
