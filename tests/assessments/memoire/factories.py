"""Mémoires at a given step, made through the services (so that each step is logged as in life)."""

from __future__ import annotations

import io
import random
import string

from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.pdfgen import canvas

from assessments.memoire import services
from assessments.memoire.enums import MemoireKind, MemoireState
from assessments.memoire.models import Memoire
from assessments.similarity.services import similarity_check_run
from tests.factories import PedagogicalFactory, TrainerFactory
from tests.uploads_samples import pdf_bytes

SUBJECT = {
    "title": "Coordonner la santé mentale à l'échelle d'un CLS rural",
    "kind": MemoireKind.PRACTICE,
    "summary": "Comment un conseil local de santé mentale s'installe dans un territoire rural.",
    "cls_name": "CLS du Pays de Morlaix",
}

ORDER = [
    MemoireState.NOT_STARTED,
    MemoireState.SUBJECT_PROPOSED,
    MemoireState.SUBJECT_APPROVED,
    MemoireState.IN_PROGRESS,
    MemoireState.FINAL_SUBMITTED,
]


def own_text_pdf(pages: int, *, seed: int) -> bytes:
    """A PDF of `pages` pages of words drawn at random for `seed`: two mémoires made with different
    seeds share no passage, so the similarity check does not flag one against the other."""
    rng = random.Random(seed)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for _ in range(pages):
        for line in range(3):
            words = ("".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 9))) for _ in range(10))
            pdf.drawString(72, 720 - 14 * line, " ".join(words))
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def pdf_upload(pages: int, name: str = "memoire.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(pages), content_type="application/pdf")


def memoire_at(enrolment, state: str, *, tutor=None, team=None, drafts: int = 0) -> Memoire:
    """The enrolment's mémoire brought to `state` (one of ORDER, or SUBJECT_RETURNED)."""
    team = team or PedagogicalFactory()
    learner = enrolment.user
    if state == MemoireState.NOT_STARTED:
        return Memoire.objects.create(enrolment=enrolment)
    memoire = services.memoire_subject_propose(enrolment=enrolment, by=learner, **SUBJECT)
    if state == MemoireState.SUBJECT_RETURNED:
        return services.memoire_subject_return(memoire=memoire, by=team, comment="Précisez le terrain.")
    if ORDER.index(state) >= ORDER.index(MemoireState.SUBJECT_APPROVED):
        memoire = services.memoire_subject_approve(memoire=memoire, by=team)
    if ORDER.index(state) >= ORDER.index(MemoireState.IN_PROGRESS):
        memoire = services.memoire_tutor_assign(memoire=memoire, tutor=tutor or TrainerFactory(), by=team)
        for number in range(drafts):
            services.memoire_draft_upload(
                memoire=memoire, file=pdf_upload(3, f"brouillon-{number}.pdf"), note="", by=learner
            )
    if state == MemoireState.FINAL_SUBMITTED:
        final = SimpleUploadedFile(
            "memoire.pdf", own_text_pdf(15, seed=memoire.pk), content_type="application/pdf"
        )
        services.memoire_final_submit(memoire=memoire, file=final, by=learner)
        # What the task does after the commit (tests run inside a transaction that never commits).
        similarity_check_run(memoire_id=memoire.pk)
        memoire.refresh_from_db()
    return memoire
