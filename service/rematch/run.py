"""The run's lifecycle: take the lock, bring the places up to date, find or start
the run, process its partitions (in this process or a pool of workers), commit,
write the digest files, clean up. See :mod:`service.rematch` for what each step
does."""

from __future__ import annotations

import json
import logging
import secrets
import time
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Callable

import numpy as np
from sqlalchemy import Text, cast, delete, func, select, update

import matching.batch as batch
from matching.constraints.engine import Columns
from matching.contract.models import Location
from matching.reference.fml import load_catalogue
from matching.settings import Settings
from matching.ranking import Ranker, build_ranker
from service.db import Database
from service.rematch.commit import CommitMixin
from service.rematch.lock import RunLock
from service.rematch.options import CHUNK, RematchOptions, RunSummary
from service.rematch.place_store import PlaceStore
from service.rematch.queries import _latest_committed, newest_run
from service.rematch.executors import Executor, PartitionJob, make_executor
from service.rematch.workers import _RawPartition, _sha
from service.tables import (
    CandidateRow,
    CandidateVectorRow,
    RematchFailure,
    RematchPartition,
    RematchResult,
    RematchRun,
    RematchRunData,
    User,
    utcnow,
)

# One logger for the whole package, named as the module was before the split, so
# log settings and filters for `service.rematch` still catch every message.
log = logging.getLogger("service.rematch")


def _params_key(options: RematchOptions, settings: Settings, ranker: Ranker) -> dict[str, Any]:
    """Everything besides the data that decides a pool: the ranker's whole configuration
    (encoder, calibration, weights, linker) among it, so changing any of it recomputes everyone."""
    return {"top": options.top, "reserve": options.reserve, "model_id": _vectors_id(ranker),
            "ranker": ranker.fingerprint_text, "default_max_travel_km": settings.default_max_travel_km,
            "travel_signal_fraction": settings.travel_signal_fraction, "format": 4}


def _vectors_id(ranker: Ranker) -> str:
    """What stored candidate vectors depend on: the model, and one encoder call per candidate."""
    return f"{ranker.encoder.model_id}|per-candidate"


def _home(home: Any) -> tuple[float, float] | None:
    """A candidate record's home coordinates, or None when the record is not usable
    (it is refused, with its reason, when its partition comes)."""
    try:
        return Location.model_validate(home).coords
    except Exception:
        return None


def _new_run_id() -> str:
    return f"r{utcnow():%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


@dataclass
class _Previous:
    row_id: int
    run_id: str
    checked_run_id: str
    fingerprint: str
    window: list
    floor: float | None
    n_primary: int


class Rematch(CommitMixin):
    """One invocation of the nightly batch (see the package docstring)."""

    def __init__(self, db: Database, settings: Settings, encoder=None,
                 options: RematchOptions | None = None,
                 progress: Callable[[int, dict[str, int]], None] | None = None, ranker: Ranker | None = None):
        self.db = db
        self.settings = settings
        if ranker is None:
            # Built as the live service builds it, around the same embedding cache.
            ranker = build_ranker(settings, encoder=encoder, persistent=True)
        self.ranker = ranker
        self.encoder = ranker.encoder
        self.options = options or RematchOptions.from_settings(settings)
        self.options.check()
        self.params = batch.BatchParams(self.options.top, self.options.reserve)
        self.columns = Columns.from_catalogue(load_catalogue())
        self._progress = progress

    # -- entry point -------------------------------------------------------------------

    def run(self) -> RunSummary:
        lock = RunLock(self.db, self.settings.state_dir,
                       timedelta(minutes=self.settings.rematch_lock_stale_minutes))
        # The executor first: a scheduler that cannot be reached is refused before
        # the run takes the lock or writes anything.
        with make_executor(self.options.executor, self.options.workers, self.options.dask_address) as executor:
            with lock:
                return self._run(executor, lock)

    def _run(self, executor: Executor, lock: RunLock) -> RunSummary:
        t0 = time.perf_counter()
        timings: dict[str, float] = {}
        store = PlaceStore(self.settings.state_dir, self.ranker)
        try:
            with executor.embedder(self.ranker) as embed:
                snapshot, place_stats = store.update(self.db, embed)
        finally:
            store.close()
        timings["places"] = time.perf_counter() - t0

        versions = dict(zip(snapshot.ids.tolist(), snapshot.versions.tolist()))
        params_key = _params_key(self.options, self.settings, self.ranker)
        fingerprint = _sha(sorted(versions.items()), params_key)
        run, resumed = self._start(fingerprint, params_key)
        lock.beat(run.id)
        summary = RunSummary(run_id=run.id, status="running", resumed=resumed, places=place_stats,
                             partitions=run.partitions_total)
        try:
            last = self._last_committed()
            changes = None
            if last is not None and not self.options.full:
                changes = self._changes(snapshot, last[1])
            t1 = time.perf_counter()
            self._partitions(executor, run, snapshot, changes, last[0] if last else None, lock, summary)
            timings["candidates"] = time.perf_counter() - t1
            t2 = time.perf_counter()
            files = self._commit(run, snapshot, versions, last, summary)
            timings["commit"] = time.perf_counter() - t2
        except BaseException as exc:
            self._fail(run.id, exc)
            raise
        t3 = time.perf_counter()
        summary.digest_files = [str(p) for p in self._write_files(run.id, files)]
        self._cleanup(run.id)
        timings["files_and_cleanup"] = time.perf_counter() - t3
        timings["total"] = time.perf_counter() - t0
        summary.timings = {k: round(v, 2) for k, v in timings.items()}
        summary.status = "committed"
        with self.db.write() as tx:
            tx.execute(update(RematchRun).where(RematchRun.id == run.id).values(
                summary={**tx.get(RematchRun, run.id).summary, "timings": summary.timings}))
        return summary

    # -- the run row -------------------------------------------------------------------

    def _start(self, fingerprint: str, params_key: dict) -> tuple[RematchRun, bool]:
        with self.db.write() as tx:
            unfinished = tx.execute(select(RematchRun).where(RematchRun.status.in_(("running", "failed")))
                                    .order_by(RematchRun.started_at.desc())).scalars().all()
            for old in unfinished:
                if old is unfinished[0] and old.fingerprint == fingerprint:
                    old.status = "running"
                    old.error = ""
                    old.heartbeat_at = utcnow()
                    log.info("rematch: resuming run %s", old.id)
                    for other in unfinished[1:]:
                        self._abandon(tx, other)
                    return old, True
                self._abandon(tx, old)
            # Only the home is needed to place a candidate: the database hands out that part.
            rows = tx.execute(select(CandidateRow.pk, CandidateRow.body["home"].label("home"))
                              .join(User, User.id == CandidateRow.coach_id)
                              .where(User.active.is_(True)).order_by(CandidateRow.pk)).all()
            size = self.options.partition_size
            resolved: dict[str, tuple[float, float] | None] = {}
            homes = []
            for r in rows:
                key = json.dumps(r.home, sort_keys=True)
                if key not in resolved:  # candidates share postcodes
                    resolved[key] = _home(r.home)
                homes.append(resolved[key])
            parts = batch.partitions([r.pk for r in rows], size, homes)
            now = utcnow()
            run = RematchRun(id=_new_run_id(), status="running", fingerprint=fingerprint,
                             params={**params_key, "exposure_factor": self.options.exposure_factor,
                                     "partition_size": size, "partitions": parts},
                             partitions_total=len(parts), counts={}, summary={}, error="",
                             started_at=now, heartbeat_at=now)
            tx.add(run)
        log.info("rematch: run %s started, %d partitions", run.id, run.partitions_total)
        return run, False

    @staticmethod
    def _abandon(tx, run: RematchRun) -> None:
        log.info("rematch: abandoning run %s (places or settings changed since it stopped)", run.id)
        tx.execute(delete(RematchResult).where(RematchResult.run_id == run.id))
        tx.execute(delete(RematchFailure).where(RematchFailure.run_id == run.id))
        tx.execute(delete(RematchPartition).where(RematchPartition.run_id == run.id))
        run.status = "abandoned"

    def _fail(self, run_id: str, exc: BaseException) -> None:
        try:
            with self.db.write() as tx:
                tx.execute(update(RematchRun).where(RematchRun.id == run_id, RematchRun.status == "running")
                           .values(status="failed", error=f"{type(exc).__name__}: {exc}"[:2000],
                                   heartbeat_at=utcnow()))
        except Exception:
            log.warning("rematch: could not mark run %s as failed", run_id, exc_info=True)
        log.error("rematch: run %s stopped: %s; the previous results stay served, the next run resumes",
                  run_id, exc)

    def _last_committed(self) -> tuple[str, dict[str, str]] | None:
        with self.db.read() as session:
            run = newest_run(session)
            if run is None:
                return None
            run_id = run.id
            versions = session.execute(select(RematchRunData.versions)
                                       .where(RematchRunData.run_id == run_id)).scalar_one_or_none()
        return run_id, versions or {}

    @staticmethod
    def _changes(snapshot: batch.PlaceSnapshot, before: dict[str, str]) -> batch.ChangeSet:
        now = dict(zip(snapshot.ids.tolist(), snapshot.versions.tolist()))
        touched = {pid for pid, v in before.items() if now.get(pid) != v}
        fresh = [snapshot.row_of[pid] for pid, v in now.items() if before.get(pid) != v]
        return batch.ChangeSet(touched=frozenset(touched), fresh=snapshot.take(np.sort(np.asarray(fresh, np.int64))))

    # -- partitions --------------------------------------------------------------------

    def _partitions(self, executor: Executor, run: RematchRun, snapshot, changes, last_run_id, lock: RunLock,
                    summary: RunSummary) -> None:
        members_of: list[list[int]] = run.params["partitions"]
        with self.db.read() as session:
            done = set(session.execute(select(RematchPartition.part)
                                       .where(RematchPartition.run_id == run.id)).scalars())
            totals = Counter()
            for counts in session.execute(select(RematchPartition.counts)
                                          .where(RematchPartition.run_id == run.id)).scalars():
                totals.update(counts)
            n_candidates = session.execute(select(func.count()).select_from(CandidateRow)
                                           .join(User, User.id == CandidateRow.coach_id)
                                           .where(User.active.is_(True))).scalar_one()
        summary.partitions_resumed = len(done)
        todo = [i for i in range(len(members_of)) if i not in done]
        bar = _progress_bar(self.options.progress, n_candidates, run.id, _handled(totals))
        bar_counts = Counter({k: totals.get(k, 0) for k in ("computed", "merged", "reused", "skipped")})

        def finished(part: int, outcome: tuple) -> None:
            result, tasks_skipped, meta = outcome
            counts = self._store_partition(run.id, part, tasks_skipped, result, meta)
            totals.update(counts)
            bar_counts.update(counts)
            if bar is not None:
                bar.update(_handled(counts))
                bar.set_postfix(computed=bar_counts["computed"], merged=bar_counts["merged"],
                                unchanged=bar_counts["reused"],
                                skipped=bar_counts["skipped"], refresh=False)
            if self._progress is not None:
                self._progress(part, dict(counts))
            lock.beat()

        job = PartitionJob(snapshot, self.params, self.settings, self.ranker, changes)
        # Read lazily: the executor asks for the next partition when a worker is about to be free.
        raws = ((part, self._read(run, part, members_of, last_run_id, changes is not None)) for part in todo)
        try:
            executor.run_partitions(job, raws, finished, size=len(todo))
        finally:
            if bar is not None:
                bar.close()
        summary.computed = totals["computed"]
        summary.merged = totals["merged"]
        summary.reused = totals["reused"]
        summary.skipped = totals["skipped"]
        summary.embedded_candidates = totals["embedded"]
        summary.candidates = summary.computed + summary.merged + summary.reused + summary.skipped

    def _read(self, run: RematchRun, part: int, members_of: list[list[int]], last_run_id: str | None,
              incremental: bool) -> _RawPartition:
        """A partition's candidates, their stored vectors and previous pools, as stored."""
        members = members_of[part]
        params_key = run.params
        with self.db.read() as session:
            rows = []
            for start in range(0, len(members), CHUNK):
                # Erased or moved to an inactive coach since the run started: not theirs to get.
                rows.extend(tuple(r) for r in session.execute(
                    select(CandidateRow.pk, CandidateRow.id, cast(CandidateRow.body, Text))
                    .join(User, User.id == CandidateRow.coach_id)
                    .where(User.active.is_(True), CandidateRow.pk.in_(members[start:start + CHUNK]))))
            rows.sort(key=lambda r: r[0])
            pks = [r[0] for r in rows]
            previous = {}
            if incremental:
                latest = _latest_committed(session, pks, (
                    RematchResult.id, RematchResult.fingerprint, RematchResult.checked_run_id,
                    cast(RematchResult.window, Text).label("known"), RematchResult.floor, RematchResult.n_primary,
                    cast(RematchResult.ranking, Text).label("ranking_text")))
                previous = {pk: (r.id, r.fingerprint, r.checked_run_id, r.known, r.floor, r.n_primary, r.ranking_text)
                            for pk, r in latest.items()}
            stored = {}
            for start in range(0, len(pks), CHUNK):
                for pk, text_hash, n, dim, data in session.execute(
                        select(CandidateVectorRow.candidate_pk, CandidateVectorRow.text_hash, CandidateVectorRow.rows,
                               CandidateVectorRow.dim, CandidateVectorRow.data)
                        .where(CandidateVectorRow.candidate_pk.in_(pks[start:start + CHUNK]))):
                    stored[pk] = (text_hash, n, dim, bytes(data))
        fingerprint_params = json.dumps({k: params_key[k] for k in (
            "top", "reserve", "model_id", "ranker", "default_max_travel_km", "travel_signal_fraction", "format")},
            sort_keys=True)
        return _RawPartition(rows=rows, previous=previous, vectors=stored, fingerprint_params=fingerprint_params,
                             model_id=_vectors_id(self.ranker), last_run_id=last_run_id)


def _handled(counts) -> int:
    return int(sum(counts.get(k, 0) for k in ("computed", "merged", "reused", "skipped")))


def _progress_bar(enabled: bool, total: int, run_id: str, initial: int):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(total=total, initial=initial, unit=" cand", desc=f"rematch {run_id}", smoothing=0.1,
                dynamic_ncols=True)


def run_rematch(db: Database, settings: Settings, encoder=None,
                options: RematchOptions | None = None) -> RunSummary:
    """One rematch; raises :class:`RematchBusy` when another holds the lock."""
    return Rematch(db, settings, encoder, options).run()
