"""Refusals in the right order and in the usual words: the token first, then the input."""

from __future__ import annotations

import json

from tests.service.conftest import candidate_json, placement_json

JSON = {"content-type": "application/json"}


def test_without_a_token_a_broken_body_gets_401_not_422(world):
    r = world.client.post("/v1/candidates", content=b"{broken", headers=JSON)
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    r = world.client.post("/v1/candidates", content=b"{broken", headers={**JSON, "Authorization": "Bearer smt_nope"})
    assert r.status_code == 401
    r = world.client.post("/v1/candidates", content=b"{broken", headers={**JSON, **world.h("coach")})
    assert r.status_code == 422 and r.json()["problems"] == ["body: not valid JSON"]


def test_without_a_token_an_oversized_body_gets_401_not_413(world):
    big = json.dumps(candidate_json(wishes={"text": "x" * 3_000_000})).encode()
    assert world.client.post("/v1/candidates", content=big, headers=JSON).status_code == 401
    assert world.client.post("/v1/candidates", content=big, headers={**JSON, **world.h("coach")}).status_code == 413


def test_health_needs_no_token(world):
    assert world.client.get("/v1/health").status_code == 200


def test_timeline_dates_must_be_real_dates_on_or_after_the_first_sickness_day(world):
    c, h = world.client, world.h("coach")
    assert c.post("/v1/candidates", json=candidate_json(sick_since="2024-03-01"), headers=h).status_code == 201
    cases = {
        "0": "on: expected a date as YYYY-MM-DD, got '0'",
        "2024-02-30": "on: '2024-02-30' is not a date (day is out of range for month)",
        "2024-05-01T00:00": "on: expected a date as YYYY-MM-DD, got '2024-05-01T00:00'",
        "2023-12-31": "on: 2023-12-31 is before the first day of sickness (2024-03-01); the timeline starts there",
    }
    for value, problem in cases.items():
        r = c.get(f"/v1/candidates/c-1/timeline?on={value}", headers=h)
        assert r.status_code == 422 and r.json()["problems"] == [problem], value
        assert c.get(f"/v1/timelines?on={value}", headers=h).status_code == (200 if value == "2023-12-31" else 422)
    assert c.get("/v1/candidates/c-1/timeline?on=2024-03-01", headers=h).status_code == 200


def test_dates_in_a_candidate_are_iso_dates_in_order(world):
    c, h = world.client, world.h("coach")
    for field, value, problem in [
        ("sick_since", 0, "sick_since: expected a date as YYYY-MM-DD, got 0"),
        ("sick_since", "2024-02-30", "sick_since: '2024-02-30' is not a date (day is out of range for month)"),
    ]:
        r = c.post("/v1/candidates", json=candidate_json(**{field: value}), headers=h)
        assert r.status_code == 422 and r.json()["problems"] == [problem]
    r = c.post("/v1/candidates", json=candidate_json(sick_since="2024-03-01", hours_outlook={
        "hours_per_week": 20, "from": "2024-01-01"}), headers=h)
    assert r.json()["problems"] == ["hours_outlook.from: 2024-01-01 is before sick_since (2024-03-01)"]


def test_nan_and_infinity_are_named_as_such(world):
    body = json.dumps(candidate_json(wishes={"hours_per_week": float("nan")}))
    r = world.client.post("/v1/candidates", content=body, headers={**JSON, **world.h("coach")})
    assert r.json()["problems"] == ["wishes.hours_per_week: must be a finite number, got NaN"]
    body = json.dumps(placement_json(hours_per_week=float("inf")))
    r = world.client.post("/v1/placements", content=body, headers={**JSON, **world.h("employer")})
    assert r.json()["problems"] == ["hours_per_week: must be a finite number, got Infinity"]


def test_an_item_in_full_width_letters_gets_the_usual_path(world):
    r = world.client.post("/v1/candidates", json=candidate_json(capacity={"ＩＶ.１３": 1}), headers=world.h("coach"))
    assert r.json()["problems"] == ["capacity.ＩＶ.１３: unknown FML item"]
    r = world.client.post("/v1/candidates", json=candidate_json(capacity={"IV.99": 1}), headers=world.h("coach"))
    assert r.json()["problems"] == ["capacity.IV.99: unknown FML item"]


def test_an_unknown_query_parameter_is_refused_not_ignored(world):
    r = world.client.get("/v1/candidates?tpo=5", headers=world.h("coach"))
    assert r.status_code == 422
    assert r.json()["problems"] == ["query.tpo: unknown parameter (this operation takes: limit, offset)"]
