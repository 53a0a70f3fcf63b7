"""Where a run's work is done: the first night's place embedding and the partitions.

The driver (:mod:`service.rematch.run`) reads the database, hands each partition
to an executor and commits what comes back; the executor only decides where the
pure functions of :mod:`.base` run:

- ``local`` (:mod:`.local`): in this process, or in a pool of worker processes
  forked from it, which share the snapshot copy-on-write;
- ``dask`` (:mod:`.cluster`): on a ``dask.distributed`` cluster, the scheduler at
  ``SPOORMATCH_DASK_ADDRESS``, or a ``LocalCluster`` on this machine when empty.
  Needs the optional extra ``spoormatch[dask]``.

Both give the same results: the functions, their inputs and the order of the
commits' effects are the same (the allocation sorts what it reads).
"""

from __future__ import annotations

from service.rematch.executors.base import EXECUTORS, Executor, ExecutorUnavailable, PartitionJob
from service.rematch.executors.local import LocalExecutor


def make_executor(name: str, workers: int, address: str = "") -> Executor:
    """The executor called ``name`` (one of :data:`EXECUTORS`), not yet started."""
    if name == "local":
        return LocalExecutor(workers)
    if name == "dask":
        from service.rematch.executors.cluster import DaskExecutor

        return DaskExecutor(workers, address)
    raise ValueError(f"executor: must be one of {', '.join(EXECUTORS)}, got {name!r}")


__all__ = ["EXECUTORS", "Executor", "ExecutorUnavailable", "LocalExecutor", "PartitionJob", "make_executor"]
