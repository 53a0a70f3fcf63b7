"""The FAISS-backed index, :class:`FaissIndex`, over the flat, HNSW and IVF stores.

Backends: ``"flat"`` (exact ``IndexFlatIP``), ``"hnsw"`` (``IndexHNSWFlat``,
inner product), ``"ivf"`` (``IndexIVFFlat``, inner product) or ``"auto"`` (flat
below ``auto_threshold`` placements, IVF above). IVF rather than HNSW for ``auto``: on 2 cores, 1M 384-d vectors
build in ~40 s as IVF against ~8 min as HNSW (M=32), IVF removes for real
instead of tombstoning, and its recall@10 was higher on clustered synthetic
data (1.00 against 0.89); HNSW answers faster (~0.5 ms against ~2 ms), so
choose it by name when build time does not matter (``benchmarks/index.py``).
"""

from __future__ import annotations

from typing import Any

from matching.index._faiss import _omp_threads
from matching.index.base import VectorIndex
from matching.index.defaults import DEFAULT_AUTO_THRESHOLD, DEFAULT_EXACT_BELOW, DEFAULT_EXACT_FRACTION
from matching.index.flat import _FlatStore
from matching.index.hnsw import _HNSWStore
from matching.index.ivf import _IVFStore
from matching.index.store import _Store


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
