"""One ranker: the command line, the live API and a full nightly run give one candidate the
same list, in the configuration users run (default encoder, occupation linker on, nothing
patched), on the service's demo data."""

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


def test_cli_live_api_and_nightly_run_give_the_same_list(demo_world, tmp_path):
    settings, app, client, tokens = demo_world
    headers = {"Authorization": f"Bearer {tokens.coach}"}
    bodies = client.get("/v1/candidates", headers=headers).json()["items"]
    ids = [c["id"] for c in bodies]
    assert len(ids) == 5
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

    # The command line on the same places and candidates.
    (tmp_path / "p.jsonl").write_text("\n".join(places) + "\n", encoding="utf-8")
    contract = [{k: v for k, v in b.items() if k in {"id", "home", "max_travel_km", "capacity", "education",
                                                       "experience", "skills", "wishes"}} for b in bodies]
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
        compared += bool(lv)
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
