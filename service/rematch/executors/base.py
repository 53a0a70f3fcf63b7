"""What every executor runs, and the interface a driver sees.

The functions here are the whole of the work done away from the driver. They
take everything they need as arguments, touch no database and no file, and live
at module level so a process pool or a cluster pickles them by reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, ContextManager, Iterable, Iterator, Protocol, Sequence

import numpy as np

import matching.batch as batch
from matching.ranking import Ranker
from matching.settings import Settings

EXECUTORS = ("local", "dask")
MISSING_EXTRA = "executor: 'dask' needs the optional extra: pip install 'spoormatch[dask]'"


class ExecutorUnavailable(RuntimeError):
    """The executor cannot start (no scheduler, no workers); raised before the run takes its lock."""

# Texts per embedding task: large enough that the encoder runs at its batch speed
# (and a task's overhead is noise), small enough to spread 10,000 new places a
# night over the workers.
EMBED_CHUNK = 1024

#: Embeds a list of texts with an encoder, yielding blocks of rows in order as they are
#: done; the :class:`~matching.text.EmbeddingCache` stores each while the next is embedded.
Embed = Callable[[Any, Sequence[str]], Iterator[np.ndarray]]
#: Called by the executor on the driver, once per partition, as each finishes.
Finished = Callable[[int, tuple], None]


@dataclass(frozen=True)
class PartitionJob:
    """What every partition of a run shares: sent to each worker once."""

    snapshot: batch.PlaceSnapshot
    params: batch.BatchParams
    settings: Settings
    ranker: Ranker
    changes: batch.ChangeSet | None


class Executor(Protocol):
    name: str
    #: How many partitions run at once.
    workers: int

    def __enter__(self) -> "Executor": ...

    def __exit__(self, *exc: object) -> None: ...

    def embedder(self, ranker: Ranker) -> ContextManager[Embed | None]:
        """An ``embed`` function that spreads texts over the workers (None: embed here)."""
        ...

    def run_partitions(self, job: PartitionJob, raws: Iterable[tuple[int, Any]], finished: Finished,
                       size: int | None = None) -> None:
        """Runs ``run_partition(job, raw)`` for each ``(part, raw)`` and calls
        ``finished(part, outcome)`` on the driver as each comes back. ``raws`` is
        read lazily, a few partitions ahead of the workers; ``size`` says how many
        it holds, when known."""
        ...


def chunks(texts: Sequence[str], size: int = EMBED_CHUNK) -> list[Sequence[str]]:
    return [texts[i:i + size] for i in range(0, len(texts), size)]


def encode_chunk(encoder: Any, texts: Sequence[str]) -> np.ndarray:
    return np.asarray(encoder.encode(list(texts)), dtype=np.float32)


def run_partition(job: PartitionJob, raw: Any) -> tuple:
    # Imported here: the worker module imports the batch, and a cluster worker
    # unpickles this function before anything else of the service.
    from service.rematch.workers import _process

    return _process(raw, job.snapshot, job.params, job.settings, job.ranker, job.changes)


def encoders_of(encoder: Any) -> list[Any]:
    """The encoder and, for a hybrid, its parts: each is embedded (and cached) on its own."""
    out = [encoder]
    for part, _ in getattr(encoder, "parts", ()) or ():
        out.extend(encoders_of(part))
    return out
