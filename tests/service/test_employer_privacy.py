"""An employer token reaches no medical field.

Three proofs: (1) every operation an employer may call is found from the OpenAPI
document's ``x-roles`` (derived from the routes' own role checks), and every
other operation refuses an employer token, so the list is complete; (2) every
response schema of those operations is walked, all ``$ref``s followed, and no
property may carry a name of health data, nor may any object be open (free-form)
except the employer's own work demands; (3) a candidate full of marked health
data is introduced, and no employer answer contains any of the marks.
"""

from __future__ import annotations

import json
import re

from tests.service.conftest import candidate_json, placement_json

# Field names under which health data lives in coach-facing types.
MEDICAL_FIELDS = {
    "capacity", "sick_since", "first_year_evaluation", "spoor2_started", "signal_motivations",
    "excluded", "timeline", "week_of_sickness", "warnings", "spoor2_deadline", "spoor2_earliest", "status_of_health",
    "max_travel_km", "home", "wishes", "verdict", "components", "distance_km", "limits", "diagnosis",
    "belastbaarheid", "medical", "reason",
}
# Coach-facing types: an employer response must not lead to any of them.
COACH_SCHEMAS = {
    "CandidateBody", "CandidateList", "CandidateSuggestions", "Suggestion", "Excluded", "ItemVerdict", "Timeline",
    "TimelineList", "TimelineWarning", "Feedback", "FeedbackList", "IntroductionState", "SignalMotivation",
    "DossierExport", "DossierEvent", "ErasureReceipt",
}
# Free-form objects an employer may receive: only the demands of their own places
# and the adjustments they offer (contract v1.1).
ALLOWED_OPEN = {("PlacementBody", "demands"), ("PlacementBody", "adjustments")}


def _resolve(spec: dict, ref: str) -> tuple[str, dict]:
    name = ref.rsplit("/", 1)[-1]
    return name, spec["components"]["schemas"][name]


def _walk(spec: dict, schema: dict, owner: str, prop: str | None, seen: set, problems: list, trail: str) -> None:
    if "$ref" in schema:
        name, target = _resolve(spec, schema["$ref"])
        if name in COACH_SCHEMAS:
            problems.append(f"{trail} -> {name}: a coach-only type in an employer response")
        if name in seen:
            return
        seen.add(name)
        _walk(spec, target, name, None, seen, problems, f"{trail} -> {name}")
        return
    for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
        for sub in schema.get(key, []):
            _walk(spec, sub, owner, prop, seen, problems, trail)
    if "items" in schema and isinstance(schema["items"], dict):
        _walk(spec, schema["items"], owner, prop, seen, problems, trail)
    open_object = schema.get("additionalProperties") not in (None, False) or (
        schema == {} or (schema.get("type") == "object" and "properties" not in schema))
    if open_object and (owner, prop) not in ALLOWED_OPEN:
        problems.append(f"{trail}.{prop}: a free-form object could carry anything")
    if isinstance(schema.get("additionalProperties"), dict):
        _walk(spec, schema["additionalProperties"], owner, prop, seen, problems, trail)
    for name, sub in schema.get("properties", {}).items():
        if name.lower() in MEDICAL_FIELDS:
            problems.append(f"{trail}.{name}: a health-data field in an employer response")
        _walk(spec, sub, owner, name, seen, problems, f"{trail}.{name}")


def _operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, op


def test_every_response_schema_an_employer_can_reach_is_free_of_health_data(world):
    spec = world.app.openapi()
    reachable = [(p, m, op) for p, m, op in _operations(spec) if {"employer", "public"} & set(op["x-roles"])]
    assert len(reachable) >= 10
    problems: list[str] = []
    for path, method, op in reachable:
        for status, response in op.get("responses", {}).items():
            for media in response.get("content", {}).values():
                _walk(spec, media.get("schema", {}), "(inline)", None, set(), problems,
                      f"{method.upper()} {path} {status}")
    assert problems == []


def test_the_walk_would_catch_a_leak(world):
    """The walk itself works: it flags the coach's candidate type."""
    spec = world.app.openapi()
    problems: list[str] = []
    _walk(spec, {"$ref": "#/components/schemas/CandidateBody"}, "(inline)", None, set(), problems, "Candidate")
    assert any(".capacity:" in p for p in problems) and any(".sick_since:" in p for p in problems)
    problems = []
    _walk(spec, {"$ref": "#/components/schemas/FeedbackList"}, "(inline)", None, set(), problems, "FeedbackList")
    assert any("IntroductionState: a coach-only type" in p for p in problems)


def _fill(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def test_operations_outside_the_employer_list_refuse_an_employer_token(world):
    spec = world.app.openapi()
    for path, method, op in _operations(spec):
        roles = set(op["x-roles"])
        r = world.client.request(method, _fill(path), headers=world.h("employer"), json={})
        if "employer" in roles or "public" in roles:
            assert r.status_code != 403, (method, path)
        else:
            assert r.status_code == 403, (method, path, r.status_code)


SECRET_DATE = "2024-02-29"
MARKS = ["GEHEIM-WENS", "GEHEIM-MOTIVATIE-ITEM", SECRET_DATE, "belastbaarheid", "Belastbaarheid", "capacity",
         "II.8", "sick_since", "signal", "6511"]


def test_no_employer_answer_carries_health_data(world):
    c = world.client
    cand = candidate_json(
        capacity={"V.3": 1, "II.8": 1, "VI.2": 1}, sick_since=SECRET_DATE, first_year_evaluation="2025-02-20",
        wishes={"kinds": ["vacature"], "hours_per_week": 20, "text": "GEHEIM-WENS na de operatie"},
    )
    assert c.post("/v1/candidates", json=cand, headers=world.h("coach")).status_code == 201
    c.post("/v1/placements", json=placement_json(id="p-1", demands={"V.3": 1}), headers=world.h("employer"))
    r = c.post("/v1/candidates/c-1/feedback", headers=world.h("coach"), json={
        "placement_id": "p-1", "code": "introduced", "motivation": "Ervaren gastvrouw, wil graag aan de balie.",
        "signal_motivations": {"V.3": "GEHEIM-MOTIVATIE-ITEM: afwisselen met zitten"}})
    assert r.status_code == 201, r.text
    iid = r.json()["introduction"]["id"]
    answers = [
        c.get("/v1/introductions", headers=world.h("employer")),
        c.get(f"/v1/introductions/{iid}", headers=world.h("employer")),
        c.get("/v1/placements/p-1/introductions", headers=world.h("employer")),
        c.post(f"/v1/introductions/{iid}/decision", json={"decision": "interested"}, headers=world.h("employer")),
        c.get("/v1/placements", headers=world.h("employer")),
        c.get("/v1/placements/p-1", headers=world.h("employer")),
        c.get("/v1/me", headers=world.h("employer")),
    ]
    for answer in answers:
        assert answer.status_code == 200
        text = json.dumps(answer.json(), ensure_ascii=False)
        if "/placements" in str(answer.url) and "introductions" not in str(answer.url):
            continue  # the employer's own place (its postcode may match); no candidate in it
        for mark in MARKS:
            assert mark not in text, (str(answer.url), mark)
    profile = answers[1].json()["candidate"]
    assert set(profile) == {"pseudonym", "experience", "education", "skills"}


OUTLOOK_DATE = "2027-03-01"


def test_an_adjusted_introduction_tells_the_employer_what_to_change_never_why(world):
    """Contract v1.1: the place fits only with its adjustments and a start with fewer hours.
    The employer reads which adjustments are asked; not the limits they cure, not the
    reasons, not the bedrijfsarts' prognosis, not the former wage."""
    c = world.client
    cand = candidate_json(
        capacity={"IV.13": 2, "VI.2": 3, "VI.3": 3, "II.8": 1}, sick_since=SECRET_DATE,
        employer_id="e-9", former_work={"title": "Gastvrouw", "hours_per_week": 32, "hourly_wage": 15.85},
        hours_outlook={"hours_per_week": 28, "from": OUTLOOK_DATE},
        wishes={"kinds": ["werkervaringsplek"], "text": "GEHEIM-WENS na de operatie"})
    assert c.post("/v1/candidates", json=cand, headers=world.h("coach")).status_code == 201
    place = placement_json(id="p-1", kind="werkervaringsplek", hours_per_week=24, hours_per_day=6,
                           start_hours_per_week=12, demands={"IV.13": 1},
                           adjustments={"IV.13": 2, "hours_per_day": 4}, hourly_wage={"min": 14.0})
    assert c.post("/v1/placements", json=place, headers=world.h("employer")).status_code == 201
    r = c.post("/v1/candidates/c-1/feedback", headers=world.h("coach"), json={
        "placement_id": "p-1", "code": "introduced", "motivation": "Ervaren gastvrouw, wil graag aan de balie."})
    assert r.status_code == 201, r.text
    intro = r.json()["introduction"]
    conditions = intro["conditions"]
    assert {(x["kind"], x["item"]) for x in conditions} == {("aanpassing", "IV.13"), ("aanpassing", "VI.2"),
                                                            ("opbouw", "VI.3")}
    iid = intro["id"]
    answers = [
        c.get("/v1/introductions", headers=world.h("employer")),
        c.get(f"/v1/introductions/{iid}", headers=world.h("employer")),
        c.get("/v1/placements/p-1/introductions", headers=world.h("employer")),
        c.post(f"/v1/introductions/{iid}/decision", json={"decision": "interested"}, headers=world.h("employer")),
    ]
    marks = MARKS + [x["reason"] for x in conditions] + [
        "bedrijfsarts", OUTLOOK_DATE, "maart 2027", "28 uur", "hours_outlook", "former_work", "15.85", "15,85",
        "e-9", "opbouw", "aanpassing", "verdict", "reason", "Past als", "VI.2", "VI.3", "IV.13", '"from"',
        "II.8", "Omgaan met conflicten", "kan ", "oude loon"]
    for answer in answers:
        assert answer.status_code == 200
        text = json.dumps(answer.json(), ensure_ascii=False)
        for mark in marks:
            assert mark not in text, (str(answer.url), mark)
    seen = answers[1].json()
    from matching.constraints.reasons import employer_wording
    from matching.contract.models import Condition

    assert seen["adjustments"] == [employer_wording(Condition.model_validate(x)) for x in conditions]
    assert len(seen["adjustments"]) == 3
    assert set(seen) == {"id", "placement_id", "placement_title", "introduced_at", "candidate", "motivation",
                         "why_it_fits", "adjustments", "decision", "decision_note", "decided_at"}
