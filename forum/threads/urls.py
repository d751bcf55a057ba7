"""Forum URLs for spaces, threads and posts; forum.urls puts them last, since <slug:slug>/ would
catch the other rooms' fixed paths."""

from django.urls import path

from forum.threads import views

urlpatterns = [
    path("", views.space_list, name="space_list"),
    path("<slug:slug>/", views.space_detail, name="space_detail"),
    path("<slug:slug>/nouveau/", views.thread_create, name="thread_create"),
    path("<slug:slug>/<int:thread_id>/", views.thread_detail, name="thread_detail"),
    path("<slug:slug>/<int:thread_id>/non-lu/", views.thread_unread, name="thread_unread"),
    path(
        "<slug:slug>/<int:thread_id>/messages/<int:post_id>/modifier/", views.post_update, name="post_update"
    ),
    path(
        "<slug:slug>/<int:thread_id>/messages/<int:post_id>/supprimer/", views.post_remove, name="post_remove"
    ),
]
