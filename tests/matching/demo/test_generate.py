"""The synthetic demo data: valid contract-v1 records, seeded, atomically written."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from matching.reference.fml import HOURS_PER_WEEK_BY_LEVEL
from matching.demo import (
    SECTOR_NAMES,
    SECTORS,
    generate_candidates,
    generate_demo,
    generate_placements,
    story_candidates,
    story_placements,
)
from matching.contract.models import PLACEMENT_KINDS, PLACEMENT_STATUSES, Candidate, Placement
from matching.settings import REPO_ROOT

N = 400


@pytest.fixture(scope="module")
def placements() -> list[dict]:
    return list(generate_placements(N, seed=7))


@pytest.fixture(scope="module")
def candidates() -> list[dict]:
    return list(generate_candidates(N, seed=7))


def test_every_placement_validates(placements):
    for record in placements:
        Placement.model_validate(record)


def test_every_candidate_validates(candidates):
    for record in candidates:
        Candidate.model_validate(record)


def test_every_demand_option_in_the_vocabulary_validates():
    # Rare options may not be drawn in a small sample; check each one directly.
    base = {"id": "p-x", "employer_id": "e-x", "kind": "vacature", "title": "t", "location": {"postcode": "6511"},
            "hours_per_week": 32, "hours_per_day": 8}
    for sector in SECTORS:
        for job in sector.jobs:
            for item, options in job.demands.items():
                values = [True] if isinstance(options, float) else [o for o in options if o is not None]
                for value in values:
                    value = list(value) if isinstance(value, tuple) else value
                    Placement.model_validate({**base, "demands": {item: value}})


def test_same_seed_same_records():
    assert list(generate_placements(60, seed=3)) == list(generate_placements(60, seed=3))
    assert list(generate_candidates(60, seed=3)) == list(generate_candidates(60, seed=3))


def test_different_seeds_differ():
    assert list(generate_placements(60, seed=3)) != list(generate_placements(60, seed=4))
    assert list(generate_candidates(60, seed=3)) != list(generate_candidates(60, seed=4))


def test_ids(placements, candidates):
    assert placements[0]["id"] == "p-000001"
    assert candidates[0]["id"] == "c-000001"
    assert len({p["id"] for p in placements}) == N
    assert len({c["id"] for c in candidates}) == N
    assert all(re.fullmatch(r"e-\d{4,}", p["employer_id"]) for p in placements)
    # Employers post several places each.
    assert len({p["employer_id"] for p in placements}) < N / 2


def test_all_kinds_sectors_and_statuses_occur(placements):
    assert {p["kind"] for p in placements} == set(PLACEMENT_KINDS)
    assert {p["sector"] for p in placements} == set(SECTOR_NAMES)
    assert "recreatie" in SECTOR_NAMES
    assert {p["status"] for p in placements} == set(PLACEMENT_STATUSES)
    assert any(p["positions"] == 0 for p in placements)
    assert any(p["evening"] for p in placements) and any(p["night"] for p in placements)


def test_werkervaringsplek_usually_has_one_position(placements):
    wep = [p for p in placements if p["kind"] == "werkervaringsplek"]
    assert sum(p["positions"] <= 1 for p in wep) >= 0.85 * len(wep)


def test_typical_demands():
    # Employers post in clumps, so a title needs a larger sample to show up surely.
    sample = list(generate_placements(3000, seed=1))

    def demands_of(title: str) -> list[dict]:
        return [p["demands"] for p in sample if p["title"] == title]

    pickers = demands_of("Orderpicker")
    assert pickers and all(d["IV.13"] == 0 for d in pickers)
    admin = demands_of("Administratief medewerker")
    assert admin and all(d["V.2"] in (0, 1) and 4 not in d.get("I.8", []) for d in admin)


def test_candidate_limitation_patterns_occur(candidates):
    caps = [c["capacity"] for c in candidates]
    assert any(not cap for cap in caps)
    assert any("IV.13" in cap for cap in caps)  # back
    assert any("IV.20" in cap for cap in caps)  # knee
    assert any("I.8" in cap and "VI.3" in cap for cap in caps)  # burn-out
    assert any(2 in cap.get("VI.1", []) for cap in caps)  # no night work
    assert any("V.7" in cap for cap in caps)  # shoulder
    assert all(10 <= c["max_travel_km"] <= 50 for c in candidates)


def test_wished_hours_usually_within_the_week_limit(candidates):
    with_wish = [c for c in candidates if "hours_per_week" in c["wishes"]]
    within = [c for c in with_wish
              if c["wishes"]["hours_per_week"] <= HOURS_PER_WEEK_BY_LEVEL[c["capacity"].get("VI.3", 0)]]
    assert len(within) >= 0.9 * len(with_wish)


def test_negative_count_is_refused():
    with pytest.raises(ValueError):
        generate_placements(-1)
    with pytest.raises(ValueError):
        generate_candidates(-1)
    assert list(generate_placements(0)) == []


def test_stories():
    stories = story_candidates()
    assert [s["id"] for s in stories] == [f"c-story-{i}" for i in range(1, 6)]
    for story in stories:
        Candidate.model_validate(story)
    burnout, knee = stories[1]["capacity"], stories[4]["capacity"]
    assert {1, 3, 4} <= set(burnout["I.8"]) and burnout["III.6"] == 1
    assert "VI.2" in burnout and "VI.3" in burnout
    assert all(knee[item] > 0 for item in ("IV.16", "IV.18", "IV.20"))


def test_committed_demo_candidates_are_the_stories():
    path = REPO_ROOT / "data" / "demo" / "candidates.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == story_candidates()


def test_generate_demo(tmp_path: Path):
    counts = generate_demo(tmp_path, n_placements=30, n_candidates=10, seed=2)
    # The stories come with the places of their own employers.
    n_story_places = len(story_placements())
    assert counts == {"placements": 30 + n_story_places, "candidates": 15}
    candidates = [json.loads(line) for line in (tmp_path / "candidates.jsonl").read_text("utf-8").splitlines()]
    assert [c["id"] for c in candidates[:5]] == [f"c-story-{i}" for i in range(1, 6)]
    places = [json.loads(line) for line in (tmp_path / "placements.jsonl").read_text("utf-8").splitlines()]
    assert len(places) == 30 + n_story_places
    assert places[30:] == story_placements()
    # The generated candidates work for the generated world's employers where they can.
    assert candidates[5:] == list(generate_candidates(10, seed=2, n_placements=30))

    counts = generate_demo(tmp_path / "plain", n_placements=3, n_candidates=4, include_stories=False)
    assert counts == {"placements": 3, "candidates": 4}
