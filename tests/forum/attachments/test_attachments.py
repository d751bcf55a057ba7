"""Attachments on forum posts: files judged by their bytes, refused with a message naming them,
nothing written on refusal, served only by a permission-checked view."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from reportlab.pdfgen import canvas

from forum.attachments import checks as attachments
from forum.enums import AttachmentKind, SpaceKind
from forum.models import Attachment, Post, Space, Thread
from forum.notifications import services as notifications
from forum.threads import services
from lms.uploads import Kind, clean_name, human_size, upload_check
from tests.factories import CohortFactory, EnrolmentFactory

# --- Real files, made here ------------------------------------------------------------------------


def png_bytes(size=(16, 12), color="teal") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "orange").save(buffer, fmt)
    return buffer.getvalue()


def pdf_bytes(pages: int = 1, text: str = "Compte rendu du comité de pilotage") -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for number in range(pages):
        pdf.drawString(72, 720, f"{text} — page {number + 1}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def encrypted_pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 2000
MZ = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 2000


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def pixels(content: bytes) -> tuple:
    """An image's size and pixels: what re-encoding keeps."""
    with Image.open(io.BytesIO(content)) as image:
        return image.size, image.convert("RGBA").tobytes()


def check(file):
    """The forum's own check of one file: the upload gate with the forum's policy."""
    return upload_check(name=file.name, data=file, policy=attachments.FORUM_POLICY)


def stored_files() -> set[str]:
    """Every file under forum/ in the storage (in memory for the tests)."""
    names, folders = set(), ["forum"]
    while folders:
        folder = folders.pop()
        try:
            subfolders, files = default_storage.listdir(folder)
        except FileNotFoundError:
            continue
        folders += [f"{folder}/{sub}" for sub in subfolders]
        names |= {f"{folder}/{name}" for name in files}
    return names


# --- The checks -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt", "content_type"),
    [
        ("capture.png", "PNG", "image/png"),
        ("photo.jpg", "JPEG", "image/jpeg"),
        ("schema.webp", "WEBP", "image/webp"),
        ("anim.gif", "GIF", "image/gif"),
    ],
)
def test_real_images_are_accepted_with_their_content_type(name, fmt, content_type):
    """PNG, JPEG, WebP and GIF images that Pillow verifies are accepted as images."""
    checked = check(upload(name, image_bytes(fmt)))
    assert (attachments.attachment_kind(checked), checked.content_type, checked.original_name) == (
        AttachmentKind.IMAGE,
        content_type,
        name,
    )


def test_real_pdf_is_accepted():
    """A PDF made by reportlab is parsed and accepted."""
    content = pdf_bytes(3)
    checked = check(upload("cr.pdf", content))
    assert (checked.kind, checked.content_type, checked.size) == (
        Kind.PDF,
        "application/pdf",
        len(content),
    )


@pytest.mark.parametrize("content", [ELF, MZ], ids=["elf", "mz"])
def test_executable_renamed_pdf_is_refused_by_name(content):
    """An executable renamed .pdf is refused with a French message naming the file."""
    with pytest.raises(ValidationError) as exc:
        check(upload("programme-2026.pdf", content))
    assert exc.value.messages == [
        "« programme-2026.pdf » : malgré son extension .pdf, c'est un programme exécutable, "
        "pas un document : il est refusé."
    ]


@pytest.mark.parametrize(
    ("name", "content", "shown"),
    [
        (
            "gros.pdf",
            b"%PDF-1.7\n" + b"0" * (6 * 1024 * 1024),
            "« gros.pdf » : le fichier pèse 6,0 Mo : la limite est de 5 Mo.",
        ),
        ("vide.png", b"", "« vide.png » : le fichier est vide."),
        ("long.pdf", None, "« long.pdf » : ce PDF compte 51 pages : 50 au plus."),
        ("secret.pdf", "encrypted", "« secret.pdf » : ce PDF est protégé par un mot de passe"),
        (
            "faux.pdf",
            b"%PDF-1.4\nce n'est pas un vrai PDF",
            "« faux.pdf » : ce PDF est endommagé ou illisible",
        ),
        ("tronquee.png", png_bytes()[:40], "« tronquee.png » : cette image est endommagée ou illisible"),
        (
            "notes.txt",
            b"Bonjour",
            "« notes.txt » : ce format n'est pas accepté. Joignez un fichier PDF, PNG, JPEG, WebP ou GIF.",
        ),
        (
            "image.svg",
            b"<svg onload='alert(1)'/>",
            "« image.svg » : c'est une image SVG, qui peut contenir du code : elle est refusée.",
        ),
        ("scan.png", None, "« scan.png » : ce fichier est un PDF : son nom doit finir par .pdf."),
        ("photo.pdf", png_bytes(), "« photo.pdf » : ce fichier est une image"),
    ],
    ids=[
        "6-mo",
        "empty",
        "51-pages",
        "encrypted",
        "fake-pdf",
        "truncated-png",
        "text",
        "svg",
        "pdf-as-png",
        "png-as-pdf",
    ],
)
def test_bad_files_are_refused_with_a_message_naming_them(name, content, shown):
    """Each bad file gets its own French message, naming it."""
    if content is None:
        content = pdf_bytes(51 if name == "long.pdf" else 1)
    elif content == "encrypted":
        content = encrypted_pdf_bytes()
    with pytest.raises(ValidationError) as exc:
        check(upload(name, content))
    assert shown in exc.value.messages[0]


def test_fifty_pages_is_the_limit():
    """A PDF of exactly 50 pages is accepted."""
    assert check(upload("cinquante.pdf", pdf_bytes(50))).kind == Kind.PDF


def test_image_mislabelled_as_another_image_is_refused():
    """A PNG named .jpg: the extension must agree with the content, the message says which."""
    with pytest.raises(ValidationError) as exc:
        check(upload("photo.jpg", png_bytes()))
    assert exc.value.messages == [
        "« photo.jpg » : ce fichier est une image PNG : son nom doit finir par .png."
    ]


def test_four_files_are_refused():
    """At most three files per post."""
    files = [upload(f"f{i}.png", png_bytes()) for i in range(4)]
    with pytest.raises(ValidationError) as exc:
        attachments.attachments_check(files, user=None)
    assert exc.value.messages == ["Joignez au plus 3 fichiers à un message (vous en avez choisi 4)."]


def test_every_refused_file_is_listed_at_once():
    """Two bad files among three: both are named, the good one is not."""
    files = [upload("ok.png", png_bytes()), upload("a.pdf", ELF), upload("b.png", b"nope")]
    with pytest.raises(ValidationError) as exc:
        attachments.attachments_check(files, user=None)
    assert len(exc.value.messages) == 2
    assert "« a.pdf »" in exc.value.messages[0] and "« b.png »" in exc.value.messages[1]


def test_names_lose_folders_and_control_characters():
    """The displayed name never carries a path or a control character."""
    assert clean_name("C:\\Users\\moi\\..\\rapport\x00.pdf") == "rapport.pdf"
    assert clean_name("../../etc/passwd") == "passwd"
    assert clean_name("") == "fichier"
    assert len(clean_name("a" * 300 + ".pdf")) == 200


# --- Services -------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def general(programme):
    return Space.objects.create(kind=SpaceKind.GENERAL, title="Général", slug="general", programme=programme)


def test_thread_start_stores_checked_files(general, learner):
    """The question's files are stored under a generated name, with their original name and kind."""
    before = stored_files()
    thread = services.thread_start(
        space=general,
        title="Compte rendu",
        source="Voici le CR.",
        by=learner,
        attachments=[upload("CR comité.pdf", pdf_bytes()), upload("photo.png", png_bytes())],
    )
    pdf, image = thread.posts.get().attachments.order_by("pk")
    assert (pdf.original_name, pdf.kind, pdf.content_type) == ("CR comité.pdf", "pdf", "application/pdf")
    assert (image.original_name, image.kind, image.content_type) == ("photo.png", "image", "image/png")
    assert (
        pdf.file.name.startswith("forum/") and pdf.file.name.endswith(".pdf") and "comit" not in pdf.file.name
    )
    assert stored_files() - before == {pdf.file.name, image.file.name}
    with image.file.open("rb") as handle:
        assert pixels(handle.read()) == pixels(png_bytes())


def test_post_reply_with_a_bad_file_writes_nothing(general, learner, trainer):
    """A reply with an executable renamed .pdf writes no post, no attachment and no file."""
    thread = services.thread_start(space=general, title="Q", source="?", by=learner)
    before = stored_files()
    with pytest.raises(ValidationError, match="programme exécutable"):
        services.post_reply(
            thread=thread,
            source="Le document :",
            by=trainer,
            attachments=[upload("ok.png", png_bytes()), upload("setup.pdf", MZ)],
        )
    assert thread.posts.count() == 1 and not Attachment.objects.exists() and stored_files() == before


def test_thread_start_with_four_files_writes_nothing(general, learner):
    """Four files: nothing is created, not even the thread."""
    with pytest.raises(ValidationError, match="au plus 3 fichiers"):
        services.thread_start(
            space=general,
            title="Q",
            source="?",
            by=learner,
            attachments=[upload(f"{i}.png", png_bytes()) for i in range(4)],
        )
    assert not Thread.objects.exists() and not Attachment.objects.exists()


def test_refused_files_do_not_count_against_the_flood_limit(general, learner):
    """A refused submission is not counted as a post by the rate limit."""
    thread = services.thread_start(space=general, title="Q", source="1", by=learner)
    for _ in range(services.FLOOD_LIMIT + 2):
        with pytest.raises(ValidationError, match="setup.pdf"):
            services.post_reply(thread=thread, source="r", by=learner, attachments=[upload("setup.pdf", ELF)])
    assert services.post_reply(thread=thread, source="r", by=learner)


def test_stored_files_are_removed_when_the_transaction_fails(general, learner, monkeypatch):
    """If publishing fails after the files were stored, they are removed with the rolled-back rows."""

    def broken(post):
        raise RuntimeError("notification failed")

    monkeypatch.setattr(notifications, "post_published", broken)
    before = stored_files()
    with pytest.raises(RuntimeError):
        services.thread_start(
            space=general, title="Q", source="?", by=learner, attachments=[upload("a.png", png_bytes())]
        )
    assert stored_files() == before and not Thread.objects.exists()


# --- Views ----------------------------------------------------------------------------------------


@pytest.fixture
def world(programme, modules, cohort, other_region, ars_staff, other_ars_staff, trainer, pedagogical):
    learner = EnrolmentFactory(cohort=cohort).user
    other_cohort = CohortFactory(programme=programme, region=other_region, name="Occitanie 2026")
    other_learner = EnrolmentFactory(cohort=other_cohort).user
    own = Space.objects.create(
        kind=SpaceKind.COHORT, title="Bretagne", slug="c-bzh", programme=programme, cohort=cohort
    )
    core = Space.objects.create(
        kind=SpaceKind.MODULE, title="Module socle 1", slug="m1", programme=programme, module=modules[0]
    )
    thread = services.thread_start(
        space=own,
        title="Compte rendu",
        source="Le CR et le schéma.",
        by=learner,
        attachments=[upload("CR.pdf", pdf_bytes()), upload("schéma régional.png", png_bytes())],
    )
    pdf, image = Attachment.objects.order_by("pk")
    return {
        "own": own,
        "core": core,
        "thread": thread,
        "pdf": pdf,
        "image": image,
        "users": {
            "anonymous": None,
            "learner": learner,
            "learner_other_cohort": other_learner,
            "ars_region": ars_staff,
            "ars_other_region": other_ars_staff,
            "trainer": trainer,
            "pedagogical": pedagogical,
        },
    }


ROLES = [
    "anonymous",
    "learner",
    "learner_other_cohort",
    "ars_region",
    "ars_other_region",
    "trainer",
    "pedagogical",
]
#                              anon learner other  ars  ars2 trainer pedago
MATRIX = {
    "visible": ["login", 200, 404, 200, 404, 200, 200],
    "post_hidden": ["login", 404, 404, 404, 404, 200, 200],
    "post_deleted": ["login", 404, 404, 404, 404, 200, 200],
    "thread_hidden": ["login", 404, 404, 404, 404, 200, 200],
}
CASES = [(s, r, c) for s, codes in MATRIX.items() for r, c in zip(ROLES, codes, strict=True)]


@pytest.mark.parametrize(("state", "role", "expected"), CASES, ids=[f"{s}-{r}" for s, r, _ in CASES])
def test_attachment_url_matrix(client, world, state, role, expected):
    """Only readers of the space open an attachment; hidden or deleted posts' files only moderators;
    anyone else gets « not found », never a hint that the file exists."""
    post = world["pdf"].post
    if state == "post_hidden":
        Post.objects.filter(pk=post.pk).update(is_hidden=True)
    elif state == "post_deleted":
        services.post_delete(post=post, by=world["users"]["learner"])
    elif state == "thread_hidden":
        Thread.objects.filter(pk=post.thread_id).update(is_hidden=True)
    user = world["users"][role]
    if user:
        client.force_login(user)
    response = client.get(f"/forum/pieces-jointes/{world['pdf'].pk}/")
    if expected == "login":
        assert response.status_code == 302 and "/comptes/login/" in response["Location"]
    else:
        assert response.status_code == expected


def test_attachments_are_served_sandboxed_with_their_type_and_name(client, world):
    """A PDF and an image come back as downloads with their content type and name, under
    `Content-Security-Policy: sandbox` and `X-Content-Type-Options: nosniff`."""
    client.force_login(world["users"]["ars_region"])
    response = client.get(f"/forum/pieces-jointes/{world['pdf'].pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'attachment; filename="CR.pdf"'
    assert b"".join(response.streaming_content) == world["pdf"].file.open("rb").read()
    response = client.get(f"/forum/pieces-jointes/{world['image'].pk}/")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith(
        "attachment; filename*=utf-8''sch%C3%A9ma%20r%C3%A9gional.png"
    )
    assert pixels(b"".join(response.streaming_content)) == pixels(png_bytes())


def test_unknown_attachment_is_not_found(client, world):
    """An attachment id that does not exist answers 404 like a forbidden one."""
    client.force_login(world["users"]["trainer"])
    assert client.get("/forum/pieces-jointes/999999/").status_code == 404


def test_media_url_does_not_serve_attachments(client, world):
    """The stored file is never reachable under /media/."""
    client.force_login(world["users"]["learner"])
    assert client.get(f"/media/{world['pdf'].file.name}").status_code == 404


def test_thread_page_shows_thumbnails_and_download_links(client, world):
    """The post shows the image as a thumbnail with its name as alt, the PDF as a download link."""
    client.force_login(world["users"]["ars_region"])
    html = client.get(f"/forum/c-bzh/{world['thread'].pk}/").content.decode()
    image, pdf = world["image"], world["pdf"]
    assert f'<img src="/forum/pieces-jointes/{image.pk}/" alt="schéma régional.png"' in html
    assert f'class="fr-link fr-link--download" href="/forum/pieces-jointes/{pdf.pk}/"' in html
    assert f"PDF – {human_size(pdf.size)}" in html


def test_deleted_post_shows_no_attachment(client, world):
    """Once its post is deleted, its files are no longer shown."""
    learner = world["users"]["learner"]
    services.post_delete(post=world["pdf"].post, by=learner)
    client.force_login(learner)
    html = client.get(f"/forum/c-bzh/{world['thread'].pk}/").content.decode()
    assert "/forum/pieces-jointes/" not in html and "Message supprimé" in html


def test_hidden_post_shows_no_attachment_to_members(client, world):
    """A hidden post's files are not shown to members."""
    Post.objects.filter(pk=world["pdf"].post_id).update(is_hidden=True)
    client.force_login(world["users"]["learner"])
    html = client.get(f"/forum/c-bzh/{world['thread'].pk}/").content.decode()
    assert "/forum/pieces-jointes/" not in html


def test_question_with_files_is_published(client, world):
    """« Nouvelle question » with two files publishes them with the first post."""
    client.force_login(world["users"]["learner"])
    response = client.post(
        "/forum/m1/nouveau/",
        {
            "title": "Diagnostic",
            "message": "Voici",
            "action": "publish",
            "attachments": [upload("a.png", png_bytes()), upload("b.pdf", pdf_bytes())],
        },
    )
    thread = Thread.objects.get(space=world["core"])
    assert response.status_code == 302
    assert [a.original_name for a in thread.posts.get().attachments.all()] == ["a.png", "b.pdf"]


def test_executable_question_is_refused_and_text_kept(client, world):
    """An executable renamed .pdf: the question is refused, the file named, the text kept, and the
    member told to choose the files again; nothing is written."""
    client.force_login(world["users"]["learner"])
    response = client.post(
        "/forum/m1/nouveau/",
        {
            "title": "Mon diagnostic",
            "message": "Le brouillon **long**",
            "action": "publish",
            "attachments": [upload("diagnostic.pdf", MZ)],
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "« diagnostic.pdf » : malgré son extension .pdf, c&#x27;est un programme exécutable" in html
    assert 'value="Mon diagnostic"' in html and ">Le brouillon **long**</textarea>" in html
    assert "choisissez-les à nouveau" in html
    assert 'enctype="multipart/form-data"' in html and 'aria-invalid="true"' in html
    assert not Thread.objects.filter(space=world["core"]).exists()


def test_member_past_the_refused_files_limit_is_asked_to_wait(client, world):
    """After 20 refused files in 10 minutes, a member's next question with a good file is refused
    before the file is checked, with a French message saying to wait; nothing is written."""
    client.force_login(world["users"]["learner"])
    form = {"title": "Mon diagnostic", "message": "Le brouillon", "action": "publish"}
    for round_ in range(7):  # 3 refused files per question: 21 refusals
        response = client.post(
            "/forum/m1/nouveau/",
            {**form, "attachments": [upload(f"d{round_}-{n}.pdf", MZ) for n in range(3)]},
        )
        assert response.status_code == 400
    before = stored_files()
    response = client.post("/forum/m1/nouveau/", {**form, "attachments": [upload("cr.pdf", pdf_bytes())]})
    html = response.content.decode()
    assert response.status_code == 400
    assert (
        "« cr.pdf » n&#x27;a pas été vérifié : trop de fichiers ont été refusés en peu de temps. "
        "Attendez 10 minutes avant d&#x27;en envoyer d&#x27;autres." in html
    )
    assert not Thread.objects.filter(space=world["core"]).exists() and stored_files() == before


def test_reply_with_four_files_is_refused_and_text_kept(client, world):
    """A reply with four files is refused, its text kept, nothing written."""
    client.force_login(world["users"]["trainer"])
    thread = world["thread"]
    response = client.post(
        f"/forum/c-bzh/{thread.pk}/",
        {"message": "Ma réponse", "attachments": [upload(f"{i}.png", png_bytes()) for i in range(4)]},
    )
    html = response.content.decode()
    assert response.status_code == 400 and "Joignez au plus 3 fichiers" in html
    assert ">Ma réponse</textarea>" in html and thread.posts.count() == 1


def test_reply_with_a_file_is_published(client, world):
    """A reply carries its PDF; the thread page shows it."""
    client.force_login(world["users"]["trainer"])
    thread = world["thread"]
    response = client.post(
        f"/forum/c-bzh/{thread.pk}/",
        {"message": "La fiche", "attachments": [upload("fiche.pdf", pdf_bytes())]},
    )
    reply = thread.posts.last()
    assert response.status_code == 302 and reply.attachments.get().original_name == "fiche.pdf"


def test_preview_checks_files_and_asks_to_choose_them_again(client, world):
    """« Aperçu » with a file: a bad one is named at once; in any case the member is told that files
    must be chosen again; nothing is written."""
    client.force_login(world["users"]["learner"])
    data = {"title": "Q", "message": "Texte", "action": "preview"}
    html = client.post(
        "/forum/m1/nouveau/", {**data, "attachments": [upload("ok.png", png_bytes())]}
    ).content.decode()
    assert "Aperçu (rien n'est encore publié)" in html and "choisissez-les à nouveau" in html
    assert "fr-message--error" not in html
    html = client.post("/forum/m1/nouveau/", {**data, "attachments": [upload("x.pdf", ELF)]}).content.decode()
    assert "« x.pdf » : malgré son extension .pdf" in html.replace("&#x27;", "'")
    assert not Thread.objects.filter(space=world["core"]).exists()


def test_form_without_files_says_nothing_about_choosing_again(client, world):
    """The reminder appears only when files were chosen."""
    client.force_login(world["users"]["learner"])
    html = client.post(
        "/forum/m1/nouveau/", {"title": "Q", "message": "", "action": "publish"}
    ).content.decode()
    assert "Le message est vide." in html and "choisissez-les à nouveau" not in html
    assert 'type="file"' in html and "multiple" in html
