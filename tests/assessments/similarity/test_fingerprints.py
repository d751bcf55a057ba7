"""Normalisation, shingles, winnowing and passages: the properties the report rests on."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.similarity import fingerprints as fp
from assessments.similarity.selectors import _share

VOCABULARY = [f"mot{i}" for i in range(300)]
texts = st.lists(st.sampled_from(VOCABULARY), min_size=40, max_size=400)


def _share_of(own_words, other_words):
    own, other = fp.fingerprints(own_words), fp.fingerprints(other_words)
    found = fp.passages(own, other)
    matched = {p for passage in found for p in passage.positions}
    return _share(len(matched), len(own)), found


def test_normalisation_folds_case_accents_and_punctuation():
    """« Santé, » « SANTE » and « santé » are one word; punctuation separates words."""
    assert fp.text_words("La Santé, SANTE ; santé… l'Élu(e)") == [
        "la",
        "sante",
        "sante",
        "sante",
        "l",
        "elu",
        "e",
    ]


def test_hashes_are_stable_64_bit_integers():
    """A shingle's hash is blake2b's, the same in every process, and fits PostgreSQL's bigint."""
    value = fp.shingle_hash(["le", "contrat", "local", "de", "sante"])
    assert value == fp.shingle_hash(["le", "contrat", "local", "de", "sante"])
    assert -(2**63) <= value < 2**63
    assert value == int.from_bytes(
        __import__("hashlib").blake2b(b"le contrat local de sante", digest_size=8).digest(),
        "big",
        signed=True,
    )


def test_winnowing_keeps_a_fingerprint_in_every_window():
    """Every window of w consecutive shingles holds at least one kept position (the guarantee
    that a shared passage of w + k - 1 words is seen)."""
    words = [f"w{i % 37}" for i in range(200)]
    kept = {position for _, position in fp.winnow(fp.shingle_hashes(words))}
    hashes = fp.shingle_hashes(words)
    for start in range(len(hashes) - fp.W + 1):
        assert kept & set(range(start, start + fp.W))


@settings(max_examples=60, deadline=None)
@given(texts)
def test_identical_texts_share_everything(words):
    """A text compared with itself is found whole: 100 %."""
    share, _ = _share_of(words, words)
    assert share == 100


@settings(max_examples=60, deadline=None)
@given(texts, texts)
def test_disjoint_texts_share_nothing(own, other):
    """Two texts with no word in common share nothing: 0 %."""
    other = [word.replace("mot", "autre") for word in other]
    share, found = _share_of(own, other)
    assert share == 0 and found == []


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(VOCABULARY), min_size=60, max_size=300),
    st.lists(st.sampled_from(VOCABULARY), min_size=60, max_size=300),
    st.integers(min_value=30, max_value=80),
    st.data(),
)
def test_a_copied_paragraph_is_found_with_its_span(own, source, length, data):
    """A paragraph of `length` words copied from another text into fresh text is found as a
    passage whose spans cover it, in both texts."""
    own = [word.replace("mot", "neuf") for word in own]
    # Each source word is told apart by its place, so that the copy stands in one place of the
    # source (a source repeating itself holds the same words elsewhere too).
    source = [f"{word.replace('mot', 'source')}x{i}" for i, word in enumerate(source)]
    start = data.draw(st.integers(min_value=0, max_value=len(source) - 1))
    paragraph = (source * 2)[start : start + length]
    at = data.draw(st.integers(min_value=0, max_value=len(own)))
    text = own[:at] + paragraph + own[at:]
    other_start = start
    other = source + source  # the paragraph may wrap around: the source holds it whole
    _, found = _share_of(text, other)
    assert found, "the copied paragraph is found"
    best = max(found, key=lambda passage: passage.own_words)
    # The passage lies inside the copy and covers most of it (winnowing may miss its edges).
    assert at <= best.own_start and best.own_end <= at + length
    assert best.own_words >= length - 2 * (fp.K + fp.W)
    assert other_start <= best.other_start + fp.MAX_GAP
    assert [text[i] for i in range(best.own_start, best.own_end)] == [
        other[i] for i in range(best.other_start, best.other_end)
    ]


def test_a_lone_shared_phrase_is_not_a_passage():
    """One shared five-word phrase (the field's vocabulary) is not a copy: no passage."""
    common = ["le", "contrat", "local", "de", "sante"]
    own = [f"a{i}" for i in range(50)] + common + [f"b{i}" for i in range(50)]
    other = [f"c{i}" for i in range(50)] + common + [f"d{i}" for i in range(50)]
    share, found = _share_of(own, other)
    assert found == [] and share == 0


def test_shared_word_marks_cover_only_common_shingles():
    """The words highlighted are those inside a shingle both excerpts hold; a changed word
    breaks the highlight around it."""
    own = ["un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix"]
    other = ["un", "deux", "trois", "quatre", "cinq", "six", "SEPT", "huit", "neuf", "dix"]
    own_marks, other_marks = fp.shared_word_marks(own, other)
    assert own_marks == {0, 1, 2, 3, 4, 5}
    assert other_marks == {0, 1, 2, 3, 4, 5}
