"""The steps of a run that write its results: each partition's rows, then the
commit (allocation, what each candidate is served, digests and the run's status
in one transaction), then the digest files and the cleanup."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path
from typing import Any, Sequence

import numpy as np
from pydantic import ValidationError
from sqlalchemy import JSON, Text, bindparam, cast, delete, insert, literal, select, update

import matching.batch as batch
from matching.batch.allocation import allocate, contention_text, quota_for
from matching.batch.digest import (
    CandidateDigest, PlaceFacts, Served, coach_digest, diff_candidate, write_digest_files)
from matching.constraints.engine import EXCEED, Columns, Profile, evaluate
from matching.ranking.ranker import SPOOR_ONE_LEAD
from matching.constraints.reasons import explain_row
from matching.contract.models import STORED_IDS, Candidate
from matching.settings import Settings
from service.db import Database, load_json
from service.rematch.options import CHUNK, RematchOptions, RunSummary
from service.rematch.queries import _latest_committed
from service.rematch.workers import REFUSED_PREFIX, _json, _Written
from service.schemas import HIDING_CODES
from service.tables import (
    CandidateRow,
    CandidateVectorRow,
    FeedbackRow,
    PlacementRow,
    RematchDigest,
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


def digest_dir(state_dir: Path) -> Path:
    return Path(state_dir) / "digests"


class CommitMixin:
    """Mixed into :class:`service.rematch.run.Rematch`: these steps use its database,
    settings, options and constraint columns."""

    db: Database
    settings: Settings
    options: RematchOptions
    columns: Columns

    # -- a partition's results ---------------------------------------------------------

    def _json_param(self, name: str):
        """A bound parameter that passes JSON text to a JSON column as it is."""
        param = bindparam(name, type_=Text)
        return cast(param, JSON) if self.db.backend == "postgresql" else param

    def _store_partition(self, run_id: str, part: int, skipped: dict[int, str], result: _Written,
                         meta: dict[int, tuple]) -> dict[str, int]:
        failures = {**skipped, **result.failures}
        counts = {**result.counts, "skipped": len(failures)}
        with self.db.write() as tx:
            # Erased while we worked: their rows would fail the foreign key.
            alive = set(tx.execute(select(CandidateRow.pk).where(
                CandidateRow.pk.in_(list(meta) + list(skipped)))).scalars()) if (meta or skipped) else set()
            # Merged pools carry some entries over from the previous row: read just those.
            carrying = {meta[row["pk"]][2]: row["pk"] for row in result.new
                        if row["carried"] and row["pk"] in alive and meta[row["pk"]][2] is not None}
            previous_entries = {}
            ids = list(carrying)
            for start in range(0, len(ids), CHUNK):
                for row_id, text in tx.execute(select(RematchResult.id, cast(RematchResult.entries, Text))
                                               .where(RematchResult.id.in_(ids[start:start + CHUNK]))):
                    previous_entries[carrying[row_id]] = load_json(text)
            rows = []
            for row in result.new:
                pk = row["pk"]
                if pk not in alive:
                    continue
                if row["carried"]:
                    picked, rendered = row["carried"]
                    try:
                        entries = batch.assemble_entries(picked, rendered, previous_entries.get(pk, []))
                    except KeyError as exc:  # its previous row is gone: the next run computes it
                        log.warning("rematch: candidate pk %s skipped: %s", pk, exc)
                        failures[pk] = f"{type(exc).__name__}: {exc}"
                        continue
                    row = {**row, "entries": _json(entries),
                           "ranking": _json([[e["placement_id"], e["score"]] for e in entries])}
                rows.append({"run_id": run_id, "candidate_pk": pk, "checked_run_id": run_id,
                             "fingerprint": row["fingerprint"], "n_primary": row["n_primary"], "floor": row["floor"],
                             "known": row["known"], "ranking_json": row["ranking"], "entries_json": row["entries"]})
            # A home that no longer resolves: an empty pool, so no list computed around a
            # guessed home stays served; the empty fingerprint has it computed again next run.
            for pk, reason in failures.items():
                if pk in alive and reason.startswith(f"{REFUSED_PREFIX}home."):
                    rows.append({"run_id": run_id, "candidate_pk": pk, "checked_run_id": run_id, "fingerprint": "",
                                 "n_primary": 0, "floor": None, "known": "[]", "ranking_json": "[]",
                                 "entries_json": "[]"})
            if rows:
                tx.execute(insert(RematchResult.__table__).values(
                    run_id=bindparam("run_id"), candidate_pk=bindparam("candidate_pk"),
                    checked_run_id=bindparam("checked_run_id"), fingerprint=bindparam("fingerprint"),
                    n_primary=bindparam("n_primary"), floor=bindparam("floor"), window=self._json_param("known"),
                    ranking=self._json_param("ranking_json"), entries=self._json_param("entries_json"),
                    picks=None), rows)
            reused_rows = [meta[pk][2] for pk in result.reused if pk in alive and meta[pk][2] is not None]
            for start in range(0, len(reused_rows), CHUNK):
                tx.execute(update(RematchResult).where(RematchResult.id.in_(reused_rows[start:start + CHUNK]))
                           .values(checked_run_id=run_id))
            # Same picks, other known places: the served row stays, its known list moves on.
            # (Should this run die, checked_run_id no longer names the last committed run,
            # so the next run computes these candidates anew.)
            refreshed = [{"row_id": meta[r["pk"]][2], "checked": run_id, "floor_value": r["floor"],
                          "known": r["known"]}
                         for r in result.refreshed if r["pk"] in alive and meta[r["pk"]][2] is not None]
            if refreshed:
                results = RematchResult.__table__
                tx.execute(update(results).where(results.c.id == bindparam("row_id")).values(
                    checked_run_id=bindparam("checked"), floor=bindparam("floor_value"),
                    window=self._json_param("known")), refreshed)
            tx.add_all([RematchFailure(run_id=run_id, candidate_pk=pk, reason=reason[:2000])
                        for pk, reason in failures.items() if pk in alive])
            vectors = [{"candidate_pk": pk, "text_hash": meta[pk][1], "rows": n, "dim": dim, "data": data}
                       for pk, (n, dim, data) in result.embedded.items() if pk in alive]
            for start in range(0, len(vectors), CHUNK):
                chunk = vectors[start:start + CHUNK]
                tx.execute(delete(CandidateVectorRow).where(
                    CandidateVectorRow.candidate_pk.in_([v["candidate_pk"] for v in chunk])))
                tx.execute(insert(CandidateVectorRow), chunk)
            tx.add(RematchPartition(run_id=run_id, part=part, counts=counts, seconds=round(result.seconds, 3),
                                    finished_at=utcnow()))
            tx.execute(update(RematchRun).where(RematchRun.id == run_id).values(heartbeat_at=utcnow()))
        return counts

    # -- commit ------------------------------------------------------------------------

    def _commit(self, run: RematchRun, snapshot: batch.PlaceSnapshot, versions: dict[str, str],
                last: tuple[str, dict[str, str]] | None, summary: RunSummary) -> dict[int, dict]:
        """Allocation, served lists, digests and the run's status: one transaction."""
        last_versions = last[1] if last else None
        with self.db.write() as tx:
            mine = {r.candidate_pk: r for r in tx.execute(
                select(RematchResult.id, RematchResult.candidate_pk, RematchResult.ranking,
                       RematchResult.n_primary, RematchResult.picks)
                .where(RematchResult.run_id == run.id))}
            served_before = _latest_committed(tx.session, None, (
                RematchResult.id, RematchResult.candidate_pk, RematchResult.ranking, RematchResult.n_primary,
                RematchResult.picks))
            people = {r.pk: r for r in tx.execute(
                select(CandidateRow.pk, CandidateRow.id, CandidateRow.coach_id, CandidateRow.employer_id))}
            hidden: dict[int, set[str]] = {}
            for pk, pid in tx.execute(select(FeedbackRow.candidate_pk, FeedbackRow.placement_id).where(
                    FeedbackRow.undone_at.is_(None), FeedbackRow.code.in_(HIDING_CODES))):
                hidden.setdefault(pk, set()).add(pid)

            # Everyone's current pool: this run's, or the newest committed one.
            current = {pk: row for pk, row in served_before.items() if pk in people}
            current.update({pk: row for pk, row in mine.items() if pk in people})
            rankings, lengths = {}, {}
            own: dict[int, set[str]] = {}  # per candidate the places of their own employer (spoor 1)
            # By candidate, not by the order partitions came back in: the flow's ties are
            # broken by input order, and the executors finish partitions in different orders.
            for pk, row in sorted(current.items()):
                off = hidden.get(pk, set())
                employer = people[pk].employer_id
                ranking = [(pid, float(score)) for pid, score in row.ranking
                           if pid in snapshot.row_of and pid not in off]
                if employer:
                    own[pk] = {pid for pid, _ in ranking
                               if snapshot.features.employer[snapshot.row_of[pid]] == employer}
                    # A place of the candidate's own employer is theirs first: with the
                    # ranker's lead on its value, spreading scarce places never takes it from them.
                    ranking = [(pid, score + SPOOR_ONE_LEAD if pid in own[pk] else score) for pid, score in ranking]
                rankings[pk] = ranking
                lengths[pk] = min(row.n_primary, len(ranking))
            quota = {pid: quota_for(int(snapshot.positions[snapshot.row_of[pid]]), self.options.exposure_factor)
                     for pids in rankings.values() for pid, _ in pids}
            alloc = allocate(rankings, lengths, quota)
            # The summary's score totals are the coach's scores, without the lead.
            alloc.total_before -= SPOOR_ONE_LEAD * sum(len(own.get(pk, set()) & set(p)) for pk, p in alloc.before.items())
            alloc.total_after -= SPOOR_ONE_LEAD * sum(len(own.get(pk, set()) & set(p)) for pk, p in alloc.picks.items())
            summary.allocation = alloc.metrics()
            single = {pid for pid in quota if snapshot.positions[snapshot.row_of[pid]] <= 1}
            summary.allocation["max_exposure_one_position_before"] = max(
                (n for pid, n in alloc.exposures_before.items() if pid in single), default=0)
            summary.allocation["max_exposure_one_position_after"] = max(
                (n for pid, n in alloc.exposures_after.items() if pid in single), default=0)
            exposures = alloc.exposures_after

            # What each candidate is served now, and what changed for them.
            changed_pks = []
            fresh_picks = [{"id": mine[pk].id, "picks": picks} for pk, picks in alloc.picks.items() if pk in mine]
            for start in range(0, len(fresh_picks), 5000):
                # ORM bulk update by primary key: one executemany, not a round trip per row.
                tx.execute(update(RematchResult), fresh_picks[start:start + 5000])
            copy_rows = []
            for pk, picks in alloc.picks.items():
                before = served_before.get(pk)
                if pk in mine:
                    changed_pks.append(pk)
                elif before is not None and list(before.picks or []) != picks:
                    copy_rows.append(before.id)
                    changed_pks.append(pk)
            # Same pool, other picks (the allocation moved): the pool is copied into this
            # run inside the database, never through Python, then its picks are set.
            for start in range(0, len(copy_rows), CHUNK):
                src = select(literal(run.id), RematchResult.candidate_pk, literal(run.id), RematchResult.fingerprint,
                             RematchResult.n_primary, RematchResult.floor, RematchResult.window,
                             RematchResult.ranking, RematchResult.entries).where(
                    RematchResult.id.in_(copy_rows[start:start + CHUNK]))
                tx.execute(insert(RematchResult).from_select(
                    ["run_id", "candidate_pk", "checked_run_id", "fingerprint", "n_primary", "floor", "window",
                     "ranking", "entries"], src))
            copied = {pk for pk in changed_pks if pk not in mine}
            copied_picks = []
            for start in range(0, len(changed_pks), CHUNK):
                chunk = [pk for pk in changed_pks[start:start + CHUNK] if pk in copied]
                if not chunk:
                    continue
                for row_id, pk in tx.execute(select(RematchResult.id, RematchResult.candidate_pk).where(
                        RematchResult.run_id == run.id, RematchResult.candidate_pk.in_(chunk))):
                    copied_picks.append({"id": row_id, "picks": alloc.picks[pk]})
            for start in range(0, len(copied_picks), 5000):
                tx.execute(update(RematchResult), copied_picks[start:start + 5000])
            entries_now = self._entries(tx, run.id, changed_pks)
            entries_before = self._entries_by_row(tx, [served_before[pk].id for pk in changed_pks
                                                       if pk in served_before])
            digests = self._digests(tx, changed_pks, people, served_before, entries_before, alloc.picks,
                                    entries_now, rankings, hidden, snapshot, exposures, last_versions)
            # A home that no longer resolves is named in the digest: the candidate was
            # skipped (its record refused) and stays unmatched until the coach corrects it.
            for pk, reason in tx.execute(select(RematchFailure.candidate_pk, RematchFailure.reason).where(
                    RematchFailure.run_id == run.id, RematchFailure.reason.like(f"{REFUSED_PREFIX}home.%"))):
                if pk in people:  # the problem, not the places its emptied list lost
                    digests[pk] = CandidateDigest(people[pk].id, home_problem=reason[len(REFUSED_PREFIX):])
            by_coach: dict[int, list] = {}
            digest_rows = []
            for pk, d in digests.items():
                coach_id = people[pk].coach_id
                digest_rows.append({"run_id": run.id, "candidate_pk": pk, "coach_id": coach_id, "changes": d.to_json()})
                by_coach.setdefault(coach_id, []).append(d)
            # One executemany: as ORM objects, thousands of digests were flushed one by one.
            for start in range(0, len(digest_rows), 5000):
                tx.execute(insert(RematchDigest.__table__), digest_rows[start:start + 5000])
            summary.digest = {
                "coaches": len(by_coach), "candidates": len(digests),
                "new": sum(len(d.new) for d in digests.values()),
                "new_spoor1": sum(len(d.new_spoor1) for d in digests.values()),
                "dropped": sum(len(d.dropped) for d in digests.values()),
                "signals_changed": sum(len(d.signals_changed) for d in digests.values()),
                "home_problems": sum(bool(d.home_problem) for d in digests.values()),
            }
            exposure_map = {pid: [n, int(snapshot.positions[snapshot.row_of[pid]])] for pid, n in exposures.items()}
            # Written as JSON text made here (orjson): a version per open place, and the
            # ORM's json.dumps of them took seconds.
            tx.execute(insert(RematchRunData.__table__).values(
                run_id=bindparam("run_id"), versions=self._json_param("versions_json"),
                exposures=self._json_param("exposures_json")),
                {"run_id": run.id, "versions_json": _json(versions), "exposures_json": _json(exposure_map)})
            r = tx.get(RematchRun, run.id)
            r.status = "committed"
            r.committed_at = utcnow()
            r.heartbeat_at = r.committed_at
            r.counts = {"candidates": summary.candidates, "computed": summary.computed, "merged": summary.merged,
                        "reused": summary.reused,
                        "skipped": summary.skipped, "embedded_candidates": summary.embedded_candidates,
                        "places": summary.places}
            r.summary = {"allocation": summary.allocation, "digest": summary.digest, "resumed": summary.resumed}
            committed_at = r.committed_at
            coaches = {u.id: u.name for u in tx.execute(select(User.id, User.name)
                                                        .where(User.id.in_(list(by_coach) or [-1])))}
        self._committed_at = committed_at
        return {coach_id: coach_digest(run.id, committed_at.isoformat(),
                                       {"id": coach_id, "name": coaches.get(coach_id, "")}, ds)
                for coach_id, ds in by_coach.items()}

    @staticmethod
    def _entries(tx, run_id: str, pks: Sequence[int]) -> dict[int, list]:
        out = {}
        for start in range(0, len(pks), CHUNK):
            for pk, entries in tx.execute(select(RematchResult.candidate_pk, RematchResult.entries).where(
                    RematchResult.run_id == run_id, RematchResult.candidate_pk.in_(pks[start:start + CHUNK]))):
                out[pk] = entries
        return out

    @staticmethod
    def _entries_by_row(tx, row_ids: Sequence[int]) -> dict[int, list]:
        out = {}
        for start in range(0, len(row_ids), CHUNK):
            for pk, entries in tx.execute(select(RematchResult.candidate_pk, RematchResult.entries).where(
                    RematchResult.id.in_(row_ids[start:start + CHUNK]))):
                out[pk] = entries
        return out

    def _digests(self, tx, pks, people, served_before, entries_before, picks, entries_now, rankings, hidden,
                 snapshot, exposures, last_versions) -> dict[int, Any]:
        def served(entries: list, chosen: Sequence[str], with_contention: bool) -> list[Served]:
            by_id = {e["placement_id"]: e for e in entries}
            out = []
            for rank, pid in enumerate(chosen, start=1):
                e = by_id.get(pid)
                if e is None:
                    continue
                text = ""
                if with_contention and pid in snapshot.row_of:
                    text = contention_text(exposures.get(pid, 1) - 1, int(snapshot.positions[snapshot.row_of[pid]]))
                out.append(Served(pid, rank, e["score"], {i["item"]: i["reason"] for i in e.get("items", [])}, text,
                                  spoor=int(e.get("spoor", 2))))
            return out

        lists = {}
        dropped_ids: set[str] = set()
        for pk in pks:
            before = served_before.get(pk)
            prev = served(entries_before.get(pk, []), before.picks or [], False) if before is not None else None
            now = served(entries_now.get(pk, []), picks.get(pk, []), True)
            lists[pk] = (prev, now)
            if prev:
                dropped_ids.update(s.placement_id for s in prev if s.placement_id not in {n.placement_id for n in now})
        # Places that left the snapshot: their status now, from the database.
        outside = sorted(pid for pid in dropped_ids if pid not in snapshot.row_of)
        status: dict[str, tuple[str, dict]] = {}
        for start in range(0, len(outside), CHUNK):
            for pid, st, body in tx.execute(select(PlacementRow.id, PlacementRow.status, PlacementRow.body)
                                            .where(PlacementRow.id.in_(outside[start:start + CHUNK]))):
                status[pid] = (st, body)

        known_facts: dict[str, PlaceFacts] = {}

        def facts(pid: str) -> PlaceFacts:
            # Neighbours share their places: each place's facts are read once.
            if pid not in known_facts:
                known_facts[pid] = place_facts(pid)
            return known_facts[pid]

        def place_facts(pid: str) -> PlaceFacts:
            if pid in snapshot.row_of:
                body = load_json(snapshot.bodies[snapshot.row_of[pid]])
                return PlaceFacts(title=body.get("title", ""), kind=body.get("kind", ""), status="open",
                                  positions=int(body.get("positions", 1)),
                                  is_new=last_versions is not None and pid not in last_versions,
                                  employer_id=body.get("employer_id", ""))
            if pid in status:
                st, body = status[pid]
                return PlaceFacts(title=body.get("title", ""), kind=body.get("kind", ""), status=st,
                                  positions=int(body.get("positions", 1)), employer_id=body.get("employer_id", ""))
            return PlaceFacts(status="gone")

        # Per candidate the places they lost that are still open: did their belastbaarheid rule them out?
        dropped_open: dict[int, list[int]] = {}
        for pk, (prev, now) in lists.items():
            now_ids = {s.placement_id for s in now}
            rows = [snapshot.row_of[s.placement_id] for s in prev or () if s.placement_id not in now_ids
                    and s.placement_id in snapshot.row_of and snapshot.positions[snapshot.row_of[s.placement_id]] > 0]
            if rows:
                dropped_open[pk] = rows
        bodies = {}
        asked = list(dropped_open)
        for start in range(0, len(asked), CHUNK):  # read in chunks, not a query per candidate
            bodies.update(tx.execute(select(CandidateRow.pk, CandidateRow.body)
                                     .where(CandidateRow.pk.in_(asked[start:start + CHUNK]))).all())

        out = {}
        for pk, (prev, now) in lists.items():
            exceeded = {}
            if pk in dropped_open and pk in bodies:
                try:
                    candidate = Candidate.model_validate(bodies[pk], context=STORED_IDS)
                except ValidationError:
                    candidate = None
                if candidate is not None:
                    exceeded = self._exceeded(candidate, snapshot, dropped_open[pk])
            pids = {s.placement_id for s in now} | {s.placement_id for s in prev or ()}
            d = diff_candidate(people[pk].id, prev, now, {pid: facts(pid) for pid in pids}, exceeded,
                               in_pool={pid for pid, _ in rankings.get(pk, [])}, hidden=hidden.get(pk, set()),
                               own_employer=people[pk].employer_id)
            if not d.empty:
                out[pk] = d
        return out

    def _exceeded(self, candidate: Candidate, snapshot: batch.PlaceSnapshot, rows: list[int]) -> dict[str, list[str]]:
        """Per open place (snapshot rows): the items of the candidate's belastbaarheid it exceeds."""
        profile = Profile.from_candidate(candidate, self.columns, self.settings)
        ev = evaluate(snapshot.table.take(np.asarray(rows, dtype=np.int64)), profile, self.settings)
        return {str(snapshot.ids[row]): [it.item for it in explain_row(
                    ev, i, candidate, snapshot.placement_for_text(row), profile.max_travel_km, only=(EXCEED,))]
                for i, row in enumerate(rows)}

    # -- after the commit --------------------------------------------------------------

    def _write_files(self, run_id: str, digests: dict[int, dict]) -> list[Path]:
        written = []
        directory = digest_dir(self.settings.state_dir) / run_id
        for coach_id, digest in digests.items():
            try:
                written.extend(write_digest_files(directory, f"coach-{coach_id}", digest))
            except OSError:
                log.warning("rematch: could not write the digest files of coach %s", coach_id, exc_info=True)
        return written

    def _cleanup(self, run_id: str) -> None:
        """Rows and files nobody will read again. Best effort: a failure here loses nothing."""
        try:
            keep_after = utcnow() - timedelta(days=self.settings.digest_retention_days)
            with self.db.write() as tx:
                newest = _latest_committed(tx.session, None, (RematchResult.id,))
                keep = {row.id for row in newest.values()}
                committed = tx.execute(select(RematchRun.id).where(RematchRun.status == "committed")).scalars().all()
                stale = [rid for rid, in tx.execute(select(RematchResult.id).where(
                    RematchResult.run_id.in_(committed or ["-"]))) if rid not in keep]
                for start in range(0, len(stale), CHUNK):
                    tx.execute(delete(RematchResult).where(RematchResult.id.in_(stale[start:start + CHUNK])))
                # Only the newest committed run's place versions are ever diffed against.
                tx.execute(update(RematchRunData).where(RematchRunData.run_id != run_id)
                           .values(versions={}))
                old_runs = tx.execute(select(RematchRun.id).where(
                    RematchRun.id != run_id,
                    RematchRun.started_at < keep_after,
                    ~RematchRun.id.in_(select(RematchResult.run_id).distinct()))).scalars().all()
                for rid in old_runs:
                    for table in (RematchDigest, RematchFailure, RematchPartition, RematchRunData):
                        tx.execute(delete(table).where(table.run_id == rid))
                    tx.execute(delete(RematchRun).where(RematchRun.id == rid))
            root = digest_dir(self.settings.state_dir)
            if root.exists():
                for sub in root.iterdir():
                    if sub.is_dir() and sub.name in set(old_runs):
                        for f in sub.iterdir():
                            f.unlink()
                        sub.rmdir()
        except Exception:
            log.warning("rematch: cleanup after run %s failed; it is retried after the next run", run_id,
                        exc_info=True)
