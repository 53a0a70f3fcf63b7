"""The interface of a storage backend, and the exact top-k that stores and indexes share.

A store holds the vectors of one backend and is addressed by internal ids only;
the id map from placement ids lives in :class:`~matching.index.base.VectorIndex`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

import numpy as np


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
