"""Roles and access: 401 without a valid token, 403 for the wrong role, 404 for others' records."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, text

from service.auth import hash_token
from service.tables import Token, utcnow
from tests.service.conftest import bearer, candidate_json, placement_json


def test_missing_malformed_and_wrong_tokens_are_401(world):
    c = world.client
    latin1 = {"Authorization": "Bearer ünïcode".encode("latin-1")}
    for headers in ({}, {"Authorization": "Basic abc"}, bearer("smt_nope"), latin1,
                    bearer("x" * 5000), {"Authorization": "Bearer"}):
        r = c.get("/v1/candidates", headers=headers)
        assert r.status_code == 401, headers
        assert r.headers["www-authenticate"] == "Bearer"
        assert r.json()["detail"]


def test_wrong_role_is_403(world):
    c = world.client
    assert c.get("/v1/candidates", headers=world.h("employer")).status_code == 403
    assert c.post("/v1/placements", json=placement_json(), headers=world.h("coach")).status_code == 403
    assert c.get("/v1/admin/users", headers=world.h("coach")).status_code == 403
    # The admin manages users, not candidates: no health data for them either.
    assert c.get("/v1/candidates", headers=world.h("admin")).status_code == 403


def test_other_coachs_candidate_is_404_exactly_like_a_missing_one(world):
    c = world.client
    assert c.post("/v1/candidates", json=candidate_json(id="c-7"), headers=world.h("coach")).status_code == 201
    theirs = c.get("/v1/candidates/c-7", headers=world.h("coach2"))
    missing = c.get("/v1/candidates/c-nope", headers=world.h("coach2"))
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
    for method, path, body in [
        ("put", "/v1/candidates/c-7", candidate_json(id="c-7")),
        ("patch", "/v1/candidates/c-7", {"skills": []}),
        ("delete", "/v1/candidates/c-7?confirm=true", None),
        ("get", "/v1/candidates/c-7/suggestions", None),
        ("get", "/v1/candidates/c-7/timeline", None),
        ("get", "/v1/candidates/c-7/dossier", None),
        ("get", "/v1/candidates/c-7/feedback", None),
        ("post", "/v1/candidates/c-7/feedback", {"placement_id": "p-1", "code": "interesting"}),
    ]:
        r = c.request(method, path, json=body, headers=world.h("coach2"))
        assert r.status_code == 404, (method, path, r.text)
    # Coach 2 may use the same id for a candidate of their own: ids are per coach.
    assert c.post("/v1/candidates", json=candidate_json(id="c-7"), headers=world.h("coach2")).status_code == 201
    assert c.get("/v1/candidates/c-7", headers=world.h("coach")).status_code == 200


def test_other_employers_place_is_404(world):
    c = world.client
    assert c.post("/v1/placements", json=placement_json(id="p-9"), headers=world.h("employer")).status_code == 201
    for method, path, body in [
        ("get", "/v1/placements/p-9", None),
        ("put", "/v1/placements/p-9", placement_json(id="p-9", employer_id="e-2")),
        ("patch", "/v1/placements/p-9", {"positions": 3}),
        ("post", "/v1/placements/p-9/close", None),
        ("get", "/v1/placements/p-9/introductions", None),
    ]:
        r = c.request(method, path, json=body, headers=world.h("employer2"))
        assert r.status_code == 404, (method, path, r.text)
    assert c.get("/v1/placements", headers=world.h("employer2")).json()["items"] == []
    # Coaches see every place: that is what they match against.
    assert c.get("/v1/placements/p-9", headers=world.h("coach")).status_code == 200


def test_tokens_are_stored_only_as_hashes(world):
    with world.db.read() as session:
        stored = session.execute(select(Token.token_hash)).scalars().all()
        dump = " ".join(str(v) for row in session.execute(text("SELECT * FROM tokens")) for v in row)
    for token in world.tokens.values():
        assert token not in dump
        assert hash_token(token) in stored


def test_revoked_expired_and_deactivated_tokens_stop_at_once(world):
    c = world.client
    assert c.get("/v1/me", headers=world.h("coach")).json()["role"] == "coach"
    # A second token, then revoke it.
    issued = c.post(f"/v1/admin/users/{world.user_ids['coach']}/tokens", headers=world.h("admin")).json()
    assert c.get("/v1/me", headers=bearer(issued["token"])).status_code == 200
    assert c.delete(f"/v1/admin/tokens/{issued['token_id']}", headers=world.h("admin")).status_code == 204
    assert c.get("/v1/me", headers=bearer(issued["token"])).status_code == 401
    # Expiry.
    with world.db.write() as tx:
        row = tx.execute(select(Token).where(Token.token_hash == hash_token(world.tokens["coach2"]))).scalar_one()
        row.expires_at = utcnow() - timedelta(seconds=1)
    assert c.get("/v1/me", headers=world.h("coach2")).status_code == 401
    # Deactivation.
    r = c.patch(f"/v1/admin/users/{world.user_ids['coach']}", json={"active": False}, headers=world.h("admin"))
    assert r.status_code == 200 and r.json()["active"] is False
    assert c.get("/v1/me", headers=world.h("coach")).status_code == 401


def test_admin_creates_organisations_and_users(world):
    c = world.client
    a = world.h("admin")
    assert c.post("/v1/admin/organisations", json={"id": "e-3", "name": "Zorggroep"}, headers=a).status_code == 201
    r = c.post("/v1/admin/organisations", json={"id": "e-3", "name": "Dubbel"}, headers=a)
    assert r.status_code == 422 and r.json()["problems"] == ["id: an organisation with this id already exists"]
    r = c.post("/v1/admin/users", json={"name": "HR", "role": "employer"}, headers=a)
    assert r.status_code == 422 and r.json()["problems"] == ["organisation_id: required for an employer user"]
    r = c.post("/v1/admin/users", json={"name": "HR", "role": "employer", "organisation_id": "e-404"}, headers=a)
    assert r.status_code == 422 and r.json()["problems"] == ["organisation_id: no organisation with this id"]
    r = c.post("/v1/admin/users", json={"name": "HR", "role": "employer", "organisation_id": "e-3"}, headers=a)
    assert r.status_code == 201
    new = r.json()
    me = c.get("/v1/me", headers=bearer(new["token"]["token"])).json()
    assert me == {"id": new["user"]["id"], "name": "HR", "role": "employer", "organisation_id": "e-3"}
    names = [u["name"] for u in c.get("/v1/admin/users", headers=a).json()["items"]]
    assert "HR" in names
    tokens = c.get(f"/v1/admin/users/{new['user']['id']}/tokens", headers=a).json()["items"]
    assert len(tokens) == 1 and "token" not in tokens[0]


def test_the_last_admin_cannot_lock_everyone_out(world):
    r = world.client.patch(f"/v1/admin/users/{world.user_ids['admin']}", json={"active": False},
                           headers=world.h("admin"))
    assert r.status_code == 422
    assert r.json()["problems"] == ["active: the last active admin cannot be deactivated"]


def test_transfer_candidates_between_coaches(world):
    c = world.client
    c.post("/v1/candidates", json=candidate_json(id="c-1"), headers=world.h("coach"))
    c.post("/v1/candidates", json=candidate_json(id="c-2"), headers=world.h("coach"))
    c.post("/v1/candidates", json=candidate_json(id="c-2"), headers=world.h("coach2"))
    url = f"/v1/admin/users/{world.user_ids['coach']}/transfer-candidates"
    r = c.post(url, json={"to_user_id": world.user_ids["coach2"]}, headers=world.h("admin"))
    assert r.status_code == 422 and "c-2" in r.json()["problems"][0]
    c.delete("/v1/candidates/c-2?confirm=true", headers=world.h("coach2"))
    r = c.post(url, json={"to_user_id": world.user_ids["coach2"]}, headers=world.h("admin"))
    assert r.status_code == 200 and r.json() == {"moved": 2}
    assert c.get("/v1/candidates/c-1", headers=world.h("coach")).status_code == 404
    assert c.get("/v1/candidates/c-1", headers=world.h("coach2")).status_code == 200
    kinds = [e["kind"] for e in c.get("/v1/candidates/c-1/dossier", headers=world.h("coach2")).json()["events"]]
    assert "candidate_transferred" in kinds
