"""One ranker: the command line, the live API and a full nightly run give one candidate the
same list, in the configuration users run (default encoder, occupation linker on, nothing
patched), on the service's demo data; with contract v1.1 (an own employer with places, an
adjusted place, a build-up, earnings) as well."""

from __future__ import annotations

import json
import re
from html import escape as html_escape

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from matching import cli as library_cli
from matching.settings import Settings, get_settings
from service import demo
from service.app import create_app
from service.db import Database
from service.rematch import RematchOptions, run_rematch
from service.schemas import READ_ONLY_CANDIDATE_FIELDS, SERVICE_CANDIDATE_FIELDS

# What the API adds to a candidate besides the contract: the sickness dates and the resolved home.
NOT_CONTRACT = (*SERVICE_CANDIDATE_FIELDS, *READ_ONLY_CANDIDATE_FIELDS)
from service.tables import CandidateRow, PlacementRow, RematchResult, RematchRun

TOP = 10
PLACES = 800


@pytest.fixture
def demo_world(tmp_path, monkeypatch):
    state = tmp_path / "state"
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'demo.db'}", state_dir=state, demo_placements=PLACES)
    # The command line reads its settings from the environment: the same state folder.
    monkeypatch.setenv("SPOORMATCH_STATE_DIR", str(state))
    get_settings.cache_clear()
    db = Database(settings.database_url)
    db.migrate()
    tokens = demo.seed(db, settings, settings.demo_placements)
    db.dispose()
    app = create_app(settings, migrate=False)  # the production ranker: no encoder injected
    demo.finish(app.state.ctx, tokens)
    client = TestClient(app)
    yield settings, app, client, tokens
    client.close()
    app.state.ctx.db.dispose()
    get_settings.cache_clear()


def _ranking(entries):
    return [(e["placement_id"], e["score"]) for e in entries]


def _three_paths(settings, app, client, headers, tmp_path):
    """Every candidate's list from the live API, a full nightly run (its pools' first
    places) and the command line on the same places and candidates."""
    bodies = client.get("/v1/candidates", headers=headers).json()["items"]
    ids = [c["id"] for c in bodies]
    live = {cid: client.get(f"/v1/candidates/{cid}/suggestions?top={TOP}", headers=headers).json() for cid in ids}

    summary = run_rematch(app.state.ctx.db, settings, options=RematchOptions.from_settings(
        settings, full=True, workers=1, top=TOP, progress=False))
    assert summary.status == "committed" and summary.skipped == 0
    with app.state.ctx.db.read() as session:
        run_id = session.execute(select(RematchRun.id).where(RematchRun.status == "committed")).scalar_one()
        rows = session.execute(select(CandidateRow.id, RematchResult.entries, RematchResult.n_primary)
                               .join(RematchResult, RematchResult.candidate_pk == CandidateRow.pk)
                               .where(RematchResult.run_id == run_id)).all()
        nightly = {cid: entries[:n] for cid, entries, n in rows}
        places = [json.dumps(body, ensure_ascii=False) for body in
                  session.execute(select(PlacementRow.body).where(PlacementRow.status == "open")).scalars()]

    # The command line on the same places and candidates: the contract part of each
    # candidate (v1.1 fields included), without the service's own sickness dates.
    (tmp_path / "p.jsonl").write_text("\n".join(places) + "\n", encoding="utf-8")
    contract = [{k: v for k, v in b.items() if k not in NOT_CONTRACT} for b in bodies]
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in contract) + "\n",
                                      encoding="utf-8")
    assert library_cli.main(["match", "--candidates", str(tmp_path / "c.jsonl"), "--placements",
                             str(tmp_path / "p.jsonl"), "--top", str(TOP), "--out", str(tmp_path / "s.jsonl")]) == 0
    by_cli = {json.loads(line)["candidate_id"]: json.loads(line)
              for line in (tmp_path / "s.jsonl").read_text(encoding="utf-8").splitlines()}

    compared = 0
    for cid in ids:
        lv = live[cid]["suggestions"]
        ng = nightly.get(cid, [])
        cl = by_cli[cid]["suggestions"]
        assert [s["placement_id"] for s in lv] == [s["placement_id"] for s in ng] == [s["placement_id"] for s in cl], cid
        for a, b, c in zip(lv, ng, cl):
            assert abs(a["score"] - b["score"]) <= 0.001 and abs(a["score"] - c["score"]) <= 0.001, (cid, a, b, c)
            assert a["components"] == b["components"] == c["components"], cid
            assert a["explanation"] == b["explanation"] == c["explanation"], cid
            # Contract v1.1: the same spoor, verdict, conditions and earnings on every path.
            for key in ("spoor", "verdict", "conditions"):
                assert a.get(key) == b.get(key) == c.get(key), (cid, key, a.get(key), b.get(key), c.get(key))
            assert _plain(a.get("earnings")) == _plain(b.get("earnings")) == _plain(c.get("earnings")), cid
            assert _items(a) == _items(b) == _items(c), cid
        compared += bool(lv)
    return ids, live, nightly, by_cli, compared


def _plain(value):
    """The API leaves nulls out; the stored and written JSON keeps them."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    return value


def _items(suggestion):
    return [(it["item"], it["verdict"], it["reason"]) for it in suggestion["items"]]


def test_cli_live_api_and_nightly_run_give_the_same_list(demo_world, tmp_path):
    settings, app, client, tokens = demo_world
    headers = {"Authorization": f"Bearer {tokens.coach}"}
    ids, live, _, _, compared = _three_paths(settings, app, client, headers, tmp_path)
    assert len(ids) == 5
    assert compared >= 3

    # The web app, logged in with the demo login written beside the tokens, shows the same list.
    env = dict(line.split("=", 1) for line in
               demo.write_tokens(settings.state_dir, tokens).read_text(encoding="utf-8").splitlines())
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    assert client.post("/login", data={"username": env["COACH_USERNAME"], "password": env["COACH_PASSWORD"],
                                       "csrf_token": csrf}, follow_redirects=False).status_code == 303
    for cid in ids:
        html = client.get(f"/coach/kandidaten/{cid}/suggesties", headers={"X-Partial": "1"}).text
        shown = re.findall(r'id="plek-([^"]+)"', html)
        assert shown == [s["placement_id"] for s in live[cid]["suggestions"]], cid
        for s in live[cid]["suggestions"]:
            assert html_escape(s["explanation"]) in html, cid


OWN = "e-eigen"
OWN_PLACES = [
    # Fits as posted; paid about 71% of the former wage.
    {"id": "p-eigen-receptie", "title": "Receptiemedewerker", "hourly_wage": {"min": 15.0},
     "description": "Gasten ontvangen, de telefoon aannemen en reserveringen verwerken."},
    # Fits once the employer limits the lifting (an adjusted place).
    {"id": "p-eigen-linnen", "title": "Medewerker linnenkamer", "demands": {"IV.13": 1},
     "adjustments": {"IV.13": 2}, "hourly_wage": {"min": 13.5, "max": 14.5},
     "description": "Linnen sorteren, vouwen en klaarzetten voor de huishouding."},
    # 36 hours, more than the 30 allowed now: start with 28 and build up (the outlook is 36).
    {"id": "p-eigen-restaurant", "title": "Gastvrouw restaurant", "hours_per_week": 36, "hours_per_day": 8,
     "start_hours_per_week": 28, "hourly_wage": {"min": 14.0},
     "description": "Gasten ontvangen en naar hun tafel brengen in het restaurant van het park."},
    # The adjustment offered does not reach the limit: never suggested.
    {"id": "p-eigen-magazijn", "title": "Magazijnmedewerker", "demands": {"IV.13": 0},
     "adjustments": {"IV.13": 1}, "description": "Dozen uitpakken en de voorraad bijhouden."},
]


def test_the_paths_agree_on_spoor_one_adjusted_places_and_a_build_up(demo_world, tmp_path):
    """A candidate whose own employer posts places (one fits, one after an adjustment, one
    with a build-up of hours, one never): the live API, the nightly run (its pools and the
    list it serves) and the command line give the same list, spoor 1 first, with the same
    conditions and earnings."""
    settings, app, client, tokens = demo_world
    admin = {"Authorization": f"Bearer {tokens.admin}"}
    coach = {"Authorization": f"Bearer {tokens.coach}"}
    assert client.post("/v1/admin/organisations", json={"id": OWN, "name": "Vakantiepark De Eik"},
                       headers=admin).status_code == 201
    r = client.post("/v1/admin/users", json={"name": "HR De Eik", "role": "employer", "organisation_id": OWN},
                    headers=admin)
    assert r.status_code == 201, r.text
    employer = {"Authorization": f"Bearer {r.json()['token']['token']}"}
    base = {"employer_id": OWN, "kind": "werkervaringsplek", "location": {"postcode": "6512"},
            "hours_per_week": 24, "hours_per_day": 6, "skills": ["klantcontact"], "positions": 3}
    for place in OWN_PLACES:
        r = client.post("/v1/placements", json={**base, **place}, headers=employer)
        assert r.status_code == 201, r.text
    candidate = {
        "id": "c-eigen", "home": {"postcode": "6511"}, "max_travel_km": 30,
        "capacity": {"IV.13": 2, "VI.3": 2, "IV.17": 2},
        "education": {"level": "mbo-2", "field": "toerisme en recreatie"},
        "experience": [{"title": "Gastvrouw vakantiepark", "years": 8,
                        "description": "Gasten ontvangen, rondleiden over het park, de receptie bemannen"}],
        "skills": ["gastvrijheid", "klantcontact"],
        "wishes": {"kinds": ["werkervaringsplek", "vacature"], "hours_per_week": 24,
                   "text": "Terug naar het park, met gasten, zonder zwaar werk"},
        "employer_id": OWN,
        "former_work": {"title": "Gastvrouw vakantiepark", "hours_per_week": 32, "hourly_wage": 15.8},
        "hours_outlook": {"hours_per_week": 36, "from": "2027-03-01"},
        "sick_since": "2025-06-02",
    }
    r = client.post("/v1/candidates", json=candidate, headers=coach)
    assert r.status_code == 201, r.text

    ids, live, _, _, _ = _three_paths(settings, app, client, coach, tmp_path)
    assert "c-eigen" in ids
    mine = live["c-eigen"]["suggestions"]
    spoor_one = [s["placement_id"] for s in mine if s["spoor"] == 1]
    assert set(spoor_one) == {"p-eigen-receptie", "p-eigen-linnen", "p-eigen-restaurant"}
    assert [s["spoor"] for s in mine] == [1] * 3 + [2] * (len(mine) - 3)  # spoor 1 first
    by_id = {s["placement_id"]: s for s in mine}
    assert by_id["p-eigen-receptie"]["verdict"] in ("pass", "signal")
    assert by_id["p-eigen-receptie"]["earnings"]["ratio"] == round(15.0 * 24 / (15.8 * 32), 2)
    linnen = by_id["p-eigen-linnen"]
    assert linnen["verdict"] == "adjust"
    assert [(c["kind"], c["item"], c["from"], c["to"]) for c in linnen["conditions"]] == \
        [("aanpassing", "IV.13", 1, 2)]
    restaurant = by_id["p-eigen-restaurant"]
    assert restaurant["verdict"] == "adjust"
    assert [(c["kind"], c["item"], c["from"], c["to"]) for c in restaurant["conditions"]] == \
        [("opbouw", "VI.3", 36, 28)]
    # Nobody else works for this employer: its places are spoor 2 for every other candidate.
    own_ids = {p["id"] for p in OWN_PLACES}
    for cid in ids:
        if cid != "c-eigen":
            assert all(s["spoor"] == 2 for s in live[cid]["suggestions"] if s["placement_id"] in own_ids), cid

    # The list the night serves (after spreading scarce places) says the same, in the same order.
    served = client.get("/v1/candidates/c-eigen/nightly", headers=coach).json()["suggestions"]
    assert [s["placement_id"] for s in served] == [s["placement_id"] for s in mine]
    for a, b in zip(mine, served):
        for key in ("spoor", "verdict", "conditions", "explanation", "components"):
            assert a.get(key) == b.get(key), (key, a.get(key), b.get(key))
        assert _plain(a.get("earnings")) == _plain(b.get("earnings"))
        assert _items(a) == _items(b)
        assert abs(a["score"] - b["score"]) <= 0.001
    # The command line's filters pick the same places as the API's.
    out = tmp_path / "filtered.jsonl"
    (tmp_path / "one.jsonl").write_text(json.dumps({k: v for k, v in candidate.items()
                                                    if k not in NOT_CONTRACT}) + "\n", encoding="utf-8")
    assert library_cli.main(["match", "--candidates", str(tmp_path / "one.jsonl"), "--placements",
                             str(tmp_path / "p.jsonl"), "--top", str(TOP), "--out", str(out),
                             "--spoor", "1", "--verdict", "adjust"]) == 0
    by_flag = [s["placement_id"] for s in json.loads(out.read_text(encoding="utf-8"))["suggestions"]]
    api = client.get(f"/v1/candidates/c-eigen/suggestions?top={TOP}&spoor=1&verdict=adjust", headers=coach).json()
    assert by_flag == [s["placement_id"] for s in api["suggestions"]]
    assert set(by_flag) == {"p-eigen-linnen", "p-eigen-restaurant"}
