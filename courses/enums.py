from decimal import Decimal

from django.db import models

#: Each learner follows every core module and exactly this many optional modules.
OPTIONS_TO_CHOOSE = 2


class ModuleKind(models.TextChoices):
    CORE = "core", "Module socle"
    OPTIONAL = "optional", "Module d'approfondissement"


class Modality(models.TextChoices):
    ELEARNING = "elearning", "E-learning"
    PRESENTIAL = "presential", "Présentiel"
    ORGANISATION = "organisation", "Au sein de l'organisation"


class HoursSource(models.TextChoices):
    LESSON = "lesson", "Leçon terminée"
    ATTENDANCE = "attendance", "Présence à une session"
    DECLARATION = "declaration", "Déclaration validée"
    CORRECTION = "correction", "Correction"


#: The zero of hour sums (Decimal, as the ledger's hours are).
ZERO = Decimal(0)


class HalfDay(models.TextChoices):
    """A half-day of a presential session: attendance is kept per half-day."""

    MORNING = "am", "Matin"
    AFTERNOON = "pm", "Après-midi"
