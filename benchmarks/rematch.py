"""The nightly rematch at national scale: 20,000 candidates against 200,000 places.

Data comes from `spoormatch generate` and goes into a fresh SQLite database
(the service's own schema) under a work folder. Then, in one process:

1. a first run on an empty state folder (every place and candidate text is
   embedded, the index built): wall time, peak memory;
2. the baseline: a bare FAISS exact top-10 search (IndexFlatIP, all cores) of the
   same candidate vectors against the same place vectors;
3. 1% of the places change (a third closed, a third edited, a third new), then a
   second run: wall time as a ratio to the first;
4. with --verify, a third run that computes every candidate anew (--full) from
   the vectors stored in runs 1 and 2: how many candidates' pools the
   incremental second run got exactly right, and the matching alone as a ratio
   to the FAISS baseline (run 1's candidate phase also embeds 20,000 candidate
   profiles and their experiences, which the baseline is handed ready).

--executor dask runs the partitions and the place embedding on a Dask
LocalCluster of --workers single-threaded workers (the executor the operator
sets with SPOORMATCH_REMATCH_EXECUTOR), --executor local (the default) on a
pool of forked processes. The encoder's own batch speed is measured in this
process first, in the same run: the first night's place embedding, spread over
the workers, is reported against it.

Peak memory is the largest sum, over the run's process and its workers, of the
proportional set size (PSS: shared pages counted once), sampled every 0.5 s.

The text encoder is the configured default (tfidf + the static Dutch encoder)
unless --encoder says otherwise; `--encoder classic` (tfidf + USE) embeds
200,000 texts far too slowly on 2 cores for a nightly first run (~300/s).

Run:  .venv/bin/python benchmarks/rematch.py --verify                   # 20,000 x 200,000, ~20 min on 2 cores
      .venv/bin/python benchmarks/rematch.py --verify --executor dask
      .venv/bin/python benchmarks/rematch.py --quick    # 2,000 x 20,000, ~2 min
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import insert, select, update

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from matching.settings import get_settings  # noqa: E402


class PeakMemory:
    """Largest PSS sum of this process and its descendants while it runs."""

    def __init__(self, interval: float = 0.5):
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    @staticmethod
    def _pss(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def _family(self) -> list[int]:
        me = os.getpid()
        parents = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as fh:
                        parents[int(entry)] = int(fh.read().rsplit(")", 1)[1].split()[1])
                except OSError:
                    continue
        family, frontier = {me}, [me]
        while frontier:
            pid = frontier.pop()
            for child, parent in parents.items():
                if parent == pid and child not in family:
                    family.add(child)
                    frontier.append(child)
        return list(family)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, sum(self._pss(pid) for pid in self._family()))
            self._stop.wait(self.interval)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def gib(n: int) -> str:
    return f"{n / 2**30:.2f} GiB"


def load_database(db, work: Path, n_places: int, n_candidates: int) -> None:
    from service import cli
    from service.tables import CandidateRow, Organisation, PlacementRow, User, utcnow

    data = work / "generated"
    if not (data / "placements.jsonl").exists():
        t = time.perf_counter()
        cli.main(["generate", "--placements", str(n_places), "--candidates", str(n_candidates), "--seed", "11",
                  "--no-stories", "--out-dir", str(data)])
        print(f"generated with `spoormatch generate` in {time.perf_counter() - t:.0f} s")
    now = utcnow()
    t = time.perf_counter()
    with db.write() as tx:
        places = [json.loads(line) for line in open(data / "placements.jsonl", encoding="utf-8")]
        orgs = sorted({p["employer_id"] for p in places})
        tx.execute(insert(Organisation), [{"id": o, "name": f"Werkgever {o}", "created_at": now} for o in orgs])
        coaches = []
        for i in range(max(1, n_candidates // 40)):  # a coach has about forty candidates
            u = User(name=f"Coach {i}", role="coach", active=True, created_at=now)
            tx.add(u)
            coaches.append(u)
        tx.flush()
        for start in range(0, len(places), 5000):
            tx.execute(insert(PlacementRow), [
                {"id": p["id"], "organisation_id": p["employer_id"], "body": p, "kind": p["kind"],
                 "status": p.get("status", "open"), "created_at": now, "updated_at": now}
                for p in places[start:start + 5000]])
        cands = [json.loads(line) for line in open(data / "candidates.jsonl", encoding="utf-8")]
        for start in range(0, len(cands), 5000):
            tx.execute(insert(CandidateRow), [
                {"id": c["id"], "coach_id": coaches[(start + k) % len(coaches)].id, "body": c,
                 "created_at": now, "updated_at": now} for k, c in enumerate(cands[start:start + 5000])])
    print(f"loaded {len(places):,} places and {len(cands):,} candidates into the database in "
          f"{time.perf_counter() - t:.0f} s")


def change_places(db, share: float, seed: int = 5) -> dict[str, int]:
    """Close a third, edit a third, add a third (as new places) of ``share`` of the open places."""
    from matching.demo import generate_placements
    from service.tables import PlacementRow, utcnow

    rng = np.random.default_rng(seed)
    with db.read() as s:
        ids = s.execute(select(PlacementRow.id).where(PlacementRow.status == "open")).scalars().all()
    n = max(3, int(len(ids) * share))
    chosen = rng.choice(len(ids), size=2 * n // 3, replace=False)
    close = [ids[i] for i in chosen[: n // 3]]
    edit = [ids[i] for i in chosen[n // 3:]]
    now = utcnow()
    with db.write() as tx:
        for pid in close:
            tx.execute(update(PlacementRow).where(PlacementRow.id == pid)
                       .values(status="closed", closed_at=now, updated_at=now))
        for pid in edit:
            row = tx.get(PlacementRow, pid)
            body = dict(row.body)
            body["description"] = body.get("description", "") + " Nieuw: ook thuiswerken mogelijk."
            body["positions"] = max(1, int(body.get("positions", 1)) - 1)
            row.body = body
            row.updated_at = now
        fresh = list(generate_placements(n - len(close) - len(edit), seed=seed + 1000))
        for k, p in enumerate(fresh):
            p["id"] = f"p-new{seed}-{k}"
        orgs = {o for o in tx.execute(select(PlacementRow.organisation_id).distinct()).scalars()}
        tx.execute(insert(PlacementRow), [
            {"id": p["id"], "organisation_id": p["employer_id"] if p["employer_id"] in orgs else next(iter(orgs)),
             "body": {**p, "employer_id": p["employer_id"] if p["employer_id"] in orgs else next(iter(orgs))},
             "kind": p["kind"], "status": "open", "created_at": now, "updated_at": now} for p in fresh])
    return {"closed": len(close), "edited": len(edit), "added": len(fresh)}


def faiss_baseline(settings, encoder, top: int) -> tuple[float, int]:
    """Bare exact top-k of the run's own candidate vectors against its place vectors."""
    import faiss

    from matching.index import load_index
    from service.db import Database
    from service.tables import CandidateVectorRow

    index = load_index(settings.state_dir / "rematch" / "index")
    vectors = index.vectors(index.ids)
    del index
    db = Database(settings.database_url)
    with db.read() as s:
        rows = s.execute(select(CandidateVectorRow.rows, CandidateVectorRow.dim, CandidateVectorRow.data)).all()
    db.dispose()
    queries = np.stack([np.frombuffer(d, np.float32).reshape(n, dim)[0] for n, dim, d in rows])
    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(vectors)
    faiss.omp_set_num_threads(os.cpu_count() or 1)
    t = time.perf_counter()
    flat.search(queries, top)
    return time.perf_counter() - t, len(queries)


def encoder_speed(encoder, work: Path, n: int = 4000) -> tuple[float, int]:
    """Texts per second of one ``encode`` call on place texts, in this process, after a warm-up."""
    from matching.contract.models import Placement
    from matching.ranking import placement_text

    texts = []
    with open(work / "generated" / "placements.jsonl", encoding="utf-8") as fh:
        for line in fh:
            # Other places than the run embeds first would be fine too: the cache is keyed by model.
            texts.append(placement_text(Placement.model_validate_json(line)) + " (ijkpunt)")
            if len(texts) == n + 200:
                break
    encoder.encode(texts[:200])
    t = time.perf_counter()
    encoder.encode(texts[200:])
    return n / (time.perf_counter() - t), n


def served_pools(db) -> dict[int, list]:
    """Every candidate's pool (ranked place ids and scores) as served now."""
    from service.rematch import _latest_committed
    from service.tables import RematchResult

    with db.read() as session:
        return {pk: [tuple(pair) for pair in row.ranking]
                for pk, row in _latest_committed(session, None, (RematchResult.ranking,)).items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--candidates", type=int, default=20_000)
    ap.add_argument("--places", type=int, default=200_000)
    ap.add_argument("--quick", action="store_true", help="2,000 candidates x 20,000 places")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--change", type=float, default=0.01, help="share of places changed before run 2")
    ap.add_argument("--work-dir", default=str(REPO / "var" / "bench-rematch"))
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--verify", action="store_true",
                    help="after run 2, a full run 3: how many incremental pools equal a full recompute")
    ap.add_argument("--executor", choices=["local", "dask"], default="local",
                    help="where the work runs: forked processes, or a Dask LocalCluster of --workers workers")
    ap.add_argument("--encoder", default="default",
                    help="text encoder (default: the configured default, tfidf + static)")
    args = ap.parse_args()
    if args.quick:
        args.candidates, args.places = 2_000, 20_000
    work = Path(args.work_dir) / f"{args.candidates}x{args.places}"
    work.mkdir(parents=True, exist_ok=True)
    for stale in ("state", "bench.db", "bench.db-wal", "bench.db-shm"):
        path = work / stale
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()

    from matching.text import get_encoder
    from service.db import Database
    from service.rematch import RematchOptions, run_rematch

    base = get_settings()
    settings = base.with_overrides(database_url=f"sqlite:///{work / 'bench.db'}", state_dir=work / "state",
                                   rematch_lock_stale_minutes=int(timedelta(hours=6).total_seconds() // 60))
    db = Database(settings.database_url)
    db.migrate()
    load_database(db, work, args.places, args.candidates)
    encoder = get_encoder(args.encoder, settings.model_path)
    print(f"encoder: {encoder.model_id} (dim {encoder.dim}); workers: {args.workers}")
    own_speed, n_probe = encoder_speed(encoder, work)
    print(f"encoder batch speed in this process: {own_speed:,.0f} texts/s ({n_probe:,} place texts)")
    options = RematchOptions.from_settings(settings, top=args.top, workers=args.workers, progress=sys.stderr.isatty(),
                                           executor=args.executor)

    with PeakMemory() as mem1:
        t = time.perf_counter()
        first = run_rematch(db, settings, encoder, options)
        wall1 = time.perf_counter() - t
    print(first.format())
    bare, n_queries = faiss_baseline(settings, encoder, args.top)
    changes = change_places(db, args.change)
    with PeakMemory() as mem2:
        t = time.perf_counter()
        second = run_rematch(db, settings, encoder, options)
        wall2 = time.perf_counter() - t
    print(second.format())
    verified = third = None
    if args.verify:
        incremental = served_pools(db)
        third = run_rematch(db, settings, encoder, RematchOptions.from_settings(
            settings, top=args.top, workers=args.workers, full=True, executor=args.executor))
        print(third.format())
        full = served_pools(db)
        same = sum(1 for pk, pool in full.items() if incremental.get(pk) == pool)
        verified = (same, len(full))
    db.dispose()

    matching1 = first.timings.get("candidates", 0.0)
    a1, a2 = first.allocation, second.allocation
    print("\n== figures ==")
    print(f"candidates x places:            {args.candidates:,} x {args.places:,}; executor {args.executor}, "
          f"{args.workers} workers")
    print(f"run 1 wall time:                {wall1:.1f} s (places {first.timings.get('places', 0):.1f} s incl. "
          f"embedding {first.places.get('embedded', 0):,} texts; candidates {matching1:.1f} s; commit "
          f"{first.timings.get('commit', 0):.1f} s)")
    embedded, embed_s = first.places.get("embedded", 0), first.places.get("embed_seconds", 0.0)
    if embedded and embed_s:
        print(f"run 1 place embedding:          {embedded:,} texts in {embed_s:.1f} s = {embedded / embed_s:,.0f} texts/s, "
              f"{embedded / embed_s / own_speed:.2f}x the encoder's batch speed in one process ({own_speed:,.0f}/s)")
    print(f"run 1 peak memory (PSS):        {gib(mem1.peak)}")
    print(f"bare FAISS exact top-{args.top}:        {bare:.1f} s for {n_queries:,} queries")
    print(f"ratio, candidate phase / FAISS: {matching1 / bare:.2f}x   (whole run 1 / FAISS: {wall1 / bare:.2f}x)")
    print(f"places changed before run 2:    {changes}")
    print(f"run 2 wall time:                {wall2:.1f} s ({second.computed:,} candidates recomputed, "
          f"{second.merged:,} merged, {second.reused:,} unchanged); peak memory {gib(mem2.peak)}")
    print("run 2 phases:                   " + ", ".join(f"{k} {v:.1f} s" for k, v in second.timings.items()))
    print(f"ratio, run 2 / run 1:           {100 * wall2 / wall1:.1f}%")
    if verified is not None:
        print(f"run 2 pools equal to a full recompute: {verified[0]:,} of {verified[1]:,}")
        matching3 = third.timings.get("candidates", 0.0)
        print(f"run 3 (all {third.computed:,} computed from stored vectors): candidate phase {matching3:.1f} s, "
              f"ratio to FAISS {matching3 / bare:.2f}x; whole run {third.timings.get('total', 0):.1f} s")
    print(f"allocation, run 1:              most lists per place {a1['max_exposure_before']} -> "
          f"{a1['max_exposure_after']} (one-position places {a1['max_exposure_one_position_before']} -> "
          f"{a1['max_exposure_one_position_after']}), total score {a1['total_score_before']} -> {a1['total_score_after']} "
          f"(-{a1['total_score_drop_pct']}%), {a1['lists_changed']:,} lists changed, {a1['seconds']} s")
    print(f"allocation, run 2:              most lists per place {a2['max_exposure_before']} -> "
          f"{a2['max_exposure_after']} (one-position places {a2['max_exposure_one_position_before']} -> "
          f"{a2['max_exposure_one_position_after']}), total score {a2['total_score_before']} -> {a2['total_score_after']} "
          f"(-{a2['total_score_drop_pct']}%)")


if __name__ == "__main__":
    main()
