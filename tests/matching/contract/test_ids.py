"""The id rule of the contract models: what a new id may hold, said in plain words,
and records read back from storage keep the id they were stored with."""

from __future__ import annotations

import json
import re

import pytest
from pydantic import ValidationError

from matching.contract.ids import ID_PATTERN, ID_RULE, conforms
from matching.contract.models import STORED, STORED_IDS, Candidate, Placement, describe_errors, keep_ids
from tests.conftest import candidate_json, placement_json


def refusal(model, data, context=None) -> list[str]:
    with pytest.raises(ValidationError) as info:
        model.model_validate_json(json.dumps(data), context=context)
    return describe_errors(info.value)


@pytest.mark.parametrize("good", ["c-0042", "p.1_x~2", "A", "9" * 128, "e-story-1"])
def test_ids_of_the_unreserved_set_are_taken(good):
    assert conforms(good) and re.fullmatch(ID_PATTERN, good)
    assert Candidate.model_validate(candidate_json(id=good, employer_id=good)).id == good
    assert Placement.model_validate(placement_json(id=good, employer_id=good)).employer_id == good


@pytest.mark.parametrize("bad, reason", [
    ("p-slash/1", "'p-slash/1' has '/'"),
    ("c/../x", "'c/../x' has '/'"),
    ("c\u200bx", "'c\\u200bx' has '\\u200b'"),
    ("c\u202ex", "'c\\u202ex' has '\\u202e'"),
    ("kandidaat é", "'kandidaat é' has ' ', 'é'"),
    (".", "'.' starts with '.'"),
    ("..", "'..' starts with '.'"),
    ("~Yy8uLi94", "'~Yy8uLi94' starts with '~'"),
    ("-x", "'-x' starts with '-'"),
    ("", "'' is empty"),
    ("x" * 129, f"'{'x' * 40}…' is 129 characters long"),
])
def test_a_new_id_outside_the_rule_is_refused_naming_the_field_and_the_reason(bad, reason):
    assert not conforms(bad)
    assert refusal(Candidate, candidate_json(id=bad)) == [f"id: {reason}; {ID_RULE}"]
    assert refusal(Placement, placement_json(employer_id=bad)) == [f"employer_id: {reason}; {ID_RULE}"]


def test_a_stored_record_keeps_its_id_and_an_update_only_the_ids_it_holds():
    legacy = candidate_json(id="c/../x", employer_id="e 1")
    assert Candidate.model_validate(legacy, context=STORED).id == "c/../x"
    assert Candidate.model_validate(legacy, context=STORED_IDS).employer_id == "e 1"
    assert Candidate.model_validate(legacy, context=keep_ids("c/../x", "e 1")).id == "c/../x"
    assert refusal(Candidate, legacy, keep_ids("c/../x")) == [f"employer_id: 'e 1' has ' '; {ID_RULE}"]
    # STORED_IDS keeps the id but not a location that no longer resolves: the nightly cannot place it.
    assert refusal(Candidate, candidate_json(id="c/../x", home={"postcode": "0000"}), STORED_IDS)[0].startswith(
        "home.postcode:")


def test_the_json_schema_carries_the_rule():
    schema = Candidate.model_json_schema()["properties"]["id"]
    assert schema["pattern"] == ID_PATTERN and schema["maxLength"] == 128
    assert "A-Z, a-z, 0-9 and . _ ~ -" in schema["description"]


def test_the_demo_data_follows_the_rule():
    # The API's examples are validated against the models in tests/service/test_openapi.py.
    from matching.demo.candidates import generate_candidates
    from matching.demo.files import demo_placements
    from matching.demo.stories import story_candidates

    ids = []
    for place in demo_placements(300, seed=1):
        ids += [place["id"], place["employer_id"]]
    for candidate in [*story_candidates(), *generate_candidates(300, 1, n_placements=300)]:
        ids += [candidate["id"], candidate.get("employer_id", "c")]
    assert [i for i in ids if not conforms(i)] == []
