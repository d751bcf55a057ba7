"""Reads of the similarity room: the comparison of one document's fingerprints with every other
document's (`matches_for`, the hot path: three queries, whatever the number of documents), why a
mémoire's release must wait (`similarity_hold`), the team's queue and the report's excerpts."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet

from assessments.memoire.models import Memoire
from assessments.similarity import fingerprints as fp
from assessments.similarity.models import (
    Fingerprint,
    FlagState,
    IndexedDocument,
    ReportStatus,
    SimilarityReport,
    SourceKind,
)

#: The documents sharing the most fingerprints are compared passage by passage; the others share
#: too little to matter once these are counted.
MAX_CANDIDATES = 50
#: A document must share at least this many fingerprints to be compared.
MIN_SHARED = fp.MIN_PASSAGE_FINGERPRINTS
#: A fingerprint found in more documents than this is the field's common wording (the definition
#: of a CLS, a quoted law), not a copy: it is left out, as MOSS leaves out its frequent
#: fingerprints. A paragraph copied into 25 documents would still be seen through the others' checks.
COMMON_DOCUMENTS = 25
#: The report shows at most this many passages (the longest, then by the mémoire's order).
MAX_PASSAGES = 100
#: Words of context shown around a passage.
CONTEXT_WORDS = 12


@dataclass
class Comparison:
    own_fingerprints: int
    matched: int
    share: Decimal
    passages: list[dict] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)


def _share(matched: int, total: int) -> Decimal:
    if not total:
        return Decimal("0.0")
    return (Decimal(100 * matched) / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _kept(found: list[tuple[int, fp.Passage]]) -> list[tuple[int, fp.Passage]]:
    """The passages to show: the longest first, skipping one whose words of the mémoire are mostly
    shown already (the same paragraph found in three versions of a deliverable is shown once)."""
    shown: set[int] = set()
    kept = []
    for document_id, passage in sorted(found, key=lambda item: -item[1].own_words):
        words = set(range(passage.own_start, passage.own_end))
        if len(words - shown) * 2 < len(words):
            continue
        kept.append((document_id, passage))
        shown |= words
        if len(kept) == MAX_PASSAGES:
            break
    return sorted(kept, key=lambda item: (item[1].own_start, item[0]))


def matches_for(*, own: list[tuple[int, int]], excluded: QuerySet | list[int]) -> Comparison:
    """Compare fingerprints `own` ((hash, position) pairs) with every indexed document but the
    `excluded` ones, in three queries whatever the number of documents: a `hash IN (…)` query
    grouped by hash leaves out the field's common wording (COMMON_DOCUMENTS), one grouped by
    document finds the documents sharing the most fingerprints, a third reads those documents'
    matching fingerprints; the passages are chained in memory. The share is the part of `own`
    inside a passage, in % of all its fingerprints."""
    if not own:
        return Comparison(own_fingerprints=0, matched=0, share=Decimal("0.0"))
    total = len(own)
    hashes = list({h for h, _ in own})
    common = set(
        Fingerprint.objects.filter(hash__in=hashes)
        .values("hash")
        .annotate(documents=Count("document_id", distinct=True))
        .filter(documents__gt=COMMON_DOCUMENTS)
        .values_list("hash", flat=True)
    )
    if common:
        hashes = [h for h in hashes if h not in common]
        own = [(h, p) for h, p in own if h not in common]
    candidates = list(
        Fingerprint.objects.filter(hash__in=hashes)
        .exclude(document_id__in=excluded)
        .values("document_id")
        .annotate(shared=Count("*"))
        .filter(shared__gte=MIN_SHARED)
        .order_by("-shared", "document_id")
        .values_list("document_id", flat=True)[:MAX_CANDIDATES]
    )
    theirs: dict[int, list[tuple[int, int]]] = {document_id: [] for document_id in candidates}
    if candidates:
        rows = Fingerprint.objects.filter(document_id__in=candidates, hash__in=hashes).values_list(
            "document_id", "hash", "position"
        )
        for document_id, h, position in rows:
            theirs[document_id].append((h, position))
    matched: set[int] = set()
    found: list[tuple[int, fp.Passage]] = []
    sources = []
    for document_id, other in theirs.items():
        document_passages = fp.passages(own, other)
        positions = {p for passage in document_passages for p in passage.positions}
        if not positions:
            continue
        matched |= positions
        found.extend((document_id, passage) for passage in document_passages)
        sources.append({"document": document_id, "matched": len(positions)})
    sources.sort(key=lambda source: (-source["matched"], source["document"]))
    passages = [
        {
            "own": [passage.own_start, passage.own_end],
            "document": document_id,
            "other": [passage.other_start, passage.other_end],
            "fingerprints": len(passage.positions),
        }
        for document_id, passage in _kept(found)
    ]
    return Comparison(
        own_fingerprints=total,
        matched=len(matched),
        share=_share(len(matched), total),
        passages=passages,
        sources=sources,
    )


def documents_of_same_learner(*, user_id: int) -> QuerySet:
    """The ids of a learner's own documents (all their enrolments): never counted against them.
    Their deliverables often become chapters of their mémoire, which is what the programme asks."""
    return IndexedDocument.objects.filter(enrolment__user_id=user_id).values("id")


# --- the release hold ------------------------------------------------------------------------------

HOLD_NOT_RUN = (
    "La vérification de similarité de la version finale n'a pas encore été faite : "
    "la note sera publiable une fois le rapport établi."
)
HOLD_PENDING = (
    "La vérification de similarité est en cours : la note sera publiable une fois le rapport établi."
)
HOLD_FAILED = (
    "La vérification de similarité a échoué : l'équipe pédagogique doit la relancer avant de publier la note."
)


def hold_reason(report: SimilarityReport | None) -> str | None:
    """Why a mémoire with this report (or none yet) must wait for its release, or None."""
    if report is None:
        return HOLD_NOT_RUN
    if report.status == ReportStatus.PENDING:
        return HOLD_PENDING
    if report.status == ReportStatus.FAILED:
        return HOLD_FAILED
    if report.flag == FlagState.OPEN:
        if report.reason:
            return (
                f"{report.reason} L'équipe pédagogique doit lever ou confirmer l'alerte "
                "avant de publier la note."
            )
        return (
            f"{_percent(report.share)} % du texte se retrouve dans d'autres documents "
            f"(seuil : {report.threshold} %) : l'équipe pédagogique doit lever ou confirmer "
            "l'alerte de similarité avant de publier la note."
        )
    return None


def similarity_hold(memoire: Memoire) -> str | None:
    """The French reason the mémoire's mark must not be released yet because of the similarity
    check (an open flag, a check pending, failed or not run), or None. One query."""
    return hold_reason(SimilarityReport.objects.filter(memoire_id=memoire.pk).first())


def _percent(value) -> str:
    return f"{value:.1f}".replace(".", ",") if value is not None else "—"


# --- the team's screen and the report --------------------------------------------------------------

#: The views of the team's screen: (slug, label, filter).
QUEUES = {
    "a-examiner": ("Alertes à examiner", {"flag": FlagState.OPEN}),
    "echecs": ("Vérifications échouées", {"status": ReportStatus.FAILED}),
    "en-cours": ("Vérifications en cours", {"status": ReportStatus.PENDING}),
    "decidees": ("Alertes décidées", {"flag__in": [FlagState.CLEARED, FlagState.CONFIRMED]}),
}


def queue_rows(*, queue: str) -> QuerySet[SimilarityReport]:
    """The reports of one view of the team's screen, the oldest request first (decided: the latest
    decision first), with what the rows show."""
    _, filters = QUEUES[queue]
    rows = SimilarityReport.objects.filter(**filters).select_related(
        "memoire__enrolment__user", "memoire__enrolment__cohort", "decided_by"
    )
    if queue == "decidees":
        return rows.order_by("-decided_at", "-pk")
    return rows.order_by("requested_at", "pk")


def queue_counts() -> dict[str, int]:
    """How many reports each view of the team's screen holds. One query."""
    counts = SimilarityReport.objects.aggregate(
        **{slug.replace("-", "_"): Count("pk", filter=Q(**filters)) for slug, (_, filters) in QUEUES.items()}
    )
    return {slug: counts[slug.replace("-", "_")] for slug in QUEUES}


def report_for(*, memoire: Memoire) -> SimilarityReport | None:
    return SimilarityReport.objects.select_related("document", "decided_by").filter(memoire=memoire).first()


def _segments(
    text: str, offsets: list[tuple[int, int]], start: int, end: int, marked: set[int]
) -> list[dict]:
    """Words [start, end) of `text` with the text between them, as segments to show, the `marked`
    words (and the spaces between two of them) highlighted. Plain text: the template escapes it."""
    segments: list[dict] = []
    for index in range(start, min(end, len(offsets))):
        word_start, word_end = offsets[index]
        if index > start:
            gap = text[offsets[index - 1][1] : word_start]
            _append(segments, gap, index in marked and index - 1 in marked)
        _append(segments, text[word_start:word_end], index in marked)
    return segments


def _append(segments: list[dict], text: str, marked: bool) -> None:
    if segments and segments[-1]["marked"] == marked:
        segments[-1]["text"] += text
    else:
        segments.append({"text": text, "marked": marked})


def _excerpt(text: str, offsets, span: list[int], marked_local: set[int]) -> dict:
    start, end = span
    first = max(0, start - CONTEXT_WORDS)
    last = min(len(offsets), end + CONTEXT_WORDS)
    marked = {start + i for i in marked_local}
    return {
        "segments": _segments(text, offsets, first, last, marked),
        "before": first > 0,
        "after": last < len(offsets),
    }


def source_label(document: IndexedDocument | None, *, with_name: bool) -> str:
    """How a report names another document: kind, cohort and year; the learner's name only for
    the team (markers never learn who else wrote what)."""
    if document is None:
        return "Document retiré de la plateforme"
    enrolment = document.enrolment
    if document.kind == SourceKind.DELIVERABLE:
        what = f"Production écrite « {document.submission.deliverable.title} »"
    else:
        what = "Mémoire (version finale)"
    label = f"{what} — {enrolment.cohort.name}, {document.submitted_at:%Y}"
    if with_name:
        label += f" — {enrolment.user.display_name}"
    return label


def report_passages(*, report: SimilarityReport, with_names: bool) -> tuple[list[dict], list[dict]]:
    """The report's passages side by side (own excerpt, other excerpt, matched words marked) and
    its main sources, each other document named by `source_label`. Two queries."""
    own = report.document
    ids = {p["document"] for p in report.passages} | {s["document"] for s in report.sources}
    documents = {
        document.pk: document
        for document in IndexedDocument.objects.filter(pk__in=ids).select_related(
            "enrolment__user", "enrolment__cohort", "submission__deliverable"
        )
    }
    if own is None:
        return [], []
    own_offsets = fp.word_offsets(own.text)
    own_words = fp.text_words(own.text)
    split = {}
    rows = []
    for passage in report.passages:
        other = documents.get(passage["document"])
        own_span = passage["own"]
        row = {"label": source_label(other, with_name=with_names), "words": own_span[1] - own_span[0]}
        if other is None:
            row["own"] = _excerpt(own.text, own_offsets, own_span, set(range(own_span[1] - own_span[0])))
            row["other"] = None
        else:
            if other.pk not in split:
                split[other.pk] = (fp.word_offsets(other.text), fp.text_words(other.text))
            other_offsets, other_words = split[other.pk]
            other_span = passage["other"]
            own_marks, other_marks = fp.shared_word_marks(
                own_words[own_span[0] : own_span[1]], other_words[other_span[0] : other_span[1]]
            )
            row["own"] = _excerpt(own.text, own_offsets, own_span, own_marks)
            row["other"] = _excerpt(other.text, other_offsets, other_span, other_marks)
        rows.append(row)
    total = report.own_fingerprints or 1
    sources = [
        {
            "label": source_label(documents.get(source["document"]), with_name=with_names),
            "share": _share(source["matched"], total),
        }
        for source in report.sources[:10]
    ]
    return rows, sources
