"""The vector index of place embeddings: semantic retrieval of placements for a query vector.

Built once from the placements' embeddings, queried many times (one query per
candidate), saved and loaded. Vectors are float32 rows of unit length, so the
inner product is the cosine. Placements are addressed by their contract ids
(strings); inside, every placement gets an *internal id* (int64), allocated in
increasing order when it is added, kept across :meth:`VectorIndex.update` and
never reused after :meth:`VectorIndex.remove`.

Backends, one interface (:class:`VectorIndex`, :mod:`~matching.index.base`):

- :class:`FaissIndex` (:mod:`~matching.index.faiss_index`) with ``backend="flat"``
  (:mod:`~matching.index.flat`), ``"hnsw"`` (:mod:`~matching.index.hnsw`),
  ``"ivf"`` (:mod:`~matching.index.ivf`) or ``"auto"``;
- :class:`BruteForceIndex` (:mod:`~matching.index.brute`): plain numpy, exact; the test oracle.

Use :func:`make_index` to build one from a backend name and :func:`load_index`
to read one back (:mod:`~matching.index.factory`).

This package is the one public entry. FAISS is imported on first use, not when
the package is imported.
"""

from matching.index.base import Hits, VectorIndex
from matching.index.brute import BruteForceIndex
from matching.index.defaults import DEFAULT_AUTO_THRESHOLD, DEFAULT_EXACT_BELOW, DEFAULT_EXACT_FRACTION
from matching.index.factory import BACKENDS, load_index, make_index
from matching.index.faiss_index import FaissIndex

__all__ = [
    "BACKENDS",
    "DEFAULT_AUTO_THRESHOLD",
    "DEFAULT_EXACT_BELOW",
    "DEFAULT_EXACT_FRACTION",
    "BruteForceIndex",
    "FaissIndex",
    "Hits",
    "VectorIndex",
    "load_index",
    "make_index",
]

