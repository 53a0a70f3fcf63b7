"""One id rule for every resource, tried as an attacker would.

An id that a URL path cannot carry (``p-slash/1``: Starlette decodes %2F before
routing; ``c/../x`` collapses) made a record that could be created but never
read, changed, closed or erased; ids with invisible characters made two ids look
alike. New ids now follow the rule of ``matching.contract.ids``; records stored
before it stay reachable through the ``~`` path form of ``service.ids``.
"""

from __future__ import annotations

import base64

import pytest
from sqlalchemy import func, select

from matching.contract.ids import ID_PATTERN, ID_RULE
from service.ids import PATH_PATTERN, from_path, path_id
from service.rematch import RematchOptions, run_rematch
from service.tables import CandidateRow, DossierEventRow, PlacementRow
from tests.conftest import HashingEncoder
from tests.service.conftest import candidate_json, placement_json
from tests.service.hostile.legacy import insert_candidate, insert_place

# (id, what the refusal says about it before the rule itself)
HOSTILE = [
    ("p-slash/1", "'p-slash/1' has '/'"),
    ("c/../x", "'c/../x' has '/'"),
    ("c\u200bx", "'c\\u200bx' has '\\u200b'"),
    ("c\u202ex", "'c\\u202ex' has '\\u202e'"),
    (".", "'.' starts with '.'"),
    ("..", "'..' starts with '.'"),
    ("~x", "'~x' starts with '~'"),
    ("x" * 129, f"'{'x' * 40}…' is 129 characters long"),
]
LEGACY_PLACE, LEGACY_CANDIDATE = "p-slash/1", "c/../x"


def _counts(world) -> tuple[int, ...]:
    with world.db.read() as s:
        return tuple(s.execute(select(func.count()).select_from(t)).scalar_one()
                     for t in (CandidateRow, PlacementRow, DossierEventRow))


def _tilde(record_id: str) -> str:
    return "~" + base64.urlsafe_b64encode(record_id.encode()).decode().rstrip("=")


def test_path_id_is_the_id_when_it_conforms_and_the_tilde_form_otherwise():
    assert path_id("p-0107") == "p-0107" and path_id("a.b_c~d-1") == "a.b_c~d-1"
    for odd in (LEGACY_PLACE, LEGACY_CANDIDATE, "c 1", "kandidaat-é", "日本", "c\u202ex", ".."):
        assert path_id(odd) == _tilde(odd) and from_path(path_id(odd)) == odd
    assert path_id(LEGACY_PLACE) == "~cC1zbGFzaC8x"
    # One spelling per id: a second one, padding, or what no id was stored as names nothing.
    for bad in ("~YzE", "~cC1zbGFzaC8x=", "~YwB4", "~", "~!!", "c 1", "..", ""):
        with pytest.raises(ValueError):
            from_path(bad)


def test_posting_a_hostile_id_is_refused_naming_the_field_and_nothing_is_written(world):
    c = world.client
    before = _counts(world)
    for bad, reason in HOSTILE:
        expected = [f"id: {reason}; {ID_RULE}"]
        r = c.post("/v1/candidates", json=candidate_json(id=bad), headers=world.h("coach"))
        assert r.status_code == 422 and r.json()["problems"] == expected, (bad, r.text)
        r = c.post("/v1/placements", json=placement_json(id=bad), headers=world.h("employer"))
        assert r.status_code == 422 and r.json()["problems"] == expected, (bad, r.text)
        r = c.post("/v1/candidates", json=candidate_json(employer_id=bad), headers=world.h("coach"))
        assert r.status_code == 422 and r.json()["problems"] == [f"employer_id: {reason}; {ID_RULE}"], bad
        r = c.post("/v1/placements", json=placement_json(employer_id=bad), headers=world.h("employer"))
        assert r.status_code == 422 and r.json()["problems"] == [f"employer_id: {reason}; {ID_RULE}"], bad
        r = c.post("/v1/admin/organisations", json={"id": bad, "name": "Kwaad BV"}, headers=world.h("admin"))
        assert r.status_code == 422 and r.json()["problems"] == expected, bad
    assert _counts(world) == before
    assert [o["id"] for o in c.get("/v1/admin/organisations", headers=world.h("admin")).json()["items"]] \
        == ["e-1", "e-2"]


def test_put_and_patch_cannot_give_a_record_a_hostile_id(world):
    c, hc, he = world.client, world.h("coach"), world.h("employer")
    assert c.post("/v1/candidates", json=candidate_json(id="c-1"), headers=hc).status_code == 201
    assert c.post("/v1/placements", json=placement_json(id="p-1"), headers=he).status_code == 201
    before = _counts(world), c.get("/v1/candidates/c-1", headers=hc).json(), c.get("/v1/placements/p-1",
                                                                                  headers=he).json()
    for bad, reason in HOSTILE:
        for method, path, body, h in (
            ("PUT", "/v1/candidates/c-1", candidate_json(id=bad), hc),
            ("PATCH", "/v1/candidates/c-1", {"id": bad}, hc),
            ("PUT", "/v1/placements/p-1", placement_json(id=bad), he),
            ("PATCH", "/v1/placements/p-1", {"id": bad}, he),
        ):
            r = c.request(method, path, json=body, headers=h)
            assert r.status_code == 422 and r.json()["problems"] == [f"id: {reason}; {ID_RULE}"], (method, path, bad)
        r = c.patch("/v1/candidates/c-1", json={"employer_id": bad}, headers=hc)
        assert r.status_code == 422 and r.json()["problems"] == [f"employer_id: {reason}; {ID_RULE}"], bad
    assert (_counts(world), c.get("/v1/candidates/c-1", headers=hc).json(),
            c.get("/v1/placements/p-1", headers=he).json()) == before


def test_a_path_segment_that_names_no_id_is_refused_naming_the_parameter(world):
    c = world.client
    r = c.get("/v1/candidates/c%20x", headers=world.h("coach"))
    assert r.status_code == 422 and r.json()["problems"][0].startswith("candidate_id: 'c x' has ' '; ")
    r = c.get("/v1/placements/~YzE", headers=world.h("coach"))  # "c1" has one spelling: c1
    assert r.status_code == 422 and r.json()["problems"][0].startswith("placement_id: '~YzE' names 'c1'")
    assert c.get(f"/v1/candidates/{_tilde('nobody/here')}", headers=world.h("coach")).status_code == 404


def test_a_legacy_candidate_is_listed_read_changed_and_erased_through_the_tilde_form(world):
    c, h = world.client, world.h("coach")
    insert_candidate(world, LEGACY_CANDIDATE)
    url = f"/v1/candidates/{_tilde(LEGACY_CANDIDATE)}"
    assert LEGACY_CANDIDATE in [i["id"] for i in c.get("/v1/candidates", headers=h).json()["items"]]
    assert c.get(url, headers=h).json()["id"] == LEGACY_CANDIDATE
    assert c.get(f"{url}/timeline", headers=h).json()["candidate_id"] == LEGACY_CANDIDATE

    r = c.patch(url, json={"max_travel_km": 30}, headers=h)
    assert r.status_code == 200 and r.json()["id"] == LEGACY_CANDIDATE and r.json()["max_travel_km"] == 30
    r = c.put(url, json=candidate_json(id=LEGACY_CANDIDATE, max_travel_km=40), headers=h)
    assert r.status_code == 200 and r.json()["max_travel_km"] == 40
    # Keeping the old id is not a licence for another one.
    r = c.patch(url, json={"id": "c/../y"}, headers=h)
    assert r.status_code == 422 and r.json()["problems"][0].startswith("id: 'c/../y' has '/'")
    assert c.get(f"{url}/suggestions", headers=h).status_code == 200

    r = c.delete(url, params={"confirm": "true"}, headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["erased_candidate_id"] == LEGACY_CANDIDATE
    assert c.get(url, headers=h).status_code == 404
    with world.db.read() as s:
        assert s.execute(select(func.count()).select_from(CandidateRow)
                         .where(CandidateRow.id == LEGACY_CANDIDATE)).scalar_one() == 0


def test_a_legacy_place_is_listed_read_changed_and_closed_through_the_tilde_form(world):
    c, he, hc = world.client, world.h("employer"), world.h("coach")
    insert_place(world, LEGACY_PLACE)
    url = f"/v1/placements/{_tilde(LEGACY_PLACE)}"
    assert LEGACY_PLACE in [i["id"] for i in c.get("/v1/placements", headers=he).json()["items"]]
    assert LEGACY_PLACE in [i["id"] for i in c.get("/v1/placements", headers=hc).json()["items"]]
    assert c.get(url, headers=hc).json()["id"] == LEGACY_PLACE
    assert c.get(f"{url}/availability", headers=hc).json()["placement_id"] == LEGACY_PLACE
    # Another employer's place stays a 404, whatever its spelling.
    assert c.get(url, headers=world.h("employer2")).status_code == 404

    r = c.patch(url, json={"positions": 2}, headers=he)
    assert r.status_code == 200 and r.json()["id"] == LEGACY_PLACE and r.json()["positions"] == 2
    r = c.put(url, json=placement_json(id=LEGACY_PLACE, positions=3), headers=he)
    assert r.status_code == 200 and r.json()["positions"] == 3

    # A coach can act on it: feedback names an existing place by its id as stored.
    assert c.post("/v1/candidates", json=candidate_json(id="c-1"), headers=hc).status_code == 201
    suggested = [s["placement_id"] for s in c.get("/v1/candidates/c-1/suggestions", headers=hc).json()["suggestions"]]
    assert LEGACY_PLACE in suggested
    r = c.post("/v1/candidates/c-1/feedback", json={"placement_id": LEGACY_PLACE, "code": "interesting"},
               headers=hc)
    assert r.status_code == 201, r.text

    r = c.post(f"{url}/close", json={"status": "closed"}, headers=he)
    assert r.status_code == 200 and r.json()["status"] == "closed"
    suggested = [s["placement_id"] for s in c.get("/v1/candidates/c-1/suggestions", headers=hc).json()["suggestions"]]
    assert LEGACY_PLACE not in suggested
    with world.db.read() as s:
        assert s.get(PlacementRow, LEGACY_PLACE).status == "closed"


def test_odd_legacy_ids_round_trip_and_their_dossier_file_name_stays_ascii(world):
    c, h = world.client, world.h("coach")
    for cid in ("c 1", "kandidaat-é", "日本"):
        assert c.post("/v1/candidates", json=candidate_json(id=cid), headers=h).status_code == 422
        insert_candidate(world, cid)
        assert c.get(f"/v1/candidates/{path_id(cid)}", headers=h).json()["id"] == cid
        r = c.get(f"/v1/candidates/{path_id(cid)}/dossier?format=csv", headers=h)
        assert r.status_code == 200 and r.headers["content-disposition"].isascii()


def test_the_openapi_documents_the_rule_for_path_parameters_and_body_fields(world):
    spec = world.client.get("/openapi.json").json()
    for path, op in (("/v1/candidates/{candidate_id}", "get"), ("/v1/placements/{placement_id}/close", "post")):
        [param] = [p for p in spec["paths"][path][op]["parameters"] if p["in"] == "path"]
        assert param["schema"]["pattern"] == PATH_PATTERN and "~ followed by the base64url" in param["description"]
    schemas = spec["components"]["schemas"]
    for name, field in (("CandidateBody", "id"), ("PlacementBody", "id"), ("PlacementBody", "employer_id"),
                        ("OrganisationIn", "id")):
        prop = schemas[name]["properties"][field]
        assert prop["pattern"] == ID_PATTERN and "A-Z, a-z, 0-9 and . _ ~ -" in prop["description"], (name, field)
    put = spec["paths"]["/v1/candidates/{candidate_id}"]["put"]["requestBody"]["content"]["application/json"]
    assert put["schema"] == {"$ref": "#/components/schemas/CandidateBody"}


def test_the_nightly_matches_legacy_records_like_any_other(world, settings):
    insert_candidate(world, LEGACY_CANDIDATE)
    insert_place(world, LEGACY_PLACE)
    options = RematchOptions(top=3, reserve=2, partition_size=1, workers=1)
    summary = run_rematch(world.db, settings, HashingEncoder(), options)
    assert summary.status == "committed"
    nightly = world.client.get(f"/v1/candidates/{path_id(LEGACY_CANDIDATE)}/nightly", headers=world.h("coach"))
    assert [s["placement_id"] for s in nightly.json()["suggestions"]] == [LEGACY_PLACE]
