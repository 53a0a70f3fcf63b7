"""The vectorised n-gram hashing gives exactly scikit-learn's HashingVectorizer counts."""

import pickle
import random

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.utils import murmurhash3_32 as sklearn_murmurhash3_32

from matching.text import CharTfidfEncoder, l2_normalise
from matching.text import ngram_hashing
from matching.text.ngram_hashing import bucket_of, hashed_ngram_counts, murmurhash3_32

CORPUS = [
    "kok", "Koks bereiden maaltijden in een restaurantkeuken.",
    "inspiciënt", "Inspiciënten coördineren de voorstelling achter het toneel.",
    "verpleegkundige", "Verpleegkundigen verzorgen patiënten in een ziekenhuis.",
    "vakkenvuller", "Vakkenvullers vullen de schappen in een supermarkt aan.",
]

TRICKY_TEXTS = [
    "Verpleegkundige in een ziekenhuis: zorg voor patiënten, naïeve café-eigenaar, één ÉÉN",
    "", " ", "   \t\n  ", "\t", "a", "a b c d e", "x", "ab", "abc", "abcd",
    "Receptiemedewerker\tin een\n\nhotel  (32 uur), €2.500,- bruto; 2e/3e klas!",
    "HEFTRUCKCHAUFFEUR", "Straße ẞ ß", "ﬁets ﬂink ﬀ", "ĳs Ĳssel", "İstanbul",
    "Ελληνικά ΣΟΦΟΣ σοφός ς", "Русский текст с буквой Ё", "中文字符 日本語のテキスト 한국어",
    "emoji 😀👍🏽 🇳🇱 x😀", "e\u0301 combining a\u0308\u0301 \u0301", "a¨b c´d ¨", "ﷺ ok",
    "nbsp\u00a0em\u2003ideo\u3000end", "\x1c\x1dsep\x1e\x1fend\x0b\x0c", "½ Ⅻ ǅ Å ℌ",
    "x" * 500, "ë" * 300, "😀" * 40, "word-with-hyphen's apostrophe’s “quotes”",
]

# Characters that stress lowercasing, accent stripping, whitespace and UTF-8 lengths.
ALPHABET = list("abcdefghijklmnopqrstuvwxyzAZ0189.,-'") + [
    " ", " ", " ", "\t", "\n", "\r", "\u00a0", "\u2003", "\u3000", "\x1c",
    "é", "ë", "ï", "É", "Ë", "ß", "ẞ", "ﬁ", "ĳ", "İ", "Σ", "σ", "ς", "ж", "Ж", "中", "한",
    "😀", "🏽", "\u0301", "\u0308", "\u0345", "¨", "´", "ﷺ", "½", "€", "’",
]


def random_texts(n, seed):
    rnd = random.Random(seed)
    return ["".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(0, 60))) for _ in range(n)]


def sklearn_counts(texts, ngram_range=(2, 5), n_features=2 ** 20):
    vectoriser = HashingVectorizer(analyzer="char_wb", ngram_range=ngram_range, lowercase=True,
                                   strip_accents="unicode", n_features=n_features, alternate_sign=False,
                                   norm=None, dtype=np.float32)
    return sp.csr_matrix(vectoriser.transform(texts))


def assert_same_csr(fast, reference):
    assert fast.shape == reference.shape
    assert fast.dtype == reference.dtype == np.float32
    np.testing.assert_array_equal(fast.indptr, reference.indptr)
    np.testing.assert_array_equal(fast.indices, reference.indices)
    np.testing.assert_array_equal(fast.data, reference.data)


def sklearn_pipeline_vectors(encoder, texts):
    """The encoder's vectors as computed before the fast path: sklearn counts, float32 fold."""
    encoder._ensure_fitted()
    counts = encoder._make_hasher().transform(texts).tocsr()
    cols = counts.indices
    weights = (np.log(counts.data) + 1.0) * encoder._idf[cols] * encoder._sign[cols]
    folded = sp.csr_matrix((weights, encoder._target[cols], counts.indptr), shape=(len(texts), encoder.dim))
    return l2_normalise(folded.toarray())


@pytest.fixture(scope="module")
def encoder():
    return CharTfidfEncoder(CORPUS, dim=256)


def test_murmurhash_matches_sklearn_on_random_bytes():
    rng = np.random.default_rng(0)
    pieces = [rng.integers(0, 256, size=length, dtype=np.uint8).tobytes()
              for length in list(range(25)) * 20]
    data = b"".join(pieces)
    byte = np.zeros(len(data) + 3, dtype=np.uint32)
    byte[:len(data)] = np.frombuffer(data, dtype=np.uint8)
    blocks = byte[:-3] | (byte[1:-2] << 8) | (byte[2:-1] << 16) | (byte[3:] << 24)
    starts = np.cumsum([0] + [len(p) for p in pieces[:-1]])
    for length in range(25):
        pick = [i for i, p in enumerate(pieces) if len(p) == length]
        ours = murmurhash3_32(blocks, starts[pick], length).view(np.int32)
        expected = [sklearn_murmurhash3_32(pieces[i], seed=0) for i in pick]
        np.testing.assert_array_equal(ours, expected)


@pytest.mark.parametrize("n_features", [2 ** 20, 1000, 7, 1])
def test_bucket_follows_sklearn_also_for_the_most_negative_hash(n_features):
    hashes = np.array([0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 2 ** 32 - 1, 123456789], dtype=np.uint32)
    expected = []
    for h in hashes.view(np.int32).tolist():
        if h == -2 ** 31:  # sklearn's special case in _hashing_fast.pyx
            expected.append((2147483647 - (n_features - 1)) % n_features)
        else:
            expected.append(abs(h) % n_features)
    np.testing.assert_array_equal(bucket_of(hashes, n_features), expected)


@pytest.mark.parametrize("ngram_range", [(2, 5), (3, 4), (1, 1), (4, 6), (5, 7)])
@pytest.mark.parametrize("n_features", [2 ** 20, 1000])
@pytest.mark.parametrize("renumber_below", [0, 10 ** 9], ids=["bucket-columns", "renumbered-columns"])
def test_counts_equal_sklearn_hashing_vectorizer(ngram_range, n_features, renumber_below, monkeypatch):
    monkeypatch.setattr(ngram_hashing, "_FEW_NGRAMS", renumber_below)
    texts = TRICKY_TEXTS + random_texts(300, seed=1)
    assert_same_csr(hashed_ngram_counts(texts, ngram_range, n_features),
                    sklearn_counts(texts, ngram_range, n_features))


def test_counts_of_each_tricky_text_alone_equal_sklearn():
    for text in TRICKY_TEXTS:
        assert_same_csr(hashed_ngram_counts([text]), sklearn_counts([text]))


@pytest.mark.parametrize("renumber_below", [0, 10 ** 9], ids=["bucket-columns", "renumbered-columns"])
def test_unsorted_counts_hold_the_same_entries(renumber_below, monkeypatch):
    monkeypatch.setattr(ngram_hashing, "_FEW_NGRAMS", renumber_below)
    texts = TRICKY_TEXTS + random_texts(100, seed=2)
    unsorted = hashed_ngram_counts(texts, sort_indices=False)
    unsorted.sort_indices()
    assert_same_csr(unsorted, sklearn_counts(texts))


@pytest.mark.parametrize("renumber_below", [0, 10 ** 9], ids=["bucket-columns", "renumbered-columns"])
def test_counts_of_no_texts_and_of_empty_texts(renumber_below, monkeypatch):
    monkeypatch.setattr(ngram_hashing, "_FEW_NGRAMS", renumber_below)
    assert hashed_ngram_counts([]).shape == (0, 2 ** 20)
    empty = hashed_ngram_counts(["", "  \t\n", "\u00a0"])
    assert empty.shape == (3, 2 ** 20) and empty.nnz == 0


def test_fit_gives_the_idf_of_the_sklearn_counts(encoder):
    encoder._ensure_fitted()
    counts = sklearn_counts(CORPUS, encoder.ngram_range, encoder.n_features)
    df = np.bincount(counts.indices, minlength=encoder.n_features)
    expected = (np.log((1.0 + len(CORPUS)) / (1.0 + df)) + 1.0).astype(np.float32)
    np.testing.assert_array_equal(encoder._idf, expected)


def test_vectors_match_the_sklearn_pipeline(encoder):
    texts = TRICKY_TEXTS + random_texts(300, seed=3) + CORPUS
    fast = encoder.encode(texts)
    reference = sklearn_pipeline_vectors(encoder, texts)
    assert fast.dtype == np.float32 and fast.shape == reference.shape
    assert np.abs(fast - reference).max() <= 1e-6


def test_empty_and_whitespace_texts_give_zero_rows(encoder):
    out = encoder.encode(["", "   ", "\t\n", "kok", None])
    np.testing.assert_array_equal(out[[0, 1, 2, 4]], 0.0)
    assert np.linalg.norm(out[3]) == pytest.approx(1.0, abs=1e-6)


def test_a_text_has_the_same_bits_in_any_batch(encoder):
    texts = TRICKY_TEXTS + random_texts(2500, seed=4) + CORPUS
    together = encoder.encode(texts, batch_size=1024)  # three internal chunks
    alone = np.vstack([encoder.encode([t]) for t in texts[:60]])
    np.testing.assert_array_equal(alone, together[:60])
    order = np.random.default_rng(5).permutation(len(texts))
    shuffled = encoder.encode([texts[i] for i in order], batch_size=1500)
    np.testing.assert_array_equal(shuffled, together[order])
    assert encoder.batch_invariant


def test_pickled_encoder_encodes_the_same(encoder):
    texts = TRICKY_TEXTS[:10]
    copy = pickle.loads(pickle.dumps(encoder))
    np.testing.assert_array_equal(copy.encode(texts), encoder.encode(texts))
    assert copy.model_id == encoder.model_id
