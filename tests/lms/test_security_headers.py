"""Content-Security-Policy (lms.security.middleware.ContentSecurityPolicyMiddleware): every HTML page
has it; every inline script the site or the Wagtail admin writes carries the response's nonce;
attachments keep their own `sandbox` policy; Wagtail's preview may be framed by the site itself."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from lms.security.middleware import ContentSecurityPolicyMiddleware
from lms.uploads import upload_response
from tests.factories import CohortFactory, RegionFactory, UserFactory

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)([^>]*)>", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)


def policy_of(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split(" ", 1)[0]: part.partition(" ")[2] for part in header.split("; ")}


@pytest.mark.django_db
def test_html_pages_carry_the_policy(client):
    """The sign-in page answers with a policy allowing only this site's scripts and nothing framing it."""
    policy = policy_of(client.get("/comptes/login/"))
    assert policy["script-src"].startswith("'self'")
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["default-src"] == "'self'"


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.mark.parametrize(
    "url",
    [
        "/cms/snippets/courses/cohort/edit/{cohort}/",
        "/cms/snippets/content/resource/add/",
        "/cms/reports/locked/",
    ],
    ids=["dates", "chooser", "filters"],
)
def test_every_inline_script_of_the_admin_carries_the_nonce(client, superuser, programme, url):
    """Wagtail's date widgets, chooser widgets and filters write inline scripts: each one carries the
    nonce of the response's header (before: no nonce, so the policy would block them)."""
    cohort = CohortFactory(programme=programme, region=RegionFactory())
    client.force_login(superuser)
    response = client.get(url.format(cohort=cohort.pk))
    assert response.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", policy_of(response)["script-src"]).group(1)
    scripts = INLINE_SCRIPT.findall(response.content.decode())
    assert scripts, "the page was expected to hold inline scripts"
    for attributes in scripts:
        assert f'nonce="{nonce}"' in attributes, attributes


def test_no_template_holds_an_inline_script_without_nonce_or_an_event_handler():
    """Templates of the site write no inline script without `{% csp_nonce %}` and no `onclick=`-like
    attribute: the policy would block them (they go to static/js/)."""
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        offenders += [f"{path}: <script{a}>" for a in INLINE_SCRIPT.findall(text) if "csp_nonce" not in a]
        offenders += [f"{path}: {m.group(0)}" for m in EVENT_HANDLER.finditer(text)]
    assert not offenders, "\n".join(offenders)


def _through_middleware(response: HttpResponse) -> HttpResponse:
    return ContentSecurityPolicyMiddleware(lambda request: response)(RequestFactory().get("/"))


def test_attachment_keeps_its_sandbox_policy():
    """An uploaded file served by the upload gate keeps `Content-Security-Policy: sandbox` and nosniff."""
    response = _through_middleware(
        upload_response(file=io.BytesIO(b"%PDF-1.4"), filename="fiche.pdf", content_type="application/pdf")
    )
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_response_framed_by_the_site_itself_allows_its_own_origin_only():
    """Wagtail's preview (X-Frame-Options: SAMEORIGIN) may be framed by the site, by nothing else."""
    framed = HttpResponse("aperçu")
    framed["X-Frame-Options"] = "SAMEORIGIN"
    assert policy_of(_through_middleware(framed))["frame-ancestors"] == "'self'"
    assert policy_of(_through_middleware(HttpResponse("page")))["frame-ancestors"] == "'none'"
