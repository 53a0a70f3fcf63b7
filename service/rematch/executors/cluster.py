"""The ``dask`` executor: the same partition function on a ``dask.distributed`` cluster.

The driver stays where it is: it reads each partition from the database,
submits it, and commits each result as it comes back, so the lock, the
partition markers, resume and the one final commit behave exactly as with the
local executor. The job (snapshot, ranker, settings, changes) is scattered to
every worker once. Workers never touch the database; a worker lost mid-task
has its task run again elsewhere by the scheduler, and nothing of it was written.
"""

from __future__ import annotations

import logging
import secrets
from contextlib import contextmanager
from typing import Any, Iterable, Iterator, Sequence

import numpy as np

from matching.ranking import Ranker
from service.rematch.executors.base import (
    EMBED_CHUNK,
    MISSING_EXTRA,
    Embed,
    ExecutorUnavailable,
    Finished,
    PartitionJob,
    chunks,
    encode_chunk,
    run_partition,
)

log = logging.getLogger("service.rematch")

# How long to wait for the scheduler to answer, and for it to have a worker.
CONNECT_TIMEOUT = "20s"

# Prefix of every partition task's key: what an operator looks for on the
# scheduler's dashboard, and what the tests' worker plugin recognises.
PARTITION_KEY = "rematch-partition"


def _distributed():
    try:
        import distributed
    except ImportError as exc:
        raise RuntimeError(MISSING_EXTRA) from exc
    return distributed


class DaskExecutor:
    """``address``: a scheduler (``tcp://host:8786``); empty starts a ``LocalCluster``
    of ``workers`` single-threaded worker processes on this machine for the run."""

    name = "dask"

    def __init__(self, workers: int = 1, address: str = ""):
        if workers < 1:
            raise ValueError(f"workers: must be at least 1, got {workers}")
        _distributed()  # refuse at once, before any run starts, when the extra is missing
        self.address = address
        self.workers = workers
        self.client = None
        self._cluster = None

    def __enter__(self) -> "DaskExecutor":
        distributed = _distributed()
        if self.address:
            try:
                self.client = distributed.Client(self.address, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError) as exc:
                raise ExecutorUnavailable(f"dask_address: cannot reach the scheduler at {self.address!r} "
                                          f"({type(exc).__name__}: {exc})") from exc
            try:
                # A scheduler without workers would take the partitions and never answer.
                self.client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError) as exc:
                self.__exit__()
                raise ExecutorUnavailable(f"dask_address: the scheduler at {self.address!r} has no workers "
                                          f"(waited {CONNECT_TIMEOUT})") from exc
        else:
            self._cluster = distributed.LocalCluster(
                n_workers=self.workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                silence_logs=logging.WARNING)
            self.client = distributed.Client(self._cluster)
        # One partition per worker thread at a time, a few more waiting.
        self.workers = max(1, sum(self.client.nthreads().values()))
        log.info("rematch: dask executor with %d worker threads at %s", self.workers,
                 self.client.scheduler.address)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def _scatter(self, value: Any):
        # hash=False: a new key every time, so a run never picks up a stale copy.
        return self.client.scatter(value, broadcast=True, hash=False)

    # -- place texts -------------------------------------------------------------------

    @contextmanager
    def embedder(self, ranker: Ranker) -> Iterator[Embed | None]:
        shipped: dict[int, Any] = {}

        def embed(encoder: Any, texts: Sequence[str]) -> Iterator[np.ndarray]:
            if len(texts) <= EMBED_CHUNK:
                yield encode_chunk(encoder, texts)
                return
            if id(encoder) not in shipped:
                shipped[id(encoder)] = self._scatter(encoder)
            parts = iter(chunks(texts, EMBED_CHUNK))
            futures: list[Any] = []

            def submit_next() -> None:
                part = next(parts, None)
                if part is not None:
                    futures.append(self.client.submit(encode_chunk, shipped[id(encoder)], part, pure=False))

            # A few chunks per worker in flight, not all 200: the texts travel as the
            # workers need them instead of as one graph of a hundred MB.
            for _ in range(3 * self.workers):
                submit_next()
            try:
                while futures:  # in order; the driver stores one while the workers embed the next
                    yield futures[0].result()
                    futures.pop(0).release()
                    submit_next()
            finally:
                for future in futures:  # stopped half-way: nothing left running on the cluster
                    future.cancel()

        try:
            yield embed
        finally:
            for future in shipped.values():
                future.release()

    # -- partitions --------------------------------------------------------------------

    def run_partitions(self, job: PartitionJob, raws: Iterable[tuple[int, Any]], finished: Finished,
                       size: int | None = None) -> None:
        distributed = _distributed()
        shared = self._scatter(job)
        run = secrets.token_hex(4)
        inflight: dict[str, tuple[int, Any]] = {}  # key -> (part, future)
        pending = distributed.as_completed()
        try:
            source = iter(raws)

            def submit_next() -> bool:
                item = next(source, None)
                if item is None:
                    return False
                part, raw = item
                future = self.client.submit(run_partition, shared, raw, key=f"{PARTITION_KEY}-{run}-{part}",
                                            pure=False)
                inflight[future.key] = (part, future)
                pending.add(future)
                return True

            for _ in range(2 * self.workers):
                if not submit_next():
                    break
            for future in pending:
                # Raises what the task raised, or KilledWorker when the task took
                # down workers more often than the scheduler allows: the run fails
                # and the next one resumes after the partitions already written.
                outcome = future.result()
                part, _ = inflight.pop(future.key)
                future.release()
                finished(part, outcome)
                submit_next()
        finally:
            # A failed run leaves nothing running on the cluster.
            pending.clear()
            for _, future in inflight.values():
                future.cancel()
            shared.release()
