"""Words, shingles, winnowing fingerprints and the matching of two fingerprint sets into passages.

Pure functions (no database): `text_words` gives the words a text is compared on, `fingerprints`
the winnowed (hash, position) pairs stored for it, and `passages` the matching runs between one
document's fingerprints and another's.

- **Normalisation.** Words are the `\\w+` runs of the text; each is case-folded and its accents
  folded (« Santé » and « sante » are the same word), so punctuation, case and accents never hide
  a copy. A word's index is its position: the report's spans are word indices, and the stored
  text, split the same way, gives back the original words (accents and punctuation included) for
  the excerpts.
- **k = 5 word shingles.** French prose is full of three- and four-word phrases every mémoire of
  the programme uses (« le contrat local de santé », « de la santé ») ; five words is where a
  shared sequence stops being the field's vocabulary and starts being a copy, and still short
  enough to catch a passage lightly reworded every dozen words.
- **64-bit hashes** from blake2b (stable between processes and Python versions, unlike `hash()`,
  which is salted per process), stored as signed 64-bit integers (PostgreSQL's bigint).
- **Winnowing** (Schleimer, Wilkerson, Aiken 2003, the method of MOSS) over windows of w = 4
  hashes keeps the minimum of each window with its position: about 2/(w+1) = 40 % of the shingles,
  and any shared passage of at least w + k - 1 = 8 words shares at least one fingerprint.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

K = 5
W = 4
#: Two fingerprints of a passage are at most this many words apart, in both documents (a copy
#: with a few words changed still reads as one passage).
MAX_GAP = 2 * (K + W)
#: A passage is at least this long (in words) and holds at least two fingerprints: a lone shared
#: shingle is the field's vocabulary, not a copy.
MIN_PASSAGE_WORDS = 2 * K
MIN_PASSAGE_FINGERPRINTS = 2
#: A hash seen more often than this in one document (a repeated heading, a list of identical
#: lines) contributes only its first occurrences: the pairing stays linear in the text's length.
MAX_OCCURRENCES = 8

WORD = re.compile(r"\w+")


def fold(word: str) -> str:
    """The word case-folded, without accents (« Élaboré » → « elabore »)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def text_words(text: str) -> list[str]:
    """The normalised words of `text`, in order; their indices are the positions of the report."""
    return [fold(match.group()) for match in WORD.finditer(text)]


def word_offsets(text: str) -> list[tuple[int, int]]:
    """The (start, end) character offsets of each word of `text`, indexed like `text_words`."""
    return [match.span() for match in WORD.finditer(text)]


def shingle_hash(words: list[str]) -> int:
    """A stable signed 64-bit hash of a sequence of words."""
    digest = hashlib.blake2b(" ".join(words).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def shingle_hashes(words: list[str], k: int = K) -> list[int]:
    """The hash of every k-word shingle, by its first word's position (none under k words)."""
    return [shingle_hash(words[i : i + k]) for i in range(len(words) - k + 1)]


def winnow(hashes: list[int], w: int = W) -> list[tuple[int, int]]:
    """The (hash, position) pairs kept by winnowing: in each window of `w` consecutive hashes, the
    minimum (the rightmost one on a tie), recorded once. A text shorter than a window keeps its
    minimum."""
    if not hashes:
        return []
    if len(hashes) <= w:
        low = min(hashes)
        position = max(i for i, h in enumerate(hashes) if h == low)
        return [(low, position)]
    kept: list[tuple[int, int]] = []
    last = -1
    for start in range(len(hashes) - w + 1):
        window = hashes[start : start + w]
        low = min(window)
        position = start + max(i for i, h in enumerate(window) if h == low)
        if position != last:
            kept.append((low, position))
            last = position
    return kept


def fingerprints(words: list[str]) -> list[tuple[int, int]]:
    """The winnowed fingerprints of a list of normalised words."""
    return winnow(shingle_hashes(words))


@dataclass
class Passage:
    """A run of shared fingerprints: words [own_start, own_end) of the checked document match
    words [other_start, other_end) of the other one."""

    own_start: int
    own_end: int
    other_start: int
    other_end: int
    #: The checked document's fingerprint positions in the run.
    positions: list[int]

    @property
    def own_words(self) -> int:
        return self.own_end - self.own_start


@dataclass
class _Run:
    own_first: int
    own_last: int
    other_first: int
    other_last: int
    positions: list[int]


def passages(own: list[tuple[int, int]], other: list[tuple[int, int]]) -> list[Passage]:
    """The passages the two fingerprint lists share: shared hashes paired by position, chained
    along the diagonal while both documents advance by at most MAX_GAP words, kept when at least
    MIN_PASSAGE_FINGERPRINTS long and MIN_PASSAGE_WORDS words."""
    where: dict[int, list[int]] = defaultdict(list)
    for h, position in sorted(other, key=lambda fp: fp[1]):
        if len(where[h]) < MAX_OCCURRENCES:
            where[h].append(position)
    runs: list[_Run] = []
    active: list[_Run] = []
    for h, p in sorted(own, key=lambda fp: fp[1]):
        candidates = where.get(h)
        if not candidates:
            continue
        active = [run for run in active if p - run.own_last <= MAX_GAP]
        extended: set[int] = set()
        for q in candidates:
            best = None
            for index, run in enumerate(active):
                if index in extended or not 0 < q - run.other_last <= MAX_GAP:
                    continue
                drift = abs((p - run.own_last) - (q - run.other_last))
                if best is None or drift < best[0]:
                    best = (drift, index)
            if best is not None:
                run = active[best[1]]
                run.own_last, run.other_last = p, q
                run.positions.append(p)
                extended.add(best[1])
            else:
                run = _Run(p, p, q, q, [p])
                runs.append(run)
                active.append(run)
                extended.add(len(active) - 1)
    found = []
    for run in runs:
        passage = Passage(run.own_first, run.own_last + K, run.other_first, run.other_last + K, run.positions)
        if len(run.positions) >= MIN_PASSAGE_FINGERPRINTS and passage.own_words >= MIN_PASSAGE_WORDS:
            found.append(passage)
    return found


def shared_word_marks(own_words: list[str], other_words: list[str], k: int = K) -> tuple[set[int], set[int]]:
    """The indices of the words, in each list, covered by a k-word shingle the other list also has:
    what an excerpt highlights."""
    own_hashes = shingle_hashes(own_words, k)
    other_hashes = shingle_hashes(other_words, k)
    common = set(own_hashes) & set(other_hashes)

    def covered(hashes: list[int]) -> set[int]:
        return {i + j for i, h in enumerate(hashes) if h in common for j in range(k)}

    return covered(own_hashes), covered(other_hashes)
