"""The character n-gram TF-IDF encoder and the Dutch ESCO corpus it is fitted on.

Language-free, strong on Dutch compound job titles ("vakkenvuller" ~
"vakkenvullen supermarkt"); scipy is imported only when it first encodes. The
n-grams are hashed by :mod:`matching.text.ngram_hashing`, which gives exactly
the buckets of scikit-learn's ``HashingVectorizer`` at several times its speed.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

from matching.portable import Portable
from matching.private import private_dir
from matching.text.calibration import Calibration, measured

from matching.text.base import _package_version, as_text_list, l2_normalise
from matching.text.ngram_hashing import hashed_ngram_counts


def esco_corpus(data_dir: Path | str) -> list[str]:
    """The fixed Dutch texts the TF-IDF encoder is fitted on, in file order.

    One document per ESCO occupation label, per occupation description and per
    ISCO group label/description. Alternative labels are left out, so that the
    evaluation on them (alt label -> occupation) measures generalisation.
    """
    data_dir = Path(data_dir)
    docs: list[str] = []
    with open(data_dir / "esco" / "occupations_nl.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            docs.append(row["preferredLabel"])
            if row.get("description"):
                docs.append(row["description"])
    with open(data_dir / "esco" / "ISCOGroups_nl.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            docs.append(row["preferredLabel"])
            if row.get("description"):
                docs.append(row["description"])
    return docs


class CharTfidfEncoder(Portable):
    """Char n-gram TF-IDF with IDF from a fixed Dutch corpus, hashed to ``dim`` dimensions.

    Each n-gram is hashed (scikit-learn's murmurhash, exactly as ``HashingVectorizer``)
    to one of ``n_features`` buckets, weighted by sublinear TF times the bucket's
    IDF on the corpus, and then folded into ``dim`` dimensions with a fixed
    random sign per bucket (a count sketch). The inner product of two folded
    rows estimates the sparse TF-IDF cosine without bias; on the ESCO evaluation
    this keeps almost all of the sparse model's accuracy, where a truncated SVD
    to the same size lost a fifth to a third of it (see models/README.md).

    Nothing is learnt but the IDF, so the "fit" is hashing the corpus once (a few
    seconds); the IDF is stored under ``state_dir`` when one is given. N-grams
    the corpus never saw still count, with the highest IDF, so rare words that a
    candidate's text and a place's text share still match. ``model_id`` carries
    a fingerprint of the corpus, the parameters and the scikit-learn version, so
    a change never mixes with old cached embeddings.
    """

    def __init__(
        self,
        corpus: Sequence[str] | None = None,
        *,
        data_dir: Path | str | None = None,
        state_dir: Path | str | None = None,
        dim: int = 768,
        ngram_range: tuple[int, int] = (2, 5),
        n_features: int = 2 ** 20,
        seed: int = 0,
    ) -> None:
        if corpus is None:
            if data_dir is None:
                from matching.settings import get_settings

                data_dir = get_settings().data_dir
            corpus = esco_corpus(data_dir)
        if dim < 1 or n_features < dim:
            raise ValueError(f"dim: must be between 1 and n_features ({n_features}), got {dim}")
        self._corpus = list(corpus)
        self.ngram_range = (int(ngram_range[0]), int(ngram_range[1]))
        self.n_features = int(n_features)
        self.seed = int(seed)
        self.dim = int(dim)
        self._state_dir = Path(state_dir) if state_dir is not None else None

        sklearn_version = ".".join(_package_version("scikit-learn").split(".")[:2])
        h = hashlib.sha256()
        h.update(json.dumps([self.ngram_range, self.n_features, self.dim, self.seed,
                             sklearn_version]).encode())
        for doc in self._corpus:
            h.update(doc.encode("utf-8"))
            h.update(b"\0")
        lo, hi = self.ngram_range
        self.model_id = f"char-tfidf-{lo}-{hi}-h{self.dim}-{h.hexdigest()[:12]}"
        # The calibration does not depend on the library version that hashes the corpus.
        self.calibration_key = f"char-tfidf-{lo}-{hi}-h{self.dim}-f{self.n_features}-s{self.seed}"
        # Each row is sparse arithmetic on its own text: the same bits in any batch.
        self.batch_invariant = True
        # Not kept in the embedding cache: hashing 20,000 texts a second takes less
        # than writing their 3 KB vectors to SQLite and reading them back (on the
        # first national night the cache's writes of this part cost more than
        # embedding the whole hybrid).
        self.cache_vectors = False
        self._lock = threading.Lock()
        self._idf: np.ndarray | None = None
        self._target: np.ndarray | None = None
        self._sign: np.ndarray | None = None

    @property
    def calibration(self) -> Calibration:
        """What this encoder's cosines mean, as measured on ESCO (matching.text.calibration)."""
        return measured(self.calibration_key) or Calibration.identity()

    def _make_hasher(self):
        """The scikit-learn vectoriser whose counts :meth:`_ngram_counts` reproduces.

        Not used to encode; it defines the n-grams and buckets, and the tests compare
        against it.
        """
        from sklearn.feature_extraction.text import HashingVectorizer

        # char_wb keeps n-grams inside word boundaries, so "zorg medewerker" and
        # "zorgmedewerker" share most n-grams; stripped accents make
        # "inspicient" meet "inspiciënt".
        return HashingVectorizer(
            analyzer="char_wb",
            ngram_range=self.ngram_range,
            lowercase=True,
            strip_accents="unicode",
            n_features=self.n_features,
            alternate_sign=False,
            norm=None,
            dtype=np.float32,
        )

    def _ngram_counts(self, texts: Sequence[str], sort_indices: bool = False):
        """Float32 CSR with the entries of ``_make_hasher().transform(texts)`` (unsorted by default)."""
        return hashed_ngram_counts(texts, self.ngram_range, self.n_features, sort_indices=sort_indices)

    def _fold_map(self) -> tuple[np.ndarray, np.ndarray]:
        """Target dimension and sign per bucket, from a fixed integer mix.

        A splitmix64 finaliser instead of a random generator: the same buckets
        fold the same way whatever the numpy version.
        """
        with np.errstate(over="ignore"):
            z = np.arange(self.n_features, dtype=np.uint64) + np.uint64(
                (0x9E3779B97F4A7C15 * (self.seed + 1)) & 0xFFFFFFFFFFFFFFFF)
            z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
            z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
            z = z ^ (z >> np.uint64(31))
        target = (z % np.uint64(self.dim)).astype(np.int32)
        sign = np.where((z >> np.uint64(63)) == 1, -1.0, 1.0).astype(np.float32)
        return target, sign

    def _state_file(self) -> Path | None:
        if self._state_dir is None:
            return None
        return self._state_dir / "encoders" / f"{self.model_id}.npz"

    def _ensure_fitted(self) -> None:
        if self._idf is not None:
            return
        with self._lock:
            if self._idf is not None:
                return
            path = self._state_file()
            idf = None
            if path is not None and path.exists():
                try:
                    idf = self._load(path)
                except (OSError, ValueError, KeyError):
                    idf = None  # a damaged or partial file: fit again and overwrite it
            if idf is None:
                idf = self._fit()
                if path is not None:
                    self._save(path, idf)
            self._target, self._sign = self._fold_map()
            self._idf = idf

    def _fit(self) -> np.ndarray:
        counts = self._ngram_counts(self._corpus)
        df = np.bincount(counts.indices, minlength=self.n_features)
        n_docs = counts.shape[0]
        # Smoothed IDF, as if one extra document held every n-gram once; an
        # n-gram the corpus never saw gets the highest value.
        return (np.log((1.0 + n_docs) / (1.0 + df)) + 1.0).astype(np.float32)

    def _save(self, path: Path, idf: np.ndarray) -> None:
        private_dir(path.parent)
        top = idf.max()
        seen = np.flatnonzero(idf < top).astype(np.int32)
        # Write then rename, so a concurrent reader never sees half a file.
        tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")
        np.savez(tmp, seen=seen, idf_seen=idf[seen], idf_unseen=np.float32(top))
        os.replace(tmp, path)

    def _load(self, path: Path) -> np.ndarray:
        with np.load(path, allow_pickle=False) as z:
            seen = z["seen"]
            idf_seen = z["idf_seen"].astype(np.float32)
            top = np.float32(z["idf_unseen"])
        if seen.shape != idf_seen.shape or (seen.size and seen.max() >= self.n_features):
            raise ValueError(f"{path}: arrays do not match {self.model_id}")
        idf = np.full(self.n_features, top, dtype=np.float32)
        idf[seen] = idf_seen
        return idf

    def encode(self, texts: Sequence[str], batch_size: int = 4096) -> np.ndarray:
        import scipy.sparse as sp

        texts = as_text_list(texts)
        self._ensure_fitted()
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # Slices only bound the memory of the sparse intermediate.
        step = max(batch_size, 1024)
        for start in range(0, len(texts), step):
            chunk = texts[start:start + step]
            counts = self._ngram_counts(chunk)
            cols = counts.indices
            weights = (np.log(counts.data) + 1.0) * self._idf[cols] * self._sign[cols]
            # Duplicate column entries are summed by toarray(): that is the fold.
            # It adds in float64, where it is exact: every weight is a float32 of
            # magnitude >= 1 (log(count) + 1 >= 1, idf >= 1), so a whole multiple of
            # 2**-23, and a dimension's sum stays far below 2**30. So the sum does
            # not depend on the order of a row's entries, which is left unsorted,
            # and a row has the same bits in any batch.
            folded = sp.csr_matrix((weights.astype(np.float64), self._target[cols], counts.indptr),
                                   shape=(len(chunk), self.dim))
            out[start:start + len(chunk)] = folded.toarray()
        return l2_normalise(out)
