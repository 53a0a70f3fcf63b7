"""`spoormatch rematch`: the nightly batch over the service's database.

What a run does, in order:

1. Takes the lock (:class:`RunLock`): a row in ``rematch_lock`` that a second
   run on any machine sees, plus a file lock on the state folder. A lock whose
   holder died (same host, process gone) or stopped reporting for
   ``rematch_lock_stale_minutes`` is taken over.
2. Brings the place store in the state folder up to date (:class:`PlaceStore`):
   only places whose ``updated_at`` changed are read and validated, only texts
   the embedding cache has not seen are embedded, and the saved vector index is
   updated in place (rebuilt only when more than half the places changed).
3. Finds or starts the run. A run that stopped half-way (killed, or an error) is
   resumed when the places and settings are still the same (its fingerprint);
   its finished partitions are not computed again. Otherwise it is abandoned.
4. Processes the candidates partition by partition (:func:`matching.batch.partition.process_partition`,
   on the executor's workers: forked processes, or a Dask cluster, see
   :mod:`.executors`); each partition's results are committed with a marker
   row, so a resumed run skips it. Candidates whose pool nothing could have
   changed keep it. A candidate that cannot be read or matched is logged with
   its id, recorded in ``rematch_failures`` and skipped.
5. Commits: spreads scarce places (:mod:`matching.batch.allocation`), writes what
   each candidate is served, the digests and the run's status in ONE
   transaction. Until that commit the previous run's results are what the API
   serves; a run that dies before it changes nothing anyone sees.
6. Writes the per-coach digest files and deletes what no one needs any more.

The package holds, one concern a module: :mod:`.options` (options, summary,
:class:`RematchBusy`), :mod:`.lock`, :mod:`.place_store`, :mod:`.workers` (a
partition's work, wherever it runs), :mod:`.executors` (where it runs: local
processes or a Dask cluster), :mod:`.run` (the run's lifecycle),
:mod:`.commit` (writing a partition's rows, the commit, the digest files),
:mod:`.queries` (what the API reads) and :mod:`.erasure`. What the rest of the
service uses is imported from here.
"""

from service.rematch.commit import digest_dir
from service.rematch.erasure import erase_candidate_rematch, scrub_digest_files
from service.rematch.lock import RunLock
from service.rematch.options import RematchBusy, RematchOptions, RunSummary
from service.rematch.place_store import PlaceStore
# Private, but the tests and the benchmark read committed rows through it.
from service.rematch.queries import _latest_committed  # noqa: F401
from service.rematch.queries import newest_run, served_list, served_picks
from service.rematch.run import Rematch, run_rematch

__all__ = [
    "PlaceStore",
    "Rematch",
    "RematchBusy",
    "RematchOptions",
    "RunLock",
    "RunSummary",
    "digest_dir",
    "erase_candidate_rematch",
    "newest_run",
    "run_rematch",
    "scrub_digest_files",
    "served_list",
    "served_picks",
]
