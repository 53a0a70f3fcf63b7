"""Contract v1.1 fields: every refusal names the field and the reason; v1 stays valid.

Input is read as the file reader reads it (``model_validate_json`` on one line)
and the refusal is said as the reader says it (``describe_errors``).
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from pydantic import ValidationError

from matching.contract.ids import ID_RULE
from matching.contract.io import parse_records
from matching.contract.models import Candidate, Placement, describe_errors
from tests.conftest import make_candidate, make_placement

BASE_C = json.loads(make_candidate().model_dump_json(exclude_none=True))
BASE_P = json.loads(make_placement().model_dump_json(exclude_none=True))  # 24 h a week, 6 a day


def refusal(model, data: dict | None = None, line: str | None = None) -> list[str]:
    with pytest.raises(ValidationError) as info:
        model.model_validate_json(line if line is not None else json.dumps(data))
    return describe_errors(info.value)


def place(**fields) -> dict:
    return {**BASE_P, **fields}


def cand(**fields) -> dict:
    return {**BASE_C, **fields}


# --- wages -------------------------------------------------------------------------------

@pytest.mark.parametrize("wage, expected", [
    ({"min": 0}, "hourly_wage.min: Input should be greater than 0"),
    ({"min": -3}, "hourly_wage.min: Input should be greater than 0"),
    ({"min": 14.2, "max": 0}, "hourly_wage.max: Input should be greater than 0"),
    ({"min": "14,20"}, "hourly_wage.min: Input should be a valid number"),
    ({"min": 1_000_000}, "hourly_wage.min: Input should be less than or equal to 1000"),
    ({"max": 16.9}, "hourly_wage.min: Field required"),
    ({"min": 14.2, "currency": "EUR"}, "hourly_wage.currency: unknown field"),
])
def test_a_wage_that_is_not_a_positive_amount_is_refused(wage, expected):
    assert refusal(Placement, place(hourly_wage=wage)) == [expected]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_a_wage_of_nan_or_infinity_in_the_json_is_refused(literal):
    line = json.dumps(place()).replace('"positions"', f'"hourly_wage": {{"min": {literal}}}, "positions"')
    assert refusal(Placement, line=line) == [f"hourly_wage.min: must be a finite number, got {literal}"]


def test_a_wage_range_upside_down_is_refused():
    assert refusal(Placement, place(hourly_wage={"min": 16.9, "max": 14.2})) == [
        "hourly_wage.max: 14.2 is below min (16.9)"]


def test_a_former_wage_that_is_not_a_positive_amount_is_refused():
    assert refusal(Candidate, cand(former_work={"hourly_wage": 0})) == [
        "former_work.hourly_wage: Input should be greater than 0"]
    assert refusal(Candidate, cand(former_work={"hours_per_week": -8})) == [
        "former_work.hours_per_week: Input should be greater than 0"]


# --- start hours --------------------------------------------------------------------------

def test_start_hours_above_the_full_hours_are_refused():
    [msg] = refusal(Placement, place(start_hours_per_week=30))
    assert msg.startswith("start_hours_per_week: 30 is more than hours_per_week (24)")
    assert "builds up" in msg


def test_start_hours_of_nothing_are_refused():
    assert refusal(Placement, place(start_hours_per_week=0)) == [
        "start_hours_per_week: Input should be greater than 0"]


def test_start_hours_equal_to_the_full_hours_are_allowed():
    assert Placement.model_validate_json(json.dumps(place(start_hours_per_week=24))).start_hours_per_week == 24


# --- adjustments: only ever lighter -------------------------------------------------------

@pytest.mark.parametrize("fields, field, why", [
    # ORD: a lower level asks more.
    ({"demands": {"IV.13": 2}, "adjustments": {"IV.13": 1}}, "adjustments.IV.13",
     "level 1 asks more than the demand (level 2)"),
    # COND: dropping a condition the workplace meets.
    ({"demands": {"I.8": [1, 3]}, "adjustments": {"I.8": [1, 4]}}, "adjustments.I.8",
     "drops condition(s) [3] that the workplace meets now"),
    # CAT: adding an exposure.
    ({"demands": {"III.1": [1]}, "adjustments": {"III.1": [1, 2]}}, "adjustments.III.1",
     "adds exposure(s) [2] that the work does not have now"),
    # BIN: the only lighter value is false.
    ({"demands": {"III.6": True}, "adjustments": {"III.6": True}}, "adjustments.III.6",
     "the only adjustment is false"),
    # Hours above the place's own.
    ({"adjustments": {"hours_per_week": 30}}, "adjustments.hours_per_week",
     "30 hours asks more than the place's 24"),
    ({"adjustments": {"hours_per_day": 7}}, "adjustments.hours_per_day", "7 hours asks more than the place's 6"),
    ({"adjustments": {"hours_per_day": 0}}, "adjustments.hours_per_day", "expected a number of hours above 0"),
    # Evening or night can only be taken away.
    ({"evening": True, "adjustments": {"evening": True}}, "adjustments.evening", "the only adjustment is false"),
    # An item without a demand: any level would ask more than nothing.
    ({"adjustments": {"IV.13": 2}}, "adjustments.IV.13", "the place makes no demand on IV.13"),
    # Unknown items, and work times named by their FML item instead of their field.
    ({"adjustments": {"X.1": 2}}, "adjustments.X.1", "unknown FML item"),
    ({"adjustments": {"salary": 2}}, "adjustments.salary", "unknown FML item"),
    ({"adjustments": {"VI.3": 2}}, "adjustments.VI.3", "work times are adjusted by hours_per_day"),
    ({"demands": {"I.8": [1]}, "adjustments": {"I.8": [9]}}, "adjustments.I.8", "unknown code(s) [9]"),
])
def test_an_adjustment_that_asks_more_than_the_demand_is_refused(fields, field, why):
    [msg] = refusal(Placement, place(**fields))
    assert msg.startswith(f"{field}: "), msg
    assert why in msg, msg


def test_the_refusal_says_an_adjustment_only_makes_the_work_lighter():
    [msg] = refusal(Placement, place(demands={"IV.13": 2}, adjustments={"IV.13": 1}))
    assert msg.endswith("an adjustment only makes the work lighter")


def test_adjustments_that_change_nothing_are_allowed():
    # The same level, or no evening work where there is none: harmless, never a condition.
    p = Placement.model_validate_json(json.dumps(place(demands={"IV.13": 2}, adjustments={"IV.13": 2,
                                                                                          "evening": False})))
    assert p.adjustments == {"IV.13": 2, "evening": False}


def test_a_lighter_adjustment_of_every_kind_is_accepted():
    p = Placement.model_validate_json(json.dumps(place(
        evening=True, night=True,
        demands={"IV.13": 1, "I.8": [3], "III.1": [1, 2], "III.6": True},
        adjustments={"IV.13": 2, "I.8": [1, 3, 4], "III.1": [2], "III.6": False, "hours_per_day": 4,
                     "hours_per_week": 20, "evening": False, "night": False})))
    assert p.adjustments["I.8"] == [1, 3, 4] and p.adjustments["hours_per_week"] == 20


# --- occupation ---------------------------------------------------------------------------

@pytest.mark.parametrize("uri, why", [
    ("receptionist", "is not an ESCO occupation URI"),
    ("https://example.org/occupation/1", "is not an ESCO occupation URI"),
    ("http://data.europa.eu/esco/skill/abc", "is not an ESCO occupation URI"),
    ("http://data.europa.eu/esco/occupation/00000000-0000-0000-0000-000000000000",
     "is not an occupation of ESCO v1.2.0"),
])
def test_an_occupation_that_is_not_an_esco_occupation_is_refused(uri, why):
    [msg] = refusal(Placement, place(occupation=uri))
    assert msg.startswith("occupation: ") and why in msg, msg


# --- hours outlook ------------------------------------------------------------------------

@pytest.mark.parametrize("hours, expected", [
    (200, "hours_outlook.hours_per_week: 200 is more hours than a week can hold (168)"),
    (0, "hours_outlook.hours_per_week: 0 is not a number of hours; give more than 0"),
    (-4, "hours_outlook.hours_per_week: -4 is not a number of hours; give more than 0"),
])
def test_an_outlook_a_week_cannot_hold_is_refused(hours, expected):
    assert refusal(Candidate, cand(hours_outlook={"hours_per_week": hours, "from": "2027-03-01"})) == [expected]


def test_an_outlook_needs_its_date():
    assert refusal(Candidate, cand(hours_outlook={"hours_per_week": 24})) == ["hours_outlook.from: Field required"]
    [msg] = refusal(Candidate, cand(hours_outlook={"hours_per_week": 24, "from": "maart"}))
    assert msg == "hours_outlook.from: expected a date as YYYY-MM-DD, got 'maart'"


def test_hours_outlook_round_trips_with_the_json_key_from():
    c = Candidate.model_validate_json(json.dumps(cand(hours_outlook={"hours_per_week": 28, "from": "2027-03-01"})))
    assert c.hours_outlook.from_ == date(2027, 3, 1)
    data = json.loads(c.model_dump_json(exclude_none=True))
    assert data["hours_outlook"] == {"hours_per_week": 28, "from": "2027-03-01"}
    assert Candidate.model_validate_json(c.model_dump_json()) == c


# --- identity fields ----------------------------------------------------------------------

def test_an_empty_employer_id_is_refused():
    assert refusal(Candidate, cand(employer_id="")) == [f"employer_id: '' is empty; {ID_RULE}"]


def test_unknown_v11_fields_are_refused():
    assert refusal(Candidate, cand(former_work={"title": "Kok", "bonus": 3})) == ["former_work.bonus: unknown field"]


# --- v1 stays valid, v1.1 reads as a file line ---------------------------------------------

V1_CANDIDATE = ('{"id": "c-0042", "home": {"postcode": "6511"}, "max_travel_km": 25, '
                '"capacity": {"IV.13": 2, "V.3": 1, "VI.2": 3, "VI.3": 3, "VI.1": [2], "I.8": [4], "III.6": 1}, '
                '"education": {"level": "mbo-3", "field": "zorg en welzijn"}, '
                '"experience": [{"title": "Gastvrouw vakantiepark", "years": 6, '
                '"description": "Ontvangst van gasten, rondleidingen over het terrein"}], '
                '"skills": ["gastvrijheid", "klantcontact", "kassa"], '
                '"wishes": {"kinds": ["detachering", "vacature"], "hours_per_week": 24, '
                '"text": "Graag met mensen werken, niet meer fysiek zwaar"}}')
V1_PLACEMENT = ('{"id": "p-0107", "employer_id": "e-12", "kind": "werkervaringsplek", '
                '"title": "Receptiemedewerker", "description": "Je ontvangt gasten en beantwoordt de telefoon", '
                '"location": {"postcode": "6512"}, "hours_per_week": 24, "hours_per_day": 6, '
                '"evening": false, "night": false, "education_level": "mbo-2", '
                '"skills": ["klantcontact", "telefoon"], '
                '"demands": {"IV.13": 2, "V.3": 1, "I.8": [1, 3, 4], "III.6": true}, '
                '"positions": 1, "status": "open"}')


def test_a_v1_file_line_still_validates_with_v11_defaults():
    [c] = parse_records([V1_CANDIDATE], Candidate, "candidates.jsonl")
    [p] = parse_records([V1_PLACEMENT], Placement, "placements.jsonl")
    assert (c.employer_id, c.former_work, c.hours_outlook) == (None, None, None)
    assert (p.occupation, p.hourly_wage, p.start_hours_per_week, p.adjustments) == (None, None, None, {})


def test_the_contract_v11_example_validates_as_a_file_line():
    c = json.loads(V1_CANDIDATE) | {
        "employer_id": "e-07",
        "former_work": {"title": "Gastvrouw vakantiepark", "hours_per_week": 32, "hourly_wage": 15.80},
        "hours_outlook": {"hours_per_week": 28, "from": "2027-03-01"}}
    p = json.loads(V1_PLACEMENT) | {
        "hourly_wage": {"min": 14.20, "max": 16.90}, "start_hours_per_week": 12,
        "adjustments": {"I.8": [1, 3, 4, 6], "IV.13": 3, "hours_per_day": 4}}
    [cand_] = parse_records([json.dumps(c)], Candidate, "candidates.jsonl")
    [place_] = parse_records([json.dumps(p)], Placement, "placements.jsonl")
    assert cand_.former_work.weekly_wage == pytest.approx(15.80 * 32)
    assert place_.hourly_wage.mean == pytest.approx(15.55)


def test_a_bad_v11_line_is_refused_naming_line_and_field():
    from matching.contract.io import InputError

    bad = json.dumps(json.loads(V1_PLACEMENT) | {"start_hours_per_week": 30})
    with pytest.raises(InputError) as info:
        parse_records([V1_PLACEMENT.replace("p-0107", "p-1"), bad], Placement, "placements.jsonl")
    [problem] = info.value.problems
    assert problem.startswith("placements.jsonl line 2: start_hours_per_week: 30 is more than hours_per_week")
