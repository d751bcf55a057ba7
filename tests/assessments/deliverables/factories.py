"""Factories of the deliverables room."""

import factory

from assessments.deliverables.models import Deliverable, DeliverableDueDate, ReviewerAssignment


class DeliverableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deliverable

    title = factory.Sequence(lambda n: f"Diagnostic territorial {n}")
    instructions = "<p>Présentez le diagnostic local de santé de votre territoire en cinq pages.</p>"
    accepts_pdf = True
    accepts_docx = True
    accepts_odt = False
    max_size_mb = 2
    required_for_diploma = True


class DueDateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliverableDueDate


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewerAssignment
