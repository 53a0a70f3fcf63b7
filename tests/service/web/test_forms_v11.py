"""Every refusal of the contract's v1.1 validators reaches a form in Dutch: the messages
are produced by the models themselves, so a changed message shows up here."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from matching.contract.models import Candidate, Placement
from service.web.forms import dutch_errors
from tests.conftest import candidate_json, placement_json

BAD_PLACES = [
    ({"start_hours_per_week": 30}, "start_hours_per_week", "iemand begint met minder uren"),
    ({"hourly_wage": {"min": 15, "max": 12}}, "hourly_wage.max", "het hoogste uurloon is lager dan het laagste"),
    ({"demands": {"IV.13": 2}, "adjustments": {"IV.13": 1}}, "adjustments.IV.13",
     "een aanpassing maakt het werk alleen lichter"),
    ({"adjustments": {"IV.13": 2}}, "adjustments.IV.13", "een aanpassing maakt het werk alleen lichter"),
    ({"demands": {"I.8": [1, 3]}, "adjustments": {"I.8": [3]}}, "adjustments.I.8",
     "een aanpassing voegt alleen iets toe"),
    ({"demands": {"III.1": [1]}, "adjustments": {"III.1": [1, 2]}}, "adjustments.III.1",
     "een aanpassing haalt alleen iets weg"),
    ({"demands": {"III.6": True}, "adjustments": {"III.6": True}}, "adjustments.III.6",
     "een aanpassing kan dit alleen uit het werk halen"),
    ({"adjustments": {"hours_per_day": 8}}, "adjustments.hours_per_day",
     "8 uur is meer dan de plek nu vraagt (6 uur)"),
    ({"adjustments": {"hours_per_week": 0}}, "adjustments.hours_per_week", "vul een aantal uren in, meer dan 0"),
    ({"adjustments": {"VI.2": 1}}, "adjustments.VI.2", "werktijden worden aangepast met de uren per dag"),
]
BAD_CANDIDATES = [
    ({"hours_outlook": {"hours_per_week": 200, "from": "2027-03-01"}}, "hours_outlook.hours_per_week",
     "meer uren dan er in een week passen (168)"),
    ({"hours_outlook": {"hours_per_week": 0, "from": "2027-03-01"}}, "hours_outlook.hours_per_week",
     "vul een aantal uren in, meer dan 0"),
    ({"former_work": {"hourly_wage": 0}}, "former_work.hourly_wage", "moet meer zijn dan 0"),
    ({"former_work": {"hours_per_week": 61}}, "former_work.hours_per_week", "mag hoogstens 60 zijn"),
]


@pytest.mark.parametrize("fields, path, words", BAD_PLACES)
def test_a_place_refusal_lands_on_its_field_in_dutch(fields, path, words):
    with pytest.raises(ValidationError) as refused:
        Placement.model_validate(placement_json(**fields))
    errors = dutch_errors(refused.value, {path: "the-field"})
    assert list(errors.by_field) == ["the-field"], errors.by_field
    assert words in errors.get("the-field"), errors.get("the-field")


@pytest.mark.parametrize("fields, path, words", BAD_CANDIDATES)
def test_a_candidate_refusal_lands_on_its_field_in_dutch(fields, path, words):
    with pytest.raises(ValidationError) as refused:
        Candidate.model_validate(candidate_json(**fields))
    errors = dutch_errors(refused.value)
    assert list(errors.by_field) == [path], errors.by_field
    assert words in errors.get(path), errors.get(path)
