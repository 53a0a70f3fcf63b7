"""Candidates: contract-v1 bodies in and out, refusals that name the field and write nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from service.tables import CandidateRow, DossierEventRow
from tests.service.conftest import candidate_json


def _counts(world) -> tuple[int, int]:
    with world.db.read() as s:
        return (s.execute(select(func.count()).select_from(CandidateRow)).scalar_one(),
                s.execute(select(func.count()).select_from(DossierEventRow)).scalar_one())


def test_create_read_list(world):
    c, h = world.client, world.h("coach")
    body = candidate_json(id="c-42", sick_since="2024-09-02", capacity={"IV.13": 2, "VI.1": [2]})
    r = c.post("/v1/candidates", json=body, headers=h)
    assert r.status_code == 201, r.text
    assert r.headers["location"] == "/v1/candidates/c-42"
    got = c.get("/v1/candidates/c-42", headers=h).json()
    assert got["capacity"] == {"IV.13": 2, "VI.1": [2]}
    assert got["sick_since"] == "2024-09-02"
    assert got["home"] == {"postcode": "6511"}  # no nulls added to the contract body
    for i in range(3):
        c.post("/v1/candidates", json=candidate_json(id=f"c-{i}"), headers=h)
    page = c.get("/v1/candidates?limit=2&offset=1", headers=h).json()
    assert page["total"] == 4 and [x["id"] for x in page["items"]] == ["c-1", "c-2"]


def test_refusals_name_the_field_and_write_nothing(world):
    c, h = world.client, world.h("coach")
    before = _counts(world)
    cases = {
        "capacity.IV.13: level 9 is out of range 0..3": candidate_json(capacity={"IV.13": 9}),
        "home.postcode: unknown postcode '1000'": candidate_json(home={"postcode": "1000"}),
        "education.level: Input should be 'basisonderwijs', 'vmbo', 'mbo-1', 'mbo-2', 'mbo-3', 'mbo-4', "
        "'havo', 'vwo', 'hbo' or 'wo'": candidate_json(education={"level": "phd"}),
        "colour: unknown field": candidate_json(colour="blue"),
        "sick_since: 2999-01-01 is outside 1970-01-01..2100-12-31": candidate_json(sick_since="2999-01-01"),
        "first_year_evaluation: 2024-01-01 is before sick_since (2024-06-01)":
            candidate_json(sick_since="2024-06-01", first_year_evaluation="2024-01-01"),
        "max_travel_km: Input should be greater than 0": candidate_json(max_travel_km=0),
        "id: Field required": {k: v for k, v in candidate_json().items() if k != "id"},
    }
    for expected, body in cases.items():
        r = c.post("/v1/candidates", json=body, headers=h)
        assert r.status_code == 422, body
        assert r.json()["detail"] == "input refused, nothing written"
        assert expected in r.json()["problems"], (expected, r.json())
    r = c.post("/v1/candidates", content=b"{not json", headers={**h, "content-type": "application/json"})
    assert r.status_code == 422 and r.json()["problems"] == ["body: not valid JSON"]
    r = c.post("/v1/candidates", json=[1, 2], headers=h)
    assert r.status_code == 422
    assert _counts(world) == before


def test_duplicate_id_is_refused(world):
    c, h = world.client, world.h("coach")
    assert c.post("/v1/candidates", json=candidate_json(), headers=h).status_code == 201
    r = c.post("/v1/candidates", json=candidate_json(), headers=h)
    assert r.status_code == 422 and r.json()["problems"] == ["id: you already have a candidate with this id"]


def test_put_replaces_and_keeps_the_id(world):
    c, h = world.client, world.h("coach")
    c.post("/v1/candidates", json=candidate_json(), headers=h)
    r = c.put("/v1/candidates/c-1", json=candidate_json(skills=["kassa"]), headers=h)
    assert r.status_code == 200 and r.json()["skills"] == ["kassa"]
    r = c.put("/v1/candidates/c-1", json=candidate_json(id="c-2"), headers=h)
    assert r.status_code == 422 and r.json()["problems"] == ["id: must stay 'c-1' (ids cannot be changed)"]
    assert c.get("/v1/candidates/c-1", headers=h).json()["skills"] == ["kassa"]


def test_patch_merges_and_records_capacity_changes(world):
    c, h = world.client, world.h("coach")
    c.post("/v1/candidates", json=candidate_json(capacity={"IV.13": 2, "V.3": 1}), headers=h)
    r = c.patch("/v1/candidates/c-1", json={"capacity": {"IV.13": None, "V.3": 2}, "spoor2_started": "2025-01-06",
                                             "sick_since": "2024-11-04"},
                headers={**h, "content-type": "application/merge-patch+json"})
    assert r.status_code == 200, r.text
    assert r.json()["capacity"] == {"V.3": 2}
    assert r.json()["skills"] == ["gastvrijheid", "klantcontact"]  # untouched
    r = c.patch("/v1/candidates/c-1", json={"capacity": {"V.3": 7}}, headers=h)
    assert r.status_code == 422 and r.json()["problems"] == ["capacity.V.3: level 7 is out of range 0..3"]
    events = c.get("/v1/candidates/c-1/dossier", headers=h).json()["events"]
    change = next(e for e in events if e["kind"] == "capacity_changed")
    assert change["data"]["items"] == {"IV.13": {"before": 2, "after": None}, "V.3": {"before": 1, "after": 2}}
    updated = next(e for e in events if e["kind"] == "candidate_updated")
    assert set(updated["data"]["fields"]) == {"capacity", "spoor2_started", "sick_since"}
    assert len([e for e in events if e["kind"] == "capacity_changed"]) == 1  # the refused patch wrote nothing


def test_timeline_endpoints(world):
    c, h = world.client, world.h("coach")
    c.post("/v1/candidates", json=candidate_json(id="c-late", sick_since="2024-01-01"), headers=h)
    c.post("/v1/candidates", json=candidate_json(id="c-new", sick_since="2025-01-01"), headers=h)
    c.post("/v1/candidates", json=candidate_json(id="c-none"), headers=h)
    t = c.get("/v1/candidates/c-late/timeline?on=2025-02-03", headers=h).json()
    assert t["status"] == "overdue" and t["week_of_sickness"] == 58
    assert t["warnings"][0]["level"] == "overdue"
    items = c.get("/v1/timelines?on=2025-02-03", headers=h).json()["items"]
    assert [x["candidate_id"] for x in items] == ["c-late", "c-new", "c-none"]
    assert [x["status"] for x in items] == ["overdue", "too_early", "unknown"]
    assert c.get("/v1/candidates/c-late/timeline?on=9999-01-01", headers=h).status_code == 422
