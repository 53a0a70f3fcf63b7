"""Concurrent writes against a real server: employers post, change and close places
while coaches ask for suggestions.

No write is lost (the database and the matcher end in the same state, every
write accounted for), and no suggestion request that starts after a close has
returned ever contains that place.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager

import httpx
import uvicorn
from sqlalchemy import select

from service.tables import PlacementRow
from tests.service.conftest import candidate_json, placement_json

PLACES_PER_EMPLOYER = 24
COACH_THREADS = 3


@contextmanager
def serving(app):
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def test_concurrent_posts_closes_and_suggestions(world):
    h = world.h
    for who in ("coach", "coach2"):
        for i in range(2):
            r = world.client.post("/v1/candidates", json=candidate_json(id=f"c-{i}", wishes={}), headers=h(who))
            assert r.status_code == 201

    closed_returned: dict[str, float] = {}
    posted: set[str] = set()
    failures: list[str] = []
    served: list[tuple[float, list[str]]] = []
    done = threading.Event()
    lock = threading.Lock()

    with serving(world.app) as base:
        def employer(who: str, org: str) -> None:
            with httpx.Client(base_url=base, headers=h(who), timeout=60) as client:
                for i in range(PLACES_PER_EMPLOYER):
                    pid = f"p-{org}-{i:02d}"
                    r = client.post("/v1/placements", json=placement_json(id=pid, employer_id=org))
                    if r.status_code != 201:
                        failures.append(f"post {pid}: {r.status_code} {r.text}")
                        continue
                    with lock:
                        posted.add(pid)
                    r = client.patch(f"/v1/placements/{pid}", json={"positions": 2})
                    if r.status_code != 200:
                        failures.append(f"patch {pid}: {r.status_code} {r.text}")
                    if i % 2 == 0:
                        r = client.post(f"/v1/placements/{pid}/close")
                        if r.status_code != 200:
                            failures.append(f"close {pid}: {r.status_code} {r.text}")
                            continue
                        with lock:
                            closed_returned[pid] = time.monotonic()

        def coach(who: str) -> None:
            with httpx.Client(base_url=base, headers=h(who), timeout=60) as client:
                n = 0
                while not done.is_set():
                    started = time.monotonic()
                    r = client.get(f"/v1/candidates/c-{n % 2}/suggestions", params={"top": 100})
                    n += 1
                    if r.status_code != 200:
                        failures.append(f"suggest: {r.status_code} {r.text}")
                        continue
                    with lock:
                        served.append((started, [s["placement_id"] for s in r.json()["suggestions"]]))

        coaches = [threading.Thread(target=coach, args=(("coach", "coach2")[k % 2],)) for k in range(COACH_THREADS)]
        employers = [threading.Thread(target=employer, args=a) for a in (("employer", "e-1"), ("employer2", "e-2"))]
        for t in coaches + employers:
            t.start()
        for t in employers:
            t.join(120)
        done.set()
        for t in coaches:
            t.join(60)

    assert failures == []
    assert len(served) > 10
    # Never a place whose close had returned before the request started.
    for started, ids in served:
        for pid in ids:
            if pid in closed_returned:
                assert closed_returned[pid] > started, f"{pid} suggested after its close returned"
    # No write lost: every post, patch and close is in the database, and the matcher agrees.
    expected_open = {f"p-{org}-{i:02d}" for org in ("e-1", "e-2") for i in range(PLACES_PER_EMPLOYER) if i % 2}
    with world.db.read() as s:
        rows = s.execute(select(PlacementRow)).scalars().all()
        status = {r.id: r.status for r in rows}
        positions = {r.id: r.body["positions"] for r in rows}
    assert len(posted) == 2 * PLACES_PER_EMPLOYER == len(status)
    assert {pid for pid, st in status.items() if st == "open"} == expected_open
    assert set(positions.values()) == {2}
    indexed = {p.id: p for p in world.engine.matcher.placements}
    assert set(indexed) == expected_open
    assert {p.positions for p in indexed.values()} == {2}
    # A suggestion after everything settled contains every open place and nothing else.
    final = world.client.get("/v1/candidates/c-0/suggestions?top=100", headers=h("coach")).json()
    assert {s["placement_id"] for s in final["suggestions"]} == expected_open


def test_racing_update_and_close_end_closed(world):
    """An update and a close of the same place race; whatever the order, matcher == database."""
    e = world.h("employer")
    ids = [f"p-{i}" for i in range(12)]
    for pid in ids:
        assert world.client.post("/v1/placements", json=placement_json(id=pid), headers=e).status_code == 201
    with serving(world.app) as base:
        barrier = threading.Barrier(2)
        results: list[int] = []

        def closer() -> None:
            with httpx.Client(base_url=base, headers=e, timeout=60) as client:
                barrier.wait()
                for pid in ids:
                    results.append(client.post(f"/v1/placements/{pid}/close").status_code)

        def updater() -> None:
            with httpx.Client(base_url=base, headers=e, timeout=60) as client:
                barrier.wait()
                for pid in ids:
                    results.append(client.patch(f"/v1/placements/{pid}", json={"positions": 3}).status_code)

        threads = [threading.Thread(target=closer), threading.Thread(target=updater)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert set(results) == {200}
    with world.db.read() as s:
        db_open = {r.id for r in s.execute(select(PlacementRow)).scalars() if r.status == "open"}
    # PATCH keeps the stored status: a close that committed first is not undone by the update.
    assert db_open == set()
    assert {p.id for p in world.engine.matcher.placements} == db_open
