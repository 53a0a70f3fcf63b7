"""The ``local`` executor: this process, or worker processes forked from it.

Forked workers inherit the snapshot and the ranker from the driver's memory
(copy-on-write), so nothing is pickled on the way in; only each partition's
raw rows go out and its written rows come back.
"""

from __future__ import annotations

import multiprocessing
import os
from contextlib import contextmanager
from typing import Any, Iterable, Iterator, Sequence

import numpy as np

from matching.ranking import Ranker
from service.rematch.executors.base import (
    EMBED_CHUNK,
    Embed,
    Finished,
    PartitionJob,
    chunks,
    encode_chunk,
    encoders_of,
    run_partition,
)

# Fewer texts than this are embedded in the driver: forking a driver that holds a
# snapshot takes about a second, in which it embeds 1,500 texts itself.
FORK_AT_LEAST = 8 * EMBED_CHUNK

# What the parent leaves for its forked children: filled before the fork, read in
# the child, cleared after. Module level, because a forked child sees the parent's
# module state and nothing else without pickling.
_FORKED: dict[str, Any] = {}


def _child_init() -> None:
    # Two processes each using every core for BLAS, or for the Rust tokenizer of the
    # static encoder, would fight over them; a tokenizer forked after its parent used
    # its threads would also warn on every worker unless told here.
    os.environ["TOKENIZERS_PARALLELISM"] = "false"
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except Exception:  # pragma: no cover - threadpoolctl comes with scikit-learn
        pass


def _child_partition(raw: Any) -> tuple:
    return run_partition(_FORKED["job"], raw)


def _child_encode(job: tuple[int, Sequence[str]]) -> np.ndarray:
    key, texts = job
    return encode_chunk(_FORKED["encoders"][key], texts)


class LocalExecutor:
    name = "local"

    def __init__(self, workers: int = 1):
        if workers < 1:
            raise ValueError(f"workers: must be at least 1, got {workers}")
        self.workers = workers

    def __enter__(self) -> "LocalExecutor":
        return self

    def __exit__(self, *exc: object) -> None:
        _FORKED.clear()

    # -- place texts -------------------------------------------------------------------

    @contextmanager
    def embedder(self, ranker: Ranker) -> Iterator[Embed | None]:
        if self.workers <= 1:
            yield None
            return
        pool = None

        def embed(encoder: Any, texts: Sequence[str]) -> Iterator[np.ndarray]:
            nonlocal pool
            if len(texts) <= FORK_AT_LEAST:  # forking the workers costs more than it saves
                yield encode_chunk(encoder, texts)
                return
            if pool is None:
                # The children are forked on first use, with every encoder the
                # ranker holds (a hybrid's parts are cached, so embedded, apart);
                # an object keeps its id() across a fork.
                _FORKED["encoders"] = {id(e): e for e in encoders_of(ranker.encoder)}
                pool = multiprocessing.get_context("fork").Pool(self.workers, initializer=_child_init)
            if id(encoder) not in _FORKED["encoders"]:
                yield encode_chunk(encoder, texts)
                return
            # In order, each as soon as it and those before it are done.
            yield from pool.imap(_child_encode, [(id(encoder), c) for c in chunks(texts)])

        try:
            yield embed
        finally:
            if pool is not None:
                pool.close()
                pool.join()
            _FORKED.pop("encoders", None)

    # -- partitions --------------------------------------------------------------------

    def run_partitions(self, job: PartitionJob, raws: Iterable[tuple[int, Any]], finished: Finished,
                       size: int | None = None) -> None:
        workers = self.workers if size is None else min(self.workers, size)
        if workers <= 1:  # one partition left (a resumed run, a small bureau): no fork
            for part, raw in raws:
                finished(part, run_partition(job, raw))
            return
        _FORKED["job"] = job
        try:
            with multiprocessing.get_context("fork").Pool(workers, initializer=_child_init) as pool:
                inflight: list[tuple[int, Any]] = []
                for part, raw in raws:
                    inflight.append((part, pool.apply_async(_child_partition, (raw,))))
                    # A few partitions ahead: the driver reads the next while workers compute.
                    while len(inflight) >= 2 * workers:
                        p, handle = inflight.pop(0)
                        finished(p, handle.get())
                while inflight:
                    p, handle = inflight.pop(0)
                    finished(p, handle.get())
        finally:
            _FORKED.pop("job", None)
