"""The grouped « À corriger » (namespace `queue`)."""

from django.urls import path

from assessments.queue import views

app_name = "queue"
urlpatterns = [path("gestion/a-corriger/", views.grouped_queue, name="grouped")]
