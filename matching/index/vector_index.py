"""Placement vector index: semantic retrieval of placements for a query vector.

Built once from the placements' embeddings, queried many times (one query per
candidate), saved and loaded. Vectors are float32 rows of unit length, so the
inner product is the cosine. Placements are addressed by their contract ids
(strings); inside, every placement gets an *internal id* (int64), allocated in
increasing order when it is added, kept across :meth:`VectorIndex.update` and
never reused after :meth:`VectorIndex.remove`.

Backends, one interface (:class:`VectorIndex`):

- :class:`FaissIndex` with ``backend="flat"`` (exact ``IndexFlatIP``),
  ``"hnsw"`` (``IndexHNSWFlat``, inner product), ``"ivf"`` (``IndexIVFFlat``,
  inner product) or ``"auto"`` (flat below ``auto_threshold`` placements,
  IVF above). IVF rather than HNSW for ``auto``: on 2 cores, 1M 384-d vectors
  build in ~40 s as IVF against ~8 min as HNSW (M=32), IVF removes for real
  instead of tombstoning, and its recall@10 was higher on clustered synthetic
  data (1.00 against 0.89); HNSW answers faster (~0.5 ms against ~2 ms), so
  choose it by name when build time does not matter (``benchmarks/index.py``).
- :class:`BruteForceIndex`: plain numpy, exact; the test oracle.

Use :func:`make_index` to build one from a backend name and :func:`load_index`
to read one back.

Passing the constraint engine's verdict (``allowed``)
-----------------------------------------------------
:meth:`VectorIndex.search` restricts the result to allowed placements. The
argument may be:

- ``None``: every placement is allowed;
- a 1-D ``int64`` array of internal ids. This is the fast path for a caller
  with its own row order: map its rows once with
  ``rows = index.internal_ids(placement_ids)`` and pass ``rows[mask]`` per
  candidate, where ``mask`` is the constraint engine's boolean mask over those
  rows. No string is hashed per query;
- a 1-D ``bool`` array of length ``len(index)``, aligned with
  :attr:`VectorIndex.ids` (placements in increasing internal id; that order
  changes only when the index is modified);
- a 2-D ``bool`` array ``(n_queries, len(index))``: one such mask per query row;
- any other iterable of placement ids (``set``, ``list``) -- convenient, but it
  costs a dictionary look-up per allowed id.

An unknown (or removed) placement id or internal id in ``allowed`` raises
``KeyError``: a stale mask is a caller bug, and counting it as allowed would
break the guarantee below.

Guarantee: a search returns exactly ``min(top, number allowed)`` hits per query,
however selective the mask. For the flat and brute-force backends they are the
true top by inner product. HNSW and IVF are approximate, and filtering is built
not to make them worse: small allowed sets (at most ``exact_below`` placements,
or less than ``exact_fraction`` of the index) are scored exactly, larger ones are
searched with ``efSearch`` / ``nprobe`` widened by the inverse of the share
allowed, and any query that still comes back short is redone exactly.

HNSW and removal
----------------
FAISS cannot remove vectors from an HNSW graph. :class:`FaissIndex` with the HNSW
backend therefore *tombstones* removed vectors: they stay in the graph (they still
help navigation) but are masked out of every search, and an update adds the new
vector as a new graph node. When tombstones exceed ``compact_fraction`` of the
graph, the graph is rebuilt from the live vectors during that ``remove`` or
``update`` call (a full HNSW build: 20-30 s at 100k placements on 2 cores). Call :meth:`FaissIndex.compact` to do it at a time of your
choosing, and pass ``compact_fraction=None`` to only ever compact by hand.

Threads
-------
FAISS uses OpenMP; a single query is faster with one thread than with two on
this hardware. ``threads`` (default 1) applies to searches, ``build_threads``
(default: FAISS's default, all cores) to adding, training and compacting. Both
set FAISS's OpenMP thread count for the duration of the call only (numpy's BLAS,
used for exact scoring of small allowed sets, keeps its own setting). Mutating an
index is not thread-safe; concurrent searches on an unchanging index are.

On disk
-------
:meth:`VectorIndex.save` writes a directory: per save one generation of files
(``<gen>.faiss`` via ``faiss.write_index`` or ``<gen>.vectors.npy``, a JSON
sidecar ``<gen>.meta.json`` with the id map and settings, and backend arrays as
``.npy``), then atomically replaces the ``CURRENT`` file naming the generation
(temp file + rename). A reader therefore sees the old or the new index, never a
mix; older generations are deleted after the switch.
"""

from __future__ import annotations

import json
import math
import os
import time
from abc import ABC, abstractmethod
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, NamedTuple, Sequence

import numpy as np

__all__ = [
    "BACKENDS",
    "BruteForceIndex",
    "FaissIndex",
    "Hits",
    "VectorIndex",
    "load_index",
    "make_index",
]

#: Backend names accepted by :func:`make_index`.
BACKENDS = ("auto", "flat", "hnsw", "ivf", "brute")

#: ``auto`` picks flat (exact) below this many placements: exact search of 100k
#: 384-d vectors takes a few ms per query with one thread, so approximate search
#: is only worth its build time and recall loss well above that.
DEFAULT_AUTO_THRESHOLD = 250_000
#: Allowed sets up to this size are scored by gathering their vectors and one
#: numpy product: exact, and cheaper than any filtered FAISS search.
DEFAULT_EXACT_BELOW = 2048
#: HNSW/IVF: below this share of the index allowed, a filtered exact scan is
#: cheaper than widening the approximate search enough to find ``top`` hits.
DEFAULT_EXACT_FRACTION = 0.02

_FORMAT = "spoormatch-vector-index"
_FORMAT_VERSION = 1
_NORM_TOLERANCE = 1e-3


class Hits(NamedTuple):
    """The hits of one query, best first."""

    ids: list[str]
    scores: np.ndarray  # float32, same length as ids


def _faiss():
    # Imported on first use: the constraint engine and the CLI's cheap commands
    # must not pay for it, and a parent that never touched FAISS can still fork.
    import faiss

    return faiss


@contextmanager
def _omp_threads(n: int | None) -> Iterator[None]:
    if n is None:
        yield
        return
    faiss = _faiss()
    previous = faiss.omp_get_max_threads()
    if previous == n:
        yield
        return
    faiss.omp_set_num_threads(n)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(previous)


def _bitmap_selector(members: np.ndarray, size: int):
    """An ``IDSelectorBitmap`` over ``[0, size)``; keep the returned bitmap alive."""
    faiss = _faiss()
    flags = np.zeros(max(size, 1), dtype=bool)
    flags[members] = True
    bitmap = np.packbits(flags, bitorder="little")
    return faiss.IDSelectorBitmap(len(bitmap), faiss.swig_ptr(bitmap)), bitmap


def _top_k(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Top ``k`` columns per row, by score descending then column ascending."""
    n = scores.shape[1]
    k = min(k, n)
    if k == 0:
        return (np.empty((scores.shape[0], 0), np.float32), np.empty((scores.shape[0], 0), np.int64))
    if k < n:
        cols = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    else:
        cols = np.broadcast_to(np.arange(n), scores.shape)
    sub = np.take_along_axis(scores, cols, axis=1)
    order = np.lexsort((cols, -sub), axis=-1)
    return (
        np.take_along_axis(sub, order, axis=1).astype(np.float32, copy=False),
        np.take_along_axis(cols, order, axis=1).astype(np.int64, copy=False),
    )


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse to fsync a directory; the rename still holds
    finally:
        os.close(fd)


# --------------------------------------------------------------------------------------
# Storage backends, addressed by internal ids only
# --------------------------------------------------------------------------------------


class _Store(ABC):
    """Vectors of one backend. Internal ids arrive validated and sorted ascending."""

    name: str

    def __init__(self, dim: int) -> None:
        self.dim = dim

    @abstractmethod
    def add(self, iids: np.ndarray, x: np.ndarray) -> None:
        """Add rows; ``iids`` are all larger than any id added before."""

    @abstractmethod
    def remove(self, iids: np.ndarray) -> None: ...

    @abstractmethod
    def replace(self, iids: np.ndarray, x: np.ndarray) -> None: ...

    @abstractmethod
    def gather(self, iids: np.ndarray) -> np.ndarray:
        """The stored vectors of ``iids``, (len(iids), dim) float32."""

    @abstractmethod
    def search(self, q: np.ndarray, k: int, allowed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """(scores, internal ids) of shape (nq, k); ids padded with -1 when short."""

    def exact_search(self, q: np.ndarray, k: int, allowed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        return self.search(q, k, allowed)

    @abstractmethod
    def nbytes(self) -> int:
        """Approximate memory held by the vectors and the search structure."""

    @abstractmethod
    def config(self) -> dict[str, Any]: ...

    @abstractmethod
    def save(self, directory: Path, gen: str) -> list[str]:
        """Write the generation's files; return their names."""

    @classmethod
    @abstractmethod
    def load(cls, directory: Path, gen: str, dim: int, config: dict[str, Any]) -> "_Store": ...


class _NumpyStore(_Store):
    """Dense rows with swap-remove; deliberately unlike the FAISS stores' bookkeeping
    so that the oracle does not share their mistakes."""

    name = "brute"

    def __init__(self, dim: int) -> None:
        super().__init__(dim)
        self._xb = np.empty((0, dim), np.float32)
        self._iid_at = np.empty(0, np.int64)
        self._n = 0
        self._row_of: dict[int, int] = {}

    def _rows(self, iids: np.ndarray) -> np.ndarray:
        return np.fromiter((self._row_of[int(i)] for i in iids), np.int64, len(iids))

    def add(self, iids, x):
        need = self._n + len(iids)
        if need > len(self._xb):
            cap = max(need, 2 * len(self._xb), 16)
            xb = np.empty((cap, self.dim), np.float32)
            xb[: self._n] = self._xb[: self._n]
            iid_at = np.empty(cap, np.int64)
            iid_at[: self._n] = self._iid_at[: self._n]
            self._xb, self._iid_at = xb, iid_at
        self._xb[self._n : need] = x
        self._iid_at[self._n : need] = iids
        for offset, iid in enumerate(iids):
            self._row_of[int(iid)] = self._n + offset
        self._n = need

    def remove(self, iids):
        for iid in iids:
            row = self._row_of.pop(int(iid))
            last = self._n - 1
            if row != last:
                moved = int(self._iid_at[last])
                self._xb[row] = self._xb[last]
                self._iid_at[row] = moved
                self._row_of[moved] = row
            self._n = last

    def replace(self, iids, x):
        self._xb[self._rows(iids)] = x

    def gather(self, iids):
        return self._xb[self._rows(iids)]

    def search(self, q, k, allowed):
        if allowed is None:
            rows = np.arange(self._n)
            scores = q @ self._xb[: self._n].T
        else:
            rows = self._rows(allowed)
            scores = q @ self._xb[rows].T
        d, cols = _top_k(scores, k)
        return d, self._iid_at[rows[cols]]

    def nbytes(self):
        return self._n * self.dim * 4 + self._n * 8

    def config(self):
        return {}

    def save(self, directory, gen):
        names = [f"{gen}.vectors.npy", f"{gen}.iids.npy"]
        np.save(directory / names[0], self._xb[: self._n], allow_pickle=False)
        np.save(directory / names[1], self._iid_at[: self._n], allow_pickle=False)
        return names

    @classmethod
    def load(cls, directory, gen, dim, config):
        store = cls(dim)
        xb = np.load(directory / f"{gen}.vectors.npy", allow_pickle=False)
        iids = np.load(directory / f"{gen}.iids.npy", allow_pickle=False)
        store.add(iids, xb)
        return store


class _FlatStore(_Store):
    """``IndexFlatIP``. FAISS labels are row positions; ``_iid_at`` maps them to
    internal ids.

    Rows are appended in increasing internal id and ``remove_ids`` keeps the order
    of the rows that stay, so ``_iid_at`` stays sorted and a position is one
    ``searchsorted`` away: id translation stays vectorised, exact gathers read
    FAISS's own storage without a copy of the index, and an update overwrites the
    rows in place. (``IndexIDMap2`` would add a hash map per row and rebuild it on
    every removal.)
    """

    name = "flat"

    def __init__(self, dim: int, index=None, iid_at: np.ndarray | None = None) -> None:
        super().__init__(dim)
        self.index = index if index is not None else _faiss().IndexFlatIP(dim)
        self._iid_at = iid_at if iid_at is not None else np.empty(0, np.int64)

    def _view(self) -> np.ndarray:
        n = self.index.ntotal
        if n == 0:
            return np.empty((0, self.dim), np.float32)
        # Re-fetched on every use: adding may move FAISS's buffer.
        ptr = _faiss().rev_swig_ptr(self.index.get_xb(), n * self.dim)
        return ptr.reshape(n, self.dim)

    def _positions(self, iids: np.ndarray) -> np.ndarray:
        n = len(self._iid_at)
        if n and self._iid_at[-1] - self._iid_at[0] == n - 1:
            # No gaps (nothing removed since the first add): a position is an offset.
            return iids - self._iid_at[0]
        return np.searchsorted(self._iid_at, iids)

    def add(self, iids, x):
        self.index.add(x)
        self._iid_at = np.concatenate([self._iid_at, iids])

    def remove(self, iids):
        positions = self._positions(iids)
        sel, _bitmap = _bitmap_selector(positions, self.index.ntotal)
        self.index.remove_ids(sel)
        self._iid_at = np.delete(self._iid_at, positions)

    def replace(self, iids, x):
        self._view()[self._positions(iids)] = x

    def gather(self, iids):
        return self._view()[self._positions(iids)]

    def search(self, q, k, allowed):
        if allowed is None:
            d, labels = self.index.search(q, k)
        else:
            sel, _bitmap = _bitmap_selector(self._positions(allowed), self.index.ntotal)
            d, labels = self.index.search(q, k, params=_faiss().SearchParameters(sel=sel))
        return d, np.where(labels >= 0, self._iid_at[np.maximum(labels, 0)], -1)

    def nbytes(self):
        return self.index.ntotal * (self.dim * 4 + 8)

    def config(self):
        return {}

    def save(self, directory, gen):
        names = [f"{gen}.faiss", f"{gen}.iids.npy"]
        _faiss().write_index(self.index, str(directory / names[0]))
        np.save(directory / names[1], self._iid_at, allow_pickle=False)
        return names

    @classmethod
    def load(cls, directory, gen, dim, config):
        index = _faiss().read_index(str(directory / f"{gen}.faiss"))
        iid_at = np.load(directory / f"{gen}.iids.npy", allow_pickle=False)
        return cls(dim, index, iid_at)


class _HNSWStore(_Store):
    """``IndexHNSWFlat`` (inner product). Labels are graph nodes; removed nodes are
    tombstoned (``_iid_by_label == -1``) and masked out of every search."""

    name = "hnsw"

    def __init__(
        self,
        dim: int,
        *,
        m: int = 32,
        ef_construction: int = 40,
        ef_search: int = 128,
        ef_max: int = 4096,
        exact_fraction: float = DEFAULT_EXACT_FRACTION,
        compact_fraction: float | None = 0.25,
        build_threads: int | None = None,
    ) -> None:
        super().__init__(dim)
        self.m = m
        self.ef_construction = ef_construction
        self.ef_search = ef_search
        self.ef_max = ef_max
        self.exact_fraction = exact_fraction
        self.compact_fraction = compact_fraction
        self.build_threads = build_threads
        self.index = self._new_index()
        self._iid_by_label = np.empty(0, np.int64)
        self._label_by_iid = np.empty(0, np.int64)
        self.n_dead = 0

    def _new_index(self):
        faiss = _faiss()
        index = faiss.IndexHNSWFlat(self.dim, self.m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = self.ef_construction
        index.hnsw.efSearch = self.ef_search
        return index

    def _storage(self):
        return _faiss().downcast_index(self.index.storage)

    def _view(self) -> np.ndarray:
        n = self.index.ntotal
        if n == 0:
            return np.empty((0, self.dim), np.float32)
        ptr = _faiss().rev_swig_ptr(self._storage().get_xb(), n * self.dim)
        return ptr.reshape(n, self.dim)

    def _set_labels(self, iids: np.ndarray, labels: np.ndarray) -> None:
        top = int(iids[-1]) + 1 if len(iids) else 0
        if top > len(self._label_by_iid):
            grown = np.full(max(top, 2 * len(self._label_by_iid)), -1, np.int64)
            grown[: len(self._label_by_iid)] = self._label_by_iid
            self._label_by_iid = grown
        self._label_by_iid[iids] = labels

    def add(self, iids, x):
        first = self.index.ntotal
        with _omp_threads(self.build_threads):
            self.index.add(x)
        labels = np.arange(first, first + len(iids), dtype=np.int64)
        self._iid_by_label = np.concatenate([self._iid_by_label, iids])
        self._set_labels(np.sort(iids), labels[np.argsort(iids)])

    def _tombstone(self, iids):
        labels = self._label_by_iid[iids]
        self._iid_by_label[labels] = -1
        self._label_by_iid[iids] = -1
        self.n_dead += len(iids)

    def remove(self, iids):
        self._tombstone(iids)
        self._maybe_compact()

    def replace(self, iids, x):
        # A new node, not an overwrite: the old node's edges were chosen for the
        # old vector and would hide the new one from the graph search.
        self._tombstone(iids)
        self.add(iids, x)
        self._maybe_compact()

    def _maybe_compact(self):
        if self.compact_fraction is not None and self.n_dead > self.compact_fraction * self.index.ntotal:
            self.compact()

    def compact(self) -> None:
        live = np.flatnonzero(self._iid_by_label >= 0)
        vectors = self._view()[live].copy()
        iids = self._iid_by_label[live]
        self.index = self._new_index()
        self._iid_by_label = np.empty(0, np.int64)
        self._label_by_iid[:] = -1
        self.n_dead = 0
        if len(iids):
            self.add(iids, vectors)

    def gather(self, iids):
        return self._view()[self._label_by_iid[iids]]

    def _labels(self, allowed: np.ndarray | None) -> np.ndarray:
        if allowed is None:
            return np.flatnonzero(self._iid_by_label >= 0)
        return self._label_by_iid[allowed]

    def _to_iids(self, labels: np.ndarray) -> np.ndarray:
        return np.where(labels >= 0, self._iid_by_label[np.maximum(labels, 0)], -1)

    def exact_search(self, q, k, allowed):
        sel, _bitmap = _bitmap_selector(self._labels(allowed), self.index.ntotal)
        d, labels = self._storage().search(q, k, params=_faiss().SearchParameters(sel=sel))
        return d, self._to_iids(labels)

    def search(self, q, k, allowed):
        faiss = _faiss()
        base_ef = max(self.ef_search, k)
        if allowed is None and self.n_dead == 0:
            d, labels = self.index.search(q, k, params=faiss.SearchParametersHNSW(efSearch=base_ef))
            return d, self._to_iids(labels)
        labels = self._labels(allowed)
        share = len(labels) / max(self.index.ntotal, 1)
        if share < self.exact_fraction:
            return self.exact_search(q, k, allowed)
        # About 1/share nodes are visited per allowed node found.
        ef = int(min(max(self.ef_max, base_ef), math.ceil(base_ef / share)))
        sel, _bitmap = _bitmap_selector(labels, self.index.ntotal)
        d, found = self.index.search(q, k, params=faiss.SearchParametersHNSW(efSearch=ef, sel=sel))
        return d, self._to_iids(found)

    def nbytes(self):
        hnsw = self.index.hnsw
        return (
            self.index.ntotal * self.dim * 4
            + hnsw.neighbors.size() * 4
            + hnsw.offsets.size() * 8
            + hnsw.levels.size() * 4
            + (len(self._iid_by_label) + len(self._label_by_iid)) * 8
        )

    def config(self):
        return {
            "m": self.m,
            "ef_construction": self.ef_construction,
            "ef_search": self.ef_search,
            "ef_max": self.ef_max,
            "exact_fraction": self.exact_fraction,
            "compact_fraction": self.compact_fraction,
        }

    def save(self, directory, gen):
        names = [f"{gen}.faiss", f"{gen}.labels.npy"]
        _faiss().write_index(self.index, str(directory / names[0]))
        np.save(directory / names[1], self._iid_by_label, allow_pickle=False)
        return names

    @classmethod
    def load(cls, directory, gen, dim, config):
        store = cls(dim, **config)
        store.index = _faiss().read_index(str(directory / f"{gen}.faiss"))
        store._iid_by_label = np.load(directory / f"{gen}.labels.npy", allow_pickle=False)
        live = np.flatnonzero(store._iid_by_label >= 0)
        iids = store._iid_by_label[live]
        order = np.argsort(iids)
        store._set_labels(iids[order], live[order])
        store.n_dead = int(len(store._iid_by_label) - len(live))
        return store


class _IVFStore(_Store):
    """``IndexIVFFlat`` (inner product, spherical k-means). FAISS labels are the
    internal ids; removal is native. Trained on the first batch added, so add the
    bulk of the placements first."""

    name = "ivf"

    def __init__(
        self,
        dim: int,
        *,
        nlist: int | None = None,
        nprobe: int = 32,
        expected_size: int | None = None,
        exact_fraction: float = DEFAULT_EXACT_FRACTION,
        build_threads: int | None = None,
    ) -> None:
        super().__init__(dim)
        self.nlist = nlist
        self.nprobe = nprobe
        self.expected_size = expected_size
        self.exact_fraction = exact_fraction
        self.build_threads = build_threads
        self.index = None

    def _train(self, x: np.ndarray) -> None:
        faiss = _faiss()
        nlist = self.nlist
        if nlist is None:
            nlist = int(round(math.sqrt(max(self.expected_size or 0, len(x)))))
        # FAISS wants about 39 training points per list; fewer lists beat bad ones.
        nlist = max(1, min(nlist, len(x) // 39))
        quantizer = faiss.IndexFlatIP(self.dim)
        index = faiss.IndexIVFFlat(quantizer, self.dim, nlist, faiss.METRIC_INNER_PRODUCT)
        index.cp.spherical = True
        # k-means on 64 points per list instead of FAISS's 256: a quarter of the
        # training time (minutes at 1M vectors on 2 cores), no measurable recall loss.
        index.cp.max_points_per_centroid = 64
        with _omp_threads(self.build_threads):
            index.train(x)
        index.set_direct_map_type(faiss.DirectMap.Hashtable)
        self.index = index
        self.nlist = nlist

    def add(self, iids, x):
        if self.index is None:
            self._train(x)
        with _omp_threads(self.build_threads):
            self.index.add_with_ids(x, iids)

    def remove(self, iids):
        self.index.remove_ids(iids)

    def replace(self, iids, x):
        self.index.remove_ids(iids)
        self.index.add_with_ids(x, iids)

    def gather(self, iids):
        return self.index.reconstruct_batch(iids)

    def _search(self, q, k, allowed, nprobe):
        faiss = _faiss()
        if allowed is None:
            params = faiss.SearchParametersIVF(nprobe=nprobe)
            return self.index.search(q, k, params=params)
        sel, _bitmap = _bitmap_selector(allowed, int(allowed[-1]) + 1)
        return self.index.search(q, k, params=faiss.SearchParametersIVF(nprobe=nprobe, sel=sel))

    def exact_search(self, q, k, allowed):
        # Probing every list of an IVFFlat index is an exact scan.
        return self._search(q, k, allowed, self.index.nlist)

    def search(self, q, k, allowed):
        nlist = self.index.nlist
        if allowed is None:
            return self._search(q, k, None, min(self.nprobe, nlist))
        share = len(allowed) / max(self.index.ntotal, 1)
        if share < self.exact_fraction:
            return self.exact_search(q, k, allowed)
        nprobe = min(nlist, math.ceil(self.nprobe / share))
        return self._search(q, k, allowed, nprobe)

    def nbytes(self):
        if self.index is None:
            return 0
        n = self.index.ntotal
        # vectors + ids in the lists, the direct map, the centroids
        return n * (self.dim * 4 + 8) + n * 16 + self.index.nlist * self.dim * 4

    def config(self):
        return {
            "nlist": self.nlist,
            "nprobe": self.nprobe,
            "expected_size": self.expected_size,
            "exact_fraction": self.exact_fraction,
        }

    def save(self, directory, gen):
        if self.index is None:
            return []
        name = f"{gen}.faiss"
        _faiss().write_index(self.index, str(directory / name))
        return [name]

    @classmethod
    def load(cls, directory, gen, dim, config):
        store = cls(dim, **config)
        path = directory / f"{gen}.faiss"
        if path.exists():
            store.index = _faiss().read_index(str(path))
        return store


# --------------------------------------------------------------------------------------
# The public interface
# --------------------------------------------------------------------------------------


class VectorIndex(ABC):
    """Placement ids and their vectors; exact or approximate inner-product search.

    See the module docstring for the ``allowed`` argument and the guarantees.
    """

    def __init__(
        self,
        dim: int,
        *,
        threads: int | None = 1,
        build_threads: int | None = None,
        exact_below: int = DEFAULT_EXACT_BELOW,
        check_norm: bool = True,
    ) -> None:
        if int(dim) <= 0:
            raise ValueError(f"dimension must be positive, got {dim}")
        self.dim = int(dim)
        self.threads = threads
        self.build_threads = build_threads
        self.exact_below = int(exact_below)
        self.check_norm = check_norm
        self._iid_of: dict[str, int] = {}
        self._key_of: list[str | None] = []  # by internal id; None once removed
        self._alive = np.zeros(0, dtype=bool)  # by internal id
        self._live_cache: np.ndarray | None = None

    # -- to be provided by subclasses -----------------------------------------------

    @property
    @abstractmethod
    def backend(self) -> str:
        """The backend in use: ``"flat"``, ``"hnsw"``, ``"ivf"`` or ``"brute"``."""

    @abstractmethod
    def _store_or_create(self, n_first: int) -> _Store: ...

    @property
    @abstractmethod
    def _store(self) -> _Store | None: ...

    # -- ids -----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._iid_of)

    def __contains__(self, placement_id: object) -> bool:
        return placement_id in self._iid_of

    def _live_iids(self) -> np.ndarray:
        if self._live_cache is None:
            self._live_cache = np.flatnonzero(self._alive)
        return self._live_cache

    @property
    def ids(self) -> list[str]:
        """Placement ids in increasing internal id: the order a boolean ``allowed``
        mask is aligned with. Changes only when the index is modified."""
        return [self._key_of[i] for i in self._live_iids()]  # type: ignore[misc]

    def internal_ids(self, ids: Iterable[str]) -> np.ndarray:
        """The internal ids (int64) of ``ids``, in the given order; KeyError if unknown."""
        if isinstance(ids, str):
            raise TypeError("internal_ids() takes a collection of placement ids, not a single string")
        iid_of = self._iid_of
        out = []
        for key in ids:
            try:
                out.append(iid_of[key])
            except KeyError:
                raise KeyError(f"placement id {key!r} is not in the index") from None
        return np.asarray(out, dtype=np.int64)

    def _key_list(self, ids: Sequence[str] | str, what: str) -> list[str]:
        if isinstance(ids, str):
            raise TypeError(f"{what}() takes a list of placement ids, not a single string")
        keys = list(ids)
        for key in keys:
            if not isinstance(key, str):
                raise TypeError(f"placement ids are strings, got {type(key).__name__}: {key!r}")
        # np.str_ and other str subclasses would otherwise leak into results and files.
        keys = [str(key) for key in keys]
        if len(set(keys)) != len(keys):
            seen: set[str] = set()
            for key in keys:
                if key in seen:
                    raise ValueError(f"placement id {key!r} occurs more than once in the {what}() call")
                seen.add(key)
        return keys

    # -- validation ----------------------------------------------------------------

    def _check_vectors(self, vectors: Any, n: int) -> np.ndarray:
        x = np.asarray(vectors, dtype=np.float32)
        if x.ndim == 1 and n == 1:
            x = x[None, :]
        if x.ndim != 2 or x.shape[1] != self.dim:
            got = x.shape[-1] if x.ndim >= 1 else "a scalar"
            raise ValueError(
                f"expected vectors of dimension {self.dim} (shape ({n}, {self.dim})), "
                f"got dimension {got} (shape {x.shape})"
            )
        if x.shape[0] != n:
            raise ValueError(f"got {n} placement ids but {x.shape[0]} vectors")
        if not np.isfinite(x).all():
            raise ValueError("vectors contain NaN or infinity")
        if self.check_norm and n:
            norms = np.linalg.norm(x, axis=1)
            bad = np.flatnonzero((np.abs(norms - 1.0) > _NORM_TOLERANCE) & (norms != 0.0))
            if len(bad):
                raise ValueError(
                    f"vectors must be L2-normalised (inner product = cosine); row {bad[0]} "
                    f"has norm {norms[bad[0]]:.4f} (pass check_norm=False to skip this check)"
                )
        return np.ascontiguousarray(x)

    def _check_queries(self, query: Any) -> np.ndarray:
        q = np.asarray(query, dtype=np.float32)
        if q.ndim == 1:
            q = q[None, :]
        if q.ndim != 2 or q.shape[1] != self.dim:
            got = q.shape[-1] if q.ndim >= 1 else "a scalar"
            raise ValueError(
                f"expected a query of dimension {self.dim} (shape ({self.dim},) or (q, {self.dim})), "
                f"got dimension {got} (shape {np.shape(query)})"
            )
        if not np.isfinite(q).all():
            raise ValueError("query contains NaN or infinity")
        return np.ascontiguousarray(q)

    # -- modification --------------------------------------------------------------

    def add(self, ids: Sequence[str], vectors: np.ndarray) -> None:
        """Add placements; ValueError if an id is already in the index (use update)."""
        keys = self._key_list(ids, "add")
        x = self._check_vectors(vectors, len(keys))
        for key in keys:
            if key in self._iid_of:
                raise ValueError(f"placement id {key!r} is already in the index; use update() to replace it")
        if not keys:
            return
        store = self._store_or_create(len(keys))
        first = len(self._key_of)
        iids = np.arange(first, first + len(keys), dtype=np.int64)
        with _omp_threads(self.build_threads):
            store.add(iids, x)
        self._key_of.extend(keys)
        self._iid_of.update(zip(keys, range(first, first + len(keys))))
        alive = np.zeros(len(self._key_of), dtype=bool)
        alive[: len(self._alive)] = self._alive
        alive[first:] = True
        self._alive = alive
        self._live_cache = None

    def remove(self, ids: Sequence[str]) -> None:
        """Remove placements; KeyError naming the first unknown id (nothing is removed then)."""
        keys = self._key_list(ids, "remove")
        iids = np.sort(self.internal_ids(keys))
        if not len(iids):
            return
        with _omp_threads(self.build_threads):
            self._store.remove(iids)  # type: ignore[union-attr]
        for key in keys:
            self._key_of[self._iid_of.pop(key)] = None
        self._alive[iids] = False
        self._live_cache = None

    def update(self, ids: Sequence[str], vectors: np.ndarray) -> None:
        """Replace the vectors of placements already in the index (remove + add,
        without a rebuild); they keep their internal ids. KeyError if unknown."""
        keys = self._key_list(ids, "update")
        x = self._check_vectors(vectors, len(keys))
        iids = self.internal_ids(keys)
        if not len(iids):
            return
        order = np.argsort(iids)
        with _omp_threads(self.build_threads):
            self._store.replace(iids[order], x[order])  # type: ignore[union-attr]

    # -- search --------------------------------------------------------------------

    def _resolve_allowed(self, allowed: Any) -> np.ndarray | None:
        """Sorted unique internal ids of the allowed live placements, or None for all."""
        if allowed is None:
            return None
        if not isinstance(allowed, np.ndarray) and hasattr(allowed, "dtype") and hasattr(allowed, "__array__"):
            allowed = np.asarray(allowed)  # e.g. a pandas Series of bools from the constraint engine
        if isinstance(allowed, np.ndarray):
            if allowed.dtype == bool:
                if allowed.shape != (len(self),):
                    raise ValueError(
                        f"a boolean allowed mask must have one entry per placement, aligned "
                        f"with index.ids: expected shape ({len(self)},), got {allowed.shape}"
                    )
                return self._live_iids()[allowed]
            if np.issubdtype(allowed.dtype, np.integer):
                iids = allowed.astype(np.int64, copy=False).ravel()
                # rows[mask] with rows from internal_ids() in index order is already
                # sorted; the sort in np.unique would cost more than the search.
                if len(iids) > 1 and not (iids[1:] > iids[:-1]).all():
                    iids = np.unique(iids)
                if len(iids):
                    bad = (iids < 0) | (iids >= len(self._alive))
                    bad[~bad] = ~self._alive[iids[~bad]]
                    if bad.any():
                        raise KeyError(f"internal id {int(iids[bad][0])} is not in the index")
                return iids
            raise TypeError(f"allowed must be a bool or integer array, got dtype {allowed.dtype}")
        if isinstance(allowed, str):
            raise TypeError("allowed takes a collection of placement ids, not a single string")
        return np.unique(self.internal_ids(allowed))

    def search(self, query: np.ndarray, top: int, allowed: Any = None) -> list[Hits]:
        """The ``top`` best allowed placements for each query row.

        ``query`` is (dim,) or (q, dim); the result has one :class:`Hits` per row
        (a (dim,) query gives a list of one). ``allowed``: see the module docstring.
        """
        q = self._check_queries(query)
        top = int(top)
        if top < 1:
            raise ValueError(f"top must be at least 1, got {top}")
        if isinstance(allowed, np.ndarray) and allowed.ndim == 2:
            if allowed.shape != (len(q), len(self)):
                raise ValueError(
                    f"a 2-D allowed mask must have shape (queries, placements) = "
                    f"({len(q)}, {len(self)}), got {allowed.shape}"
                )
            return [self._search(q[i : i + 1], top, self._resolve_allowed(allowed[i]))[0] for i in range(len(q))]
        return self._search(q, top, self._resolve_allowed(allowed))

    def _search(self, q: np.ndarray, top: int, allowed: np.ndarray | None) -> list[Hits]:
        n_allowed = len(self) if allowed is None else len(allowed)
        want = min(top, n_allowed)
        if want == 0:
            return [Hits([], np.empty(0, np.float32)) for _ in range(len(q))]
        if allowed is not None and n_allowed == len(self):
            allowed = None
        store = self._store
        assert store is not None
        with _omp_threads(self.threads):
            if allowed is not None and n_allowed <= self.exact_below:
                d, cols = _top_k(q @ store.gather(allowed).T, want)
                found = allowed[cols]
            else:
                d, found = store.search(q, want, allowed)
                short = np.flatnonzero((found >= 0).sum(axis=1) < want)
                if len(short):
                    d_ex, found_ex = store.exact_search(q[short], want, allowed)
                    d, found = d.copy(), found.copy()
                    d[short], found[short] = d_ex, found_ex
        key_of = self._key_of
        out = []
        for row_d, row_ids in zip(d, found):
            keep = row_ids >= 0
            out.append(Hits([key_of[i] for i in row_ids[keep]], np.asarray(row_d[keep], np.float32)))  # type: ignore[misc]
        return out

    def score(self, query: np.ndarray, ids: Sequence[str] | np.ndarray) -> np.ndarray:
        """Exact inner products of ``query`` with the given placements, in the given
        order: (len(ids),) for a (dim,) query, (q, len(ids)) for (q, dim).

        ``ids`` are placement ids or an int64 array of internal ids; KeyError if unknown.
        """
        single = np.ndim(query) == 1
        q = self._check_queries(query)
        if isinstance(ids, np.ndarray) and np.issubdtype(ids.dtype, np.integer):
            iids = ids.astype(np.int64, copy=False)
            self._resolve_allowed(iids)  # validation only
        else:
            if isinstance(ids, str):
                raise TypeError("score() takes a list of placement ids, not a single string")
            iids = self.internal_ids(ids)
        if not len(iids):
            scores = np.empty((len(q), 0), np.float32)
        else:
            # The stores gather in ascending id order; restore the caller's order.
            uniq, inverse = np.unique(iids, return_inverse=True)
            scores = (q @ self._store.gather(uniq).T)[:, inverse]  # type: ignore[union-attr]
        return scores[0] if single else scores

    def vectors(self, ids: Sequence[str]) -> np.ndarray:
        """The stored vectors of the given placements, (len(ids), dim) float32 in the
        given order; KeyError if unknown. The nightly batch reads its place vectors
        from a saved index this way instead of embedding them again."""
        iids = self.internal_ids(self._key_list(ids, "vectors"))
        if not len(iids):
            return np.empty((0, self.dim), np.float32)
        uniq, inverse = np.unique(iids, return_inverse=True)
        return np.ascontiguousarray(self._store.gather(uniq)[inverse], dtype=np.float32)  # type: ignore[union-attr]

    # -- persistence ---------------------------------------------------------------

    def _config(self) -> dict[str, Any]:
        return {
            "threads": self.threads,
            "build_threads": self.build_threads,
            "exact_below": self.exact_below,
            "check_norm": self.check_norm,
        }

    def save(self, path: str | os.PathLike) -> None:
        """Write the index to the directory ``path`` (created if needed), atomically:
        a reader sees the previous save or this one, never a mix."""
        directory = Path(path)
        directory.mkdir(parents=True, exist_ok=True)
        gen = f"{time.time_ns():x}-{os.getpid()}"
        store = self._store
        live = self._live_iids()
        meta = {
            "format": _FORMAT,
            "version": _FORMAT_VERSION,
            "class": type(self).__name__,
            "backend": self.backend,
            "dim": self.dim,
            "config": self._config(),
            "store_config": store.config() if store is not None else None,
            "next_iid": len(self._key_of),
            "iids": live.tolist(),
            "ids": [self._key_of[i] for i in live],
        }
        names = store.save(directory, gen) if store is not None else []
        meta["files"] = names
        meta_name = f"{gen}.meta.json"
        with open(directory / meta_name, "w", encoding="utf-8") as fh:
            json.dump(meta, fh, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        for name in names:
            _fsync_file(directory / name)
        pointer = directory / f"CURRENT.{gen}.tmp"
        with open(pointer, "w", encoding="utf-8") as fh:
            fh.write(gen + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(pointer, directory / "CURRENT")
        _fsync_dir(directory)
        keep = {meta_name, "CURRENT", *names}
        for entry in directory.iterdir():
            if entry.name not in keep and (
                entry.name.endswith((".faiss", ".npy", ".meta.json")) or entry.name.startswith("CURRENT.")
            ):
                try:
                    entry.unlink()
                except OSError:
                    pass  # another process may be cleaning up too

    @classmethod
    def load(cls, path: str | os.PathLike) -> "VectorIndex":
        """Read an index written by :meth:`save`; ``FaissIndex.load`` and
        ``BruteForceIndex.load`` also check the class."""
        index = load_index(path)
        if cls is not VectorIndex and not isinstance(index, cls):
            raise TypeError(f"{path} holds a {type(index).__name__}, not a {cls.__name__}")
        return index

    def _restore_ids(self, meta: dict[str, Any]) -> None:
        n = int(meta["next_iid"])
        self._key_of = [None] * n
        self._alive = np.zeros(n, dtype=bool)
        for iid, key in zip(meta["iids"], meta["ids"]):
            self._key_of[iid] = key
            self._iid_of[key] = iid
        self._alive[np.asarray(meta["iids"], dtype=np.int64)] = True
        self._live_cache = None

    def nbytes(self) -> int:
        """Approximate memory of the stored vectors and search structure (not the id map)."""
        store = self._store
        return store.nbytes() if store is not None else 0

    def __repr__(self) -> str:
        return f"{type(self).__name__}(dim={self.dim}, backend={self.backend!r}, size={len(self)})"


class BruteForceIndex(VectorIndex):
    """Exact search with plain numpy: the oracle for tests and a fallback for tiny sets."""

    def __init__(self, dim: int, **kwargs: Any) -> None:
        super().__init__(dim, **kwargs)
        self._numpy = _NumpyStore(self.dim)

    @property
    def backend(self) -> str:
        return "brute"

    @property
    def _store(self) -> _Store:
        return self._numpy

    def _store_or_create(self, n_first: int) -> _Store:
        return self._numpy


class FaissIndex(VectorIndex):
    """FAISS-backed index.

    ``backend``: ``"flat"`` (exact), ``"hnsw"``, ``"ivf"``, or ``"auto"``: flat when
    ``expected_size`` (or, without it, the first batch added) is below
    ``auto_threshold``, IVF otherwise (see the module docstring for why). The choice is fixed once made; rebuild to
    switch.

    HNSW parameters: ``hnsw_m``, ``ef_construction``, ``ef_search`` (raised to
    ``top`` when smaller), ``ef_max`` (cap of the widening for filtered searches),
    ``compact_fraction``. IVF parameters: ``nlist`` (default about sqrt(size)),
    ``nprobe``; IVF is trained on the first batch added, so add the bulk first.
    ``exact_fraction``: HNSW/IVF score allowed sets smaller than this share of the
    index exactly.
    """

    def __init__(
        self,
        dim: int,
        backend: str = "auto",
        *,
        expected_size: int | None = None,
        auto_threshold: int = DEFAULT_AUTO_THRESHOLD,
        threads: int | None = 1,
        build_threads: int | None = None,
        exact_below: int = DEFAULT_EXACT_BELOW,
        exact_fraction: float = DEFAULT_EXACT_FRACTION,
        hnsw_m: int = 32,
        ef_construction: int = 40,
        ef_search: int = 128,
        ef_max: int = 4096,
        compact_fraction: float | None = 0.25,
        nlist: int | None = None,
        nprobe: int = 32,
        check_norm: bool = True,
    ) -> None:
        super().__init__(
            dim, threads=threads, build_threads=build_threads, exact_below=exact_below, check_norm=check_norm
        )
        if backend not in ("auto", "flat", "hnsw", "ivf"):
            raise ValueError(f"unknown FAISS backend {backend!r}; expected 'auto', 'flat', 'hnsw' or 'ivf'")
        self.requested_backend = backend
        self.expected_size = expected_size
        self.auto_threshold = int(auto_threshold)
        self.exact_fraction = exact_fraction
        self._hnsw_params = dict(
            m=hnsw_m,
            ef_construction=ef_construction,
            ef_search=ef_search,
            ef_max=ef_max,
            exact_fraction=exact_fraction,
            compact_fraction=compact_fraction,
        )
        self._ivf_params = dict(nlist=nlist, nprobe=nprobe, exact_fraction=exact_fraction)
        self._faiss_store: _Store | None = None
        self._resolved: str | None = None
        if backend != "auto":
            self._resolved = backend
        elif expected_size is not None:
            self._resolved = self._choose(expected_size)

    def _choose(self, size: int) -> str:
        return "flat" if size < self.auto_threshold else "ivf"

    @property
    def backend(self) -> str:
        return self._resolved or "auto"

    @property
    def _store(self) -> _Store | None:
        return self._faiss_store

    def _store_or_create(self, n_first: int) -> _Store:
        if self._faiss_store is None:
            if self._resolved is None:
                self._resolved = self._choose(n_first)
            self._faiss_store = self._new_store(self._resolved)
        return self._faiss_store

    def _new_store(self, backend: str) -> _Store:
        if backend == "flat":
            return _FlatStore(self.dim)
        if backend == "hnsw":
            return _HNSWStore(self.dim, build_threads=self.build_threads, **self._hnsw_params)
        return _IVFStore(
            self.dim, expected_size=self.expected_size, build_threads=self.build_threads, **self._ivf_params
        )

    def compact(self) -> None:
        """HNSW: rebuild the graph without tombstoned vectors. Other backends: no-op."""
        if isinstance(self._faiss_store, _HNSWStore):
            with _omp_threads(self.build_threads):
                self._faiss_store.compact()

    @property
    def tombstones(self) -> int:
        """HNSW: removed or replaced vectors still in the graph; 0 for other backends."""
        store = self._faiss_store
        return store.n_dead if isinstance(store, _HNSWStore) else 0

    def _config(self) -> dict[str, Any]:
        config = super()._config()
        config.update(
            expected_size=self.expected_size,
            auto_threshold=self.auto_threshold,
            exact_fraction=self.exact_fraction,
            hnsw_m=self._hnsw_params["m"],
            ef_construction=self._hnsw_params["ef_construction"],
            ef_search=self._hnsw_params["ef_search"],
            ef_max=self._hnsw_params["ef_max"],
            compact_fraction=self._hnsw_params["compact_fraction"],
            nlist=self._ivf_params["nlist"],
            nprobe=self._ivf_params["nprobe"],
        )
        return config


_STORES: dict[str, type[_Store]] = {
    "brute": _NumpyStore,
    "flat": _FlatStore,
    "hnsw": _HNSWStore,
    "ivf": _IVFStore,
}


def make_index(
    dim: int, backend: str = "auto", expected_size: int | None = None, **kwargs: Any
) -> VectorIndex:
    """An empty index. ``backend``: ``"auto"``, ``"flat"``, ``"hnsw"``, ``"ivf"``
    (:class:`FaissIndex`) or ``"brute"`` (:class:`BruteForceIndex`); ``kwargs`` go to
    the class (e.g. ``auto_threshold``, ``threads``, ``ef_search``)."""
    if backend == "brute":
        return BruteForceIndex(dim, **kwargs)
    if backend not in BACKENDS:
        raise ValueError(f"unknown index backend {backend!r}; expected one of {', '.join(BACKENDS)}")
    return FaissIndex(dim, backend, expected_size=expected_size, **kwargs)


def load_index(path: str | os.PathLike) -> VectorIndex:
    """Read an index written by :meth:`VectorIndex.save`."""
    directory = Path(path)
    pointer = directory / "CURRENT"
    if not pointer.is_file():
        raise FileNotFoundError(f"no saved index in {directory} (missing {pointer.name})")
    gen = pointer.read_text(encoding="utf-8").strip()
    with open(directory / f"{gen}.meta.json", encoding="utf-8") as fh:
        meta = json.load(fh)
    if meta.get("format") != _FORMAT or meta.get("version") != _FORMAT_VERSION:
        raise ValueError(
            f"{directory} is not a spoormatch vector index of version {_FORMAT_VERSION} "
            f"(format {meta.get('format')!r}, version {meta.get('version')!r})"
        )
    dim = int(meta["dim"])
    config = meta["config"]
    index: VectorIndex
    if meta["class"] == "BruteForceIndex":
        index = BruteForceIndex(dim, **config)
        index._numpy = _NumpyStore.load(directory, gen, dim, meta["store_config"] or {})
    elif meta["class"] == "FaissIndex":
        backend = meta["backend"]
        faiss_index = FaissIndex(dim, backend, **config)
        if meta["store_config"] is not None:
            store_cls = _STORES[backend]
            store_config = dict(meta["store_config"])
            if store_cls is _HNSWStore or store_cls is _IVFStore:
                store_config["build_threads"] = config.get("build_threads")
            faiss_index._faiss_store = store_cls.load(directory, gen, dim, store_config)
        index = faiss_index
    else:
        raise ValueError(f"unknown index class {meta['class']!r} in {directory}")
    index._restore_ids(meta)
    return index
