"""The nightly batch: snapshots, partitions, merges, allocation and digests.

- :mod:`~matching.batch.snapshot`: the open places of a run, sorted by geography;
- :mod:`~matching.batch.pools`: parameters, tasks, change sets, pools and results;
- :mod:`~matching.batch.scoring`: one candidate against a snapshot, through the ranker;
- :mod:`~matching.batch.merge`: incremental nights, changed places merged into a pool;
- :mod:`~matching.batch.partition`: a partition of candidates, the unit a driver runs;
- :mod:`~matching.batch.allocation`, :mod:`~matching.batch.digest`: spreading scarce
  places, and what changed for each candidate.
"""

from matching.batch.partition import partitions, process_partition
from matching.batch.pools import (
    BatchParams,
    CandidatePool,
    CandidateTask,
    ChangeSet,
    PartitionResult,
    assemble_entries,
)
from matching.batch.snapshot import PlaceSnapshot, geo_key, placement_json
from matching.ranking import CandidateVectors

__all__ = ["BatchParams", "CandidatePool", "CandidateTask", "CandidateVectors", "ChangeSet", "PartitionResult",
           "PlaceSnapshot", "assemble_entries", "geo_key", "partitions", "placement_json", "process_partition"]
