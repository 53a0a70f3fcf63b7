"""Contract v1.1 in the demo world: wages, start hours and adjustments of the generated
places; former work, own employers and build-up prognoses of the generated candidates;
the stories' v1.1 fields and their own employers' places."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from matching.contract.models import Candidate, Placement
from matching.demo import (
    REFERENCE_DATE,
    STORY_EMPLOYERS,
    WAGES,
    as_of,
    demo_placements,
    generate_candidates,
    generate_placements,
    story_candidates,
    story_placements,
)
from matching.demo.vocabulary import MINIMUM_WAGE, SECTORS
from matching.reference.fml import HOURS_PER_WEEK_BY_LEVEL
from matching.reference.geo import haversine_km, load_gazetteer

N = 2000
N_CANDIDATES = 1500
V11_CANDIDATE = ("employer_id", "former_work", "hours_outlook")
V11_PLACE = ("hourly_wage", "start_hours_per_week", "adjustments")


@pytest.fixture(scope="module")
def places() -> list[dict]:
    return list(generate_placements(N, seed=7))


@pytest.fixture(scope="module")
def candidates() -> list[dict]:
    return list(generate_candidates(N_CANDIDATES, seed=7, n_placements=N))


def _share(records, test) -> float:
    return sum(1 for r in records if test(r)) / len(records)


def test_every_job_has_a_plausible_wage_band():
    for sector in SECTORS:
        for job in sector.jobs:
            low, high = WAGES[job.title]
            assert MINIMUM_WAGE <= low < high <= 35, job.title


def test_paid_places_state_a_wage_and_werkervaringsplekken_none(places):
    for p in places:
        if p["kind"] == "werkervaringsplek":
            assert "hourly_wage" not in p, p["id"]
            continue
        # The contract reads an absent wage as unpaid: every vacature and detachering states one.
        wage = p["hourly_wage"]
        assert MINIMUM_WAGE <= wage["min"] <= wage.get("max", wage["min"]) <= 35, p["id"]
        low, high = WAGES[next(j.title for s in SECTORS for j in s.jobs
                               if p["title"] == j.title or p["title"] in j.alt_titles)]
        assert low <= wage["min"] and wage.get("max", wage["min"]) <= high, p["id"]
    ranges = [p for p in places if "hourly_wage" in p]
    assert 0.6 <= _share(ranges, lambda p: "max" in p["hourly_wage"]) <= 0.95


def test_start_hours_mostly_on_werkervaringsplekken(places):
    wep = [p for p in places if p["kind"] == "werkervaringsplek"]
    paid = [p for p in places if p["kind"] != "werkervaringsplek"]
    assert 0.35 <= _share(wep, lambda p: "start_hours_per_week" in p) <= 0.7
    assert 0.02 <= _share(paid, lambda p: "start_hours_per_week" in p) <= 0.15
    for p in places:
        if "start_hours_per_week" in p:
            assert 4 <= p["start_hours_per_week"] < p["hours_per_week"], p["id"]


def test_adjustments_are_lighter_and_of_every_kind(places):
    adjusted = [p for p in places if p.get("adjustments")]
    assert 0.12 <= len(adjusted) / len(places) <= 0.3
    keys = {k for p in adjusted for k in p["adjustments"]}
    # Lifting aids, a quiet workplace, no evening work, shorter days and weeks.
    assert {"IV.13", "I.8", "evening", "hours_per_day", "hours_per_week"} <= keys
    for p in adjusted:
        demands = p["demands"]
        for key, value in p["adjustments"].items():
            if key == "I.8":
                assert set(demands["I.8"]) < set(value), p["id"]
            elif key in ("hours_per_day", "hours_per_week"):
                assert value < p[key], p["id"]
            elif key in ("evening", "night"):
                assert value is False and p[key], p["id"]
            else:
                # One ORD level lighter, and never for work at the full norm.
                assert demands[key] >= 1 and value == demands[key] + 1, p["id"]
        # The validator agrees: an adjustment never asks more than the demand.
        Placement.model_validate(p)


def test_generated_candidates_carry_their_terms_in_the_expected_shares(candidates):
    for c in candidates:
        Candidate.model_validate(c)
    assert 0.8 <= _share(candidates, lambda c: "former_work" in c) <= 0.97
    assert 0.8 <= _share(candidates, lambda c: "employer_id" in c) <= 0.97
    assert 0.05 <= _share(candidates, lambda c: "hours_outlook" in c) <= 0.3
    for c in candidates:
        former = c.get("former_work")
        if former:
            assert former["title"] == c["experience"][0]["title"]
            assert MINIMUM_WAGE <= former["hourly_wage"] <= 35 and former["hours_per_week"] > 0
        outlook = c.get("hours_outlook")
        if outlook:
            limit = HOURS_PER_WEEK_BY_LEVEL[c["capacity"]["VI.3"]]
            # A prognosis beyond today's limit, never past the old week, a few weeks to months ahead.
            assert limit < outlook["hours_per_week"] <= (former["hours_per_week"] if former else 40), c["id"]
            ahead = date.fromisoformat(outlook["from"]) - REFERENCE_DATE
            assert timedelta(weeks=4) <= ahead <= timedelta(weeks=30), c["id"]


def test_some_candidates_work_for_an_employer_that_posts_their_work_nearby(places, candidates):
    gaz = load_gazetteer()
    by_employer: dict[str, list[dict]] = {}
    for p in places:
        by_employer.setdefault(p["employer_id"], []).append(p)
    linked = [c for c in candidates if c.get("employer_id", "").startswith("e-0")]
    assert 0.05 <= len(linked) / len(candidates) <= 0.35
    with_places = 0
    for c in linked:
        own = by_employer.get(c["employer_id"], [])
        with_places += bool(own)
        home = gaz.postcode(c["home"]["postcode"]) if "postcode" in c["home"] else gaz.place(c["home"]["place"])
        for p in own:
            # Chosen within reach of the candidate's postcode (a place name sits a little off it).
            km = float(haversine_km(*home, *gaz.postcode(p["location"]["postcode"])))
            assert km <= c["max_travel_km"] + 10, (c["id"], p["id"], km)
    # Employers are drawn by how much they post: nearly every one posts in this world.
    assert with_places >= 0.9 * len(linked)
    # The rest of the employees work for employers that post nothing.
    others = {c["employer_id"] for c in candidates if c.get("employer_id", "").startswith("e-w")}
    assert others and not others & set(by_employer)


def test_terms_are_seeded_and_leave_the_v1_fields_alone(candidates):
    assert list(generate_placements(80, seed=3)) == list(generate_placements(80, seed=3))
    again = list(generate_candidates(N_CANDIDATES, seed=7, n_placements=N))
    assert again == candidates
    # Without a place world the candidates are the same people, with employers that post nothing.
    alone = list(generate_candidates(N_CANDIDATES, seed=7))

    def v1(c: dict) -> dict:
        return {k: v for k, v in c.items() if k not in V11_CANDIDATE}

    assert [v1(c) for c in alone] == [v1(c) for c in candidates]
    assert not any(c.get("employer_id", "").startswith("e-0") for c in alone)
    assert list(generate_candidates(50, seed=4, n_placements=N)) != \
        list(generate_candidates(50, seed=5, n_placements=N))


def test_build_up_prognosis_counts_from_the_given_day():
    day = date(2030, 6, 3)
    moved = list(generate_candidates(300, seed=1, today=day))
    fixed = list(generate_candidates(300, seed=1))
    pairs = [(m, f) for m, f in zip(moved, fixed) if "hours_outlook" in f]
    assert pairs
    for m, f in pairs:
        shift = date.fromisoformat(m["hours_outlook"]["from"]) - date.fromisoformat(f["hours_outlook"]["from"])
        assert shift == day - REFERENCE_DATE


def test_stories_carry_their_v11_fields():
    stories = {s["id"]: s for s in story_candidates()}
    for sid, story in stories.items():
        c = Candidate.model_validate(story)
        assert c.employer_id in STORY_EMPLOYERS, sid
        assert c.former_work and c.former_work.hours_per_week and c.former_work.hourly_wage, sid
        assert c.former_work.title == c.experience[0].title, sid
    # Story 2 builds up: 24 hours a week in about three months, beyond today's 20.
    burnout = Candidate.model_validate(stories["c-story-2"])
    assert burnout.hours_outlook.hours_per_week == 24
    assert HOURS_PER_WEEK_BY_LEVEL[burnout.capacity["VI.3"]] < 24
    assert burnout.hours_outlook.from_ == REFERENCE_DATE + timedelta(weeks=13)
    assert all("hours_outlook" not in s for sid, s in stories.items() if sid != "c-story-2")


def test_as_of_moves_the_prognosis_to_the_demo_day():
    story = Candidate.model_validate(story_candidates()[1])
    today = date(2031, 2, 17)
    moved = as_of(story, today)
    assert moved.hours_outlook.from_ == today + timedelta(weeks=13)
    assert moved.model_dump(exclude={"hours_outlook"}) == story.model_dump(exclude={"hours_outlook"})
    assert as_of(story, REFERENCE_DATE) == story
    plain = Candidate.model_validate(story_candidates()[0])
    assert as_of(plain, today) is plain
    assert story_candidates(today=today)[1] == moved.model_dump(mode="json", exclude_none=True)


def test_each_story_employer_posts_places_within_her_reach():
    gaz = load_gazetteer()
    places = [Placement.model_validate(p) for p in story_placements()]
    assert len({p.id for p in places}) == len(places)
    for story in story_candidates():
        own = [p for p in places if p.employer_id == story["employer_id"]]
        assert own, story["id"]
        home = gaz.postcode(story["home"]["postcode"])
        for p in own:
            assert float(haversine_km(*home, *gaz.postcode(p.location.postcode))) <= story["max_travel_km"]
    # Adjustments, a build-up place, wages and unpaid places all occur.
    assert any(p.adjustments for p in places) and any(p.start_hours_per_week for p in places)
    assert {p.kind for p in places if p.hourly_wage is None} == {"werkervaringsplek"}


def test_demo_world_is_the_generated_places_and_the_story_places():
    world = list(demo_placements(40, seed=7))
    assert world == list(generate_placements(40, seed=7)) + story_placements()
    generated = {p["employer_id"] for p in world[:40]}
    assert not generated & set(STORY_EMPLOYERS)
