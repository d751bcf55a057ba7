"""Demo mémoires (loaded by `manage.py load_demo`): the demo learner's mémoire in progress with a
commented draft, and classmates at the other steps, so that « Mon mémoire », the team's board and
« Mes tutorés » have something to show. The classmates meant to be marked stop at the final version;
assessments/marking/demo.py takes them on (SUBJECTS and STATES go in pairs). Made through the
services; idempotent."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.memoire import services
from assessments.memoire.enums import MemoireKind, MemoireState
from assessments.memoire.models import Memoire
from courses.cohorts.models import Cohort

SUBJECTS = [
    (
        "Installer un conseil local de santé mentale dans un CLS rural",
        MemoireKind.PRACTICE,
        "CLS du Pays de Morlaix",
    ),
    (
        "Mobiliser les élu·es autour du diagnostic local de santé",
        MemoireKind.REFLECTIVE,
        "CLS de Brest métropole",
    ),
    (
        "L'aller-vers en santé environnementale : retour d'expérience",
        MemoireKind.PRACTICE,
        "CLS de Lannion-Trégor",
    ),
    (
        "Coordonner sans autorité : la place du ou de la coordinateur·rice",
        MemoireKind.REFLECTIVE,
        "CLS de Quimper",
    ),
    ("Évaluer un CLS de deuxième génération", MemoireKind.PRACTICE, "CLS de Vannes agglomération"),
    (
        "Santé mentale des jeunes : coordonner la maison des adolescents et le CLS",
        MemoireKind.PRACTICE,
        "CLS de Rennes",
    ),
    (
        "Le CLS face aux déserts médicaux : l'exercice coordonné",
        MemoireKind.REFLECTIVE,
        "CLS du Pays de Redon",
    ),
    (
        "Habitat indigne et santé : une fiche action du CLS",
        MemoireKind.PRACTICE,
        "CLS de Lorient agglomération",
    ),
    ("Participation des habitant·es à l'évaluation du CLS", MemoireKind.REFLECTIVE, "CLS de Saint-Brieuc"),
]
#: The demo learner first, then the classmates, one state each.
STATES = [
    MemoireState.IN_PROGRESS,
    MemoireState.SUBJECT_PROPOSED,
    MemoireState.SUBJECT_RETURNED,
    MemoireState.SUBJECT_APPROVED,
    MemoireState.FINAL_SUBMITTED,
    # Taken from the final version on by assessments/marking/demo.py (marking_demo_load).
    MemoireState.MARKING,
    MemoireState.RECONCILIATION,
    MemoireState.MARKED,
    MemoireState.RELEASED,
]
#: The states from which the classmate's final version is in (the marking's demo goes on from there).
FINAL_OR_LATER = frozenset(STATES[STATES.index(MemoireState.FINAL_SUBMITTED) :])


def _pdf(pages: int, title: str) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for number in range(1, pages + 1):
        pdf.drawString(72, 720, f"{title} — page {number}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _walk(enrolment, state, subject, *, team, tutor) -> None:
    title, kind, cls_name = subject
    learner = enrolment.user
    memoire = services.memoire_subject_propose(
        enrolment=enrolment,
        by=learner,
        title=title,
        kind=kind,
        summary=f"{title} : le terrain, la question et la démarche, en quelques lignes.",
        cls_name=cls_name,
    )
    if state == MemoireState.SUBJECT_PROPOSED:
        return
    if state == MemoireState.SUBJECT_RETURNED:
        services.memoire_subject_return(
            memoire=memoire,
            by=team,
            comment="Précisez la question et le terrain d'étude, puis proposez-le à nouveau.",
        )
        return
    memoire = services.memoire_subject_approve(
        memoire=memoire, by=team, comment="Sujet pertinent pour le CLS."
    )
    if state == MemoireState.SUBJECT_APPROVED:
        return
    memoire = services.memoire_tutor_assign(memoire=memoire, tutor=tutor, by=team)
    draft = services.memoire_draft_upload(
        memoire=memoire,
        file=SimpleUploadedFile("plan-detaille.pdf", _pdf(4, title)),
        note="Mon plan détaillé et l'introduction.",
        by=learner,
    )
    services.draft_comment_add(
        draft=draft, body="Plan clair. Étoffez la deuxième partie avec le diagnostic local.", by=tutor
    )
    if state in FINAL_OR_LATER:
        services.memoire_final_submit(
            memoire=memoire, file=SimpleUploadedFile("memoire.pdf", _pdf(15, title)), by=learner
        )


def memoire_demo_load(*, cohort: Cohort, learner, team, tutor) -> int:
    """Give `learner` and up to four classmates of `cohort` a mémoire at each step built so far;
    those who already have one are left as they are. Returns how many were created."""
    enrolments = [cohort.enrolments.select_related("user").get(user=learner)]
    enrolments += list(
        cohort.enrolments.exclude(user=learner)
        .select_related("user")
        .order_by("user__email")[: len(STATES) - 1]
    )
    created = 0
    for enrolment, state, subject in zip(enrolments, STATES, SUBJECTS, strict=False):
        if Memoire.objects.filter(enrolment=enrolment).exists():
            continue
        _walk(enrolment, state, subject, team=team, tutor=tutor)
        created += 1
    return created
