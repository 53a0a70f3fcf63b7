"""Places: posting makes them searchable at once, closing removes them at once."""

from __future__ import annotations

from service.app import create_app
from tests.conftest import HashingEncoder
from tests.service.conftest import candidate_json, placement_json


def _suggested(world, candidate_id="c-1", **params) -> list[str]:
    r = world.client.get(f"/v1/candidates/{candidate_id}/suggestions", params=params, headers=world.h("coach"))
    assert r.status_code == 200, r.text
    return [s["placement_id"] for s in r.json()["suggestions"]]


def test_post_is_searchable_and_close_removes_at_once(world):
    c, e = world.client, world.h("employer")
    c.post("/v1/candidates", json=candidate_json(), headers=world.h("coach"))
    assert _suggested(world) == []
    r = c.post("/v1/placements", json=placement_json(), headers=e)
    assert r.status_code == 201 and r.headers["location"] == "/v1/placements/p-1"
    assert _suggested(world) == ["p-1"]
    r = c.post("/v1/placements/p-1/close", headers=e)
    assert r.status_code == 200 and r.json()["status"] == "closed"
    assert _suggested(world) == []
    assert "p-1" not in world.engine.matcher
    # Reopen by replacing with status open.
    assert c.put("/v1/placements/p-1", json=placement_json(), headers=e).status_code == 200
    assert _suggested(world) == ["p-1"]
    r = c.post("/v1/placements/p-1/close", json={"status": "filled"}, headers=e)
    assert r.json()["status"] == "filled" and _suggested(world) == []


def test_updates_reach_the_matcher(world):
    c, e = world.client, world.h("employer")
    c.post("/v1/candidates", json=candidate_json(capacity={"IV.13": 2}), headers=world.h("coach"))
    c.post("/v1/placements", json=placement_json(), headers=e)
    assert _suggested(world) == ["p-1"]
    # Now the work asks heavier lifting than the candidate can do: never suggested.
    r = c.patch("/v1/placements/p-1", json={"demands": {"IV.13": 1}}, headers=e)
    assert r.status_code == 200, r.text
    assert _suggested(world) == []
    r = c.patch("/v1/placements/p-1", json={"demands": None, "positions": 0}, headers=e)
    assert r.json()["positions"] == 0 and _suggested(world) == []


def test_refusals(world):
    c, e = world.client, world.h("employer")
    r = c.post("/v1/placements", json=placement_json(employer_id="e-2"), headers=e)
    assert r.status_code == 422 and r.json()["problems"] == ["employer_id: must be your organisation's id 'e-1'"]
    r = c.post("/v1/placements", json=placement_json(hours_per_day=30), headers=e)
    assert r.status_code == 422 and r.json()["problems"] == ["hours_per_day: Input should be less than or equal to 12"]
    r = c.post("/v1/placements", json=placement_json(demands={"VI.2": 1}), headers=e)
    assert r.json()["problems"][0].startswith("demands.VI.2: work times are given by hours_per_day")
    assert c.post("/v1/placements", json=placement_json(), headers=e).status_code == 201
    # Ids are shared: another employer cannot take the same id.
    r = c.post("/v1/placements", json=placement_json(employer_id="e-2"), headers=world.h("employer2"))
    assert r.status_code == 422
    assert r.json()["problems"] == ["id: a place with this id already exists; choose another id"]
    r = c.put("/v1/placements/p-1", json=placement_json(id="p-2"), headers=e)
    assert r.status_code == 422
    r = c.post("/v1/placements/p-1/close", json={"status": "open"}, headers=e)
    assert r.status_code == 422 and r.json()["problems"][0].startswith("status: Input should be 'closed' or 'filled'")
    assert len(world.engine.matcher) == 1


def test_lists(world):
    c, e = world.client, world.h("employer")
    c.post("/v1/placements", json=placement_json(id="p-1"), headers=e)
    c.post("/v1/placements", json=placement_json(id="p-2", kind="werkervaringsplek"), headers=e)
    c.post("/v1/placements", json=placement_json(id="p-3", employer_id="e-2"), headers=world.h("employer2"))
    c.post("/v1/placements/p-1/close", headers=e)
    own = c.get("/v1/placements", headers=e).json()
    assert [p["id"] for p in own["items"]] == ["p-1", "p-2"] and own["total"] == 2
    assert [p["id"] for p in c.get("/v1/placements?status=open", headers=e).json()["items"]] == ["p-2"]
    coach = c.get("/v1/placements", headers=world.h("coach")).json()
    assert [p["id"] for p in coach["items"]] == ["p-2", "p-3"]  # open ones, every employer
    assert [p["id"] for p in c.get("/v1/placements?kind=werkervaringsplek", headers=world.h("coach"))
            .json()["items"]] == ["p-2"]
    avail = c.get("/v1/placements/p-2/availability", headers=world.h("coach")).json()
    assert avail == {"placement_id": "p-2", "status": "open", "positions": 1, "active_introductions": 0,
                     "contested": False}


def test_a_restart_loads_the_open_places_from_the_database(world, settings):
    c, e = world.client, world.h("employer")
    c.post("/v1/placements", json=placement_json(id="p-1"), headers=e)
    c.post("/v1/placements", json=placement_json(id="p-2"), headers=e)
    c.post("/v1/placements/p-2/close", headers=e)
    again = create_app(settings, HashingEncoder())
    assert [p.id for p in again.state.ctx.engine.matcher.placements] == ["p-1"]
    again.state.ctx.db.dispose()


def test_a_failed_index_update_rebuilds_from_the_database(world, monkeypatch):
    c = world.client
    c.post("/v1/candidates", json=candidate_json(), headers=world.h("coach"))
    calls = []

    def broken_upsert(placements):
        calls.append([p.id for p in placements])
        raise RuntimeError("encoder fell over")

    monkeypatch.setattr(world.engine.matcher, "upsert", broken_upsert)
    assert c.post("/v1/placements", json=placement_json(), headers=world.h("employer")).status_code == 201
    assert calls == [["p-1"]]
    assert _suggested(world) == ["p-1"]  # rebuilt from the database, searchable all the same


def test_an_employer_may_name_the_esco_occupation_and_a_wrong_one_writes_nothing(world):
    from matching.occupations import load_esco

    c, e = world.client, world.h("employer")
    r = c.post("/v1/placements", json=placement_json(id="p-bad", occupation="receptionist"), headers=e)
    assert r.status_code == 422
    [problem] = r.json()["problems"]
    assert problem.startswith("occupation: ") and "not an ESCO occupation URI" in problem
    assert c.get("/v1/placements/p-bad", headers=e).status_code == 404
    uri = load_esco().uris[0]
    r = c.post("/v1/placements", json=placement_json(id="p-ok", occupation=uri), headers=e)
    assert r.status_code == 201, r.text
    assert c.get("/v1/placements/p-ok", headers=e).json()["occupation"] == uri
