from django.urls import path

from . import urls_animation, urls_faq, urls_moderation, urls_notifications, views

app_name = "forum"

# The parts' fixed paths (notifications/, faq/, recherche/, animation/…) come before the
# <slug:slug>/ patterns, which would otherwise catch them.
urlpatterns = [
    path("", views.space_list, name="space_list"),
    *urls_notifications.urlpatterns,
    *urls_faq.urlpatterns,
    *urls_animation.urlpatterns,
    *urls_moderation.urlpatterns,
    path("pieces-jointes/<int:pk>/", views.attachment_download, name="attachment"),
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
