"""The change digest: new, dropped (and why), changed signals; per coach; files."""

from __future__ import annotations

import csv
import io
import json

from matching.batch.digest import PlaceFacts, Served, coach_digest, csv_rows, diff_candidate, to_csv, write_digest_files


def test_diff_names_every_change_and_its_reason():
    prev = [Served("p-keep", 1, 0.9, {"V.3": "Staan: op de grens"}), Served("p-closed", 2, 0.8),
            Served("p-filled", 3, 0.7), Served("p-limits", 4, 0.6), Served("p-scarce", 5, 0.5),
            Served("p-beaten", 6, 0.4), Served("p-hidden", 7, 0.3)]
    now = [Served("p-keep", 1, 0.9, {"IV.13": "Tillen: op de grens"}), Served("p-new", 2, 0.85, contention="x"),
           Served("p-back", 3, 0.8)]
    facts = {"p-keep": PlaceFacts("Receptie"), "p-closed": PlaceFacts("A", status="closed"),
             "p-filled": PlaceFacts("B", status="filled"), "p-limits": PlaceFacts("C"),
             "p-scarce": PlaceFacts("D"), "p-beaten": PlaceFacts("E"), "p-hidden": PlaceFacts("F"),
             "p-new": PlaceFacts("G", is_new=True), "p-back": PlaceFacts("H")}
    d = diff_candidate("c-1", prev, now, facts, exceeded={"p-limits": ["IV.13"]}, in_pool={"p-scarce"},
                       hidden={"p-hidden"})
    assert [(e["placement_id"], e["reason"]) for e in d.new] == [("p-new", "new_place"), ("p-back", "now_fits")]
    assert {e["placement_id"]: e["reason"] for e in d.dropped} == {
        "p-closed": "closed", "p-filled": "filled", "p-limits": "limits", "p-scarce": "allocation",
        "p-beaten": "outranked", "p-hidden": "set_aside"}
    limits = next(e for e in d.dropped if e["reason"] == "limits")
    assert limits["items"] == ["IV.13"] and "tillen" in limits["text"].lower()
    [sig] = d.signals_changed
    assert sig["placement_id"] == "p-keep"
    assert [a["item"] for a in sig["added"]] == ["IV.13"] and [r["item"] for r in sig["removed"]] == ["V.3"]


def test_same_lists_make_an_empty_digest_and_first_runs_are_all_new():
    same = [Served("p-1", 1, 0.9), Served("p-2", 2, 0.8)]
    assert diff_candidate("c", same, same, {}).empty
    first = diff_candidate("c", None, same, {})
    assert [e["placement_id"] for e in first.new] == ["p-1", "p-2"] and not first.dropped


def test_files_are_json_and_csv_and_csv_is_safe(tmp_path):
    d = diff_candidate("c-1", [Served("p-x", 1, 0.5)], [Served("p-y", 1, 0.6)],
                       {"p-x": PlaceFacts("=HYPERLINK()", status="closed"), "p-y": PlaceFacts("Receptie")})
    digest = coach_digest("r-1", "2025-03-04T02:00:00+00:00", {"id": 7, "name": "Coach"}, [d, {"candidate_id": "c-2",
                          "new": [], "dropped": [], "signals_changed": []}])
    assert digest["totals"] == {"candidates": 1, "new": 1, "new_spoor1": 0, "dropped": 1, "signals_changed": 0,
                                "home_problems": 0}
    json_path, csv_path = write_digest_files(tmp_path, "coach-7", digest)
    assert json.loads(json_path.read_text(encoding="utf-8"))["candidates"][0]["candidate_id"] == "c-1"
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    assert [(r["change"], r["placement_id"]) for r in rows] == [("nieuw", "p-y"), ("vervallen", "p-x")]
    assert rows[1]["title"].startswith("'=")  # not run as a formula
    assert to_csv(csv_rows(digest)).splitlines()[0].startswith("run_id,")


def test_new_spoor_one_places_are_named_on_their_own():
    """Contract v1.1: a new place of the candidate's own employer is new like any other,
    and listed once more in new_spoor1, so the coach sees it at once."""
    prev = [Served("p-old", 1, 0.7)]
    now = [Served("p-own", 1, 0.6, spoor=1), Served("p-old", 2, 0.7), Served("p-ext", 3, 0.65),
           Served("p-own-back", 4, 0.5)]
    facts = {"p-own": PlaceFacts("Receptie", "werkervaringsplek", is_new=True, employer_id="e-7"),
             "p-old": PlaceFacts("Balie"), "p-ext": PlaceFacts("Kassa", is_new=True, employer_id="e-2"),
             # Its suggestion said no spoor (a list from before v1.1): the own employer decides.
             "p-own-back": PlaceFacts("Administratie", employer_id="e-7")}
    d = diff_candidate("c-1", prev, now, facts, own_employer="e-7")
    assert [(e["placement_id"], e["spoor"]) for e in d.new] == [("p-own", 1), ("p-ext", 2), ("p-own-back", 1)]
    assert [e["placement_id"] for e in d.new_spoor1] == ["p-own", "p-own-back"]
    own = d.new_spoor1[0]
    assert own["text"] == "nieuwe plek bij de eigen werkgever (spoor 1)" and own["employer_id"] == "e-7"
    assert d.new_spoor1[1]["text"] == "nu in de lijst: plek bij de eigen werkgever (spoor 1)"
    assert d.new[1]["text"] == "nieuwe plek"
    # Without an own employer only the suggestion's spoor counts.
    assert [e["placement_id"] for e in diff_candidate("c-1", prev, now, facts).new_spoor1] == ["p-own"]

    other = diff_candidate("c-0", None, [Served("p-ext", 1, 0.6)], facts)
    digest = coach_digest("r-1", "2025-03-04T02:00:00+00:00", {"id": 7, "name": "Coach"},
                          [other, d, {"candidate_id": "c-old", "new": [{"placement_id": "p-x", "title": "", "kind": "",
                                                                        "rank": 1, "reason": "new_place",
                                                                        "text": "nieuwe plek"}],
                                      "dropped": [], "signals_changed": []}])
    # The candidate whose own employer posted something comes first; old digests get an empty list.
    assert [c["candidate_id"] for c in digest["candidates"]] == ["c-1", "c-0", "c-old"]
    assert digest["candidates"][2]["new_spoor1"] == []
    assert digest["totals"] == {"candidates": 3, "new": 5, "new_spoor1": 2, "dropped": 0, "signals_changed": 0,
                                "home_problems": 0}
    rows = [(r["candidate_id"], r["change"], r["placement_id"], r["spoor"]) for r in csv_rows(digest)]
    assert rows == [("c-1", "nieuw bij eigen werkgever", "p-own", 1), ("c-1", "nieuw", "p-ext", 2),
                    ("c-1", "nieuw bij eigen werkgever", "p-own-back", 1), ("c-0", "nieuw", "p-ext", 2),
                    ("c-old", "nieuw", "p-x", "")]
    assert to_csv(csv_rows(digest)).splitlines()[0].endswith(",contention,spoor")
