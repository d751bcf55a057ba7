"""Request body limit (lms.security.middleware.RequestBodyLimitMiddleware): a body larger than its
view accepts is refused with a French 413 page before a single byte of it is read; upload views
accept up to their own limit; a body of unknown length is refused (411)."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import get_resolver
from django.urls.resolvers import URLResolver

from lms.security.decorators import body_limit
from lms.security.middleware import RequestBodyLimitMiddleware, request_body_limit
from tests.factories import ArsStaffFactory, CohortFactory, RegionFactory

MiB = 1024 * 1024


class WatchedInput(io.RawIOBase):
    """A WSGI input that counts what is read and fails the request if more than `allowed` bytes are:
    a body that should be refused unread cannot be read behind our back."""

    def __init__(self, size: int, allowed: int = 0):
        self.size, self.allowed, self.read_bytes = size, allowed, 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        n = self.size - self.read_bytes if n is None or n < 0 else min(n, self.size - self.read_bytes)
        if self.read_bytes + n > self.allowed:
            raise AssertionError(f"the body was read beyond {self.allowed} bytes")
        self.read_bytes += n
        return b"x" * n

    def readline(self, limit: int = -1) -> bytes:
        return self.read(limit if limit and limit > 0 else 65536)


def test_fifty_megabytes_posted_to_sign_in_are_refused_unread(client):
    """A 50 MB anonymous multipart POST to the sign-in page gets 413 and the French page, and not one
    byte of its body is read (before: the multipart parser read it all into temporary files)."""
    body = WatchedInput(50 * MiB)
    response = client.generic(
        "POST",
        "/comptes/login/",
        CONTENT_TYPE="multipart/form-data; boundary=xyz",  # with no data, content_type= is ignored
        CONTENT_LENGTH=str(50 * MiB),
        **{"wsgi.input": body},
    )
    assert response.status_code == 413
    assert body.read_bytes == 0
    page = response.content.decode()
    assert "La requête est trop volumineuse" in page
    assert "cette page accepte au plus 1 Mo, fichiers compris" in page
    assert response["Content-Type"].startswith("text/html")


def test_a_body_within_the_default_limit_reaches_the_view(client, db):
    """An ordinary sign-in form (well under 1 Mo) is read and answered by the view as before."""
    response = client.post("/comptes/login/", {"login": "personne@example.fr", "password": "x" * 12})
    assert response.status_code == 200
    assert "le mot de passe sont incorrects" in response.content.decode()


def test_chunked_body_without_length_is_refused(client):
    """A body sent in chunks with no Content-Length is refused with 411 and a French page, unread
    (Django would otherwise hand the view an empty form)."""
    body = WatchedInput(10 * MiB)
    response = client.generic(
        "POST",
        "/comptes/login/",
        CONTENT_TYPE="application/x-www-form-urlencoded",
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": body, "CONTENT_LENGTH": ""},
    )
    assert response.status_code == 411
    assert body.read_bytes == 0
    assert "La taille de la requête n'est pas indiquée" in response.content.decode()


@pytest.fixture
def import_page(programme, db):
    region = RegionFactory()
    cohort = CohortFactory(programme=programme, region=region)
    return ArsStaffFactory(regions=[region]), f"/gestion/promotions/{cohort.pk}/importer/"


def test_upload_view_accepts_a_body_up_to_its_own_limit(client, import_page):
    """The spreadsheet import (`@body_limit` 3 Mo) receives a 2 Mo file, above the site's 1 Mo, and
    answers with its own form (here: the file is not a spreadsheet), not with 413."""
    staff, url = import_page
    client.force_login(staff)
    upload = io.BytesIO(b"nom;prenom;email\n" + b"a" * (2 * MiB - 100))
    upload.name = "inscrits.csv"
    response = client.post(url, {"file": upload})
    assert response.status_code != 413
    assert "La requête est trop volumineuse" not in response.content.decode()


def test_upload_view_refuses_a_body_over_its_own_limit_unread(client, import_page):
    """Above the import's 3 Mo, the same view answers 413 without reading the body, and says its limit."""
    staff, url = import_page
    client.force_login(staff)
    body = WatchedInput(3 * MiB + 1)
    response = client.generic(
        "POST",
        url,
        CONTENT_TYPE="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(3 * MiB + 1),
        **{"wsgi.input": body},
    )
    assert response.status_code == 413
    assert body.read_bytes == 0
    assert "cette page accepte au plus 3 Mo" in response.content.decode()


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/comptes/login/", settings.REQUEST_BODY_MAX_BYTES),
        (
            "/cms/images/multiple/add/",
            settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE + settings.REQUEST_BODY_MAX_BYTES,
        ),
        (
            "/cms/documents/multiple/add/",
            settings.WAGTAILDOCS_MAX_UPLOAD_SIZE + settings.REQUEST_BODY_MAX_BYTES,
        ),
        (
            "/cms/documents/chooser/create/",
            settings.WAGTAILDOCS_MAX_UPLOAD_SIZE + settings.REQUEST_BODY_MAX_BYTES,
        ),
        ("/gestion/promotions/1/importer/", 3 * MiB),
        ("/adresse-qui-n-existe-pas/", settings.REQUEST_BODY_MAX_BYTES),
    ],
)
def test_limit_is_found_from_the_url_alone(path, expected):
    """The limit comes from the view's decorator, Wagtail's views from the settings map, anything else
    (including unknown addresses) from the default; only the path is looked at."""
    assert request_body_limit(RequestFactory().post(path)) == expected


def _view_names(resolver: URLResolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _view_names(pattern, prefix + (f"{pattern.namespace}:" if pattern.namespace else ""))
        elif pattern.name:
            yield prefix + pattern.name


def test_every_view_of_the_settings_map_exists():
    """Each Wagtail view named in REQUEST_BODY_MAX_BYTES_BY_VIEW exists, and each `*` pattern matches
    at least one view: a rename in a Wagtail upgrade would otherwise bring its uploads (or its
    editors) back to 1 Mo silently."""
    from fnmatch import fnmatchcase

    names = set(_view_names(get_resolver()))
    for key in settings.REQUEST_BODY_MAX_BYTES_BY_VIEW:
        assert any(fnmatchcase(name, key) for name in names) if "*" in key else key in names, key


def test_decorator_survives_other_decorators_in_any_order():
    """`@body_limit` above or below `login_required` gives the resolved view the same limit."""
    from django.contrib.auth.decorators import login_required

    def view(request):
        raise AssertionError

    above = body_limit(5 * MiB)(login_required(view))
    below = login_required(body_limit(7 * MiB)(view))
    assert above.request_body_max_bytes == 5 * MiB
    assert below.request_body_max_bytes == 7 * MiB


def test_middleware_reads_nothing_when_refusing():
    """The middleware answers 413 without calling the rest of the stack (session, CSRF, the view)."""
    request = RequestFactory().generic(
        "POST", "/comptes/login/", CONTENT_LENGTH=str(2 * MiB), **{"wsgi.input": WatchedInput(2 * MiB)}
    )

    def rest_of_the_stack(request):
        raise AssertionError("the request went past the body limit")

    assert RequestBodyLimitMiddleware(rest_of_the_stack)(request).status_code == 413


def _long_lesson_form(lesson, *, paragraphs: int, paragraph_chars: int) -> dict:
    """The page editor's form for `lesson` with `paragraphs` text blocks of `paragraph_chars` each."""
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    text = "Le contrat local de santé coordonne les acteurs du territoire. "
    block = (text * (paragraph_chars // len(text) + 1))[:paragraph_chars]
    return nested_form_data(
        {
            "title": lesson.title,
            "slug": lesson.slug,
            "duration_hours": str(lesson.duration_hours),
            "introduction": "",
            "body": streamfield([("paragraph", rich_text(f"<p>{block}</p>")) for _ in range(paragraphs)]),
            "action-publish": "Publier",
        }
    )


@pytest.mark.django_db
def test_page_editor_takes_a_long_lesson_of_two_megabytes(client, programme, pedagogical):
    """A lesson of 300 paragraphs (a 2 Mo POST of 1,200 fields) saved from Wagtail's page editor is
    stored, not refused with 413 by the site's 1 Mo limit, nor with 400 by Django's field count or
    memory limits."""
    from urllib.parse import urlencode

    from courses.catalogue.models import LessonPage
    from tests.factories import lessons_of, modules_of

    lesson = lessons_of(modules_of(programme)[0])[0]
    form = _long_lesson_form(lesson, paragraphs=300, paragraph_chars=7_000)
    body = urlencode(form)
    assert 2 * MiB < len(body.encode()) < 3 * MiB and len(form) > 1_000
    client.force_login(pedagogical)
    response = client.post(
        f"/cms/pages/{lesson.pk}/edit/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 302, response.content.decode()[:500]
    stored = LessonPage.objects.get(pk=lesson.pk).body
    assert len(stored) == 300 and stored[0].block_type == "paragraph"


def test_two_megabytes_posted_to_sign_in_are_still_refused(client):
    """The page editor's larger limit is its own: 2 Mo posted to the sign-in page get 413, unread."""
    body = WatchedInput(2 * MiB)
    response = client.generic(
        "POST",
        "/comptes/login/",
        CONTENT_TYPE="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(2 * MiB),
        **{"wsgi.input": body},
    )
    assert response.status_code == 413 and body.read_bytes == 0


@pytest.mark.parametrize(
    "path",
    [
        "/cms/pages/3/edit/",
        "/cms/pages/add/courses/lessonpage/3/",
        "/cms/pages/3/edit/preview/",
        "/cms/pages/add/courses/lessonpage/3/preview/",
        "/cms/pages/3/revisions/4/revert/",
        "/cms/snippets/forum/faqentry/edit/1/",
        "/cms/snippets/forum/faqentry/add/",
        "/cms/snippets/content/glossaryterm/edit/1/",
    ],
)
def test_page_and_snippet_editors_take_five_megabytes(path):
    """Wagtail's page and snippet editors (add, edit, preview, revert) accept 5 Mo of content."""
    assert request_body_limit(RequestFactory().post(path)) == settings.EDITOR_BODY_MAX_BYTES == 5 * MiB
