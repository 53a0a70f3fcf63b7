from __future__ import annotations

import json
from pathlib import Path

import pytest

from matching.demo import generate_placements
from matching.contract.io import InputError, read_jsonl, write_jsonl
from matching.contract.models import Candidate, Placement
from tests.conftest import make_candidate, make_placement


def test_write_jsonl_counts_lines(tmp_path: Path):
    records = list(generate_placements(25, seed=1))
    path = tmp_path / "sub" / "p.jsonl"
    assert write_jsonl(path, iter(records)) == 25
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == records


def test_write_jsonl_leaves_no_partial_file(tmp_path: Path):
    path = tmp_path / "p.jsonl"
    path.write_text("old\n", encoding="utf-8")

    def failing():
        yield from generate_placements(5, seed=1)
        raise RuntimeError("source broke half-way")

    with pytest.raises(RuntimeError):
        write_jsonl(path, failing())
    assert path.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.jsonl"]

    new = tmp_path / "new.jsonl"
    with pytest.raises(RuntimeError):
        write_jsonl(new, failing())
    assert not new.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.jsonl"]


def _lines(path: Path, *records) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


GOOD = json.loads(make_placement().model_dump_json(exclude_none=True))


def test_read_jsonl_reads_contract_objects_and_skips_blank_lines(tmp_path):
    path = _lines(tmp_path / "p.jsonl", GOOD, "", {**GOOD, "id": "p-2"})
    assert [p.id for p in read_jsonl(path, Placement)] == ["p-1", "p-2"]


def test_every_bad_line_is_reported_with_its_number_field_and_reason(tmp_path):
    path = _lines(
        tmp_path / "p.jsonl",
        GOOD,
        {**GOOD, "id": "p-2", "demands": {"IV.13": 5}},
        "{not json",
        {**GOOD, "id": "p-1"},
        {**GOOD, "id": "p-4", "kind": "stage"},
    )
    with pytest.raises(InputError) as info:
        read_jsonl(path, Placement)
    problems = info.value.problems
    assert problems[0] == f"{path} line 2: demands.IV.13: level 5 is out of range 0..3"
    assert problems[1] == f"{path} line 3: not valid JSON"
    assert problems[2] == f"{path} line 4: id: duplicate id 'p-1' (first on line 1)"
    assert problems[3].startswith(f"{path} line 5: kind: Input should be")


def test_missing_file_and_non_utf8_are_clear_refusals(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_jsonl(tmp_path / "nope.jsonl", Candidate)
    bad = tmp_path / "latin1.jsonl"
    bad.write_bytes(json.dumps(json.loads(make_candidate().model_dump_json())).encode()[:-2] + b"\xe9\"}\n")
    with pytest.raises(InputError, match="not UTF-8"):
        read_jsonl(bad, Candidate)
