"""Forum URLs for the search, included by forum.urls before the space patterns."""

from django.urls import path

from forum.search import views

urlpatterns = [
    path("recherche/", views.forum_search, name="search"),
]
