"""Content-Security-Policy in a real browser: the main pages of each role and the Wagtail admin's
main screens (explorer, page editor, choosers, image and document upload) run under the policy with
no violation reported by Chromium (no inline script without the nonce, no asset from elsewhere)."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from PIL import Image as PILImage
from reportlab.pdfgen import canvas
from wagtail.documents.models import Document
from wagtail.images.models import Image

from courses.learning import services as learning_services
from forum.threads import services as forum_services
from tests.factories import ArsStaffFactory, PedagogicalFactory, TrainerFactory, UserFactory, lessons_of

pytestmark = pytest.mark.browser

# Recorded by the page itself: every `securitypolicyviolation` event, including those of scripts
# that Wagtail or DSFR insert after the load (Playwright's init scripts are not subject to CSP).
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} `
    + `(${e.sourceFile || ""}:${e.lineNumber || ""}) ${(e.sample || "").slice(0, 80)}`);
});
"""


@pytest.fixture
def watched(context):
    """A page whose Content-Security-Policy violations (events and console messages) are kept."""
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.csp_console = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and page.csp_console.append(message.text),
    )
    yield page
    page.close()


def violations_on(page, label: str, url: str, *, then=None) -> list[str]:
    """Visit `url` (and do `then(page)` there), check it answers under the policy, and return the
    violations it reported, each prefixed with `label`."""
    page.csp_console.clear()
    response = page.goto(url)
    assert response is not None and response.status < 500, f"{label}: HTTP {response and response.status}"
    assert urlsplit(page.url).path == urlsplit(url).path, f"{label}: redirected to {page.url}"
    policy = response.header_value("content-security-policy") or ""
    assert "script-src 'self'" in policy and "object-src 'none'" in policy, f"{label}: policy {policy!r}"
    page.wait_for_load_state("networkidle")
    if then is not None:
        then(page)
        page.wait_for_load_state("networkidle")
    found = page.evaluate("window.__cspViolations") + page.csp_console
    return [f"{label} ({url}): {v}" for v in found]


def check(page, urls: list[tuple[str, str]]) -> list[str]:
    failures = []
    for label, url in urls:
        failures += violations_on(page, label, url)
    return failures


def png() -> bytes:
    """A small valid PNG, as an image editor would save it."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (120, 80), (0, 96, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


def pdf() -> bytes:
    """A valid one-page PDF, as an office suite would save it."""
    buffer = io.BytesIO()
    document = canvas.Canvas(buffer)
    document.drawString(72, 720, "Fiche pratique : le diagnostic local de santé")
    document.save()
    return buffer.getvalue()


@pytest.fixture
def site_data(browser_programme, browser_modules, browser_cohort, browser_enrolment):
    """An enrolled learner with options chosen and a lesson done, the forum's spaces, a thread."""
    learning_services.options_choose(enrolment=browser_enrolment, modules=browser_modules[5:7])
    learning_services.lesson_complete(enrolment=browser_enrolment, lesson=lessons_of(browser_modules[0])[0])
    forum_services.spaces_ensure(programme=browser_programme)
    space = forum_services.cohort_space_ensure(cohort=browser_cohort)
    thread = forum_services.thread_start(
        space=space, title="Première réunion", source="Bonjour à toutes et à tous.", by=browser_enrolment.user
    )
    return {"space": space, "thread": thread}


def test_public_and_learner_pages_report_no_violation(
    watched, sign_in, browser_programme, browser_modules, site_data
):
    """Public pages and an enrolled learner's main pages (lesson with its heartbeat, forum with its
    draft script, declarations) run under the policy without a single violation."""
    module = browser_modules[0]
    first, with_quiz = lessons_of(module)
    space, thread = site_data["space"], site_data["thread"]
    failures = check(
        watched,
        [
            ("accueil", "/"),
            ("programme", browser_programme.url),
            ("connexion", "/comptes/login/"),
            ("glossaire", "/glossaire/"),
            ("page introuvable", "/page-qui-n-existe-pas/"),
        ],
    )
    sign_in(site_data["thread"].author)
    failures += check(
        watched,
        [
            ("mon espace", "/mon-espace/"),
            ("mes options", "/parcours/options/"),
            ("module", module.url),
            ("leçon", first.url),
            ("leçon avec quiz", with_quiz.url),
            ("forum", "/forum/"),
            ("nouvelle question", f"/forum/{space.slug}/nouveau/"),
            ("fil", f"/forum/{space.slug}/{thread.pk}/"),
            ("déclarations", "/parcours/declarations/"),
            ("nouvelle déclaration", "/parcours/declarations/nouvelle/"),
            ("mon compte", "/comptes/email/"),
        ],
    )
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "factory", [ArsStaffFactory, TrainerFactory, PedagogicalFactory], ids=["ars", "formateur", "equipe"]
)
def test_staff_pages_report_no_violation(watched, sign_in, browser_cohort, browser_enrolment, factory):
    """« Mon espace » and the staff space of each staff role run under the policy without violation."""
    user = factory(regions=[browser_cohort.region]) if factory is ArsStaffFactory else factory()
    sign_in(user)
    urls = [("mon espace", "/mon-espace/"), ("accueil", "/")]
    if factory is not TrainerFactory:
        urls += [
            ("promotions", "/gestion/promotions/"),
            ("promotion", f"/gestion/promotions/{browser_cohort.pk}/"),
            ("inscription", f"/gestion/inscriptions/{browser_enrolment.pk}/"),
            ("import", f"/gestion/promotions/{browser_cohort.pk}/importer/"),
        ]
    failures = check(watched, urls)
    assert not failures, "\n".join(failures)


@pytest.fixture
def admin_user(browser_programme):
    """A superuser of the Wagtail admin (every screen, every chooser)."""
    user = UserFactory(is_staff=True, is_superuser=True)
    Group.objects.get_or_create(name="Moderators")
    return user


def test_wagtail_admin_reports_no_violation(
    watched, sign_in, admin_user, browser_programme, browser_modules, browser_cohort, tmp_path
):
    """The Wagtail admin's main screens (page editor, forms with date widgets and choosers, a chooser
    opened, image and document upload) run under the policy without violation: Wagtail's inline
    scripts carry the nonce (templates/wagtailadmin/, lms/security/wagtail.py)."""
    lesson = lessons_of(browser_modules[0])[0]
    image_file = tmp_path / "schema.png"
    image_file.write_bytes(png())
    document_file = tmp_path / "fiche.pdf"
    document_file.write_bytes(pdf())
    sign_in(admin_user)

    def open_document_chooser(page):
        page.get_by_role("button", name="Choisir un document").click()
        page.get_by_role("heading", name="Choisir un document").wait_for()

    def upload(path):
        def _upload(page):
            with page.expect_response(
                lambda r: r.request.method == "POST" and "/multiple/add/" in r.url
            ) as sent:
                page.locator("input[type=file]").first.set_input_files(str(path))
            assert sent.value.status == 200, f"upload of {path.name}: HTTP {sent.value.status}"

        return _upload

    failures = check(
        watched,
        [
            ("tableau de bord", "/cms/"),
            ("explorateur", f"/cms/pages/{browser_programme.pk}/"),
            ("éditeur de page", f"/cms/pages/{lesson.pk}/edit/"),
            ("nouvelle page", f"/cms/pages/add/courses/lessonpage/{browser_modules[0].pk}/"),
            ("promotion (dates)", f"/cms/snippets/courses/cohort/edit/{browser_cohort.pk}/"),
            ("rapport (filtres de dates)", "/cms/reports/locked/"),
            ("images", "/cms/images/"),
            ("documents", "/cms/documents/"),
            ("utilisateurs", "/cms/users/"),
            ("recherche", "/cms/pages/search/?q=module"),
        ],
    )
    failures += violations_on(
        watched, "sélecteur de document", "/cms/snippets/content/resource/add/", then=open_document_chooser
    )
    failures += violations_on(watched, "ajout d'images", "/cms/images/multiple/add/", then=upload(image_file))
    failures += violations_on(
        watched, "ajout de documents", "/cms/documents/multiple/add/", then=upload(document_file)
    )
    assert Image.objects.count() == 1 and Document.objects.count() == 1
    assert not failures, "\n".join(failures)
