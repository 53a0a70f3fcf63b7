"""The exact FAISS store: ``IndexFlatIP``."""

from __future__ import annotations

import numpy as np

from matching.index._faiss import _bitmap_selector, _faiss
from matching.index.store import _Store


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
