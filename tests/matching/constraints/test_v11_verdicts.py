"""Contract v1.1 verdicts in cases a coach would recognise, with the Dutch they read.

Each case goes through the Matcher as a coach's list would, and is checked
against the plain reference as well, so the examples and the rules cannot drift.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from matching.constraints import reference
from matching.constraints.earnings import UNPAID_TEXT
from matching.constraints.reasons import employer_wording
from matching.contract.models import CandidateSuggestions, Suggestion
from matching.live.matcher import Matcher
from matching.settings import get_settings
from tests.conftest import HashingEncoder, make_candidate, make_placement

ENC = HashingEncoder()
# Words that would tell an employer why a condition is asked: none may reach them.
MEDICAL = re.compile(r"belastbaar|bedrijfsarts|beperk|kan ongeveer|verwacht|ziek|klacht|prikkel", re.IGNORECASE)


@pytest.fixture(scope="module")
def matcher_settings():
    # The occupation linker changes scores, never a verdict, and costs seconds to build.
    return replace(get_settings(), occupation_linker=False)


@pytest.fixture
def suggest(matcher_settings):
    def run(candidate, places, top: int = 10) -> CandidateSuggestions:
        result = Matcher(encoder=ENC, settings=matcher_settings).fit(places).suggest(candidate, top=top,
                                                                                      explain_excluded=5)
        by_id = {p.id: p for p in places}
        for s in result.suggestions:  # the examples obey the plain rules too
            ref = reference.judge(candidate, by_id[s.placement_id])
            assert ref.feasible and s.verdict == ref.verdict
        return result
    return run


def only(result: CandidateSuggestions) -> Suggestion:
    [s] = result.suggestions
    return s


def reads_well(text: str) -> None:
    """A Dutch sentence as a coach reads it: no code leaking through."""
    assert text and text[0].isupper()
    for leak in ("None", "nan", "[", "]", "{", "  ", "_", "True", "False"):
        assert leak not in text, f"{leak!r} in {text!r}"


# --- adjusted work ---------------------------------------------------------------------

def test_lifting_adjusted_to_5_kg_makes_the_warehouse_place_fit(suggest):
    c = make_candidate(capacity={"IV.13": 2})  # ongeveer 5 kg
    p = make_placement(title="Magazijnmedewerker", demands={"IV.13": 1}, adjustments={"IV.13": 2})
    s = only(suggest(c, [p]))
    assert s.verdict == "adjust" and s.items == []
    [cond] = s.conditions
    assert (cond.kind, cond.item, cond.from_, cond.to) == ("aanpassing", "IV.13", 1, 2)
    assert cond.reason.startswith("Past als de werkgever het tillen beperkt tot ongeveer 5 kg")
    assert "nu ongeveer 10 kg" in cond.reason
    reads_well(cond.reason)
    assert "met deze aanpassing" in s.explanation
    # The employer hears what to change, never why.
    assert employer_wording(cond) == "Tillen: hoogstens ongeveer 5 kg (t/m 50×/u)"
    assert not MEDICAL.search(employer_wording(cond))
    # The JSON says "from", as the contract writes it.
    assert s.model_dump(by_alias=True)["conditions"][0]["from"] == 1


def test_an_adjustment_that_is_not_enough_still_excludes(suggest):
    c = make_candidate(capacity={"IV.13": 3})  # ongeveer 2 kg
    p = make_placement(id="p-zwaar", demands={"IV.13": 1}, adjustments={"IV.13": 2})
    result = suggest(c, [p])
    assert result.suggestions == []
    [ex] = result.excluded
    [item] = ex.items
    assert item.item == "IV.13" and item.verdict == "exceed"
    # The place is excluded for the work as posted.
    assert item.reason == "Tillen: kan ongeveer 2 kg (t/m 100×/u), het werk vraagt ongeveer 10 kg (t/m 10×/u)"


def test_a_quiet_room_the_employer_can_offer(suggest):
    c = make_candidate(capacity={"I.8": [1, 4]})
    p = make_placement(title="Administratief medewerker", demands={"I.8": [3]}, adjustments={"I.8": [1, 3, 4]})
    s = only(suggest(c, [p]))
    [cond] = s.conditions
    assert (cond.item, cond.from_, cond.to) == ("I.8", [3], [1, 3, 4])
    assert cond.reason == ("Past als de werkgever zorgt voor: werk met niet of nauwelijks afleiding door "
                           "activiteiten van anderen; zonder veelvuldige deadlines of productiepieken")
    assert employer_wording(cond).startswith("De werkplek biedt: werk met niet of nauwelijks afleiding")
    # A condition the workplace already meets is not asked again.
    assert "storingen" not in cond.reason


def test_evening_work_taken_away(suggest):
    c = make_candidate(capacity={"VI.1": [1]})  # geen avondwerk
    p = make_placement(title="Receptiemedewerker hotel", evening=True, night=True, adjustments={"evening": False})
    s = only(suggest(c, [p]))
    [cond] = s.conditions
    assert (cond.item, cond.from_, cond.to) == ("VI.1", [1, 2], [2])
    assert cond.reason == "Past als de werkgever geen avondwerk vraagt"
    assert employer_wording(cond) == "Geen avondwerk"
    # Night work is still asked, and this candidate may work nights: nothing else to say.
    assert s.items == []


def test_shorter_days(suggest):
    c = make_candidate(capacity={"VI.2": 3})  # ongeveer 4 uur per dag
    p = make_placement(hours_per_day=6, hours_per_week=24, adjustments={"hours_per_day": 4})
    s = only(suggest(c, [p]))
    [cond] = s.conditions
    assert (cond.kind, cond.item, cond.from_, cond.to) == ("aanpassing", "VI.2", 6, 4)
    assert cond.reason == "Past als de werkgever de werkdag beperkt tot 4 uur, nu 6"
    assert employer_wording(cond) == "Werkdagen van hoogstens 4 uur"


# --- building up hours -------------------------------------------------------------------

def story_two(**overrides):
    """Burn-out in the second year: about 20 hours a week now, 24 expected by March."""
    data = {"capacity": {"VI.3": 3, "I.8": [1]},
            "hours_outlook": {"hours_per_week": 24, "from": "2027-03-01"},
            "experience": [{"title": "Administratief medewerker", "years": 8}]}
    data.update(overrides)
    return make_candidate(**data)


def test_story_two_builds_up_from_12_to_24_hours(suggest):
    p = make_placement(kind="werkervaringsplek", title="Administratief medewerker", hours_per_week=24,
                       hours_per_day=6, start_hours_per_week=12, demands={"I.8": [1, 3]})
    s = only(suggest(story_two(), [p]))
    assert s.verdict == "adjust"
    [cond] = s.conditions
    assert (cond.kind, cond.item, cond.from_, cond.to) == ("opbouw", "VI.3", 24, 12)
    assert cond.reason == ("Start met 12 uur per week en bouw op naar 24; de bedrijfsarts verwacht 24 uur per "
                           "week vanaf 1 maart 2027")
    assert "met deze opbouw" in s.explanation
    # The employer hears the start, not the prognosis.
    assert employer_wording(cond) == "Start met 12 uur per week en bouw op naar 24"
    assert not MEDICAL.search(employer_wording(cond))


def test_build_up_is_preferred_over_fewer_hours_for_good(suggest):
    p = make_placement(hours_per_week=24, hours_per_day=6, start_hours_per_week=12,
                       adjustments={"hours_per_week": 20}, demands={"I.8": [1]})
    [cond] = only(suggest(story_two(), [p])).conditions
    assert cond.kind == "opbouw"


def test_without_an_outlook_the_full_hours_exclude(suggest):
    p = make_placement(id="p-24", hours_per_week=24, hours_per_day=6, start_hours_per_week=12, demands={"I.8": [1]})
    result = suggest(story_two(hours_outlook=None), [p])
    assert result.suggestions == []
    [item] = result.excluded[0].items
    assert item.reason == "Uren per week: kan ongeveer 20 uur per week, het werk vraagt 24 uur"


def test_full_hours_above_the_outlook_exclude(suggest):
    p = make_placement(id="p-32", hours_per_week=32, hours_per_day=8, start_hours_per_week=12, demands={"I.8": [1]})
    result = suggest(story_two(), [p])
    assert result.suggestions == []
    assert [i.item for i in result.excluded[0].items] == ["VI.3"]


def test_a_start_above_todays_limit_excludes(suggest):
    p = make_placement(id="p-start", hours_per_week=24, hours_per_day=6, start_hours_per_week=22,
                       demands={"I.8": [1]})
    assert suggest(story_two(), [p]).suggestions == []


# --- earnings: the 65% rule ---------------------------------------------------------------

def former(**overrides):
    # 20 euro an hour for 40 hours: 800 a week before sickness.
    return make_candidate(former_work={"title": "Gastvrouw vakantiepark", "hours_per_week": 40, "hourly_wage": 20.0},
                          **overrides)


def test_72_percent_of_the_former_wage_is_passend(suggest):
    p = make_placement(hourly_wage={"min": 15.0, "max": 17.0}, hours_per_week=36, hours_per_day=8)  # 576 a week
    s = only(suggest(former(), [p]))
    assert (s.earnings.ratio, s.earnings.text) == (0.72, "ongeveer 72% van het oude loon")
    assert s.verdict == "pass" and s.items == []
    assert "ongeveer 72% van het oude loon" in s.explanation


def test_52_percent_is_signalled_as_not_passend(suggest):
    p = make_placement(hourly_wage={"min": 13.0}, hours_per_week=32, hours_per_day=8)  # 416 a week
    s = only(suggest(former(), [p]))
    assert s.earnings.ratio == 0.52
    assert s.verdict == "signal"
    [item] = s.items
    assert (item.item, item.verdict) == ("loon", "signal")
    assert item.reason == ("Loon: ongeveer 52% van het oude loon, minder dan 65%: geen passend werk in de zin "
                           "van de wet, tenzij als opstap")
    reads_well(item.reason)


def test_an_unpaid_place_is_a_stepping_stone_without_a_wage_signal(suggest):
    p = make_placement(kind="werkervaringsplek", title="Gastvrouw (werkervaring)")
    s = only(suggest(former(), [p]))
    assert s.earnings.ratio is None
    assert s.earnings.text == UNPAID_TEXT == "onbetaald: een opstap, geen duurzaam passend werk"
    assert s.items == [] and s.verdict == "pass"


def test_no_former_wage_gives_the_pay_itself(suggest):
    s = only(suggest(make_candidate(), [make_placement(hourly_wage={"min": 14.2, "max": 16.9})]))
    assert s.earnings.ratio is None
    assert s.earnings.text == "€ 14,20 tot € 16,90 per uur; het oude loon is niet bekend"


# --- spoor 1 beside spoor 2 ---------------------------------------------------------------

def test_own_employer_places_come_first_and_say_so(suggest):
    c = former(employer_id="e-park")
    places = [make_placement(id="p-ext", employer_id="e-hotel", title="Receptiemedewerker"),
              make_placement(id="p-own", employer_id="e-park", title="Schoonmaker", kind="werkervaringsplek",
                             description="Schoonmaak van vakantiehuisjes", skills=[])]
    result = suggest(c, places)
    assert [(s.placement_id, s.spoor) for s in result.suggestions] == [("p-own", 1), ("p-ext", 2)]
    own, external = result.suggestions
    assert own.score < external.score  # first whatever it scores; the score shown is the plain one
    assert own.explanation.startswith("Werk bij de eigen werkgever (spoor 1)")
    assert "spoor" not in external.explanation
