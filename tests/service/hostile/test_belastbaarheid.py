"""The belastbaarheid changes only by being stated: no limit disappears by a null or an omission."""

from __future__ import annotations

from tests.service.conftest import candidate_json, placement_json

LIMITED = {"IV.13": 2, "V.3": 1, "I.6": [2]}


def _post(world, **overrides):
    r = world.client.post("/v1/candidates", json=candidate_json(capacity=dict(LIMITED), **overrides),
                          headers=world.h("coach"))
    assert r.status_code == 201, r.text
    return r


def _capacity(world) -> dict:
    return world.client.get("/v1/candidates/c-1", headers=world.h("coach")).json()["capacity"]


def _events(world, kind: str) -> list[dict]:
    events = world.client.get("/v1/candidates/c-1/dossier", headers=world.h("coach")).json()["events"]
    return [e for e in events if e["kind"] == kind]


def test_capacity_null_in_a_patch_is_refused_and_every_limit_stays(world):
    _post(world)
    world.client.post("/v1/placements", json=placement_json(demands={"IV.13": 3}), headers=world.h("employer"))
    before = world.client.get("/v1/candidates/c-1/suggestions", headers=world.h("coach")).json()["feasible"]
    r = world.client.patch("/v1/candidates/c-1", json={"capacity": None}, headers=world.h("coach"))
    assert r.status_code == 422
    [problem] = r.json()["problems"]
    assert problem.startswith("capacity: cannot be removed with null")
    assert _capacity(world) == LIMITED
    assert world.client.get("/v1/candidates/c-1/suggestions", headers=world.h("coach")).json()["feasible"] == before
    assert _events(world, "capacity_changed") == []


def test_a_put_without_capacity_is_refused(world):
    _post(world)
    body = candidate_json()
    del body["capacity"]
    r = world.client.put("/v1/candidates/c-1", json=body, headers=world.h("coach"))
    assert r.status_code == 422
    assert r.json()["problems"] == ["capacity: Field required"]
    r = world.client.put("/v1/candidates/c-1", json={**body, "capacity": None}, headers=world.h("coach"))
    assert r.status_code == 422
    assert r.json()["problems"][0].startswith("capacity: cannot be null")
    assert _capacity(world) == LIMITED


def test_a_post_without_capacity_is_refused(world):
    body = candidate_json()
    del body["capacity"]
    r = world.client.post("/v1/candidates", json=body, headers=world.h("coach"))
    assert r.status_code == 422
    assert r.json()["problems"] == ["capacity: Field required"]
    assert world.client.get("/v1/candidates", headers=world.h("coach")).json()["total"] == 0


def test_a_put_that_leaves_out_a_limited_item_is_refused_naming_it(world):
    _post(world)
    r = world.client.put("/v1/candidates/c-1", json=candidate_json(capacity={"V.3": 1}), headers=world.h("coach"))
    assert r.status_code == 422
    problems = r.json()["problems"]
    assert [p.split(":")[0] for p in problems] == ["capacity.I.6", "capacity.IV.13"]
    assert "would disappear without being named" in problems[0]
    r = world.client.put("/v1/candidates/c-1", json=candidate_json(capacity={}), headers=world.h("coach"))
    assert r.status_code == 422 and len(r.json()["problems"]) == 3
    assert _capacity(world) == LIMITED


def test_a_limit_is_lifted_by_naming_it_and_the_dossier_keeps_old_and_new(world):
    _post(world)
    r = world.client.put("/v1/candidates/c-1", json=candidate_json(capacity={**LIMITED, "IV.13": 0, "I.6": []}),
                         headers=world.h("coach"))
    assert r.status_code == 200, r.text
    r = world.client.patch("/v1/candidates/c-1", json={"capacity": {"V.3": None}}, headers=world.h("coach"))
    assert r.status_code == 200, r.text
    assert _capacity(world) == {"IV.13": 0, "I.6": []}
    changes = [e["data"]["items"] for e in _events(world, "capacity_changed")]
    assert {"before": 2, "after": 0} in [c.get("IV.13") for c in changes]
    assert {"before": [2], "after": []} in [c.get("I.6") for c in changes]
    assert {"before": 1, "after": None} in [c.get("V.3") for c in changes]
