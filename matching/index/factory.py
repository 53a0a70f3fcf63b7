"""Indexes by backend name (:func:`make_index`) and from disk (:func:`load_index`)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from matching.index.base import VectorIndex
from matching.index.brute import BruteForceIndex, _NumpyStore
from matching.index.faiss_index import FaissIndex
from matching.index.flat import _FlatStore
from matching.index.hnsw import _HNSWStore
from matching.index.ivf import _IVFStore
from matching.index.persist import _FORMAT, _FORMAT_VERSION
from matching.index.store import _Store

#: Backend names accepted by :func:`make_index`.
BACKENDS = ("auto", "flat", "hnsw", "ivf", "brute")


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
