"""The demo's five stories in the demo world (v1.1): their own employers' places come
first and marked spoor 1, an adjusted place carries its conditions, story 2 builds up,
and every suggestion says what it earns; the demo prints all of it.

The cheap hashing encoder, without the occupation linker, keeps this fast; the
verdicts, spoor and earnings do not depend on either, only the order within a spoor
does."""

from __future__ import annotations

from datetime import date

import pytest

from matching import cli
from matching.contract.models import Candidate, Placement
from matching.demo import as_of, demo_placements, story_candidates
from matching.live import Matcher
from matching.settings import get_settings

TODAY = date(2027, 9, 6)


@pytest.fixture(scope="module")
def world():
    from tests.conftest import HashingEncoder

    places = [Placement.model_validate(p) for p in demo_placements(600, seed=cli.DEMO_SEED)]
    # No occupation linker: linking 600 titles with the real model takes half a minute.
    settings = get_settings().with_overrides(occupation_linker=False)
    matcher = Matcher(settings=settings, encoder=HashingEncoder()).fit(places)
    stories = [as_of(Candidate.model_validate(s), TODAY) for s in story_candidates()]
    results = {c.id: matcher.suggest(c, top=5) for c in stories}
    return {p.id: p for p in places}, {c.id: c for c in stories}, results


def test_own_employer_places_come_first_marked_spoor_1(world):
    places, stories, results = world
    for cid, result in results.items():
        spoors = [s.spoor for s in result.suggestions]
        assert spoors and spoors[0] == 1, (cid, spoors)
        assert spoors == sorted(spoors), (cid, spoors)
        for s in result.suggestions:
            assert (places[s.placement_id].employer_id == stories[cid].employer_id) == (s.spoor == 1)
            if s.spoor == 1:
                assert "eigen werkgever (spoor 1)" in s.explanation


def test_adjusted_places_carry_their_conditions(world):
    places, _, results = world
    adjusted = [s for r in results.values() for s in r.suggestions if s.verdict == "adjust"]
    assert {c.kind for s in adjusted for c in s.conditions} == {"aanpassing", "opbouw"}
    for s in adjusted:
        assert s.conditions and all(c.reason for c in s.conditions)
        offered = places[s.placement_id].adjustments
        for c in s.conditions:
            if c.kind == "aanpassing":
                assert offered, s.placement_id
    # The hospital lifts less on the polikliniek, the holiday park gives a sit-stand desk.
    by_place = {s.placement_id: s for s in adjusted}
    assert [c.item for c in by_place["p-story-4a"].conditions] == ["IV.13"]
    assert [c.item for c in by_place["p-story-5a"].conditions] == ["V.4"]


def test_story_2_builds_up_at_her_own_office(world):
    _, _, results = world
    first = results["c-story-2"].suggestions[0]
    assert first.placement_id == "p-story-2a" and first.verdict == "adjust" and first.spoor == 1
    build_up = [c for c in first.conditions if c.kind == "opbouw"]
    assert len(build_up) == 1 and build_up[0].item == "VI.3"
    assert (build_up[0].from_, build_up[0].to) == (24, 12)
    assert "bouw op naar 24" in build_up[0].reason and "december 2027" in build_up[0].reason


def test_every_story_suggestion_says_what_it_earns(world):
    places, _, results = world
    for r in results.values():
        for s in r.suggestions:
            assert s.earnings is not None and s.earnings.text, s.placement_id
            if places[s.placement_id].hourly_wage is None:
                assert s.earnings.ratio is None and "onbetaald" in s.earnings.text
            else:
                assert s.earnings.ratio is not None and "van het oude loon" in s.earnings.text
    # Fewer hours at the same park earn under 65%: flagged for the coach.
    planning = next(s for s in results["c-story-5"].suggestions if s.placement_id == "p-story-5b")
    assert planning.earnings.ratio < 0.65 and "loon" in [it.item for it in planning.items]


def test_the_demo_prints_spoor_verdict_conditions_and_earnings(world, capsys):
    places, _, results = world
    for s in results["c-story-2"].suggestions[:1] + results["c-story-5"].suggestions[:1]:
        cli._print_suggestion(s, places[s.placement_id])
    out = capsys.readouterr().out
    assert out.count("[adjust] spoor 1, eigen werkgever") == 2
    assert "Opbouw: Start met 12 uur per week en bouw op naar 24" in out
    assert "Aanpassing: Past als de werkgever het staan tijdens het werk beperkt tot" in out
    assert "Loon: onbetaald: een opstap" in out and "Loon: ongeveer 90% van het oude loon" in out
