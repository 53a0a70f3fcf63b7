"""Suggestions: the contract's objects, filters, explanations, and what the dossier keeps."""

from __future__ import annotations

from matching.contract.models import CandidateSuggestions
from tests.service.conftest import candidate_json, placement_json


def _setup(world):
    c, e = world.client, world.h("employer")
    c.post("/v1/candidates", json=candidate_json(capacity={"IV.13": 2, "V.3": 1}), headers=world.h("coach"))
    c.post("/v1/placements", json=placement_json(id="p-ok"), headers=e)
    c.post("/v1/placements", json=placement_json(id="p-edge", kind="werkervaringsplek", demands={"V.3": 1}), headers=e)
    c.post("/v1/placements", json=placement_json(id="p-heavy", demands={"IV.13": 1}), headers=e)


def test_contract_objects_with_explanations(world):
    _setup(world)
    r = world.client.get("/v1/candidates/c-1/suggestions?top=5", headers=world.h("coach"))
    assert r.status_code == 200
    result = CandidateSuggestions.model_validate(r.json())
    # Two places fit where five were asked for: the nearest miss comes along, with its reason.
    assert result.feasible == 2 and [e.placement_id for e in result.excluded] == ["p-heavy"]
    full = world.client.get("/v1/candidates/c-1/suggestions?top=2", headers=world.h("coach")).json()
    assert "excluded" not in full and full["feasible"] == 2
    by_id = {s.placement_id: s for s in result.suggestions}
    assert set(by_id) == {"p-ok", "p-edge"}  # the heavy one exceeds a limit
    assert [s.rank for s in result.suggestions] == [1, 2]
    edge = by_id["p-edge"]
    assert edge.verdict == "signal" and [it.item for it in edge.items] == ["V.3"]
    assert all(s.explanation for s in result.suggestions)


def test_kind_top_and_explain_excluded(world):
    _setup(world)
    c, h = world.client, world.h("coach")
    only = c.get("/v1/candidates/c-1/suggestions?kind=werkervaringsplek", headers=h).json()
    assert [s["placement_id"] for s in only["suggestions"]] == ["p-edge"]
    both = c.get("/v1/candidates/c-1/suggestions?kind=werkervaringsplek&kind=vacature&top=1", headers=h).json()
    assert len(both["suggestions"]) == 1
    ex = c.get("/v1/candidates/c-1/suggestions?explain_excluded=true", headers=h).json()
    assert [e["placement_id"] for e in ex["excluded"]] == ["p-heavy"]
    assert ex["excluded"][0]["items"][0]["item"] == "IV.13"
    for bad in ("top=0", "top=101", "top=abc", "kind=stage", "explain_excluded=misschien"):
        r = c.get(f"/v1/candidates/c-1/suggestions?{bad}", headers=h)
        assert r.status_code == 422, bad
        assert r.json()["problems"][0].split(":")[0] in ("top", "kind.0", "explain_excluded"), r.json()


def test_feedback_hides_places_until_undone(world):
    _setup(world)
    c, h = world.client, world.h("coach")
    r = c.post("/v1/candidates/c-1/feedback", json={"placement_id": "p-ok", "code": "not_relevant", "why": "reistijd"},
               headers=h)
    assert r.status_code == 201, r.text
    ids = [s["placement_id"] for s in c.get("/v1/candidates/c-1/suggestions", headers=h).json()["suggestions"]]
    assert ids == ["p-edge"]
    c.post(f"/v1/candidates/c-1/feedback/{r.json()['id']}/undo", headers=h)
    ids = [s["placement_id"] for s in c.get("/v1/candidates/c-1/suggestions", headers=h).json()["suggestions"]]
    assert set(ids) == {"p-ok", "p-edge"}


def test_the_dossier_records_what_was_served_and_to_whom(world):
    _setup(world)
    c, h = world.client, world.h("coach")
    served = c.get("/v1/candidates/c-1/suggestions?top=2", headers=h).json()
    events = c.get("/v1/candidates/c-1/dossier", headers=h).json()["events"]
    ev = [e for e in events if e["kind"] == "suggestions_served"][-1]
    assert ev["actor"] == "Coach Anna"
    assert ev["data"]["served_to"] == {"user_id": world.user_ids["coach"], "name": "Coach Anna"}
    assert [s["placement_id"] for s in ev["data"]["suggestions"]] == [s["placement_id"] for s in served["suggestions"]]
