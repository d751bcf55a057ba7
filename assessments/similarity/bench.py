"""Measuring the similarity check for `make bench`: `seed_documents(n)` bulk-inserts `n` synthetic
indexed documents (versions of one bench deliverable of one bench learner) with their real
fingerprints, and `time_check()` times the check of a fresh 8,000-word mémoire (about 20 pages)
that copies a few paragraphs of them: fingerprinting its text and comparing it with every
document (selectors.matches_for). On PostgreSQL the fingerprints go in with COPY.

Typical use, after the bench database is seeded (`bench/seed.py`):

    from assessments.similarity.bench import seed_documents, time_check
    seed_documents(1000)
    seconds = time_check()
"""

from __future__ import annotations

import random
import time

from django.db import connection, transaction
from django.utils import timezone

from assessments.deliverables.models import Deliverable, Submission
from assessments.similarity import fingerprints as fp
from assessments.similarity.models import Fingerprint, IndexedDocument, SourceKind
from assessments.similarity.selectors import Comparison, documents_of_same_learner, matches_for
from courses.catalogue.models import ModulePage
from courses.cohorts.models import Enrolment

#: The field's phrases every document uses (they make shared shingles that are not copies).
COMMON = (
    "le contrat local de santé est signé entre l'agence régionale de santé et la collectivité",
    "la réduction des inégalités sociales et territoriales de santé reste l'objectif du contrat",
    "le comité de pilotage réunit les partenaires du territoire chaque semestre",
)
SYLLABLES = ("ma", "ri", "lo", "cen", "tu", "par", "san", "té", "vil", "ou", "dé", "pro", "gra", "mé", "nu")
BENCH_TITLE = "Production de banc d'essai (similarité)"


def _vocabulary(size: int = 4000, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))))
    return sorted(words)


def synthetic_text(words: int, *, seed: int | str) -> str:
    """About `words` words of pseudo-French, with the field's common phrases here and there."""
    rng = random.Random(seed)
    vocabulary = _vocabulary()
    parts: list[str] = []
    count = 0
    while count < words:
        if rng.random() < 0.05:
            phrase = rng.choice(COMMON)
            parts.append(phrase + ".")
            count += len(phrase.split())
        else:
            sentence = [rng.choice(vocabulary) for _ in range(rng.randint(8, 20))]
            parts.append(" ".join(sentence).capitalize() + ".")
            count += len(sentence)
    return " ".join(parts)


def _bench_source(enrolment: Enrolment | None) -> tuple[Enrolment, Deliverable]:
    enrolment = enrolment or Enrolment.objects.select_related("programme").order_by("pk").first()
    if enrolment is None:
        raise RuntimeError("seed_documents needs an enrolment: seed the bench data first.")
    module = ModulePage.objects.descendant_of(enrolment.programme).order_by("path").first()
    deliverable, _ = Deliverable.objects.get_or_create(module=module, title=BENCH_TITLE)
    return enrolment, deliverable


def _copy_fingerprints(rows: list[tuple[int, int, int]]) -> None:
    if connection.vendor == "postgresql":
        table = Fingerprint._meta.db_table
        sql = f"COPY {table} (document_id, hash, position) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
    else:
        Fingerprint.objects.bulk_create(
            (Fingerprint(document_id=d, hash=h, position=p) for d, h, p in rows), batch_size=5000
        )


@transaction.atomic
def seed_documents(n: int, words: int = 8000, *, enrolment: Enrolment | None = None) -> list[int]:
    """Insert `n` indexed documents of about `words` words each (versions of a bench deliverable of
    `enrolment`, by default the first one), with their fingerprints. Returns their ids."""
    enrolment, deliverable = _bench_source(enrolment)
    start = (
        Submission.objects.filter(deliverable=deliverable, enrolment=enrolment).order_by("-version").first()
    )
    first_version = (start.version if start else 0) + 1
    now = timezone.now()
    submissions = Submission.objects.bulk_create(
        Submission(
            deliverable=deliverable,
            enrolment=enrolment,
            version=first_version + i,
            file=f"bench/{first_version + i}.pdf",
            original_name="banc.pdf",
            content_type="application/pdf",
            submitted_at=now,
        )
        for i in range(n)
    )
    if submissions and submissions[0].pk is None:  # a database that returns no ids from bulk inserts
        submissions = list(
            Submission.objects.filter(
                deliverable=deliverable, enrolment=enrolment, version__gte=first_version
            ).order_by("version")
        )
    texts = [synthetic_text(words, seed=submission.version) for submission in submissions]
    prints = [fp.fingerprints(fp.text_words(text)) for text in texts]
    documents = IndexedDocument.objects.bulk_create(
        IndexedDocument(
            kind=SourceKind.DELIVERABLE,
            submission=submission,
            enrolment=enrolment,
            submitted_at=now,
            text=text,
            word_count=len(fp.text_words(text)),
            fingerprint_count=len(found),
        )
        for submission, text, found in zip(submissions, texts, prints, strict=True)
    )
    if documents and documents[0].pk is None:
        by_submission = dict(
            IndexedDocument.objects.filter(submission__in=submissions).values_list("submission_id", "id")
        )
        ids = [by_submission[submission.pk] for submission in submissions]
    else:
        ids = [document.pk for document in documents]
    _copy_fingerprints([(d, h, p) for d, found in zip(ids, prints, strict=True) for h, p in found])
    return ids


def probe_text(words: int = 8000, *, copies: int = 3, copied_words: int = 150, seed: str = "sonde") -> str:
    """A fresh mémoire's text: `words` new words (a string seed: the seeded documents use integer
    ones) with `copies` passages of `copied_words` words taken from the first seeded documents."""
    text = synthetic_text(words, seed=seed)
    sources = IndexedDocument.objects.order_by("pk").values_list("text", flat=True)[:copies]
    parts = [text]
    for source in sources:
        taken = source.split()
        parts.append(" ".join(taken[100 : 100 + copied_words]))
    return " ".join(parts)


def check_once(text: str, *, excluded_user_id: int | None = None) -> Comparison:
    """Fingerprint `text` and compare it with every indexed document (the check's work)."""
    own = fp.fingerprints(fp.text_words(text))
    excluded = documents_of_same_learner(user_id=excluded_user_id) if excluded_user_id else []
    return matches_for(own=own, excluded=excluded)


def time_check(words: int = 8000, *, repeat: int = 3) -> float:
    """The seconds one check of a `words`-word mémoire takes (the best of `repeat` runs)."""
    text = probe_text(words)
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        check_once(text)
        best = min(best, time.perf_counter() - started)
    return best
