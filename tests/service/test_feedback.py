"""Feedback with reason codes, undo, and introductions with a motivation per signalled item."""

from __future__ import annotations

from sqlalchemy import func, select

from service.tables import FeedbackRow, IntroductionRow
from tests.service.conftest import candidate_json, placement_json

MOTIVATION = "Zes jaar ervaring met gasten; zoekt een rustige baliefunctie."


def _setup(world):
    c = world.client
    c.post("/v1/candidates", json=candidate_json(capacity={"IV.13": 2, "V.3": 1, "III.6": 1}), headers=world.h("coach"))
    e = world.h("employer")
    c.post("/v1/placements", json=placement_json(id="p-ok"), headers=e)
    c.post("/v1/placements", json=placement_json(id="p-edge", demands={"V.3": 1, "III.6": True}), headers=e)
    c.post("/v1/placements", json=placement_json(id="p-heavy", demands={"IV.13": 1}), headers=e)


def _fb(world, body, who="coach", cid="c-1"):
    return world.client.post(f"/v1/candidates/{cid}/feedback", json=body, headers=world.h(who))


def test_every_code_is_accepted_and_listed(world):
    _setup(world)
    codes = ["interesting", "applied", "detachering_started", "placed", "rejected_by_employer", "withdrawn"]
    for code in codes:
        assert _fb(world, {"placement_id": "p-ok", "code": code}).status_code == 201, code
    for why in ("werk", "reistijd", "uren", "belasting", "anders"):
        r = _fb(world, {"placement_id": "p-ok", "code": "not_relevant", "why": why, "note": "te ver"})
        assert r.status_code == 201
    items = world.client.get("/v1/candidates/c-1/feedback", headers=world.h("coach")).json()["items"]
    assert [i["code"] for i in items] == codes + ["not_relevant"] * 5
    assert items[-1]["why"] == "anders" and items[-1]["created_by"] == "Coach Anna"


def test_refusals_name_the_field(world):
    _setup(world)
    cases = [
        ({"placement_id": "p-ok", "code": "not_relevant"},
         "why: required with not_relevant; one of werk, reistijd, uren, belasting, anders"),
        ({"placement_id": "p-ok", "code": "interesting", "why": "werk"}, "why: only given with not_relevant"),
        ({"placement_id": "p-ok", "code": "not_relevant", "why": "saai"},
         "why: Input should be 'werk', 'reistijd', 'uren', 'belasting' or 'anders'"),
        ({"placement_id": "p-ok", "code": "geweldig"}, None),
        ({"placement_id": "p-nope", "code": "interesting"}, "placement_id: no place with this id"),
        ({"placement_id": "p-ok", "code": "applied", "motivation": "x" * 20}, "motivation: only given with introduced"),
    ]
    for body, expected in cases:
        r = _fb(world, body)
        assert r.status_code == 422, body
        if expected:
            assert r.json()["problems"] == [expected]
    with world.db.read() as s:
        assert s.execute(select(func.count()).select_from(FeedbackRow)).scalar_one() == 0


def test_introduction_needs_a_motivation_per_signalled_item(world):
    _setup(world)
    r = _fb(world, {"placement_id": "p-edge", "code": "introduced", "motivation": MOTIVATION})
    assert r.status_code == 422
    problems = r.json()["problems"]
    assert len(problems) == 2
    assert problems[0].startswith("signal_motivations.V.3: a written motivation is required for this signalled item")
    assert problems[1].startswith("signal_motivations.III.6: a written motivation is required")
    r = _fb(world, {"placement_id": "p-edge", "code": "introduced", "motivation": MOTIVATION,
                    "signal_motivations": {"V.3": "ok", "III.6": "Rustige plek, geen lawaai van de werkvloer.",
                                           "IV.13": "Tillen komt niet voor in dit werk."}})
    assert r.status_code == 422
    assert r.json()["problems"][0].startswith("signal_motivations.V.3: a written motivation is required")
    assert r.json()["problems"][1] == "signal_motivations.IV.13: not a signalled item of this place"
    with world.db.read() as s:
        assert s.execute(select(func.count()).select_from(IntroductionRow)).scalar_one() == 0

    motivations = {"V.3": "Staan wisselt af met zitten achter de balie.",
                   "III.6": "Rustige receptie, geen lawaai van de werkvloer."}
    r = _fb(world, {"placement_id": "p-edge", "code": "introduced", "motivation": MOTIVATION,
                    "signal_motivations": motivations})
    assert r.status_code == 201, r.text
    intro = r.json()["introduction"]
    assert intro["active"] and intro["motivation"] == MOTIVATION
    assert {k: v["motivation"] for k, v in intro["signal_motivations"].items()} == motivations
    assert intro["signal_motivations"]["V.3"]["reason"].startswith("Staan")
    # Stored with the introduction, in the dossier.
    events = world.client.get("/v1/candidates/c-1/dossier", headers=world.h("coach")).json()["events"]
    recorded = next(e for e in events if e["kind"] == "introduction")
    assert {k: v["motivation"] for k, v in recorded["data"]["signal_motivations"].items()} == motivations
    # Twice is refused.
    r = _fb(world, {"placement_id": "p-edge", "code": "introduced", "motivation": MOTIVATION,
                    "signal_motivations": motivations})
    assert r.json()["problems"] == ["placement_id: the candidate is already introduced to this place"]


def test_a_place_beyond_a_limit_cannot_be_introduced(world):
    _setup(world)
    r = _fb(world, {"placement_id": "p-heavy", "code": "introduced", "motivation": MOTIVATION})
    assert r.status_code == 422
    assert r.json()["problems"][0].startswith("placement_id: exceeds the belastbaarheid: Tillen")
    world.client.post("/v1/placements/p-ok/close", headers=world.h("employer"))
    r = _fb(world, {"placement_id": "p-ok", "code": "introduced", "motivation": MOTIVATION})
    assert r.json()["problems"] == ["placement_id: the place is not open or has no free position"]


def test_employer_sees_the_introduction_and_undo_withdraws_it(world):
    _setup(world)
    c = world.client
    r = _fb(world, {"placement_id": "p-ok", "code": "introduced", "motivation": MOTIVATION})
    assert r.status_code == 201, r.text
    fid, iid = r.json()["id"], r.json()["introduction"]["id"]
    seen = c.get("/v1/introductions", headers=world.h("employer")).json()["items"]
    assert [i["id"] for i in seen] == [iid]
    assert seen[0]["motivation"] == MOTIVATION
    assert seen[0]["candidate"]["pseudonym"].startswith("Kandidaat ")
    assert seen[0]["why_it_fits"]
    assert c.get(f"/v1/introductions/{iid}", headers=world.h("employer")).status_code == 200
    assert c.get(f"/v1/introductions/{iid}", headers=world.h("employer2")).status_code == 404
    assert c.get("/v1/placements/p-ok/introductions", headers=world.h("employer")).json()["items"][0]["id"] == iid
    avail = c.get("/v1/placements/p-ok/availability", headers=world.h("coach")).json()
    assert avail["active_introductions"] == 1 and avail["contested"] is True

    r = c.post(f"/v1/candidates/c-1/feedback/{fid}/undo", headers=world.h("coach"))
    assert r.status_code == 200 and r.json()["undone_at"] and r.json()["introduction"]["active"] is False
    assert c.get("/v1/introductions", headers=world.h("employer")).json()["items"] == []
    assert c.get(f"/v1/introductions/{iid}", headers=world.h("employer")).status_code == 404
    r = c.post(f"/v1/candidates/c-1/feedback/{fid}/undo", headers=world.h("coach"))
    assert r.status_code == 422 and r.json()["problems"] == ["feedback_id: this feedback is already undone"]
    assert c.post("/v1/candidates/c-1/feedback/999999/undo", headers=world.h("coach")).status_code == 404
    kinds = [e["kind"] for e in c.get("/v1/candidates/c-1/dossier", headers=world.h("coach")).json()["events"]]
    assert kinds.count("feedback") == 1 and kinds.count("feedback_undone") == 1


def test_withdrawn_and_its_undo(world):
    _setup(world)
    c = world.client
    r = _fb(world, {"placement_id": "p-ok", "code": "introduced", "motivation": MOTIVATION})
    w = _fb(world, {"placement_id": "p-ok", "code": "withdrawn", "note": "kandidaat ziet ervan af"})
    assert w.json()["introduction"]["active"] is False
    assert c.get("/v1/introductions", headers=world.h("employer")).json()["items"] == []
    c.post(f"/v1/candidates/c-1/feedback/{w.json()['id']}/undo", headers=world.h("coach"))
    assert [i["id"] for i in c.get("/v1/introductions", headers=world.h("employer")).json()["items"]] == \
        [r.json()["introduction"]["id"]]


def test_employer_decision_reaches_the_coach(world):
    _setup(world)
    c = world.client
    r = _fb(world, {"placement_id": "p-ok", "code": "introduced", "motivation": MOTIVATION})
    iid = r.json()["introduction"]["id"]
    r = c.post(f"/v1/introductions/{iid}/decision", json={"decision": "rejected", "note": "Te weinig ervaring"},
               headers=world.h("employer"))
    assert r.status_code == 200 and r.json()["decision"] == "rejected"
    assert c.post(f"/v1/introductions/{iid}/decision", json={"decision": "rejected"},
                  headers=world.h("employer2")).status_code == 404
    items = c.get("/v1/candidates/c-1/feedback", headers=world.h("coach")).json()["items"]
    assert items[-1]["code"] == "rejected_by_employer" and items[-1]["created_by"] == "HR e-1"
    assert items[0]["introduction"]["decision"] == "rejected"
    ids = [s["placement_id"] for s in c.get("/v1/candidates/c-1/suggestions", headers=world.h("coach"))
           .json()["suggestions"]]
    assert "p-ok" not in ids
    # Changing the mind brings the place back.
    c.post(f"/v1/introductions/{iid}/decision", json={"decision": "interested"}, headers=world.h("employer"))
    ids = [s["placement_id"] for s in c.get("/v1/candidates/c-1/suggestions", headers=world.h("coach"))
           .json()["suggestions"]]
    assert "p-ok" in ids


def test_same_employer_same_pseudonym_other_employer_other(world):
    _setup(world)
    c = world.client
    c.post("/v1/placements", json=placement_json(id="p-ok2"), headers=world.h("employer"))
    c.post("/v1/placements", json=placement_json(id="p-other", employer_id="e-2"), headers=world.h("employer2"))
    for pid in ("p-ok", "p-ok2", "p-other"):
        assert _fb(world, {"placement_id": pid, "code": "introduced", "motivation": MOTIVATION}).status_code == 201
    def pseudonyms(who):
        return {i["candidate"]["pseudonym"] for i in c.get("/v1/introductions", headers=world.h(who)).json()["items"]}

    mine, other = pseudonyms("employer"), pseudonyms("employer2")
    assert len(mine) == 1 and len(other) == 1 and mine != other
