"""Every refusal names the field and the reason."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from matching.contract.models import Candidate, Placement, describe_errors
from tests.conftest import make_candidate, make_placement, placement_json

BASE_C = json.loads(make_candidate().model_dump_json(exclude_none=True))
BASE_P = json.loads(make_placement().model_dump_json(exclude_none=True))


def refusal(model, data) -> list[str]:
    with pytest.raises(ValidationError) as info:
        model.model_validate_json(json.dumps(data))
    return describe_errors(info.value)


def test_contract_example_round_trips():
    c = make_candidate(capacity={"IV.13": 2, "V.3": 1, "VI.2": 3, "VI.3": 3, "VI.1": [2], "I.8": [4], "III.6": 1})
    again = Candidate.model_validate_json(c.model_dump_json())
    assert again == c


@pytest.mark.parametrize(
    "capacity, expected",
    [
        ({"X.99": 1}, "capacity.X.99: unknown FML item"),
        ({"IV.13": 4}, "capacity.IV.13: level 4 is out of range 0..3"),
        ({"IV.13": -1}, "capacity.IV.13: level -1 is out of range 0..3"),
        ({"IV.13": "2"}, "capacity.IV.13: expected a whole-number level, got '2'"),
        ({"IV.13": True}, "capacity.IV.13: expected a whole-number level, got True"),
        ({"IV.13": [2]}, "capacity.IV.13: expected a whole-number level, got [2]"),
        ({"I.8": 4}, "capacity.I.8: expected a list of codes, got 4"),
        ({"I.8": [9]}, "capacity.I.8: unknown code(s) [9]; valid codes are [1, 2, 3, 4, 5, 6, 7]"),
        ({"VI.1": [1, 1]}, "capacity.VI.1: codes repeated in [1, 1]"),
        ({"III.6": 2}, "capacity.III.6: level 2 is out of range 0..1"),
    ],
)
def test_bad_capacity_is_refused_naming_the_item(capacity, expected):
    assert refusal(Candidate, {**BASE_C, "capacity": capacity}) == [expected]


@pytest.mark.parametrize(
    "demands, expected",
    [
        ({"Q.1": 1}, "demands.Q.1: unknown FML item"),
        ({"IV.13": 7}, "demands.IV.13: level 7 is out of range 0..3"),
        ({"III.6": 1}, "demands.III.6: expected true or false, got 1"),
        ({"III.1": [5]}, "demands.III.1: unknown code(s) [5]; valid codes are [1, 2]"),
        ({"VI.2": 2}, "demands.VI.2: work times are given by hours_per_day, hours_per_week, evening and night, "
                      "not as a demand"),
        ({"IV.1": 1}, "demands.IV.1: a LAT item describes the person; work cannot demand it"),
    ],
)
def test_bad_demands_are_refused_naming_the_item(demands, expected):
    assert refusal(Placement, {**BASE_P, "demands": demands}) == [expected]


def test_unknown_postcode_and_place_are_refused():
    assert refusal(Candidate, {**BASE_C, "home": {"postcode": "0123"}}) == [
        "home.postcode: '0123' is not a Dutch postcode (four digits, optional two letters)"]
    assert refusal(Candidate, {**BASE_C, "home": {"postcode": "1000"}}) == [
        "home.postcode: unknown postcode '1000'"]
    assert refusal(Placement, {**BASE_P, "location": {"place": "Atlantis"}}) == [
        "location.place: unknown place 'Atlantis'"]
    assert refusal(Candidate, {**BASE_C, "home": {"lat": 40.0, "lon": 5.0}}) == [
        "home.lat: 40.0, lon 5.0 is not in the Netherlands"]
    assert refusal(Candidate, {**BASE_C, "home": {"postcode": "6511", "place": "Nijmegen"}}) == [
        "home: give exactly one of postcode, place, or lat and lon"]


def test_postcode_with_letters_place_and_coordinates_are_accepted():
    for home in ({"postcode": "6511 AB"}, {"postcode": "6511AB"}, {"place": "Nijmegen"}, {"place": "'s-Hertogenbosch"},
                 {"lat": 51.84, "lon": 5.86}):
        lat, lon = Candidate.model_validate({**BASE_C, "home": home}).home.coords
        assert 50 < lat < 54 and 3 < lon < 8


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"hours_per_week": -3}, "hours_per_week: Input should be greater than 0"),
        ({"hours_per_day": 0}, "hours_per_day: Input should be greater than 0"),
        ({"hours_per_day": 13, "hours_per_week": 40}, "hours_per_day: Input should be less than or equal to 12"),
        ({"hours_per_day": 8, "hours_per_week": 6}, "hours_per_day: 8.0 is more than hours_per_week (6.0)"),
        ({"hours_per_day": 2, "hours_per_week": 20}, "hours_per_week: 20.0 cannot be worked in 7 days of 2.0 hours"),
        ({"positions": -1}, "positions: Input should be greater than or equal to 0"),
        ({"kind": "stage"}, "kind: Input should be 'vacature', 'detachering' or 'werkervaringsplek'"),
        ({"status": "maybe"}, "status: Input should be 'open', 'closed' or 'filled'"),
        ({"education_level": "phd"}, "education_level: Input should be 'basisonderwijs', 'vmbo', 'mbo-1', "
                                     "'mbo-2', 'mbo-3', 'mbo-4', 'havo', 'vwo', 'hbo' or 'wo'"),
        ({"salary": 3000}, "salary: unknown field"),
        ({"hours_per_week": "24"}, "hours_per_week: Input should be a valid number"),
        ({"title": ""}, "title: String should have at least 1 character"),
    ],
)
def test_bad_placement_fields_are_refused(change, expected):
    assert refusal(Placement, {**BASE_P, **change}) == [expected]


def test_bad_candidate_fields_are_refused():
    assert refusal(Candidate, {**BASE_C, "education": {"level": "master"}})[0].startswith("education.level: Input should be")
    assert refusal(Candidate, {**BASE_C, "wishes": {"kinds": ["stage"]}})[0].startswith("wishes.kinds.0: Input should be")
    assert refusal(Candidate, {**BASE_C, "wishes": {"hours_per_week": 0}}) == [
        "wishes.hours_per_week: Input should be greater than 0"]
    assert refusal(Candidate, {**BASE_C, "max_travel_km": -5}) == ["max_travel_km: Input should be greater than 0"]
    assert refusal(Candidate, {**BASE_C, "diagnosis": "x"}) == ["diagnosis: unknown field"]
    missing = {k: v for k, v in BASE_C.items() if k != "home"}
    assert refusal(Candidate, missing) == ["home: Field required"]


def test_a_place_may_name_its_esco_occupation_and_a_wrong_one_is_refused():
    from matching.occupations import load_esco

    esco = load_esco()
    ok = Placement.model_validate(placement_json(occupation=esco.uris[0]))
    assert ok.occupation == esco.uris[0]
    for bad, why in (("receptionist", "not an ESCO occupation URI"),
                     ("http://data.europa.eu/esco/occupation/00000000-0000-0000-0000-000000000000",
                      "not an occupation of ESCO")):
        with pytest.raises(ValidationError) as err:
            Placement.model_validate(placement_json(occupation=bad))
        assert "occupation" in str(err.value) and why in str(err.value)
