"""API load: suggestion requests over loopback against 100,000 places.

Fills a fresh database with generated places, starts the service (uvicorn, one
process, as `spoormatch serve` runs it) and sends GET /v1/candidates/{id}/suggestions:
first one at a time (latency), then from several clients at once (throughput).
Prints throughput, p50/p95 latency, and the ratio of the API's p50 to the
library call alone (Matcher.suggest on the same matcher, same candidates, same
run), so the figure survives a noisy machine: the ratio is the service's
overhead (HTTP, token check, database reads, the dossier write).

Run: .venv/bin/python benchmarks/api_load.py [--placements 100000] [--requests 300]
     [--clients 4] [--database-url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx
import numpy as np
import uvicorn
from sqlalchemy import insert

from matching.demo import generate_candidates, generate_placements
from matching.contract.models import Candidate, Placement
from matching.settings import get_settings
from service import store
from service.app import create_app
from service.db import Database
from service.schemas import CandidateBody, UserIn
from service.tables import CandidateRow, Organisation, PlacementRow, utcnow


def fill(db: Database, n_placements: int, n_candidates: int) -> tuple[str, list[Candidate]]:
    started = time.perf_counter()
    orgs: set[str] = set()
    rows = []
    now = utcnow()
    for p in generate_placements(n_placements, seed=11):
        orgs.add(p["employer_id"])
        place = Placement.model_validate(p)
        rows.append({"id": place.id, "organisation_id": place.employer_id, "body": store.placement_json(place),
                     "kind": place.kind, "status": place.status, "created_at": now, "updated_at": now,
                     "closed_at": None if place.status == "open" else now})
    candidates = [Candidate.model_validate(c) for c in generate_candidates(n_candidates, seed=11)]
    with db.write() as tx:
        tx.execute(insert(Organisation), [{"id": o, "name": o, "created_at": now} for o in sorted(orgs)])
        for k in range(0, len(rows), 5000):
            tx.execute(insert(PlacementRow), rows[k:k + 5000])
        coach, _, token = store.create_user_row(tx.session, UserIn(name="Coach Benchmark", role="coach"), 0)
        for c in candidates:
            body = CandidateBody.model_validate(c.model_dump(mode="json", exclude_none=True))
            tx.add(CandidateRow(id=c.id, coach_id=coach.id, body=body.contract_dict(), created_at=now,
                                updated_at=now))
    print(f"database filled: {n_placements} places, {n_candidates} candidates in "
          f"{time.perf_counter() - started:.1f} s")
    return token, candidates


def serve(app) -> tuple[uvicorn.Server, str]:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", access_log=False))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.01)
    return server, f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"


def percentiles(ms: list[float]) -> tuple[float, float]:
    a = np.array(ms)
    return float(np.percentile(a, 50)), float(np.percentile(a, 95))


def run_clients(base: str, token: str, ids: list[str], total: int, clients: int, top: int) -> tuple[list[float], float]:
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(total))

    def client_loop() -> None:
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=120) as client:
            for i in counter:
                t = time.perf_counter()
                r = client.get(f"/v1/candidates/{ids[i % len(ids)]}/suggestions", params={"top": top})
                took = (time.perf_counter() - t) * 1000
                if r.status_code != 200:
                    raise RuntimeError(f"{r.status_code}: {r.text[:200]}")
                with lock:
                    latencies.append(took)

    threads = [threading.Thread(target=client_loop) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--placements", type=int, default=100_000)
    ap.add_argument("--candidates", type=int, default=20)
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--database-url", default="", help="default: a fresh SQLite file in a temporary folder")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="spoormatch-bench-"))
    settings = get_settings().with_overrides(database_url=args.database_url or f"sqlite:///{tmp / 'bench.db'}")
    db = Database(settings.database_url)
    db.migrate()
    token, candidates = fill(db, args.placements, args.candidates)
    db.dispose()

    started = time.perf_counter()
    app = create_app(settings, migrate=False)
    engine = app.state.ctx.engine
    print(f"service started ({len(engine)} open places indexed, encoder {settings.encoder}) in "
          f"{time.perf_counter() - started:.1f} s")
    server, base = serve(app)
    ids = [c.id for c in candidates]
    run_clients(base, token, ids, 2 * len(ids), 1, args.top)  # warm-up: caches, connections

    # The library alone: the same candidates against the same matcher.
    lib_ms = []
    for i in range(args.requests):
        t = time.perf_counter()
        engine.matcher.suggest(candidates[i % len(candidates)], top=args.top)
        lib_ms.append((time.perf_counter() - t) * 1000)
    lib_p50, lib_p95 = percentiles(lib_ms)

    seq_ms, seq_wall = run_clients(base, token, ids, args.requests, 1, args.top)
    seq_p50, seq_p95 = percentiles(seq_ms)
    par_ms, par_wall = run_clients(base, token, ids, args.requests, args.clients, args.top)
    par_p50, par_p95 = percentiles(par_ms)
    server.should_exit = True

    print(f"\n{args.requests} requests per phase, top={args.top}, {len(engine)} places, "
          f"database {db.backend}")
    print(f"library Matcher.suggest alone     p50 {lib_p50:7.1f} ms  p95 {lib_p95:7.1f} ms")
    print(f"API, 1 client                     p50 {seq_p50:7.1f} ms  p95 {seq_p95:7.1f} ms  "
          f"throughput {args.requests / seq_wall:6.1f} req/s")
    print(f"API, {args.clients} clients                    p50 {par_p50:7.1f} ms  p95 {par_p95:7.1f} ms  "
          f"throughput {args.requests / par_wall:6.1f} req/s")
    print(f"ratio API p50 (1 client) / library p50: {seq_p50 / lib_p50:.2f}")
    print(f"(mean library call {statistics.fmean(lib_ms):.1f} ms)")


if __name__ == "__main__":
    main()
