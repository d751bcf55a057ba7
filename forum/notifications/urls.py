"""Forum URLs for the notifications part, appended to forum.urls before the space patterns."""

from django.urls import path

from forum.notifications import views

urlpatterns = [
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/tout-lu/", views.notification_read_all, name="notification_read_all"),
    path("notifications/preferences/", views.notification_preferences, name="notification_preferences"),
    path("notifications/desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path("abonnements/fils/<int:thread_id>/", views.follow_thread, name="follow_thread"),
    path("abonnements/espaces/<int:space_id>/", views.follow_space, name="follow_space"),
]
