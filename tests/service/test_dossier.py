"""The dossier: append-only, exportable as JSON and CSV."""

from __future__ import annotations

import csv
import io

from tests.service.conftest import candidate_json, placement_json


def test_events_only_grow_and_export_as_json_and_csv(world):
    c, h = world.client, world.h("coach")
    c.post("/v1/candidates", json=candidate_json(capacity={"V.3": 1}), headers=h)
    c.post("/v1/placements", json=placement_json(), headers=world.h("employer"))
    c.get("/v1/candidates/c-1/suggestions", headers=h)
    c.post("/v1/candidates/c-1/feedback", json={"placement_id": "p-1", "code": "interesting"}, headers=h)
    first = c.get("/v1/candidates/c-1/dossier", headers=h).json()
    kinds = [e["kind"] for e in first["events"]]
    assert kinds == ["candidate_created", "suggestions_served", "feedback", "dossier_exported"]
    assert first["candidate"]["id"] == "c-1" and first["exported_by"] == "Coach Anna"
    assert first["timeline"]["candidate_id"] == "c-1"
    second = c.get("/v1/candidates/c-1/dossier", headers=h).json()
    assert second["events"][: len(first["events"])] == first["events"]  # nothing rewritten

    r = c.get("/v1/candidates/c-1/dossier?format=csv", headers=h)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"] == 'attachment; filename="dossier-c-1.csv"'
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == ["tijdstip", "gebeurtenis", "door", "rol", "omschrijving", "gegevens"]
    assert [row[1] for row in rows[1:]][-1] == "dossier_exported"
    assert rows[1][4] == "Kandidaat aangemaakt"
    assert c.get("/v1/candidates/c-1/dossier?format=xml", headers=h).status_code == 422


def test_csv_cells_cannot_become_spreadsheet_formulas(world):
    c, h = world.client, world.h("coach")
    c.post("/v1/candidates", json=candidate_json(), headers=h)
    c.post("/v1/placements", json=placement_json(), headers=world.h("employer"))
    c.post("/v1/candidates/c-1/feedback", headers=h,
           json={"placement_id": "p-1", "code": "applied", "note": "=HYPERLINK(\"http://x\")"})
    rows = list(csv.reader(io.StringIO(c.get("/v1/candidates/c-1/dossier?format=csv", headers=h).text)))
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "@")), cell
