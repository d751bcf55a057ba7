"""The mémoire's one state machine: every transition, its source states, its guard, who may make
it and its target, in one table (`TRANSITIONS`), and the one function that makes a transition
(`memoire_transition`), used by every service.

    not_started ──propose──▶ subject_proposed ──approve──▶ subject_approved ──assign_tutor──▶ in_progress
    subject_returned ◀──return_subject──┘ (propose again)      in_progress ──submit_final──▶ final_submitted

In `in_progress`, uploading a draft, commenting on one and changing the tutor are transitions that
keep the state, so that they are refused out of order and logged like the others. The states after
`final_submitted` (marking, reconciliation, marked, released, soutenance_booked, admitted, adjourned) are
declared in enums.MemoireState; the next steps add their transitions to this table.

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

from assessments.memoire import permissions
from assessments.memoire.enums import MemoireKind, MemoireState
from assessments.memoire.models import Memoire, MemoireEvent
from assessments.memoire.tasks import NOTICES, send_memoire_event_email
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
    "book": "Soutenance réservée",
    "rebook": "Réservation de soutenance modifiée",
    "declare_no_conflict": "Absence de conflit d'intérêts déclarée",
    "submit_oral_grid": "Grille de soutenance remise",
    "sign_pv_admit": "Procès-verbal signé : admis·e",
    "sign_pv_adjourn": "Procès-verbal signé : ajourné·e",
    "correct_pv_admit": "Procès-verbal rectifié : admis·e",
    "correct_pv_adjourn": "Procès-verbal rectifié : ajourné·e",
}


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
