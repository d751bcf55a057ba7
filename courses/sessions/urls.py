"""Providers and sessions (namespace `sessions`): staff pages under /gestion/, the learner's under
/parcours/sessions/."""

from django.urls import path

from courses.sessions import views

app_name = "sessions"
urlpatterns = [
    path("gestion/organismes/", views.provider_list, name="provider_list"),
    path("gestion/organismes/nouveau/", views.provider_form, name="provider_create"),
    path("gestion/organismes/<int:provider_id>/modifier/", views.provider_form, name="provider_edit"),
    path("gestion/sessions/", views.session_list, name="session_list"),
    path("gestion/sessions/nouvelle/", views.session_form, name="session_create"),
    path("gestion/sessions/<int:session_id>/", views.session_detail, name="detail"),
    path("gestion/sessions/<int:session_id>/modifier/", views.session_form, name="session_edit"),
    path("gestion/sessions/<int:session_id>/session.ics", views.session_ics, name="ics"),
    path("parcours/sessions/", views.learner_calendar, name="learner_calendar"),
    path("parcours/sessions/<int:session_id>/", views.learner_detail, name="learner_detail"),
    path("parcours/sessions/<int:session_id>/session.ics", views.session_ics, name="learner_ics"),
]
