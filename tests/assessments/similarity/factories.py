"""Texts, files and documents for the similarity room's tests: PDFs of real text (reportlab),
DOCX built here, final mémoires submitted through the services, deliverable versions stored."""

from __future__ import annotations

import io
import random
from types import SimpleNamespace
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.pdfgen import canvas

from assessments.deliverables.models import Submission
from assessments.memoire import services as memoire_services
from assessments.memoire.enums import MemoireState
from assessments.memoire.models import MemoireFinal
from tests.assessments.deliverables.factories import DeliverableFactory
from tests.assessments.memoire.factories import memoire_at
from tests.uploads_samples import docx_bytes

WORDS = [
    "territoire",
    "partenaires",
    "diagnostic",
    "santé",
    "mentale",
    "conseil",
    "local",
    "élus",
    "habitants",
    "prévention",
    "coordination",
    "agence",
    "régionale",
    "collectivité",
    "médecins",
    "infirmiers",
    "pharmacie",
    "école",
    "associations",
    "logement",
    "précarité",
    "accès",
    "soins",
    "parcours",
    "vieillissement",
    "addictions",
    "nutrition",
    "environnement",
    "mobilité",
    "quartier",
    "prioritaire",
    "ville",
    "commune",
    "intercommunalité",
    "animation",
    "gouvernance",
    "évaluation",
    "indicateurs",
    "actions",
    "fiches",
    "comité",
    "pilotage",
    "technique",
    "réunion",
    "séminaire",
    "formation",
    "professionnels",
    "hôpital",
    "clinique",
    "urgences",
    "maison",
    "pluriprofessionnelle",
    "centre",
    "communautaire",
    "protection",
    "maternelle",
]


def prose(words: int, *, seed: int) -> str:
    """`words` words of French-looking prose, in sentences, different for each seed."""
    rng = random.Random(seed)
    sentences, count = [], 0
    while count < words:
        length = min(rng.randint(8, 16), words - count)
        sentence = " ".join(rng.choice(WORDS) for _ in range(length))
        sentences.append(sentence.capitalize() + ".")
        count += length
    return " ".join(sentences)


def text_pdf_bytes(text: str, *, pages: int = 15) -> bytes:
    """A PDF of `pages` pages holding `text`, spread evenly, 12 words a line."""
    words = text.split()
    per_page = max(1, -(-len(words) // pages))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for number in range(pages):
        chunk = words[number * per_page : (number + 1) * per_page]
        y = 800
        for start in range(0, len(chunk), 12):
            pdf.drawString(40, y, " ".join(chunk[start : start + 12]))
            y -= 14
        if not chunk:
            pdf.drawString(40, y, "")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def docx_text_bytes(paragraphs: list[str]) -> bytes:
    """A DOCX whose body holds these paragraphs."""
    body = "".join(f"<w:p><w:r><w:t>{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    return docx_bytes({"word/document.xml": document})


def final_with_text(enrolment, text: str, *, team=None, tutor=None, pages: int = 15, gate: bool = False):
    """The enrolment's mémoire with a final version (a PDF of `pages` pages) holding `text`.
    With `gate`, submitted through `memoire_final_submit` (the upload gate's PDF check runs in a
    child process: seconds on a busy machine); otherwise recorded by the same service's
    transactional part (`_final_record`: the transition, the row and the signal on commit), as if
    the gate had passed it. Returns the mémoire."""
    memoire = memoire_at(enrolment, MemoireState.IN_PROGRESS, team=team, tutor=tutor)
    content = text_pdf_bytes(text, pages=pages)
    if gate:
        upload = SimpleUploadedFile("memoire.pdf", content, content_type="application/pdf")
        memoire_services.memoire_final_submit(memoire=memoire, file=upload, by=enrolment.user)
    else:
        storage = MemoireFinal._meta.get_field("file").storage
        stored = storage.save("memoires/finales/memoire.pdf", ContentFile(content))
        checked = SimpleNamespace(pages=pages, original_name="memoire.pdf")
        memoire_services._final_record(
            memoire=memoire,
            checked=checked,
            stored=stored,
            checked_annexes=None,
            stored_annexes="",
            by=enrolment.user,
        )
    memoire.refresh_from_db()
    return memoire


def submission_with_text(enrolment, text: str, *, module, deliverable=None, version: int = 1, docx=False):
    """A stored version of a deliverable holding `text` (PDF, or DOCX), as the gate left it."""
    deliverable = deliverable or DeliverableFactory(module=module)
    if docx:
        content, kind, name = (
            docx_text_bytes(text.split(". ")),
            ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            "production.docx",
        )
    else:
        content, kind, name = text_pdf_bytes(text, pages=3), "application/pdf", "production.pdf"
    submission = Submission(
        deliverable=deliverable, enrolment=enrolment, version=version, original_name=name, content_type=kind
    )
    submission.file.save(f"deliverables/{name}", ContentFile(content), save=False)
    submission.save()
    return submission
