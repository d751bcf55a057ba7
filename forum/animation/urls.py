"""Forum URLs for the animation part, appended to forum.urls before the space patterns."""

from django.urls import path

from forum.animation import views as views_animation

urlpatterns = [
    path(
        "animation/questions-sans-reponse/",
        views_animation.unanswered,
        name="animation_unanswered",
    ),
]
