"""Locations a coach can trust: ambiguous names refused, the resolved home shown, unresolved homes named."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from matching import cli
from matching.live.matcher import Matcher
from service.rematch import RematchOptions, run_rematch
from service.tables import CandidateRow, PlacementRow
from tests.conftest import HashingEncoder
from tests.service.conftest import candidate_json, placement_json

BERGEN = ("home.place: 'Bergen' is ambiguous: Bergen (Noord-Holland), Bergen (Limburg); "
          "give a postcode or the province")


def _count(world, table) -> int:
    with world.db.read() as s:
        return s.execute(select(func.count()).select_from(table)).scalar_one()


def test_an_ambiguous_place_name_is_refused_with_the_choices_and_nothing_is_written(world):
    c, h = world.client, world.h("coach")
    r = c.post("/v1/candidates", json=candidate_json(id="c-b", home={"place": "Bergen"}), headers=h)
    assert r.status_code == 422 and r.json()["problems"] == [BERGEN]
    assert _count(world, CandidateRow) == 0
    r = c.post("/v1/placements", json=placement_json(location={"place": "Hengelo"}), headers=world.h("employer"))
    assert r.status_code == 422 and r.json()["problems"] == [
        "location.place: 'Hengelo' is ambiguous: Hengelo (Overijssel), Hengelo (Gelderland); "
        "give a postcode or the province"]
    assert _count(world, PlacementRow) == 0
    # A patch cannot make a home ambiguous either.
    assert c.post("/v1/candidates", json=candidate_json(id="c-1"), headers=h).status_code == 201
    r = c.patch("/v1/candidates/c-1", json={"home": {"place": "Bergen", "postcode": None}}, headers=h)
    assert r.status_code == 422 and r.json()["problems"] == [BERGEN]
    assert c.get("/v1/candidates/c-1", headers=h).json()["home"] == {"postcode": "6511"}


def test_a_name_with_its_province_is_understood_and_the_profile_shows_where_the_home_lies(world):
    c, h = world.client, world.h("coach")
    r = c.post("/v1/candidates", json=candidate_json(id="c-l", home={"place": "Bergen (L)"}), headers=h)
    assert r.status_code == 201, r.text
    got = c.get("/v1/candidates/c-l", headers=h).json()
    assert got["home"] == {"place": "Bergen (L)"}
    assert got["home_resolved"] == {"place": "Bergen", "municipality": "Bergen", "province": "Limburg",
                                    "label": "Bergen (Limburg)"}
    # What a GET gave can be sent back whole: the read-only field is ignored, not refused.
    assert c.put("/v1/candidates/c-l", json=got, headers=h).status_code == 200
    assert "home_resolved" not in json.dumps(world_body(world, "c-l"))
    listed = c.get("/v1/candidates", headers=h).json()["items"]
    assert listed[0]["home_resolved"]["province"] == "Limburg"


def world_body(world, cid: str) -> dict:
    with world.db.read() as s:
        return s.execute(select(CandidateRow.body).where(CandidateRow.id == cid)).scalar_one()


def test_a_utrecht_candidate_at_3523_gets_the_places_in_utrecht_and_sees_where_home_is(world):
    c = world.client
    for pid, pc in (("p-utrecht", "3511"), ("p-ouddorp", "3253")):
        r = c.post("/v1/placements", json=placement_json(id=pid, location={"postcode": pc}),
                   headers=world.h("employer"))
        assert r.status_code == 201, r.text
    r = c.post("/v1/candidates", json=candidate_json(id="c-u", home={"postcode": "3523 AB"}, max_travel_km=15),
               headers=world.h("coach"))
    assert r.status_code == 201, r.text
    got = c.get("/v1/candidates/c-u/suggestions", headers=world.h("coach")).json()
    assert got["home"] == {"place": "Utrecht", "municipality": "Utrecht", "province": "Utrecht",
                           "label": "Utrecht (Utrecht)"}
    assert [s["placement_id"] for s in got["suggestions"]] == ["p-utrecht"]
    assert got["suggestions"][0]["distance_km"] < 5


def test_a_stored_home_that_no_longer_resolves_is_shown_unmatched_named_in_the_digest_and_fixable(world, settings):
    c, h = world.client, world.h("coach")
    assert c.post("/v1/placements", json=placement_json(id="p-nh", location={"postcode": "1862"}),
                  headers=world.h("employer")).status_code == 201
    for cid in ("c-ok", "c-bergen"):
        assert c.post("/v1/candidates", json=candidate_json(id=cid, home={"postcode": "1861"}),
                      headers=h).status_code == 201
    options = RematchOptions(top=3, reserve=2, partition_size=1, workers=1)
    assert run_rematch(world.db, settings, HashingEncoder(), options).status == "committed"
    assert [s["placement_id"] for s in c.get("/v1/candidates/c-bergen/nightly", headers=h).json()["suggestions"]] \
        == ["p-nh"]
    with world.db.write() as tx:  # stored before place names were checked for ambiguity
        row = tx.execute(select(CandidateRow).where(CandidateRow.id == "c-bergen")).scalar_one()
        row.body = {**row.body, "home": {"place": "Bergen"}}

    got = c.get("/v1/candidates/c-bergen", headers=h).json()
    assert got["home_resolved"] == {"problem": BERGEN.removeprefix("home.")}
    live = c.get("/v1/candidates/c-bergen/suggestions", headers=h).json()
    assert live["suggestions"] == [] and live["feasible"] == 0
    assert live["home"]["problem"].startswith("place: 'Bergen' is ambiguous")

    summary = run_rematch(world.db, settings, HashingEncoder(), options)
    assert summary.status == "committed" and summary.digest["home_problems"] == 1
    run = c.get("/v1/coach/digest", headers=h).json()["runs"][0]
    assert run["run_id"] == summary.run_id and run["totals"]["home_problems"] == 1
    [named] = run["candidates"]  # c-ok did not change
    assert named == {"candidate_id": "c-bergen", "home_problem": BERGEN, "new": [], "new_spoor1": [], "dropped": [],
                     "signals_changed": []}
    # The list computed around the old home is no longer served.
    assert c.get("/v1/candidates/c-bergen/nightly", headers=h).json()["suggestions"] == []
    csv_text = c.get("/v1/coach/digest?format=csv", headers=h).text
    assert "c-bergen,woonplaats niet te bepalen" in csv_text

    # The coach states the province; the candidate is matched again.
    r = c.patch("/v1/candidates/c-bergen", json={"home": {"place": "Bergen (NH)"}}, headers=h)
    assert r.status_code == 200, r.text
    live = c.get("/v1/candidates/c-bergen/suggestions", headers=h).json()
    assert [s["placement_id"] for s in live["suggestions"]] == ["p-nh"]
    assert live["home"]["label"] == "Bergen (Noord-Holland)"


def test_the_command_line_refuses_an_ambiguous_home_naming_the_line_and_the_field(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(cli, "_matcher", lambda: Matcher(encoder=HashingEncoder()))
    (tmp_path / "c.jsonl").write_text(json.dumps(candidate_json(home={"place": "Hengelo"})) + "\n", encoding="utf-8")
    (tmp_path / "p.jsonl").write_text(json.dumps(placement_json()) + "\n", encoding="utf-8")
    out = tmp_path / "s.jsonl"
    code = cli.main(["match", "--candidates", str(tmp_path / "c.jsonl"), "--placements", str(tmp_path / "p.jsonl"),
                     "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert "home.place: 'Hengelo' is ambiguous: Hengelo (Overijssel), Hengelo (Gelderland)" in err
    assert "c.jsonl" in err and "line 1" in err


def test_the_command_line_shows_the_resolved_home_with_every_list(tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "_matcher", lambda: Matcher(encoder=HashingEncoder()))
    (tmp_path / "c.jsonl").write_text(json.dumps(candidate_json(home={"place": "Hengelo, Gelderland"})) + "\n",
                                      encoding="utf-8")
    (tmp_path / "p.jsonl").write_text(json.dumps(placement_json()) + "\n", encoding="utf-8")
    out = tmp_path / "s.jsonl"
    assert cli.main(["match", "--candidates", str(tmp_path / "c.jsonl"), "--placements",
                     str(tmp_path / "p.jsonl"), "--out", str(out)]) == 0
    [line] = out.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["home"]["label"] == "Hengelo (gemeente Bronckhorst, Gelderland)"


def test_an_other_name_two_towns_share_is_refused_through_the_api_and_nothing_is_written(world):
    r = world.client.post("/v1/candidates", json=candidate_json(id="c-o", home={"place": "Ouderkerk"}),
                          headers=world.h("coach"))
    assert r.status_code == 422 and r.json()["problems"] == [
        "home.place: 'Ouderkerk' is ambiguous: Ouderkerk aan de Amstel (Noord-Holland), Ouderkerk aan den IJssel "
        "(Zuid-Holland); give a postcode or the province"]
    assert _count(world, CandidateRow) == 0
