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
    assert digest["totals"] == {"candidates": 1, "new": 1, "dropped": 1, "signals_changed": 0}
    json_path, csv_path = write_digest_files(tmp_path, "coach-7", digest)
    assert json.loads(json_path.read_text(encoding="utf-8"))["candidates"][0]["candidate_id"] == "c-1"
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    assert [(r["change"], r["placement_id"]) for r in rows] == [("nieuw", "p-y"), ("vervallen", "p-x")]
    assert rows[1]["title"].startswith("'=")  # not run as a formula
    assert to_csv(csv_rows(digest)).splitlines()[0].startswith("run_id,")
