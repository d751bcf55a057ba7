"""The soutenance's pages (namespace `soutenance`)."""

from django.urls import path

from assessments.soutenance import views

app_name = "soutenance"
urlpatterns = [
    path("gestion/soutenances/", views.juries, name="juries"),
    path("gestion/soutenances/jurys/nouveau/", views.jury_create, name="jury_create"),
    path("gestion/soutenances/jurys/<int:jury_id>/", views.jury_detail, name="jury"),
    path("gestion/soutenances/jurys/<int:jury_id>/modifier/", views.jury_edit, name="jury_edit"),
    path("gestion/soutenances/jurys/<int:jury_id>/creneaux/nouveau/", views.slot_create, name="slot_create"),
    path("gestion/soutenances/creneaux/<int:slot_id>/modifier/", views.slot_edit, name="slot_edit"),
    path("gestion/soutenances/promotions/<int:cohort_id>/", views.cohort_soutenances, name="cohort"),
    path("formation/soutenances/", views.hearings, name="hearings"),
    path("formation/soutenances/<int:booking_id>/", views.hearing, name="hearing"),
    path("formation/soutenances/<int:booking_id>/proces-verbal/", views.pv, name="pv"),
    path("parcours/memoire/soutenance/", views.mine, name="mine"),
    path("parcours/memoire/soutenance/creneaux/<int:slot_id>/", views.book, name="book"),
    path("soutenances/<int:booking_id>/invitation.ics", views.invitation_ics, name="ics"),
    path("soutenances/proces-verbaux/<int:pv_id>/", views.pv_file, name="pv_file"),
]
