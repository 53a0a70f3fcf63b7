"""The exact numpy backend: :class:`BruteForceIndex` and its store, the oracle the tests hold FAISS to."""

from __future__ import annotations

from typing import Any

import numpy as np

from matching.index.base import VectorIndex
from matching.index.store import _Store, _top_k


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
