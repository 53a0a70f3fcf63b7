"""FAISS on demand: the lazy import, OpenMP thread scoping and id selectors."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import numpy as np


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
