"""Demo double marking (loaded by `manage.py load_demo`, after the mémoire's demo): a written rubric
of four weighted criteria and the demo programme's marking rules, then the classmates the mémoire's
demo left at the final version for a marking state taken on: one being marked (one grid in), one in
reconciliation (marks 4 points apart), one marked (the average, waiting for release) and one
released. Made through the services; idempotent (a mémoire already past the final version, a rubric
or scheme already there, are left as they are)."""

from __future__ import annotations

from assessments.marking import services
from assessments.memoire.demo import STATES, SUBJECTS
from assessments.memoire.enums import MemoireState
from assessments.memoire.models import Memoire
from assessments.rubrics.models import MarkingScheme, Rubric, RubricCriterion, RubricKind
from assessments.similarity.models import ReportStatus, SimilarityReport
from assessments.similarity.services import similarity_check_run

RUBRIC_NAME = "Grille du mémoire écrit"
CRITERIA = [
    (
        "Problématique et ancrage dans le CLS",
        3,
        "Insuffisant : question floue, sans lien au CLS ; satisfaisant : question claire, ancrée dans le "
        "territoire ; très bien : question précise, justifiée par le diagnostic local de santé.",
    ),
    (
        "Méthode et sources",
        2,
        "Insuffisant : démarche non décrite ; satisfaisant : démarche et sources identifiées ; très bien : "
        "démarche argumentée, sources variées et critiquées.",
    ),
    (
        "Analyse réflexive",
        3,
        "Insuffisant : description seule ; satisfaisant : analyse des pratiques ; très bien : recul critique "
        "et pistes d'action pour le CLS.",
    ),
    (
        "Forme et écriture",
        1,
        "Insuffisant : plan confus ; satisfaisant : plan lisible, références citées ; très bien : écriture "
        "claire, synthèse soignée.",
    ),
]
#: mémoire state → (scores of marker 1, of marker 2, or None when that grid is not in yet).
MARKS = {
    MemoireState.MARKING: (13, None),
    MemoireState.RECONCILIATION: (9, 13),
    MemoireState.MARKED: (12, 13.5),
    MemoireState.RELEASED: (14, 15),
}
COMMENTS = (
    "Mémoire bien ancré dans le territoire ; l'analyse gagnerait à s'appuyer davantage sur le diagnostic.",
    "Démarche claire et honnête ; la partie réflexive est la plus convaincante.",
)


def _rubric() -> Rubric:
    rubric = Rubric.objects.filter(name=RUBRIC_NAME, kind=RubricKind.WRITTEN).first()
    if rubric is None:
        rubric = Rubric.objects.create(
            name=RUBRIC_NAME,
            kind=RubricKind.WRITTEN,
            guidance="Notez chaque critère sur 20 par demi-points ; justifiez les notes extrêmes.",
        )
        for position, (label, weight, descriptors) in enumerate(CRITERIA):
            RubricCriterion.objects.create(
                rubric=rubric, label=label, weight=weight, descriptors=descriptors, sort_order=position
            )
    return rubric


def _scheme(programme) -> MarkingScheme:
    scheme = MarkingScheme.objects.filter(programme=programme).first()
    if scheme is None:
        # The demo team lets the tutor mark, so that the demo trainer has mémoires to mark.
        scheme = MarkingScheme.objects.create(
            programme=programme, written_rubric=_rubric(), tutor_may_mark=True
        )
    return scheme


def _grade(memoire: Memoire, marker, score, comment: str) -> None:
    grid = services.marker_grid(memoire=memoire, by=marker)
    scores = {c.pk: (str(score), "") for c in grid.rubric.criteria.all()}
    services.marker_grid_save(memoire=memoire, scores=scores, comment=comment, by=marker)
    services.marker_grid_submit(memoire=memoire, by=marker)


def marking_demo_load(*, cohort, team, first, second) -> int:
    """Take the cohort's demo mémoires meant for a marking state from the final version to that
    state, `first` and `second` as markers (`second` is the demo trainer, so that « Mes
    corrections » shows a mémoire to mark and a reconciliation). Returns how many were taken on."""
    scheme = _scheme(cohort.programme)
    if scheme.written_rubric is None:
        return 0
    wanted = {subject[0]: state for subject, state in zip(SUBJECTS, STATES, strict=False) if state in MARKS}
    taken = 0
    memoires = Memoire.objects.filter(
        enrolment__cohort=cohort, state=MemoireState.FINAL_SUBMITTED, title__in=list(wanted)
    ).select_related("enrolment__programme", "enrolment__user")
    for memoire in memoires:
        state = wanted[memoire.title]
        services.markers_assign(memoire=memoire, first=first, second=second, by=team)
        first_score, second_score = MARKS[state]
        _grade(memoire, first, first_score, COMMENTS[0])
        if second_score is not None:
            _grade(memoire, second, second_score, COMMENTS[1])
        if state == MemoireState.RELEASED:
            # The similarity check runs after the final version's commit; the demo may be loaded
            # inside one transaction (tests), so it makes sure the report is there before release.
            if not SimilarityReport.objects.filter(memoire=memoire, status=ReportStatus.DONE).exists():
                similarity_check_run(memoire_id=memoire.pk)
            services.mark_release(memoire=memoire, by=team)
        taken += 1
    return taken
