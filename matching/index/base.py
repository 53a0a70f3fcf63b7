"""The index interface: :class:`VectorIndex` (ids, validation, search, saving) and :class:`Hits`.

How ids, vectors and backends fit together is told in the package docstring
(:mod:`matching.index`).

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
import os
import time
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, Iterable, NamedTuple, Sequence

import numpy as np

from matching.index._faiss import _omp_threads
from matching.index.defaults import DEFAULT_EXACT_BELOW
from matching.index.persist import _FORMAT, _FORMAT_VERSION, _fsync_dir, _fsync_file
from matching.index.store import _Store, _top_k
from matching.private import private_dir

_NORM_TOLERANCE = 1e-3


class Hits(NamedTuple):
    """The hits of one query, best first."""

    ids: list[str]
    scores: np.ndarray  # float32, same length as ids


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
        # The ids are distinct (checked above) and every store gathers in the order
        # asked: one gather. Sorting first and undoing it was two copies of the
        # whole matrix, 4 s of a night at 176,000 places.
        return np.ascontiguousarray(self._store.gather(iids), dtype=np.float32)  # type: ignore[union-attr]

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
        private_dir(directory)
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
        # Imported here: the factory imports the index classes, which import this module.
        from matching.index.factory import load_index

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
