"""One record must not cost a core for a minute: limits on what a record holds, and cheap repeats."""

from __future__ import annotations

import pytest

from matching.settings import Settings, settings_from_env
from tests.service.conftest import build_world, candidate_json, placement_json

LONG = ("Ontvangst van gasten, plannen van rondleidingen en het beheer van de kassa. " * 250)[:18_000]


def test_a_hundred_long_experiences_are_refused_naming_the_limit(world):
    body = candidate_json(experience=[{"title": f"Gastvrouw {i}", "years": 1, "description": LONG}
                                      for i in range(100)])
    r = world.client.post("/v1/candidates", json=body, headers=world.h("coach"))
    assert r.status_code == 422
    problems = r.json()["problems"]
    assert problems[0] == ("experience: 100 entries; this installation takes at most 30 "
                           "(SPOORMATCH_MAX_EXPERIENCES)")
    assert problems[1] == ("experience.0.description: 18,000 characters; this installation takes at most 2,000 "
                           "(SPOORMATCH_MAX_EXPERIENCE_CHARS)")
    assert problems[-1] == "... and 97 more like these"
    assert world.client.get("/v1/candidates", headers=world.h("coach")).json()["total"] == 0


def test_five_thousand_skills_and_a_long_wish_are_refused(world):
    body = candidate_json(skills=[f"vaardigheid {i}" for i in range(5000)],
                          wishes={"kinds": ["vacature"], "text": "Graag met mensen. " * 200})
    r = world.client.post("/v1/candidates", json=body, headers=world.h("coach"))
    assert r.status_code == 422
    assert [p.split(":")[0] for p in r.json()["problems"]] == ["skills", "wishes.text"]


def test_a_patch_over_the_limit_is_refused_and_changes_nothing(world):
    assert world.client.post("/v1/candidates", json=candidate_json(), headers=world.h("coach")).status_code == 201
    r = world.client.patch("/v1/candidates/c-1", json={"skills": [f"s{i}" for i in range(51)]},
                           headers=world.h("coach"))
    assert r.status_code == 422 and r.json()["problems"][0].startswith("skills: 51 entries")
    assert world.client.get("/v1/candidates/c-1", headers=world.h("coach")).json()["skills"] == \
        candidate_json()["skills"]


def test_a_long_place_description_is_refused(world):
    r = world.client.post("/v1/placements", json=placement_json(description="Gastvrij werk. " * 600),
                          headers=world.h("employer"))
    assert r.status_code == 422
    assert r.json()["problems"][0].startswith("description: 9,000 characters; this installation takes at most 8,000")


def test_an_operator_can_move_the_limits(settings: Settings):
    world = build_world(settings.with_overrides(max_experiences=120, max_experience_chars=20_000))
    try:
        body = candidate_json(experience=[{"title": f"Gastvrouw {i}", "years": 1, "description": LONG[:3000]}
                                          for i in range(40)])
        assert world.client.post("/v1/candidates", json=body, headers=world.h("coach")).status_code == 201
    finally:
        world.client.close()
        world.db.dispose()


def test_a_limit_below_one_is_refused_naming_the_setting():
    with pytest.raises(ValueError, match="SPOORMATCH_MAX_SKILLS: must be at least 1, got 0"):
        settings_from_env({"SPOORMATCH_MAX_SKILLS": "0"})


def test_a_repeated_suggestions_call_does_not_embed_the_candidate_again(world):
    world.client.post("/v1/placements", json=placement_json(), headers=world.h("employer"))
    assert world.client.post("/v1/candidates", json=candidate_json(), headers=world.h("coach")).status_code == 201
    ranker = world.engine.ranker
    calls = []
    real = ranker.embed_candidate
    ranker.embed_candidate = lambda c: calls.append(c.id) or real(c)
    try:
        first = world.client.get("/v1/candidates/c-1/suggestions", headers=world.h("coach")).json()
        again = world.client.get("/v1/candidates/c-1/suggestions", headers=world.h("coach")).json()
        assert calls == ["c-1"]
        assert again["suggestions"] == first["suggestions"]
        # A changed candidate is a new view: never a stale list.
        world.client.patch("/v1/candidates/c-1", json={"skills": ["kassa"]}, headers=world.h("coach"))
        world.client.get("/v1/candidates/c-1/suggestions", headers=world.h("coach"))
        assert calls == ["c-1", "c-1"]
    finally:
        del ranker.embed_candidate
