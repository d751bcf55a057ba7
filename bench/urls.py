from django.urls import include, path

from .views import bare_view

urlpatterns = [
    path("bench/bare/", bare_view, name="bench_bare"),
    path("", include("lms.urls")),
]
