"""The nightly rematch against the service's database (SQLite, and PostgreSQL when set).

Scenarios are scripted through the API: places added, closed, a candidate's
belastbaarheid tightened; a run killed half-way; two runs at once; a broken
candidate record; scarce places; the digest endpoint and its refusals.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta

import pytest
from sqlalchemy import func, select

import matching.batch as batch
from service import cli
from service.rematch import RematchBusy, RematchOptions, RunLock, _latest_committed, run_rematch
from service.tables import (
    CandidateRow,
    RematchFailure,
    RematchLock,
    RematchPartition,
    RematchResult,
    RematchRun,
    utcnow,
)
from tests.conftest import HashingEncoder
from tests.service.conftest import candidate_json, placement_json

OPTIONS = dict(top=3, reserve=2, exposure_factor=10.0, partition_size=1, workers=1)


def rematch(world, settings, **overrides):
    return run_rematch(world.db, settings, HashingEncoder(), RematchOptions(**{**OPTIONS, **overrides}))


def post_place(world, **fields):
    r = world.client.post("/v1/placements", json=placement_json(**fields), headers=world.h("employer"))
    assert r.status_code == 201, r.text


def post_candidate(world, who="coach", **fields):
    r = world.client.post("/v1/candidates", json=candidate_json(**fields), headers=world.h(who))
    assert r.status_code == 201, r.text


def nightly(world, cid, who="coach"):
    r = world.client.get(f"/v1/candidates/{cid}/nightly", headers=world.h(who))
    assert r.status_code == 200, r.text
    return r.json()


def latest_pools(world):
    """Every candidate's newest committed pool: what an incremental and a full run must agree on."""
    with world.db.read() as s:
        return {pk: (row.ranking, row.entries, row.window, row.floor) for pk, row in _latest_committed(
            s, None, (RematchResult.ranking, RematchResult.entries, RematchResult.window,
                      RematchResult.floor)).items()}


def ids(listing):
    return [s["placement_id"] for s in listing["suggestions"]]


def base_places(world):
    post_place(world, id="p-rec", title="Receptiemedewerker vakantiepark")
    post_place(world, id="p-gast", title="Gastvrouw hotel", description="Gasten ontvangen en rondleiden.")
    post_place(world, id="p-lift", title="Gastvrouw vakantiepark", demands={"IV.13": 1},
               description="Gasten ontvangen en dozen tillen.")
    post_place(world, id="p-kassa", title="Kassamedewerker", description="Afrekenen met klanten.")
    post_place(world, id="p-tel", title="Telefonist", description="De telefoon aannemen.")
    post_place(world, id="p-far", title="Gastvrouw", location={"postcode": "9711"})  # Groningen: out of reach


def test_digest_lists_exactly_what_changed(world, settings):
    base_places(world)
    post_candidate(world, id="c-a")
    post_candidate(world, id="c-b", capacity={})
    first = rematch(world, settings)
    assert first.status == "committed" and first.computed == 2 and first.skipped == 0
    before = {c: ids(nightly(world, c)) for c in ("c-a", "c-b")}
    assert all(len(v) == 3 for v in before.values())
    assert "p-far" not in before["c-a"]
    assert "p-lift" in before["c-b"], "the scenario needs p-lift on c-b's list"

    # The night's changes: a new place that fits everyone, one closed, c-b's lifting limit tightened.
    post_place(world, id="p-new", title="Gastvrouw receptie vakantiepark",
               description="Ontvangst van gasten, rondleidingen over het terrein", skills=["gastvrijheid",
                                                                                          "klantcontact"])
    closed = next(p for p in before["c-a"] if p not in ("p-lift",))
    assert world.client.post(f"/v1/placements/{closed}/close", headers=world.h("employer")).status_code == 200
    assert world.client.patch("/v1/candidates/c-b", json={"capacity": {"IV.13": 2}},
                              headers=world.h("coach")).status_code == 200
    second = rematch(world, settings)
    after = {c: ids(nightly(world, c)) for c in ("c-a", "c-b")}
    assert "p-new" in after["c-a"] and "p-new" in after["c-b"]
    assert closed not in after["c-a"] and "p-lift" not in after["c-b"]

    r = world.client.get("/v1/coach/digest", headers=world.h("coach"))
    assert r.status_code == 200, r.text
    [run] = r.json()["runs"]
    assert run["run_id"] == second.run_id
    got = {c["candidate_id"]: c for c in run["candidates"]}
    for cid in ("c-a", "c-b"):
        new = {e["placement_id"]: e["reason"] for e in got[cid]["new"]}
        dropped = {e["placement_id"]: e["reason"] for e in got[cid]["dropped"]}
        assert set(new) == set(after[cid]) - set(before[cid]), cid
        assert set(dropped) == set(before[cid]) - set(after[cid]), cid
        assert new["p-new"] == "new_place"
        for pid, reason in dropped.items():
            expected = {"closed"} if pid == closed else {"limits"} if (cid, pid) == ("c-b", "p-lift") \
                else {"outranked", "allocation"}
            assert reason in expected, (cid, pid, reason)
    lift = next(e for e in got["c-b"]["dropped"] if e["placement_id"] == "p-lift")
    assert lift["items"] == ["IV.13"] and "tillen" in lift["text"].lower()
    # The other coach sees none of it.
    other = world.client.get("/v1/coach/digest", headers=world.h("coach2")).json()
    assert other["runs"][0]["candidates"] == []
    # The files: one JSON and one CSV per coach for the run.
    files = sorted(p.name for p in (settings.state_dir / "digests" / second.run_id).iterdir())
    assert files == [f"coach-{world.user_ids['coach']}.csv", f"coach-{world.user_ids['coach']}.json"]
    csv_text = world.client.get("/v1/coach/digest?format=csv", headers=world.h("coach")).text
    assert "vervallen" in csv_text and "p-new" in csv_text
    # since: both runs, newest first.
    r = world.client.get("/v1/coach/digest", params={"since": "2000-01-01"}, headers=world.h("coach"))
    assert [x["run_id"] for x in r.json()["runs"]] == [second.run_id, first.run_id]

    # Nothing changed: nothing is recomputed and the digest of that run is empty.
    third = rematch(world, settings)
    assert third.computed == 0 and third.reused == 2 and third.digest["candidates"] == 0
    assert {c: ids(nightly(world, c)) for c in ("c-a", "c-b")} == after


def test_a_killed_run_leaves_results_served_and_the_next_resumes(world, settings, monkeypatch):
    base_places(world)
    for i in range(4):
        post_candidate(world, id=f"c-{i}")
    first = rematch(world, settings)
    served = {f"c-{i}": nightly(world, f"c-{i}") for i in range(4)}
    post_place(world, id="p-new", title="Gastvrouw receptie vakantiepark",
               description="Ontvangst van gasten, rondleidingen over het terrein")

    real = batch.process_partition
    calls = []

    def dies_half_way(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt("killed")  # like a SIGINT: not an error the run could catch per candidate
        return real(*args, **kwargs)

    monkeypatch.setattr(batch, "process_partition", dies_half_way)
    with pytest.raises(KeyboardInterrupt):
        rematch(world, settings)
    # The API still serves the first run, unchanged.
    assert {f"c-{i}": nightly(world, f"c-{i}") for i in range(4)} == served
    assert world.client.get("/v1/coach/digest", headers=world.h("coach")).json()["runs"][0]["run_id"] == first.run_id
    with world.db.read() as s:
        stopped = s.execute(select(RematchRun).where(RematchRun.id != first.run_id)).scalar_one()
        assert stopped.status == "failed"
        assert s.execute(select(func.count()).select_from(RematchPartition)
                         .where(RematchPartition.run_id == stopped.id)).scalar_one() == 2

    calls.clear()
    resumed = rematch(world, settings)
    assert resumed.run_id == stopped.id and resumed.resumed
    assert resumed.partitions_resumed == 2 and len(calls) == 2  # finished partitions not computed again
    assert all("p-new" in ids(nightly(world, f"c-{i}")) for i in range(4))


def test_two_runs_never_overlap(world, settings):
    base_places(world)
    post_candidate(world, id="c-1")
    lock = RunLock(world.db, settings.state_dir, timedelta(minutes=5))
    lock.acquire()
    try:
        with pytest.raises(RematchBusy, match="this machine"):
            rematch(world, settings)
    finally:
        lock.release()
    host = socket.gethostname()

    def hold(holder, seen):
        with world.db.write() as tx:
            row = tx.get(RematchLock, "rematch") or RematchLock(name="rematch")
            tx.add(row)
            row.holder, row.acquired_at, row.heartbeat_at = holder, seen, seen

    hold("other-host:123", utcnow())  # alive elsewhere, reporting
    with pytest.raises(RematchBusy, match="other-host:123"):
        rematch(world, settings)
    hold(f"{host}:1", utcnow())  # a live process on this machine
    with pytest.raises(RematchBusy):
        rematch(world, settings)
    # A killed run: its process is gone, so the lock is taken over at once.
    dead = 2**22 + 12345
    while True:
        try:
            os.kill(dead, 0)
            dead += 1
        except ProcessLookupError:
            break
        except PermissionError:
            dead += 1
    hold(f"{host}:{dead}", utcnow())
    assert rematch(world, settings).status == "committed"
    # Another machine that stopped reporting long ago: stale, taken over.
    hold("other-host:123", utcnow() - timedelta(days=1))
    assert rematch(world, settings).status == "committed"
    with world.db.read() as s:
        assert s.get(RematchLock, "rematch").holder is None


def test_a_broken_candidate_record_is_skipped_and_logged(world, settings, caplog):
    base_places(world)
    post_candidate(world, id="c-ok")
    post_candidate(world, id="c-broken")
    with world.db.write() as tx:
        row = tx.execute(select(CandidateRow).where(CandidateRow.id == "c-broken")).scalar_one()
        row.body = {**row.body, "capacity": {"IV.13": 9}}  # written around the API by an old import
    with caplog.at_level(logging.WARNING):
        summary = rematch(world, settings)
    assert summary.status == "committed" and summary.skipped == 1 and summary.computed == 1
    assert "c-broken" in caplog.text and "IV.13" in caplog.text
    assert ids(nightly(world, "c-ok"))
    assert nightly(world, "c-broken")["suggestions"] == []
    with world.db.read() as s:
        [failure] = s.execute(select(RematchFailure)).scalars().all()
        assert "IV.13" in failure.reason


def test_scarce_places_are_spread_and_coaches_see_the_contention(world, settings):
    post_place(world, id="p-wep", kind="werkervaringsplek", title="Gastvrouw receptie vakantiepark",
               description="Ontvangst van gasten, rondleidingen over het terrein", positions=1)
    for i in range(6):
        post_place(world, id=f"p-{i}", title=f"Kantoorbaan {i}", description=f"Post sorteren, archief {i}.",
                   positions=5)
    for i in range(6):
        post_candidate(world, id=f"c-{i}", wishes={"kinds": ["werkervaringsplek"], "hours_per_week": 24,
                                                    "text": "Graag met gasten werken"})
    live = world.client.get("/v1/candidates/c-0/suggestions", headers=world.h("coach")).json()
    assert all("contention" not in s for s in live["suggestions"]), "no nightly run yet"
    unlimited = rematch(world, settings, exposure_factor=100.0)
    assert unlimited.allocation["max_exposure_before"] == 6
    entry = next(s for s in nightly(world, "c-0")["suggestions"] if s["placement_id"] == "p-wep")
    assert entry["contention"]["text"] == "1 plaats; ook voorgesteld bij nog 5 andere kandidaten"
    assert entry["contention"]["scarce"] is True

    spread = rematch(world, settings, exposure_factor=2.0)
    a = spread.allocation
    assert a["max_exposure_place_before"] == "p-wep" and a["max_exposure_before"] == 6
    assert a["total_score_drop_pct"] < 10 and a["places_over_quota_after"] == 0
    holders = [i for i in range(6) if "p-wep" in ids(nightly(world, f"c-{i}"))]
    assert len(holders) == 2
    assert all(len(ids(nightly(world, f"c-{i}"))) == 3 for i in range(6))  # nobody's list shrinks
    entry = next(s for s in nightly(world, f"c-{holders[0]}")["suggestions"] if s["placement_id"] == "p-wep")
    assert entry["contention"]["text"] == "1 plaats; ook voorgesteld bij nog 1 andere kandidaat"
    # The live list says the same, for the holder and for one who lost the place.
    for i, others in ((holders[0], 1), (next(i for i in range(6) if i not in holders), 2)):
        live = world.client.get(f"/v1/candidates/c-{i}/suggestions", headers=world.h("coach")).json()
        entry = next(s for s in live["suggestions"] if s["placement_id"] == "p-wep")
        assert entry["contention"]["others"] == others and live["nightly_run_id"] == spread.run_id
        assert entry["contention"]["scarce"] is True
    # The candidates who lost it are told why.
    digest = world.client.get("/v1/coach/digest", headers=world.h("coach")).json()["runs"][0]
    reasons = {e["reason"] for c in digest["candidates"] for e in c["dropped"] if e["placement_id"] == "p-wep"}
    assert reasons == {"allocation"}


def test_digest_and_nightly_refusals(world, settings):
    c = world.client
    for since in ("gisteren", "2025-13-01", "2025-01-01T25:00"):
        r = c.get("/v1/coach/digest", params={"since": since}, headers=world.h("coach"))
        assert r.status_code == 422 and r.json()["problems"][0].startswith("since:"), r.text
    r = c.get("/v1/coach/digest", params={"since": "1900-01-01"}, headers=world.h("coach"))
    assert r.status_code == 422 and "outside" in r.json()["problems"][0]
    r = c.get("/v1/coach/digest", params={"format": "xml"}, headers=world.h("coach"))
    assert r.status_code == 422 and r.json()["problems"][0].startswith("format:")
    assert c.get("/v1/coach/digest", headers=world.h("employer")).status_code == 403
    assert c.get("/v1/coach/digest").status_code == 401
    assert c.get("/v1/coach/digest", headers=world.h("coach")).json()["runs"] == []  # before any run
    post_candidate(world, id="c-1")
    assert nightly(world, "c-1") == {"candidate_id": "c-1", "run_id": None, "run_at": None, "suggestions": []}
    assert c.get("/v1/candidates/c-1/nightly", headers=world.h("coach2")).status_code == 404
    assert c.get("/v1/admin/rematch/runs", headers=world.h("coach")).status_code == 403
    rematch(world, settings)
    runs = c.get("/v1/admin/rematch/runs", headers=world.h("admin")).json()["items"]
    assert runs[0]["status"] == "committed" and "allocation" in runs[0]["summary"]
    assert "c-1" not in str(runs)  # operators see counts, never candidates


def test_the_command(world, settings, monkeypatch, capsys):
    import matching.text
    from matching import settings as settings_module

    base_places(world)
    post_candidate(world, id="c-1")
    monkeypatch.setenv("SPOORMATCH_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SPOORMATCH_STATE_DIR", str(settings.state_dir))
    monkeypatch.setattr(matching.text, "get_encoder", lambda *a, **k: HashingEncoder())
    settings_module.get_settings.cache_clear()
    try:
        assert cli.main(["rematch", "--top", "2", "--reserve", "1", "--workers", "1", "--json"]) == 0
        out = capsys.readouterr()
        assert "committed" in out.err and '"status": "committed"' in out.out
        with pytest.raises(SystemExit):
            cli.build_parser().parse_args(["rematch", "--exposure-factor", "0"])
        assert "more than 0" in capsys.readouterr().err
        lock = RunLock(world.db, settings.state_dir, timedelta(minutes=5))
        with lock:
            assert cli.main(["rematch", "--workers", "1"]) == 75
        assert "not started" in capsys.readouterr().err
    finally:
        settings_module.get_settings.cache_clear()


def test_an_incremental_night_serves_what_a_full_run_would(world, settings):
    """Places added, closed and edited between runs: the pools a night merges are the
    pools a full recompute gives, entries and all."""

    base_places(world)
    for i in range(8):
        post_place(world, id=f"p-x{i}", title=["Gastvrouw", "Telefonist", "Kassamedewerker"][i % 3] + f" {i}",
                   description=f"Werk met gasten en klanten, variant {i}.", positions=1 + i % 2)
    for i in range(5):
        post_candidate(world, id=f"c-{i}", wishes={"text": ["gasten", "telefoon", "kassa"][i % 3]})
    rematch(world, settings, top=3, reserve=3)
    post_place(world, id="p-new", title="Gastvrouw receptie", description="Gasten ontvangen, telefoon aannemen.")
    assert world.client.post("/v1/placements/p-x1/close", headers=world.h("employer")).status_code == 200
    r = world.client.patch("/v1/placements/p-x2", json={"description": "Nu ook met de kassa en de telefoon."},
                           headers=world.h("employer"))
    assert r.status_code == 200, r.text
    night = rematch(world, settings, top=3, reserve=3)
    assert night.merged > 0 and night.computed == 0

    incremental = latest_pools(world)
    full = rematch(world, settings, top=3, reserve=3, full=True)
    assert full.computed == 5
    assert latest_pools(world) == incremental


def test_a_change_of_ranker_configuration_recomputes_everyone(world, settings):
    """Weights, calibration, encoder or linker: a pool scored under another ranker is never reused."""
    base_places(world)
    post_candidate(world, id="c-a")
    post_candidate(world, id="c-b", capacity={})
    assert rematch(world, settings).computed == 2
    assert rematch(world, settings).reused == 2  # nothing changed: nothing recomputed
    heavier = settings.with_overrides(weights=settings.weights.__class__(semantic=0.6))
    again = rematch(world, heavier)
    assert again.status == "committed" and again.computed == 2 and again.reused == 0 and again.merged == 0
    no_linker = heavier.with_overrides(occupation_linker=False)
    assert rematch(world, no_linker).computed == 2


def _same_entry(live: dict, night: dict) -> None:
    """A nightly entry says what the live suggestion says (contract v1.1 fields included)."""
    for key in ("placement_id", "verdict", "spoor", "conditions", "explanation", "components"):
        assert live.get(key) == night.get(key), (key, live.get(key), night.get(key))
    assert {k: v for k, v in (live.get("earnings") or {}).items() if v is not None} == \
        {k: v for k, v in (night.get("earnings") or {}).items() if v is not None}
    assert [(i["item"], i["verdict"], i["reason"]) for i in live["items"]] == \
        [(i["item"], i["verdict"], i["reason"]) for i in night["items"]]
    assert abs(live["score"] - night["score"]) <= 0.001


def test_new_spoor_one_places_lead_the_nightly_list_and_the_digest(world, settings):
    """The own employer (e-2) posts between two nights: an adjusted place and a place to
    build up hours in. The night serves them first, marked spoor 1, with their conditions
    and earnings as the live list has them; the digest names them on their own; an
    incremental night serves what a full run would."""

    base_places(world)
    post_candidate(world, id="c-own", employer_id="e-2", former_work={"hours_per_week": 36, "hourly_wage": 15.0},
                   hours_outlook={"hours_per_week": 40, "from": "2027-03-01"}, capacity={"IV.13": 2, "VI.3": 2})
    post_candidate(world, id="c-other")
    first = rematch(world, settings)
    assert all(s["spoor"] == 2 for s in nightly(world, "c-own")["suggestions"])

    e2 = world.h("employer2")
    for body in (
        placement_json(id="p-own-adjust", employer_id="e-2", title="Magazijnmedewerker", demands={"IV.13": 1},
                       adjustments={"IV.13": 2}, hourly_wage={"min": 14.0, "max": 15.0}),
        placement_json(id="p-own-build", employer_id="e-2", title="Medewerker receptie", hours_per_week=36,
                       hours_per_day=8, start_hours_per_week=24),
    ):
        r = world.client.post("/v1/placements", json=body, headers=e2)
        assert r.status_code == 201, r.text
    second = rematch(world, settings)
    assert second.status == "committed" and second.merged > 0

    served = nightly(world, "c-own")["suggestions"]
    assert {s["placement_id"] for s in served[:2]} == {"p-own-adjust", "p-own-build"}
    assert [s["spoor"] for s in served] == [1, 1, 2]
    assert all(s["verdict"] == "adjust" for s in served[:2])
    live = world.client.get("/v1/candidates/c-own/suggestions?top=3", headers=world.h("coach")).json()["suggestions"]
    assert [s["placement_id"] for s in live] == [s["placement_id"] for s in served]
    for a, b in zip(live, served):
        _same_entry(a, b)
    by_id = {s["placement_id"]: s for s in served}
    assert [(c["kind"], c["item"], c["from"], c["to"]) for c in by_id["p-own-build"]["conditions"]] == \
        [("opbouw", "VI.3", 36, 24)]
    assert by_id["p-own-adjust"]["earnings"]["ratio"] == round(14.5 * 24 / (15.0 * 36), 2)
    # The other candidate's own employer is nobody: these places are spoor 2 for them.
    assert all(s["spoor"] == 2 for s in nightly(world, "c-other")["suggestions"])

    [run] = world.client.get("/v1/coach/digest", headers=world.h("coach")).json()["runs"]
    assert run["run_id"] == second.run_id and run["totals"]["new_spoor1"] == 2
    first_candidate = run["candidates"][0]
    assert first_candidate["candidate_id"] == "c-own"
    assert {e["placement_id"] for e in first_candidate["new_spoor1"]} == {"p-own-adjust", "p-own-build"}
    assert all(e["text"] == "nieuwe plek bij de eigen werkgever (spoor 1)" and e["employer_id"] == "e-2"
               for e in first_candidate["new_spoor1"])
    other = next((c for c in run["candidates"] if c["candidate_id"] == "c-other"), None)
    assert other is None or (other["new_spoor1"] == [] and all(e["spoor"] == 2 for e in other["new"]))
    csv_text = world.client.get("/v1/coach/digest?format=csv", headers=world.h("coach")).text
    assert "nieuw bij eigen werkgever" in csv_text
    assert first.run_id != second.run_id

    incremental = latest_pools(world)
    assert rematch(world, settings, full=True).computed == 2
    assert latest_pools(world) == incremental


def test_spreading_scarce_places_never_takes_a_place_from_its_own_employee(world, settings):
    """Spoor 1: the own employer's place stays on its employee's list, even when it
    suits the others better and there are more of them than its quota."""
    post_place(world, id="p-wep", kind="werkervaringsplek", title="Gastvrouw receptie vakantiepark",
               description="Ontvangst van gasten, rondleidingen over het terrein", positions=1)
    for i in range(6):  # another employer's
        r = world.client.post("/v1/placements", headers=world.h("employer2"), json=placement_json(
            id=f"p-{i}", employer_id="e-2", title=f"Kantoorbaan {i}", description=f"Post sorteren, archief {i}.",
            positions=5))
        assert r.status_code == 201, r.text
    for i in range(5):
        post_candidate(world, id=f"c-{i}", wishes={"kinds": ["werkervaringsplek"], "hours_per_week": 24,
                                                    "text": "Graag met gasten werken"})
    # The employee of e-1 wants office work: the receptie place scores lower for them.
    post_candidate(world, id="c-own", employer_id="e-1",
                   experience=[{"title": "Archiefmedewerker", "years": 5, "description": "Post en archief"}])
    spread = rematch(world, settings, exposure_factor=1.0)
    assert spread.allocation["places_over_quota_after"] == 0
    own = nightly(world, "c-own")["suggestions"]
    assert own[0]["placement_id"] == "p-wep" and own[0]["spoor"] == 1
    assert 0 <= own[0]["score"] <= 1, "the coach sees the score without the spoor-1 lead"
    assert not any("p-wep" in ids(nightly(world, f"c-{i}")) for i in range(5))
    assert spread.allocation["total_score_after"] < 10 * 6, "the summary counts coaches' scores, not the lead"
