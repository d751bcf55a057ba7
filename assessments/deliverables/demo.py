"""Demo deliverables: one per core module, due dates for the demo cohort, the demo trainer as
reviewer, and a first version from the demo learner waiting in « À corriger ». Idempotent."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from reportlab.pdfgen import canvas

from assessments.deliverables import services
from assessments.deliverables.models import Deliverable, DeliverableDueDate, ReviewerAssignment, Submission
from courses.cohorts.models import Enrolment

DEMO_DELIVERABLES = {
    1: ("Diagnostic local de santé", "<p>Présentez en 5 pages le diagnostic de votre territoire.</p>"),
    2: ("Note sur la gouvernance du CLS", "<p>Décrivez les instances de votre CLS et leur animation.</p>"),
}


def _demo_pdf(text: str) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 760, text)
    page.save()
    return buffer.getvalue()


def deliverables_demo_load(*, modules: dict, cohort, trainer, learner_email: str) -> None:
    """Create what is missing of the demo deliverables; never changes what exists."""
    created = []
    for number, (title, instructions) in DEMO_DELIVERABLES.items():
        module = modules.get(number)
        if module is None:
            continue
        deliverable, _ = Deliverable.objects.get_or_create(
            module=module,
            title=title,
            defaults={
                "instructions": instructions,
                "accepts_pdf": True,
                "accepts_docx": True,
                "max_size_mb": 10,
            },
        )
        DeliverableDueDate.objects.get_or_create(
            deliverable=deliverable,
            cohort=cohort,
            defaults={"due_on": timezone.localdate() + datetime.timedelta(days=30 * number)},
        )
        if trainer is not None:
            ReviewerAssignment.objects.get_or_create(module=module, cohort=cohort, trainer=trainer)
        created.append(deliverable)
    enrolment = (
        Enrolment.objects.filter(user__email=learner_email, cohort=cohort).select_related("user").first()
    )
    if enrolment is None or not created or Submission.objects.filter(enrolment=enrolment).exists():
        return
    services.submission_create(
        deliverable=created[0],
        enrolment=enrolment,
        file=SimpleUploadedFile("diagnostic-local.pdf", _demo_pdf("Diagnostic local de santé — version 1")),
        comment="Première version, les indicateurs sont à compléter.",
        by=enrolment.user,
    )
