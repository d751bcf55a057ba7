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


IN_MARKING = (
    "Votre mémoire est en correction. Votre note vous sera communiquée quand l'équipe pédagogique "
    "la publiera."
)
#: What the learner reads as the next step, by state.
NEXT_STEP = {
    MemoireState.NOT_STARTED: "Proposez le sujet de votre mémoire : l'équipe pédagogique l'examinera.",
    MemoireState.SUBJECT_PROPOSED: "Votre sujet attend l'avis de l'équipe pédagogique.",
    MemoireState.SUBJECT_RETURNED: (
        "Reprenez votre sujet selon les commentaires de l'équipe, puis proposez-le à nouveau."
    ),
    MemoireState.SUBJECT_APPROVED: (
        "Votre sujet est approuvé : l'équipe pédagogique va vous désigner un·e tuteur·rice."
    ),
    MemoireState.IN_PROGRESS: (
        "Déposez vos brouillons : votre tuteur·rice les commente. Quand votre mémoire est prêt, "
        "déposez la version finale."
    ),
    MemoireState.FINAL_SUBMITTED: (
        "Votre version finale est déposée : elle sera corrigée par deux correcteur·rices."
    ),
    MemoireState.MARKING: IN_MARKING,
    MemoireState.RECONCILIATION: IN_MARKING,
    MemoireState.MARKED: IN_MARKING,
    MemoireState.RELEASED: "Votre note est publiée : réservez un créneau de soutenance.",
    MemoireState.SOUTENANCE_BOOKED: (
        "Votre soutenance est réservée : vous pouvez changer de créneau jusqu'à la date limite."
    ),
    MemoireState.ADMITTED: "Votre soutenance est passée : le procès-verbal est signé.",
    MemoireState.ADJOURNED: (
        "Votre soutenance est passée : le procès-verbal indique les corrections demandées."
    ),
}
#: What the learner reads of the state while the mémoire is being marked (nothing of a
#: reconciliation nor of a mark waiting to be released).
LEARNER_STATE = {
    MemoireState.RECONCILIATION: MemoireState.MARKING,
    MemoireState.MARKED: MemoireState.MARKING,
}

#: The DSFR badge each state wears (the rest: « info »).
STATE_BADGES = {
    MemoireState.NOT_STARTED: "fr-badge--new",
    MemoireState.SUBJECT_RETURNED: "fr-badge--warning",
    MemoireState.RECONCILIATION: "fr-badge--warning",
    MemoireState.RELEASED: "fr-badge--success",
    MemoireState.ADMITTED: "fr-badge--success",
    MemoireState.ADJOURNED: "fr-badge--error",
}


def state_badge(state: str) -> str:
    return STATE_BADGES.get(state, "fr-badge--info")
