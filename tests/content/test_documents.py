"""Documents served by Wagtail at /documents/<id>/<file>: the resource library's are public,
lesson material and every other document need a signed-in user (lms/wagtail_hooks.py)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document

from content import permissions
from content.models import Resource
from tests.factories import lessons_of


@pytest.fixture(autouse=True)
def _files_on_disk(settings, tmp_path):
    """Wagtail serves documents from a local path: store them on disk, in a scratch folder."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


def _document(title: str, name: str) -> Document:
    return Document.objects.create(title=title, file=ContentFile(b"%PDF-1.4 contenu", name=name))


@pytest.fixture
def library_document(db):
    document = _document("Fiche pratique 1", "fiche-1.pdf")
    Resource.objects.create(title="Fiche pratique 1", summary="Le diagnostic local.", document=document)
    return document


@pytest.fixture
def lesson_document(modules):
    document = _document("Support de la leçon", "support-lecon.pdf")
    lesson = lessons_of(modules[0])[0]
    lesson.body.append(("document", {"document": document, "description": "Support"}))
    lesson.save()
    return document


def test_anonymous_visitor_downloads_a_library_document(client, library_document):
    """A practical sheet of the public resource library downloads without signing in."""
    response = client.get(library_document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 contenu"


def test_anonymous_visitor_is_sent_to_sign_in_for_a_lesson_document(client, lesson_document):
    """A document used in a lesson is not served to an anonymous visitor: sign in first."""
    response = client.get(lesson_document.url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={lesson_document.url}"


def test_signed_in_learner_downloads_a_lesson_document(client, learner, lesson_document):
    """A signed-in learner downloads the material of their lessons."""
    client.force_login(learner)
    response = client.get(lesson_document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 contenu"


def test_a_document_outside_the_library_is_for_signed_in_users_only(learner):
    """The rule: public when the library links it, otherwise only for an active signed-in user."""
    from django.contrib.auth.models import AnonymousUser

    document = _document("Brouillon", "brouillon.pdf")
    assert not permissions.can_download_document(AnonymousUser(), document)
    assert permissions.can_download_document(learner, document)
    learner.is_active = False
    assert not permissions.can_download_document(learner, document)
    Resource.objects.create(title="Brouillon publié", summary="Publié.", document=document)
    assert permissions.can_download_document(AnonymousUser(), document)
