"""`spoormatch match`: the spoor and verdict filters of contract v1.1, and their refusals."""

from __future__ import annotations

import json

import pytest

from matching import cli
from matching.live.matcher import Matcher
from tests.conftest import HashingEncoder, candidate_json, placement_json

SHORT = {"hours_per_week": 16, "hours_per_day": 4}
PLACES = [
    placement_json(id="p-own", employer_id="e-7", **SHORT),
    placement_json(id="p-own-adjust", employer_id="e-7", demands={"IV.13": 1}, adjustments={"IV.13": 2}, **SHORT),
    placement_json(id="p-build", employer_id="e-2", start_hours_per_week=12, hourly_wage={"min": 15.0}),
    placement_json(id="p-edge", employer_id="e-2", demands={"V.3": 1}, **SHORT),
    placement_json(id="p-pass", employer_id="e-2", **SHORT),
]
CANDIDATE = candidate_json(capacity={"IV.13": 2, "V.3": 1, "VI.3": 3}, employer_id="e-7",
                           former_work={"hours_per_week": 24, "hourly_wage": 15.0},
                           hours_outlook={"hours_per_week": 28, "from": "2027-03-01"})


@pytest.fixture
def files(tmp_path, monkeypatch):
    # The cheap encoder: the filters are under test, not the text model.
    monkeypatch.setattr(cli, "_matcher", lambda: Matcher(encoder=HashingEncoder()))
    (tmp_path / "c.jsonl").write_text(json.dumps(CANDIDATE) + "\n", encoding="utf-8")
    (tmp_path / "p.jsonl").write_text("".join(json.dumps(p) + "\n" for p in PLACES), encoding="utf-8")
    return tmp_path


def _match(files, *flags: str) -> list[dict]:
    out = files / "s.jsonl"
    assert cli.main(["match", "--candidates", str(files / "c.jsonl"), "--placements", str(files / "p.jsonl"),
                     "--out", str(out), *flags]) == 0
    [line] = out.read_text(encoding="utf-8").splitlines()
    return json.loads(line)["suggestions"]


def test_without_filters_spoor_one_comes_first(files):
    got = _match(files)
    assert [s["spoor"] for s in got] == [1, 1, 2, 2, 2]
    by_id = {s["placement_id"]: s for s in got}
    assert by_id["p-own-adjust"]["verdict"] == by_id["p-build"]["verdict"] == "adjust"
    assert [(c["kind"], c["item"], c["from"], c["to"]) for c in by_id["p-build"]["conditions"]] == \
        [("opbouw", "VI.3", 24, 12)]
    assert by_id["p-build"]["earnings"]["ratio"] == 1.0


@pytest.mark.parametrize("flags, expected", [
    (["--spoor", "1"], {"p-own", "p-own-adjust"}),
    (["--spoor", "2"], {"p-build", "p-edge", "p-pass"}),
    (["--verdict", "adjust"], {"p-own-adjust", "p-build"}),
    (["--verdict", "pass", "--verdict", "signal"], {"p-own", "p-edge", "p-pass"}),
    (["--verdict", "pass,signal"], {"p-own", "p-edge", "p-pass"}),
    (["--verdict", "signal, adjust", "--verdict", "adjust"], {"p-own-adjust", "p-build", "p-edge"}),
    (["--spoor", "2", "--verdict", "adjust"], {"p-build"}),
    (["--spoor", "1", "--verdict", "signal"], set()),
])
def test_filters(files, flags, expected):
    got = _match(files, *flags)
    assert {s["placement_id"] for s in got} == expected
    assert [s["rank"] for s in got] == list(range(1, len(got) + 1))


@pytest.mark.parametrize("flags, message", [
    (["--spoor", "3"], "--spoor: must be 1 (the own employer's places) or 2 (all others), got '3'"),
    (["--spoor", "een"], "--spoor: must be 1 (the own employer's places) or 2 (all others), got 'een'"),
    (["--verdict", "exceed"], "--verdict: unknown verdict(s) ['exceed']; choose from pass, signal, adjust"),
    (["--verdict", "pass,misschien"], "--verdict: unknown verdict(s) ['misschien']"),
    (["--verdict", ","], "--verdict: unknown verdict(s) [',']"),
])
def test_bad_filters_are_refused_naming_the_flag_and_nothing_is_written(files, capsys, flags, message):
    out = files / "s.jsonl"
    with pytest.raises(SystemExit) as exc:
        cli.main(["match", "--candidates", str(files / "c.jsonl"), "--placements", str(files / "p.jsonl"),
                  "--out", str(out), *flags])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err
    assert not out.exists()
