"""The mémoire's one state machine: every transition, its source states, its guard, who may make
it and its target, in one table (`TRANSITIONS`), and the one function that makes a transition
(`memoire_transition`), used by every service.

    not_started ──propose──▶ subject_proposed ──approve──▶ subject_approved ──assign_tutor──▶ in_progress
    subject_returned ◀──return_subject──┘ (propose again)      in_progress ──submit_final──▶ final_submitted

In `in_progress`, uploading a draft, commenting on one and changing the tutor are transitions that
keep the state, so that they are refused out of order and logged like the others.

Double marking (the rows are written by assessments/marking/services.py, in the same transaction):

    final_submitted ──assign_markers──▶ marking ──submit_grid (×2, state kept)
    marking ──settle_average──▶ marked        (the two marks agree: their rounded average)
    marking ──open_reconciliation──▶ reconciliation ──name_third_marker (state kept)
    reconciliation ──reconcile──▶ marked ──release──▶ released

From the final version until the mark is released, the team's decision on a similarity flag
(`clear_similarity`, `confirm_similarity`) is a transition that keeps the state; an open flag, or
a check not done, holds the release (`_release_guard`).


The soutenance (assessments/soutenance/rules.py holds its guards):

    released ──book──▶ soutenance_booked ──sign_pv_admit──▶ admitted ──correct_pv_admit / _adjourn──▶ …
                        │  (rebook, declare_no_conflict,  └──sign_pv_adjourn──▶ adjourned ──correct_pv_…──▶ …
                        │   submit_oral_grid keep the state)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.marking import permissions as marking_permissions
from assessments.marking.models import AgreedMark, MarkerAssignment, MarkerRole
from assessments.memoire import permissions
from assessments.memoire.enums import MemoireKind, MemoireState
from assessments.memoire.models import Memoire, MemoireEvent
from assessments.memoire.tasks import NOTICES, send_memoire_event_email
from assessments.rubrics import grading
from assessments.rubrics.selectors import scheme_for
from assessments.similarity.selectors import similarity_hold
from assessments.soutenance import permissions as soutenance_permissions
from assessments.soutenance import rules as soutenance_rules
from lms.permissions import is_trainer

S = MemoireState
#: A guard answers why the transition cannot happen with this data, or None; it may raise a
#: ValidationError by field instead, for a form to show next to the field.
Guard = Callable[[Memoire, object, str, dict], "str | None"]
#: Every state from the subject's approval on: « already approved » for anything about the subject.
APPROVED_OR_LATER = frozenset(
    {
        S.SUBJECT_APPROVED,
        S.IN_PROGRESS,
        S.FINAL_SUBMITTED,
        S.MARKING,
        S.RECONCILIATION,
        S.MARKED,
        S.RELEASED,
        S.SOUTENANCE_BOOKED,
        S.ADMITTED,
        S.ADJOURNED,
    }
)
FINAL_OR_LATER = APPROVED_OR_LATER - {S.SUBJECT_APPROVED, S.IN_PROGRESS}
BEFORE_APPROVAL = frozenset({S.NOT_STARTED, S.SUBJECT_PROPOSED, S.SUBJECT_RETURNED})
PV_SIGNED_STATES = frozenset({S.ADMITTED, S.ADJOURNED})
BEFORE_RELEASE = frozenset(S.values) - {S.RELEASED, S.SOUTENANCE_BOOKED} - PV_SIGNED_STATES

MAX_TITLE_CHARS = 250
MAX_SUMMARY_CHARS = 3000
MAX_COMMENT_CHARS = 5000


def _states(states, message: str) -> dict[str, str]:
    return dict.fromkeys(states, message)


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    #: None: the state does not change (a logged act within a state).
    target: str | None
    allowed: Callable[[object, Memoire], bool]
    denied: str
    #: Why it is refused from a state outside `sources`, by state; `refused` otherwise.
    refusals: dict[str, str] = field(default_factory=dict)
    refused: str = "Cette action n'est pas possible à cette étape du mémoire."
    guard: Guard | None = None
    apply: Callable[[Memoire, dict], None] | None = None


def _subject_guard(memoire: Memoire, by, comment: str, data: dict) -> str | None:
    errors = {}
    title = (data.get("title") or "").strip()
    summary = (data.get("summary") or "").strip()
    cls_name = (data.get("cls_name") or "").strip()
    if not title:
        errors["title"] = "Indiquez le titre de votre mémoire."
    elif len(title) > MAX_TITLE_CHARS:
        errors["title"] = f"Le titre compte au plus {MAX_TITLE_CHARS} caractères."
    if data.get("kind") not in MemoireKind.values:
        errors["kind"] = "Choisissez le type de mémoire."
    if not summary:
        errors["summary"] = "Résumez votre sujet en quelques lignes."
    elif len(summary) > MAX_SUMMARY_CHARS:
        errors["summary"] = (
            f"Le résumé compte au plus {MAX_SUMMARY_CHARS} caractères (il en compte {len(summary)})."
        )
    if not cls_name:
        errors["cls_name"] = "Indiquez le contrat local de santé (CLS) concerné."
    if errors:
        raise ValidationError(errors)
    return None


def _subject_apply(memoire: Memoire, data: dict) -> None:
    memoire.title = data["title"].strip()
    memoire.kind = data["kind"]
    memoire.summary = data["summary"].strip()
    memoire.cls_name = data["cls_name"].strip()


def _comment_required(message: str) -> Guard:
    def guard(memoire: Memoire, by, comment: str, data: dict) -> str | None:
        return message if not comment.strip() else None

    return guard


def _tutor_guard(memoire: Memoire, by, comment: str, data: dict) -> str | None:
    tutor = data.get("tutor")
    if tutor is None or not is_trainer(tutor):
        return "Choisissez un·e formateur·rice comme tuteur·rice."
    if tutor.pk == memoire.tutor_id:
        return f"{tutor.display_name} est déjà tuteur·rice de ce mémoire."
    if data.get("first_only") and memoire.tutor_id is not None:
        return (
            f"Ce mémoire a déjà un·e tuteur·rice ({memoire.tutor.display_name}) : rien n'a été changé. "
            "Pour le ou la remplacer, passez par la page du mémoire."
        )
    return None


def _tutor_apply(memoire: Memoire, data: dict) -> None:
    memoire.tutor = data["tutor"]


def _pages_guard(memoire: Memoire, by, comment: str, data: dict) -> str | None:
    pages = data.get("pages")
    programme = memoire.enrolment.programme
    low, high = programme.memoire_min_pages, programme.memoire_max_pages
    if pages is None or not low <= pages <= high:
        raise ValidationError(
            {
                "file": f"Votre mémoire compte {pages} page{'s' if pages and pages > 1 else ''} : "
                f"il en faut entre {low} et {high} (annexes à part)."
            }
        )
    return None


def _draft_guard(memoire: Memoire, by, comment: str, data: dict) -> str | None:
    return None if data.get("draft") is not None else "Aucun brouillon n'est joint."


# --- double marking -------------------------------------------------------------------------------

TUTOR_MAY_NOT_MARK = (
    "Le tuteur ou la tutrice de ce mémoire ne peut pas le corriger : l'équipe ne l'a pas autorisé."
)


def _tutor_may_mark(memoire: Memoire) -> bool:
    return scheme_for(programme=memoire.enrolment.programme).tutor_may_mark


def _markers_guard(memoire: Memoire, by, comment: str, data: dict) -> str | None:
    first, second = data.get("first"), data.get("second")
    errors = {}
    for name, marker in (("first", first), ("second", second)):
        if marker is None or not is_trainer(marker):
            errors[name] = "Choisissez un·e formateur·rice."
    if errors:
        raise ValidationError(errors)
    if first.pk == second.pk:
        raise ValidationError({"second": "Choisissez deux correcteur·rices différent·es."})
    if memoire.tutor_id in (first.pk, second.pk) and not _tutor_may_mark(memoire):
        field = "first" if memoire.tutor_id == first.pk else "second"
        raise ValidationError({field: TUTOR_MAY_NOT_MARK})
    current = {
        a.role: a
        for a in MarkerAssignment.objects.select_related("grid", "marker").filter(
            memoire=memoire, role__in=[MarkerRole.FIRST, MarkerRole.SECOND]
        )
    }
    for role, marker in ((MarkerRole.FIRST, first), (MarkerRole.SECOND, second)):
        held = current.get(role)
        if held and held.marker_id != marker.pk and held.grid is not None and held.grid.is_submitted:
            return (
                f"{held.marker.display_name} a déjà remis sa grille : "
                "ce ou cette correcteur·rice ne se remplace plus."
            )
    if all(
        current.get(r) and current[r].marker_id == m.pk
        for r, m in ((MarkerRole.FIRST, first), (MarkerRole.SECOND, second))
    ):
        return "Ces deux correcteur·rices sont déjà désigné·es pour ce mémoire."
    return None


def _both_grids(memoire: Memoire) -> list:
    """The submitted marks of the first and second grids (fewer than two while one is missing)."""
    return list(
        MarkerAssignment.objects.filter(
            memoire=memoire,
            role__in=[MarkerRole.FIRST, MarkerRole.SECOND],
            grid__submitted_at__isnull=False,
        ).values_list("grid__mark", flat=True)
    )


def _marks_decided_guard(*, reconcile: bool) -> Guard:
    def guard(memoire: Memoire, by, comment: str, data: dict) -> str | None:
        marks = _both_grids(memoire)
        if len(marks) < 2:
            return "Les deux grilles ne sont pas encore remises."
        scheme = scheme_for(programme=memoire.enrolment.programme)
        reason = grading.needs_reconciliation(
            marks[0], marks[1], threshold=scheme.discrepancy_threshold, pass_mark=scheme.pass_mark
        )
        if reconcile and reason is None:
            return "Les deux notes sont concordantes : aucune conciliation n'est nécessaire."
        if not reconcile and reason is not None:
            return reason
        return None

    return guard


def _open_flag_guard(message: str) -> Guard:
    """An open similarity flag exists (read through the report's reverse relation: the mémoire room
    never imports the similarity room), and the decision carries a comment."""

    def guard(memoire: Memoire, by, comment: str, data: dict) -> str | None:
        report = getattr(memoire, "similarity_report", None)
        if report is None or not report.flag_is_open:
            return "Aucune alerte de similarité n'est ouverte pour ce mémoire : rien n'a été modifié."
        if not comment.strip():
            raise ValidationError({"comment": message})
        return None

    return guard


def _third_marker_guard(memoire: Memoire, by, comment: str, data: dict) -> str | None:
    marker = data.get("marker")
    if marker is None or not is_trainer(marker):
        raise ValidationError({"marker": "Choisissez un·e formateur·rice."})
    roles = dict(MarkerAssignment.objects.filter(memoire=memoire).values_list("marker_id", "role"))
    if roles.get(marker.pk) in (MarkerRole.FIRST, MarkerRole.SECOND):
        raise ValidationError(
            {"marker": f"{marker.display_name} a déjà corrigé ce mémoire : choisissez une autre personne."}
        )
    if roles.get(marker.pk) == MarkerRole.THIRD:
        raise ValidationError({"marker": f"{marker.display_name} est déjà tiers correcteur·rice."})
    if memoire.tutor_id == marker.pk and not _tutor_may_mark(memoire):
        raise ValidationError({"marker": TUTOR_MAY_NOT_MARK})
    return None


def _reconcile_guard(memoire: Memoire, by, comment: str, data: dict) -> str | None:
    grid = data.get("grid")
    if grid is None or grid.author_id != by.pk:
        return "Remettez la grille de conciliation que vous avez remplie."
    return None


def _release_guard(memoire: Memoire, by, comment: str, data: dict) -> str | None:
    """Why the agreed mark cannot be released now, or None: no agreed mark waiting, or the
    similarity check holds it (a flag the team has not decided, a check not done)."""
    if not AgreedMark.objects.filter(memoire=memoire, released_at__isnull=True).exists():
        return "Aucune note retenue n'attend d'être publiée pour ce mémoire."
    return similarity_hold(memoire)


ALREADY_APPROVED = "Le sujet a déjà été approuvé."
ALREADY_PROPOSED = "Votre sujet est déjà proposé : il attend l'avis de l'équipe pédagogique."
FINAL_AFTER_APPROVAL = "Déposez la version finale une fois le sujet approuvé."
FINAL_ALREADY = "La version finale est déjà déposée : elle ne se remplace pas."
NO_SUBJECT = "Aucun sujet n'a encore été proposé."
RETURNED = "Le sujet a été renvoyé à l'apprenant·e : attendez sa nouvelle proposition."
NOT_RELEASED = "La soutenance se réserve une fois la note de l'écrit publiée."
ALREADY_BOOKED = (
    "Vous avez déjà réservé un créneau : modifiez votre réservation tant que la date limite n'est pas passée."
)
SOUTENANCE_HELD = "La soutenance a eu lieu : son procès-verbal est signé."
NOT_BOOKED = "Aucune soutenance n'est réservée pour ce mémoire."
PRESIDENT_ONLY = "Seul·e le ou la président·e du jury signe le procès-verbal."
PV_ALREADY_SIGNED = (
    "Le procès-verbal est déjà signé : il ne change plus ; établissez un procès-verbal rectificatif."
)
NO_PV = "Aucun procès-verbal signé n'est à rectifier."
WAITING_TUTOR = "Votre tuteur·rice n'est pas encore désigné·e : l'équipe pédagogique s'en charge."
BEFORE_FINAL = APPROVED_OR_LATER - FINAL_OR_LATER | BEFORE_APPROVAL
MARKED_OR_LATER = FINAL_OR_LATER - {S.FINAL_SUBMITTED, S.MARKING, S.RECONCILIATION}
NOT_YET_MARKING = "Le mémoire n'est pas en correction : sa version finale n'est pas encore confiée."
MARKING_DONE = "Les deux grilles sont remises : la correction est terminée."
#: Where a similarity flag may be decided: from the final version until the mark is released.
SIMILARITY_DECIDABLE = frozenset({S.FINAL_SUBMITTED, S.MARKING, S.RECONCILIATION, S.MARKED})
SIMILARITY_BEFORE_FINAL = (
    "Aucune version finale n'est déposée : il n'y a pas d'alerte de similarité à décider."
)
SIMILARITY_AFTER_RELEASE = "La note est publiée : l'alerte de similarité ne se décide plus."
SIMILARITY_REFUSALS = {
    **_states(BEFORE_APPROVAL | {S.SUBJECT_APPROVED, S.IN_PROGRESS}, SIMILARITY_BEFORE_FINAL),
    **_states(FINAL_OR_LATER - SIMILARITY_DECIDABLE, SIMILARITY_AFTER_RELEASE),
}

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            name="propose",
            sources=frozenset({S.NOT_STARTED, S.SUBJECT_RETURNED}),
            target=S.SUBJECT_PROPOSED,
            allowed=permissions.can_write_memoire,
            denied="Seul·e l'apprenant·e propose le sujet de son mémoire.",
            refusals={
                S.SUBJECT_PROPOSED: ALREADY_PROPOSED,
                **_states(APPROVED_OR_LATER, ALREADY_APPROVED),
            },
            guard=_subject_guard,
            apply=_subject_apply,
        ),
        Transition(
            name="approve",
            sources=frozenset({S.SUBJECT_PROPOSED}),
            target=S.SUBJECT_APPROVED,
            allowed=permissions.can_decide_subject,
            denied="Seule l'équipe pédagogique approuve un sujet de mémoire.",
            refusals={
                S.NOT_STARTED: NO_SUBJECT,
                S.SUBJECT_RETURNED: RETURNED,
                **_states(APPROVED_OR_LATER, ALREADY_APPROVED),
            },
        ),
        Transition(
            name="return_subject",
            sources=frozenset({S.SUBJECT_PROPOSED}),
            target=S.SUBJECT_RETURNED,
            allowed=permissions.can_decide_subject,
            denied="Seule l'équipe pédagogique renvoie un sujet de mémoire.",
            refusals={
                S.NOT_STARTED: NO_SUBJECT,
                S.SUBJECT_RETURNED: "Le sujet est déjà renvoyé à l'apprenant·e.",
                **_states(APPROVED_OR_LATER, ALREADY_APPROVED),
            },
            guard=_comment_required("Dites à l'apprenant·e ce qu'il faut reprendre dans son sujet."),
        ),
        Transition(
            name="assign_tutor",
            sources=frozenset({S.SUBJECT_APPROVED, S.IN_PROGRESS}),
            target=S.IN_PROGRESS,
            allowed=permissions.can_decide_subject,
            denied="Seule l'équipe pédagogique désigne le tuteur ou la tutrice.",
            refusals={
                **_states(BEFORE_APPROVAL, "Désignez un·e tuteur·rice une fois le sujet approuvé."),
                **_states(FINAL_OR_LATER, "La version finale est déposée : le tutorat est terminé."),
            },
            guard=_tutor_guard,
            apply=_tutor_apply,
        ),
        Transition(
            name="upload_draft",
            sources=frozenset({S.IN_PROGRESS}),
            target=None,
            allowed=permissions.can_write_memoire,
            denied="Seul·e l'apprenant·e dépose les brouillons de son mémoire.",
            refusals={
                **_states(BEFORE_APPROVAL, "Déposez vos brouillons une fois le sujet approuvé."),
                S.SUBJECT_APPROVED: WAITING_TUTOR,
                **_states(FINAL_OR_LATER, "La version finale est déposée : les brouillons sont clos."),
            },
            guard=_draft_guard,
        ),
        Transition(
            name="comment_draft",
            sources=frozenset({S.IN_PROGRESS}),
            target=None,
            allowed=permissions.can_comment_draft,
            denied="Seul·e le tuteur ou la tutrice de ce mémoire commente ses brouillons.",
            refusals=_states(FINAL_OR_LATER, "La version finale est déposée : les brouillons sont clos."),
            guard=_comment_required("Écrivez votre commentaire."),
        ),
        Transition(
            name="book",
            sources=frozenset({S.RELEASED}),
            target=S.SOUTENANCE_BOOKED,
            allowed=soutenance_permissions.can_book,
            denied="Seul·e l'apprenant·e réserve le créneau de sa soutenance.",
            refusals={
                **_states(BEFORE_RELEASE, NOT_RELEASED),
                S.SOUTENANCE_BOOKED: ALREADY_BOOKED,
                **_states(PV_SIGNED_STATES, SOUTENANCE_HELD),
            },
            guard=soutenance_rules.book_guard,
        ),
        Transition(
            name="rebook",
            sources=frozenset({S.SOUTENANCE_BOOKED}),
            target=None,
            allowed=soutenance_permissions.can_book,
            denied="Seul·e l'apprenant·e modifie la réservation de sa soutenance.",
            refusals={
                **_states(BEFORE_RELEASE, NOT_RELEASED),
                S.RELEASED: "Vous n'avez aucune réservation à modifier : réservez un créneau.",
                **_states(PV_SIGNED_STATES, SOUTENANCE_HELD),
            },
            guard=soutenance_rules.rebook_guard,
        ),
        Transition(
            name="declare_no_conflict",
            sources=frozenset({S.SOUTENANCE_BOOKED}),
            target=None,
            allowed=soutenance_permissions.is_jury_member,
            denied="Seul·es les membres du jury de cette soutenance déclarent leurs conflits d'intérêts.",
            refusals=_states(PV_SIGNED_STATES, SOUTENANCE_HELD),
            refused=NOT_BOOKED,
            guard=soutenance_rules.conflict_guard,
        ),
        Transition(
            name="submit_oral_grid",
            sources=frozenset({S.SOUTENANCE_BOOKED}),
            target=None,
            allowed=soutenance_permissions.is_jury_member,
            denied="Seul·es les membres du jury de cette soutenance la notent.",
            refusals=_states(PV_SIGNED_STATES, SOUTENANCE_HELD),
            refused=NOT_BOOKED,
            guard=soutenance_rules.grade_guard,
        ),
        Transition(
            name="sign_pv_admit",
            sources=frozenset({S.SOUTENANCE_BOOKED}),
            target=S.ADMITTED,
            allowed=soutenance_permissions.is_jury_president,
            denied=PRESIDENT_ONLY,
            refusals=_states(PV_SIGNED_STATES, PV_ALREADY_SIGNED),
            refused=NOT_BOOKED,
            guard=soutenance_rules.sign_guard,
        ),
        Transition(
            name="sign_pv_adjourn",
            sources=frozenset({S.SOUTENANCE_BOOKED}),
            target=S.ADJOURNED,
            allowed=soutenance_permissions.is_jury_president,
            denied=PRESIDENT_ONLY,
            refusals=_states(PV_SIGNED_STATES, PV_ALREADY_SIGNED),
            refused=NOT_BOOKED,
            guard=soutenance_rules.sign_guard,
        ),
        Transition(
            name="correct_pv_admit",
            sources=PV_SIGNED_STATES,
            target=S.ADMITTED,
            allowed=soutenance_permissions.is_jury_president,
            denied=PRESIDENT_ONLY,
            refused=NO_PV,
            guard=soutenance_rules.correct_guard,
        ),
        Transition(
            name="correct_pv_adjourn",
            sources=PV_SIGNED_STATES,
            target=S.ADJOURNED,
            allowed=soutenance_permissions.is_jury_president,
            denied=PRESIDENT_ONLY,
            refused=NO_PV,
            guard=soutenance_rules.correct_guard,
        ),
        Transition(
            name="submit_final",
            sources=frozenset({S.IN_PROGRESS}),
            target=S.FINAL_SUBMITTED,
            allowed=permissions.can_write_memoire,
            denied="Seul·e l'apprenant·e dépose la version finale de son mémoire.",
            refusals={
                **_states(BEFORE_APPROVAL, FINAL_AFTER_APPROVAL),
                S.SUBJECT_APPROVED: WAITING_TUTOR,
                **_states(FINAL_OR_LATER, FINAL_ALREADY),
            },
            guard=_pages_guard,
        ),
        Transition(
            name="assign_markers",
            sources=frozenset({S.FINAL_SUBMITTED, S.MARKING}),
            target=S.MARKING,
            allowed=marking_permissions.can_assign_markers,
            denied="Seule l'équipe pédagogique désigne les correcteur·rices.",
            refusals={
                **_states(BEFORE_FINAL, "Désignez les correcteur·rices une fois la version finale déposée."),
                S.RECONCILIATION: MARKING_DONE,
                **_states(MARKED_OR_LATER, MARKING_DONE),
            },
            guard=_markers_guard,
        ),
        Transition(
            name="submit_grid",
            sources=frozenset({S.MARKING}),
            target=None,
            allowed=marking_permissions.is_first_or_second_marker,
            denied="Seul·es les deux correcteur·rices désigné·es remettent une grille pour ce mémoire.",
            refusals={
                **_states(BEFORE_FINAL | {S.FINAL_SUBMITTED}, NOT_YET_MARKING),
                S.RECONCILIATION: "Les deux grilles sont remises : la conciliation est ouverte.",
                **_states(MARKED_OR_LATER, MARKING_DONE),
            },
        ),
        Transition(
            name="settle_average",
            sources=frozenset({S.MARKING}),
            target=S.MARKED,
            allowed=marking_permissions.is_first_or_second_marker,
            denied="La moyenne se calcule à la remise de la seconde grille.",
            refusals={S.RECONCILIATION: "Une conciliation est ouverte pour ce mémoire."},
            guard=_marks_decided_guard(reconcile=False),
        ),
        Transition(
            name="open_reconciliation",
            sources=frozenset({S.MARKING}),
            target=S.RECONCILIATION,
            allowed=marking_permissions.is_first_or_second_marker,
            denied="La conciliation s'ouvre à la remise de la seconde grille.",
            refusals={S.RECONCILIATION: "La conciliation est déjà ouverte."},
            guard=_marks_decided_guard(reconcile=True),
        ),
        Transition(
            name="name_third_marker",
            sources=frozenset({S.RECONCILIATION}),
            target=None,
            allowed=marking_permissions.can_assign_markers,
            denied="Seule l'équipe pédagogique désigne un·e tiers correcteur·rice.",
            refused="Un·e tiers correcteur·rice se désigne pendant une conciliation ouverte.",
            guard=_third_marker_guard,
        ),
        Transition(
            name="reconcile",
            sources=frozenset({S.RECONCILIATION}),
            target=S.MARKED,
            allowed=marking_permissions.is_marker,
            denied="Seul·es les correcteur·rices de ce mémoire (ou le ou la tiers) concilient la note.",
            refusals=_states(MARKED_OR_LATER, "La note est déjà conciliée."),
            refused="Aucune conciliation n'est ouverte pour ce mémoire.",
            guard=_reconcile_guard,
        ),
        Transition(
            name="release",
            sources=frozenset({S.MARKED}),
            target=S.RELEASED,
            allowed=marking_permissions.can_release,
            denied="Seule l'équipe pédagogique publie les notes.",
            refusals={
                **_states(
                    {S.FINAL_SUBMITTED, S.MARKING, S.RECONCILIATION}, "La note n'est pas encore retenue."
                ),
                **_states(MARKED_OR_LATER - {S.MARKED}, "La note est déjà publiée."),
            },
            refused="Ce mémoire n'a pas encore de note.",
            guard=_release_guard,
        ),
        Transition(
            name="clear_similarity",
            sources=SIMILARITY_DECIDABLE,
            target=None,
            allowed=permissions.can_decide_similarity,
            denied="Seule l'équipe pédagogique lève une alerte de similarité.",
            refusals=SIMILARITY_REFUSALS,
            guard=_open_flag_guard("Dites pourquoi l'alerte est levée : ce motif reste dans l'historique."),
        ),
        Transition(
            name="confirm_similarity",
            sources=SIMILARITY_DECIDABLE,
            target=None,
            allowed=permissions.can_decide_similarity,
            denied="Seule l'équipe pédagogique confirme une alerte de similarité.",
            refusals=SIMILARITY_REFUSALS,
            guard=_open_flag_guard("Dites ce qui est confirmé : ce motif reste dans l'historique."),
        ),
    )
}


#: How the history names each transition.
TRANSITION_LABELS = {
    "propose": "Sujet proposé",
    "approve": "Sujet approuvé",
    "return_subject": "Sujet renvoyé pour reprise",
    "assign_tutor": "Tuteur·rice désigné·e",
    "upload_draft": "Brouillon déposé",
    "comment_draft": "Brouillon commenté",
    "submit_final": "Version finale déposée",
    "assign_markers": "Correcteur·rices désigné·es",
    "submit_grid": "Grille de correction remise",
    "settle_average": "Note retenue : moyenne des deux grilles",
    "open_reconciliation": "Conciliation ouverte",
    "name_third_marker": "Tiers correcteur·rice désigné·e",
    "reconcile": "Note conciliée",
    "release": "Note publiée",
    "clear_similarity": "Alerte de similarité levée",
    "confirm_similarity": "Alerte de similarité confirmée",
    "book": "Soutenance réservée",
    "rebook": "Réservation de soutenance modifiée",
    "declare_no_conflict": "Absence de conflit d'intérêts déclarée",
    "submit_oral_grid": "Grille de soutenance remise",
    "sign_pv_admit": "Procès-verbal signé : admis·e",
    "sign_pv_adjourn": "Procès-verbal signé : ajourné·e",
    "correct_pv_admit": "Procès-verbal rectifié : admis·e",
    "correct_pv_adjourn": "Procès-verbal rectifié : ajourné·e",
}

#: The steps of the marking the learner does not see in their history (marks, gaps and markers
#: stay with the team until the release).
HIDDEN_FROM_LEARNER = frozenset(
    {
        "assign_markers",
        "submit_grid",
        "settle_average",
        "open_reconciliation",
        "name_third_marker",
        "reconcile",
    }
)


#: Transitions the learner's own page does not list: the team's decisions on a similarity flag reach
#: the learner through the team, not through a line in their history.
TEAM_ONLY_TRANSITIONS = frozenset({"clear_similarity", "confirm_similarity"})


def transition_refusal(memoire: Memoire, name: str) -> str | None:
    """Why transition `name` is out of order for this mémoire now, or None (for the screens, which
    show what comes next; the guards and permissions are checked by `memoire_transition`)."""
    t = TRANSITIONS[name]
    if memoire.state in t.sources:
        return None
    return t.refusals.get(memoire.state, t.refused)


@transaction.atomic
def memoire_transition(*, memoire: Memoire, transition: str, by, comment: str = "", **data) -> Memoire:
    """Make `transition` on `memoire` as `by`: the row is locked, then who may make it, the source
    state and the guard are checked, in that order; the state (and what the transition sets) is
    saved and a MemoireEvent written; the person it concerns is emailed after the commit (tasks.NOTICES).
    Raises PermissionDenied or ValidationError (in French), and
    writes nothing, otherwise. Returns the mémoire as saved."""
    t = TRANSITIONS[transition]
    # Only the mémoire's row is locked (a select_related here would lock the enrolment and the
    # programme's page too, and serialise every mémoire of the programme).
    current = Memoire.objects.select_for_update().get(pk=memoire.pk)
    if not t.allowed(by, current):
        raise PermissionDenied(t.denied)
    if current.state not in t.sources:
        raise ValidationError(t.refusals.get(current.state, t.refused))
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT_CHARS:
        raise ValidationError(f"Le commentaire compte au plus {MAX_COMMENT_CHARS} caractères.")
    if t.guard is not None and (refusal := t.guard(current, by, comment, data)):
        raise ValidationError(refusal)
    from_state = current.state
    if t.apply is not None:
        t.apply(current, data)
    if t.target is not None:
        current.state = t.target
    current.updated_at = timezone.now()
    current.save()
    event = MemoireEvent.objects.create(
        memoire=current,
        transition=t.name,
        from_state=from_state,
        to_state=current.state,
        by=by,
        comment=comment,
    )
    if event.transition in NOTICES:
        transaction.on_commit(lambda: send_memoire_event_email.delay(event_id=event.pk))
    return current
