"""Forum URLs for the answer, moderation and reports, appended to forum.urls before the space
patterns (the fixed moderation/ paths must come before <slug:slug>/)."""

from django.urls import path

from forum.moderation import views

THREAD = "<slug:slug>/<int:thread_id>"
POST = f"{THREAD}/messages/<int:post_id>"

urlpatterns = [
    path("moderation/journal/", views.moderation_log, name="moderation_log"),
    path("moderation/signalements/", views.report_queue, name="report_queue"),
    path(
        "moderation/signalements/<int:post_id>/masquer/",
        views.report_resolve,
        {"action": "hide"},
        name="report_hide",
    ),
    path(
        "moderation/signalements/<int:post_id>/classer/",
        views.report_resolve,
        {"action": "dismiss"},
        name="report_dismiss",
    ),
    path(f"{THREAD}/reponse/retirer/", views.answer_unmark, name="answer_unmark"),
    path(f"{THREAD}/moderation/epingler/", views.thread_moderate, {"action": "pin"}, name="thread_pin"),
    path(
        f"{THREAD}/moderation/desepingler/", views.thread_moderate, {"action": "unpin"}, name="thread_unpin"
    ),
    path(f"{THREAD}/moderation/verrouiller/", views.thread_moderate, {"action": "lock"}, name="thread_lock"),
    path(
        f"{THREAD}/moderation/deverrouiller/",
        views.thread_moderate,
        {"action": "unlock"},
        name="thread_unlock",
    ),
    path(f"{THREAD}/moderation/masquer/", views.thread_moderate, {"action": "hide"}, name="thread_hide"),
    path(f"{THREAD}/moderation/retablir/", views.thread_moderate, {"action": "unhide"}, name="thread_unhide"),
    path(f"{THREAD}/moderation/deplacer/", views.thread_move, name="thread_move"),
    path(f"{POST}/reponse/", views.answer_mark, name="answer_mark"),
    path(f"{POST}/signaler/", views.post_report, name="post_report"),
    path(f"{POST}/masquer/", views.post_moderate, {"action": "hide"}, name="post_hide"),
    path(f"{POST}/retablir/", views.post_moderate, {"action": "unhide"}, name="post_unhide"),
]
