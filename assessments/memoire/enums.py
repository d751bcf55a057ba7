"""The mémoire's states and kinds, shared by its models, flows, views and templates."""

from django.db import models


class MemoireState(models.TextChoices):
    """Every state a mémoire can be in. The states after FINAL_SUBMITTED are declared for the next
    steps (marking, reconciliation, release, soutenance); no transition reaches them yet."""

    NOT_STARTED = "not_started", "Sujet à proposer"
    SUBJECT_PROPOSED = "subject_proposed", "Sujet proposé"
    SUBJECT_RETURNED = "subject_returned", "Sujet à reprendre"
    SUBJECT_APPROVED = "subject_approved", "Sujet approuvé"
    IN_PROGRESS = "in_progress", "En cours de rédaction"
    FINAL_SUBMITTED = "final_submitted", "Version finale déposée"
    MARKING = "marking", "En correction"
    RECONCILIATION = "reconciliation", "Conciliation des notes"
    MARKED = "marked", "Note à publier"
    RELEASED = "released", "Note publiée"
    SOUTENANCE_BOOKED = "soutenance_booked", "Soutenance programmée"
    ADMITTED = "admitted", "Admis·e"
    ADJOURNED = "adjourned", "Ajourné·e"


class MemoireKind(models.TextChoices):
    PRACTICE = (
        "practice",
        "Réflexion sur ses pratiques professionnelles à partir d'un projet mené comme "
        "coordinateur·rice du CLS",
    )
    REFLECTIVE = "reflective", "Travail réflexif au bénéfice du CLS"


#: The learner's path as the stepper shows it: (label, states in which this step is the current one).
STEPS: tuple[tuple[str, frozenset[str]], ...] = (
    (
        "Sujet",
        frozenset({MemoireState.NOT_STARTED, MemoireState.SUBJECT_PROPOSED, MemoireState.SUBJECT_RETURNED}),
    ),
    ("Tutorat et brouillons", frozenset({MemoireState.SUBJECT_APPROVED, MemoireState.IN_PROGRESS})),
    ("Version finale", frozenset({MemoireState.FINAL_SUBMITTED})),
    (
        "Correction",
        frozenset(
            {MemoireState.MARKING, MemoireState.RECONCILIATION, MemoireState.MARKED, MemoireState.RELEASED}
        ),
    ),
    (
        "Soutenance",
        frozenset({MemoireState.SOUTENANCE_BOOKED, MemoireState.ADMITTED, MemoireState.ADJOURNED}),
    ),
)
