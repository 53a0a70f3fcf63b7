"""The HNSW FAISS store: ``IndexHNSWFlat``, inner product.

HNSW and removal
----------------
FAISS cannot remove vectors from an HNSW graph. :class:`FaissIndex` with the HNSW
backend therefore *tombstones* removed vectors: they stay in the graph (they still
help navigation) but are masked out of every search, and an update adds the new
vector as a new graph node. When tombstones exceed ``compact_fraction`` of the
graph, the graph is rebuilt from the live vectors during that ``remove`` or
``update`` call (a full HNSW build: 20-30 s at 100k placements on 2 cores). Call :meth:`FaissIndex.compact` to do it at a time of your
choosing, and pass ``compact_fraction=None`` to only ever compact by hand.
"""

from __future__ import annotations

import math

import numpy as np

from matching.index._faiss import _bitmap_selector, _faiss, _omp_threads
from matching.index.defaults import DEFAULT_EXACT_FRACTION
from matching.index.store import _Store


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
