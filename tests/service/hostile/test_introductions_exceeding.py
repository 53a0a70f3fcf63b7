"""An employer raises a place's demands above an introduced candidate's limits: the coach hears of it.

The introduction was checked when the coach made it; the employer may change the
place afterwards (PUT or PATCH). The coach's digest lists every standing
introduction whose place now exceeds the belastbaarheid, with the items, computed
on read; the candidate's dossier records the change. The employer's answers stay
exactly as they were: nothing medical, no word of the limits.
"""

from __future__ import annotations

import csv
import io
import json

from service.introductions_exceeding import EVENT_EXCEEDS, EVENT_WITHIN, HEADLINE
from tests.service.conftest import candidate_json, placement_json

MOTIVATION = "Zes jaar ervaring met gasten; zoekt een rustige baliefunctie."
LIFTING_REASON = "Tillen: kan ongeveer 5 kg (t/m 50×/u), het werk vraagt ongeveer 10 kg (t/m 10×/u)"


def _introduce(world, placement_id: str, cid: str = "c-1") -> str:
    r = world.client.post(f"/v1/candidates/{cid}/feedback", headers=world.h("coach"), json={
        "placement_id": placement_id, "code": "introduced", "motivation": MOTIVATION})
    assert r.status_code == 201, r.text
    return r.json()["introduction"]["id"]


def _setup(world, *place_ids: str) -> dict[str, str]:
    c = world.client
    cand = candidate_json(capacity={"IV.13": 2, "VI.3": 3, "VI.1": [1]})
    assert c.post("/v1/candidates", json=cand, headers=world.h("coach")).status_code == 201
    intros = {}
    for pid in place_ids or ("p-1",):
        place = placement_json(id=pid, hours_per_week=16, hours_per_day=4, demands={})
        assert c.post("/v1/placements", json=place, headers=world.h("employer")).status_code == 201
        intros[pid] = _introduce(world, pid)
    return intros


def _patch(world, pid: str, patch: dict):
    r = world.client.patch(f"/v1/placements/{pid}", json=patch, headers=world.h("employer"))
    assert r.status_code == 200, r.text
    return r


def _digest(world, who: str = "coach") -> list[dict]:
    r = world.client.get("/v1/coach/digest", headers=world.h(who))
    assert r.status_code == 200, r.text
    return r.json()["introductions_exceeding"]


def _csv(world) -> list[dict]:
    r = world.client.get("/v1/coach/digest", params={"format": "csv"}, headers=world.h("coach"))
    assert r.status_code == 200
    return list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))


def _events(world, kind: str, cid: str = "c-1") -> list[dict]:
    r = world.client.get(f"/v1/candidates/{cid}/dossier", headers=world.h("coach"))
    return [e for e in r.json()["events"] if e["kind"] == kind]


def test_a_demand_raised_above_a_limit_shows_in_the_digest_and_the_dossier(world):
    intros = _setup(world)
    assert _digest(world) == []
    _patch(world, "p-1", {"demands": {"IV.13": 1}})

    [flag] = _digest(world)
    assert flag["candidate_id"] == "c-1" and flag["placement_id"] == "p-1"
    assert flag["introduction_id"] == intros["p-1"] and flag["organisation_id"] == "e-1"
    assert [(it["item"], it["verdict"], it["reason"]) for it in flag["items"]] == [("IV.13", "exceed", LIFTING_REASON)]
    assert flag["text"] == f"{HEADLINE}: {LIFTING_REASON}"

    rows = [r for r in _csv(world) if r["reason"] == "introduction_exceeds"]
    assert [(r["candidate_id"], r["placement_id"], r["change"], r["text"]) for r in rows] == [
        ("c-1", "p-1", "voorgesteld, vraagt nu te veel", f"{HEADLINE}: {LIFTING_REASON}")]

    [event] = _events(world, EVENT_EXCEEDS)
    assert event["actor_role"] == "employer" and "tillen" in event["summary"]
    assert [it["item"] for it in event["data"]["items"]] == ["IV.13"]
    assert event["data"]["introduction_id"] == intros["p-1"] and event["data"]["previously_exceeded"] == []
    # Another coach's digest does not carry this coach's candidate.
    assert _digest(world, "coach2") == []


def test_hours_and_evening_work_beyond_the_limits_are_named(world):
    _setup(world)
    body = placement_json(id="p-1", hours_per_week=28, hours_per_day=4, evening=True, demands={})
    assert world.client.put("/v1/placements/p-1", json=body, headers=world.h("employer")).status_code == 200
    [flag] = _digest(world)
    assert {it["item"] for it in flag["items"]} == {"VI.3", "VI.1"}
    assert "avondwerk" in flag["text"] and "28 uur" in flag["text"]


def test_a_place_changed_back_within_the_limits_is_no_longer_flagged(world):
    _setup(world)
    _patch(world, "p-1", {"demands": {"IV.13": 1}})
    assert len(_digest(world)) == 1
    _patch(world, "p-1", {"demands": {"IV.13": None}})
    assert _digest(world) == []
    assert not [r for r in _csv(world) if r["reason"] == "introduction_exceeds"]
    [back] = _events(world, EVENT_WITHIN)
    assert back["data"]["previously_exceeded"] == ["IV.13"] and back["data"]["items"] == []
    # A change that exceeds nothing new writes nothing more.
    _patch(world, "p-1", {"title": "Receptie"})
    assert len(_events(world, EVENT_EXCEEDS)) == 1 and len(_events(world, EVENT_WITHIN)) == 1


def test_closed_places_and_withdrawn_or_rejected_introductions_are_not_flagged(world):
    intros = _setup(world, "p-closed", "p-withdrawn", "p-rejected", "p-open")
    c = world.client
    r = c.post("/v1/candidates/c-1/feedback", headers=world.h("coach"),
               json={"placement_id": "p-withdrawn", "code": "withdrawn"})
    assert r.status_code == 201, r.text
    r = c.post(f"/v1/introductions/{intros['p-rejected']}/decision", json={"decision": "rejected"},
               headers=world.h("employer"))
    assert r.status_code == 200
    for pid in intros:
        _patch(world, pid, {"demands": {"IV.13": 0}})
    assert [f["placement_id"] for f in _digest(world)] == ["p-closed", "p-open"]
    assert c.post("/v1/placements/p-closed/close", headers=world.h("employer")).status_code == 200
    assert [f["placement_id"] for f in _digest(world)] == ["p-open"]
    # Only the standing introductions got a dossier event.
    assert sorted(e["data"]["placement_id"] for e in _events(world, EVENT_EXCEEDS)) == ["p-closed", "p-open"]
    # Reopened as it is, the place asks too much again.
    _patch(world, "p-closed", {"status": "open"})
    assert [f["placement_id"] for f in _digest(world)] == ["p-closed", "p-open"]


def test_the_employer_sees_nothing_of_it(world):
    intros = _setup(world)
    c, e = world.client, world.h("employer")
    before = c.get(f"/v1/introductions/{intros['p-1']}", headers=e).json()
    # The answer to the change is the place itself, nothing about the introduced candidate.
    answer = _patch(world, "p-1", {"demands": {"IV.13": 1}}).json()
    assert answer == c.get("/v1/placements/p-1", headers=e).json()
    after = [
        c.get(f"/v1/introductions/{intros['p-1']}", headers=e),
        c.get("/v1/introductions", headers=e),
        c.get("/v1/placements/p-1/introductions", headers=e),
    ]
    assert after[0].json() == before
    marks = ["Tillen", "tillen", "IV.13", "5 kg", "belastbaarheid", "capacity", "exceed", "VI.3", "VI.1",
             HEADLINE, LIFTING_REASON, "voorgesteld, vraagt"]
    for r in after:
        assert r.status_code == 200
        text = json.dumps(r.json(), ensure_ascii=False)
        for mark in marks:
            assert mark not in text, (str(r.url), mark)
    assert c.get("/v1/coach/digest", headers=e).status_code == 403


def test_the_change_is_kept_when_the_check_fails(world, monkeypatch):
    """The dossier event is best effort: the employer's change never fails because of it."""
    _setup(world)

    def broken(*args, **kwargs):
        raise RuntimeError("engine down")

    monkeypatch.setattr(world.engine, "check_many", broken)
    _patch(world, "p-1", {"demands": {"IV.13": 1}})
    assert world.client.get("/v1/placements/p-1", headers=world.h("employer")).json()["demands"] == {"IV.13": 1}
    assert _events(world, EVENT_EXCEEDS) == []
    monkeypatch.undo()
    assert [f["placement_id"] for f in _digest(world)] == ["p-1"]
