"""Hashed character n-gram counts, vectorised, with exactly scikit-learn's buckets.

:func:`hashed_ngram_counts` returns what ``HashingVectorizer(analyzer="char_wb",
lowercase=True, strip_accents="unicode", alternate_sign=False, norm=None,
dtype=float32)`` returns: the same n-grams, the same murmurhash3 buckets, the same
float32 counts with sorted indices. scikit-learn builds every n-gram as a Python
string and hashes it one at a time; here only the words pass through Python, and
the n-grams are hashed as numpy arrays.

How, and why it gives the same result (scikit-learn 1.x, ``feature_extraction/text.py``
and ``_hashing_fast.pyx``):

* Preprocessing is ``doc.lower()`` and then ``strip_accents_unicode`` (NFKD, then
  drop characters with a non-zero combining class). NFKD only decomposes
  characters and reorders combining marks, which are all dropped, so the
  stripping maps character by character and may be applied word by word. It can
  turn a non-space into a space ("¨" -> " "), never a space into a non-space;
  so each lowercased word is stripped and split again.
* ``_char_wb_ngrams`` collapses runs of whitespace and splits on whitespace, which
  gives the same words as ``str.split()``; every word is padded to " word ", and
  takes all windows of n characters for n in the range, stopping at the first n
  that covers the whole padded word (a short word is counted once).
* Each n-gram's UTF-8 bytes are hashed with murmurhash3_x86_32, seed 0, read as a
  signed 32-bit h; the bucket is ``abs(h) % n_features``.

A batch of texts is reduced to its distinct words: the n-gram buckets of each
distinct word are hashed once (a sparse words x buckets matrix), the texts count
their words (a sparse texts x words matrix), and their product is each text's
bucket counts. Every count is an exact integer, so a text's row never depends on
the other texts in its batch.
"""

from __future__ import annotations

import unicodedata
from typing import Sequence

import numpy as np

_C1 = np.uint32(0xCC9E2D51)
_C2 = np.uint32(0x1B873593)
# Below this many n-grams (a few hundred texts), the buckets are renumbered compactly.
_FEW_NGRAMS = 50_000


def strip_accents(word: str) -> str:
    """scikit-learn's ``strip_accents_unicode``: NFKD without the combining marks."""
    if word.isascii():
        return word
    return "".join([c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)])


def _rotl(x: np.ndarray, r: int) -> np.ndarray:
    return (x << np.uint32(r)) | (x >> np.uint32(32 - r))


def _mix_block(k: np.ndarray) -> np.ndarray:
    # Array arithmetic in uint32 wraps around silently, as the C code does.
    return _rotl(k * _C1, 15) * _C2


def murmurhash3_32(blocks: np.ndarray, starts: np.ndarray, length: int) -> np.ndarray:
    """MurmurHash3_x86_32, seed 0, of the ``length`` bytes at each of ``starts``.

    ``blocks[i]`` is the little-endian uint32 of bytes i..i+3 of the data (zero
    past its end), so a 4-byte block is one lookup and the tail is one masked
    lookup. Returns uint32 hashes.
    """
    h = np.zeros(len(starts), dtype=np.uint32)
    n_blocks, tail = divmod(length, 4)
    for j in range(n_blocks):
        h ^= _mix_block(blocks[starts + 4 * j])
        h = _rotl(h, 13) * np.uint32(5) + np.uint32(0xE6546B64)
    if tail:
        h ^= _mix_block(blocks[starts + 4 * n_blocks] & np.uint32((1 << (8 * tail)) - 1))
    h ^= np.uint32(length)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h


def bucket_of(hashes: np.ndarray, n_features: int) -> np.ndarray:
    """``abs(h) % n_features`` of the uint32 hashes read as signed 32-bit.

    abs() is taken in uint32, where -h wraps: the absolute value of -2**31 is then
    2**31, and 2**31 % n equals scikit-learn's special case for that value,
    ``(2**31 - 1 - (n - 1)) % n``.
    """
    magnitude = np.where(hashes >= np.uint32(2 ** 31), -hashes, hashes)
    if n_features & (n_features - 1) == 0:
        return magnitude & np.uint32(n_features - 1)
    return magnitude % np.uint32(n_features)


def _hash_spans(blocks: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Hashes of spans of varying byte length, one length at a time."""
    hashes = np.empty(len(starts), dtype=np.uint32)
    for length in np.unique(lengths):
        pick = np.flatnonzero(lengths == length)
        hashes[pick] = murmurhash3_32(blocks, starts[pick], int(length))
    return hashes


def word_ngram_buckets(words: Sequence[str], ngram_range: tuple[int, int],
                       n_features: int) -> tuple[np.ndarray, np.ndarray]:
    """The bucket of every char_wb n-gram of every word, grouped by word.

    ``words`` hold no whitespace and are already lowercased and stripped. Returns
    (indptr, buckets): the buckets of word i are ``buckets[indptr[i]:indptr[i+1]]``,
    one entry per n-gram (a repeated n-gram appears repeatedly), as a CSR row.
    """
    min_n, max_n = ngram_range
    sizes = np.arange(min_n, max_n + 1)
    # Each word padded as " word ", back to back. Every character position starts
    # one window of each size; a window is an n-gram when it ends inside the padded
    # word it starts in. Hashing all windows and dropping the others is cheaper
    # than gathering the valid ones first.
    text = " " + "  ".join(words) + " " if words else ""
    n_chars = len(text)
    char_len = np.fromiter((len(w) + 2 for w in words), dtype=np.int64, count=len(words))
    word_end = np.cumsum(char_len)
    word_start = word_end - char_len

    # Spaces past the end, so that every window exists (only to be dropped).
    text += " " * max_n
    data = text.encode("utf-8")  # raises on lone surrogates, as scikit-learn does
    is_ascii = len(data) == len(text)
    if is_ascii:
        byte_offset = np.arange(len(data) + 1)
    else:
        # UTF-8 length of each character, from its code point.
        code_point = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        char_bytes = (1 + (code_point >= 0x80).astype(np.int64) + (code_point >= 0x800)
                      + (code_point >= 0x10000))
        byte_offset = np.concatenate([[0], np.cumsum(char_bytes)])
    byte = np.zeros(len(data) + 3, dtype=np.uint32)
    byte[:len(data)] = np.frombuffer(data, dtype=np.uint8)
    blocks = byte[:-3] | (byte[1:-2] << 8) | (byte[2:-1] << 16) | (byte[3:] << 24)

    starts = byte_offset[:n_chars]
    hashes = np.empty((n_chars, len(sizes)), dtype=np.uint32)
    for i, n in enumerate(sizes):
        # Most windows of n characters are n bytes; the others are hashed again.
        hashes[:, i] = murmurhash3_32(blocks, starts, int(n))
        if not is_ascii:
            byte_len = byte_offset[n:n + n_chars] - starts
            wide = np.flatnonzero(byte_len != n)
            hashes[wide, i] = _hash_spans(blocks, starts[wide], byte_len[wide])

    valid = np.arange(n_chars)[:, None] + sizes <= np.repeat(word_end, char_len)[:, None]
    # A padded word shorter than min_n is one n-gram on its own.
    short = np.flatnonzero(char_len < min_n)
    if len(short):
        first = word_start[short]
        valid[first, 0] = True
        hashes[first, 0] = _hash_spans(blocks, starts[first], byte_offset[word_end[short]] - starts[first])

    # Row-major selection keeps the n-grams grouped by word; a padded word of L
    # characters has L - n + 1 windows of each size n <= L.
    ngrams_per_word = np.maximum(char_len[:, None] - sizes + 1, 0).sum(axis=1) + (char_len < min_n)
    indptr = np.concatenate([[0], np.cumsum(ngrams_per_word)])
    return indptr, bucket_of(hashes[valid], n_features)


def hashed_ngram_counts(texts: Sequence[str], ngram_range: tuple[int, int] = (2, 5),
                        n_features: int = 2 ** 20, *, sort_indices: bool = True):
    """(len(texts), n_features) float32 CSR of char_wb n-gram counts.

    Equal to the scikit-learn ``HashingVectorizer`` described in the module
    docstring, including its sorted indices. Sorting is a large share of the
    time; with ``sort_indices=False`` each row holds the same entries in an order
    of no meaning, for a caller whose arithmetic does not depend on it.
    """
    import scipy.sparse as sp

    # Each text's lowercased words, and the distinct words numbered in order of
    # first appearance; the per-word work below is done once per distinct word.
    tokens: list[str] = []
    indptr = [0]
    for text in texts:
        tokens += text.lower().split()
        indptr.append(len(tokens))
    vocab = {word: i for i, word in enumerate(dict.fromkeys(tokens))}
    word_ids = np.fromiter(map(vocab.__getitem__, tokens), dtype=np.int32, count=len(tokens))

    # Stripping accents may leave nothing or split a word ("a¨b" -> "a b"): a
    # distinct word owns zero or more consecutive parts.
    parts: list[str] = []
    first_part = [0]
    for word in vocab:
        if word.isascii():
            parts.append(word)
        else:
            parts.extend(strip_accents(word).split())
        first_part.append(len(parts))

    part_indptr, buckets = word_ngram_buckets(parts, ngram_range, n_features)
    # The product below sets up work arrays as wide as its columns, which is most
    # of the time for a few texts: then the distinct buckets are numbered first
    # (in increasing order, so sorted stays sorted) and mapped back after.
    columns = None
    if len(buckets) < _FEW_NGRAMS:
        columns, buckets = np.unique(buckets, return_inverse=True)
    # Rows may hold a bucket more than once; the product adds them up.
    word_ngrams = sp.csr_matrix((np.ones(len(buckets), dtype=np.int32), buckets.astype(np.int32),
                                 part_indptr[first_part]),
                                shape=(len(vocab), n_features if columns is None else len(columns)))
    text_words = sp.csr_matrix((np.ones(len(word_ids), dtype=np.int32), word_ids,
                                np.asarray(indptr, dtype=np.int64)), shape=(len(indptr) - 1, len(vocab)))
    counts = (text_words @ word_ngrams).tocsr()
    if sort_indices:
        counts.sort_indices()
    indices = counts.indices if columns is None else columns[counts.indices].astype(np.int32)
    return sp.csr_matrix((counts.data.astype(np.float32), indices, counts.indptr),
                         shape=(counts.shape[0], n_features))
