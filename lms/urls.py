from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import views

urlpatterns = [
    # First: replaces the admin's and Wagtail's own sign-in and password reset (one sign-in path).
    path("", include("lms.accounts.urls")),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("comptes/", include("allauth.urls")),
    path("", include(([path("mon-espace/", views.my_space, name="my_space")], "lms"))),
    path("parcours/", include("courses.learning.urls")),
    path("gestion/", include("courses.urls")),
    path("", include("courses.sessions.urls")),
    path("", include("courses.attendance.urls")),
    path("", include("courses.hours.urls")),
    path("", include("assessments.queue.urls")),
    path("", include("assessments.deliverables.urls")),
    path("", include("assessments.board.urls")),
    path("", include("assessments.memoire.urls")),
    path("", include("assessments.marking.urls")),
    path("", include("assessments.similarity.urls")),
    path("", include("assessments.soutenance.urls")),
    path("forum/", include("forum.urls")),
    path("", include("content.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += staticfiles_urlpatterns()
    # Only Wagtail's images are public; agreements, evidence and documents go through
    # permission-checked views and are never served from MEDIA_ROOT.
    urlpatterns += [
        re_path(
            r"^media/(?P<path>(?:images|original_images)/.*)$", serve, {"document_root": settings.MEDIA_ROOT}
        ),
    ]

urlpatterns += [path("", include(wagtail_urls))]
