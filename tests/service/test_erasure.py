"""Erasure: nothing of an erased candidate remains in the database.

The live matcher embeds a candidate's text per request and keeps only the
places' vectors. The nightly rematch does keep candidate data: their text
vectors, pools, served lists and digests in the database (erased with the
candidate) and the coach's digest files in the state folder (rewritten without
them). The test runs a rematch first, so all of that exists, and the last check
makes sure no file in the service's folders holds any of the candidate's text.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text

from service.rematch import RematchOptions, run_rematch
from tests.conftest import HashingEncoder
from tests.service.conftest import candidate_json, placement_json

MARKS = {
    "id": "c-erase-q7x",
    "title": "Zeldzaamberoepmedewerker",
    "skill": "knopenleggenvaardigheid",
    "wish": "Wenstekstuniek",
    "motivation": "Motivatietekstuniek voor de werkgever",
    "signal": "Signaalmotivatieuniek staan",
    "note": "Notitieuniek",
    "decision": "Beslisnotitieuniek",
}


def _everything_in(db) -> str:
    """Every value of every row of every table, as one text."""
    out = []
    with db.engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                out.append(" ".join(str(v) for v in row))
    return "\n".join(out)


def test_erasure_leaves_nothing(world, settings, tmp_path):
    c = world.client
    cand = candidate_json(
        id=MARKS["id"], capacity={"V.3": 1}, sick_since="2024-03-01",
        experience=[{"title": MARKS["title"], "years": 3, "description": "werk"}],
        skills=[MARKS["skill"], "klantcontact"], wishes={"kinds": ["vacature"], "text": MARKS["wish"]},
    )
    assert c.post("/v1/candidates", json=cand, headers=world.h("coach")).status_code == 201
    c.post("/v1/placements", json=placement_json(id="p-1", demands={"V.3": 1}), headers=world.h("employer"))
    c.post("/v1/placements", json=placement_json(id="p-2"), headers=world.h("employer"))
    c.get(f"/v1/candidates/{MARKS['id']}/suggestions", headers=world.h("coach"))
    r = c.post(f"/v1/candidates/{MARKS['id']}/feedback", headers=world.h("coach"), json={
        "placement_id": "p-1", "code": "introduced", "motivation": MARKS["motivation"],
        "signal_motivations": {"V.3": MARKS["signal"]}})
    assert r.status_code == 201, r.text
    intro = r.json()["introduction"]
    c.post(f"/v1/candidates/{MARKS['id']}/feedback", headers=world.h("coach"),
           json={"placement_id": "p-2", "code": "not_relevant", "why": "anders", "note": MARKS["note"]})
    c.post(f"/v1/introductions/{intro['id']}/decision", json={"decision": "rejected", "note": MARKS["decision"]},
           headers=world.h("employer"))
    c.patch(f"/v1/candidates/{MARKS['id']}", json={"capacity": {"V.3": 2}}, headers=world.h("coach"))
    c.get(f"/v1/candidates/{MARKS['id']}/dossier?format=csv", headers=world.h("coach"))
    # Two nightly runs: vectors, pools, served lists, a digest and digest files of the candidate exist.
    c.post("/v1/placements", json=placement_json(id="p-3", title="Gastvrouw receptie"), headers=world.h("employer"))
    c.post("/v1/candidates", json=candidate_json(id="c-stays"), headers=world.h("coach"))
    options = RematchOptions(top=3, reserve=1, partition_size=1, workers=1)
    run_rematch(world.db, settings, HashingEncoder(), options)
    c.post("/v1/placements", json=placement_json(id="p-4", title="Receptie nieuw"),
           headers=world.h("employer"))
    run_rematch(world.db, settings, HashingEncoder(), options)
    assert c.get(f"/v1/candidates/{MARKS['id']}/nightly", headers=world.h("coach")).json()["suggestions"]
    digest_files = list((Path(settings.state_dir) / "digests").rglob("coach-*"))
    assert any(MARKS["id"].encode() in f.read_bytes() for f in digest_files)
    with world.db.read() as s:
        for table in ("rematch_candidate_vectors", "rematch_results", "rematch_digests"):
            assert s.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one() > 0, table
    marks = {**MARKS, "pseudonym": intro["pseudonym"], "introduction": intro["id"]}
    before = _everything_in(world.db)
    assert all(m in before for m in marks.values())

    # Without confirm: refused, nothing erased, and the export is pointed at.
    r = c.delete(f"/v1/candidates/{MARKS['id']}", headers=world.h("coach"))
    assert r.status_code == 422 and "dossier" in r.json()["problems"][0]
    assert c.get(f"/v1/candidates/{MARKS['id']}", headers=world.h("coach")).status_code == 200
    # Someone else cannot erase (nor learn that it exists).
    assert c.delete(f"/v1/candidates/{MARKS['id']}?confirm=true", headers=world.h("coach2")).status_code == 404

    r = c.delete(f"/v1/candidates/{MARKS['id']}?confirm=true", headers=world.h("coach"))
    assert r.status_code == 200
    receipt = r.json()
    assert receipt["erased_candidate_id"] == MARKS["id"]
    assert receipt["dossier"]["candidate"]["skills"][0] == MARKS["skill"]  # the export, one last time
    assert {e["kind"] for e in receipt["dossier"]["events"]} >= {"introduction", "capacity_changed", "feedback"}

    # Gone for every token.
    assert c.get(f"/v1/candidates/{MARKS['id']}", headers=world.h("coach")).status_code == 404
    assert c.get(f"/v1/candidates/{MARKS['id']}/dossier", headers=world.h("coach")).status_code == 404
    assert c.get(f"/v1/introductions/{intro['id']}", headers=world.h("employer")).status_code == 404
    assert c.get("/v1/introductions", headers=world.h("employer")).json()["items"] == []

    # Nothing of them in any row of any table.
    after = _everything_in(world.db)
    for name, mark in marks.items():
        assert mark not in after, name
    # The places remain: they are the employer's; the other candidate's nightly results too.
    assert "p-1" in after
    assert c.get("/v1/candidates/c-stays/nightly", headers=world.h("coach")).json()["suggestions"]
    assert "c-stays" in c.get("/v1/coach/digest?since=2000-01-01", headers=world.h("coach")).text
    with world.db.read() as s:
        for table in ("rematch_candidate_vectors", "rematch_results", "rematch_digests", "rematch_failures"):
            assert s.execute(text(f"SELECT COUNT(*) FROM {table} WHERE candidate_pk NOT IN "
                                  f"(SELECT pk FROM candidates)")).scalar_one() == 0, table

    # SQLite: not in the file's free pages, nor in the write-ahead log.
    if world.db.is_sqlite:
        db_file = Path(world.db.url.database)
        for path in db_file.parent.glob(db_file.name + "*"):
            raw = path.read_bytes()
            for name, mark in marks.items():
                assert mark.encode() not in raw, (path.name, name)
    # No file the service wrote (state folder: caches, exports) holds their text.
    for path in Path(settings.state_dir).rglob("*") if Path(settings.state_dir).exists() else []:
        if path.is_file():
            raw = path.read_bytes()
            assert not any(m.encode() in raw for m in marks.values()), path
