"""The OpenAPI document: complete, with roles and examples, and the examples valid."""

from __future__ import annotations

import inspect
import json

import pytest
from pydantic import BaseModel

from matching.contract.models import CandidateSuggestions
from service import examples, schemas
from service.schemas import CandidateBody, EmployerIntroduction, FeedbackIn, PlacementBody


@pytest.mark.parametrize("model, example", [
    (CandidateBody, examples.CANDIDATE),
    (PlacementBody, examples.PLACEMENT),
    (CandidateSuggestions, examples.SUGGESTIONS),
    (FeedbackIn, examples.FEEDBACK_NOT_RELEVANT),
    (FeedbackIn, examples.FEEDBACK_INTRODUCED),
    (EmployerIntroduction, examples.EMPLOYER_INTRODUCTION),
])
def test_examples_are_valid(model, example):
    model.model_validate_json(json.dumps(example))


def test_every_schema_example_is_valid():
    checked = 0
    for _name, model in inspect.getmembers(schemas, inspect.isclass):
        if issubclass(model, BaseModel) and model.__module__ == schemas.__name__:
            extra = model.model_config.get("json_schema_extra") or {}
            for example in extra.get("examples", []):
                model.model_validate_json(json.dumps(example))
                checked += 1
    assert checked >= 8


def test_every_operation_is_documented(world):
    spec = world.client.get("/openapi.json").json()
    assert spec["info"]["title"] == "spoormatch"
    ops = [(p, m, op) for p, item in spec["paths"].items() for m, op in item.items()]
    assert len(ops) >= 30
    for path, method, op in ops:
        assert path.startswith("/v1/"), path
        assert op.get("summary"), (method, path)
        assert op["x-roles"], (method, path)
        responses = op["responses"]
        if op["x-roles"] != ["public"]:
            assert "401" in responses, (method, path)
        if "parameters" in op or "requestBody" in op:
            assert responses.get("422", {}).get("content", {}).get("application/json", {}).get("schema") == \
                {"$ref": "#/components/schemas/ErrorResponse"}, (method, path)
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    body = spec["paths"]["/v1/candidates"]["post"]["requestBody"]["content"]["application/json"]
    assert body["examples"]["story-5"]["value"]["id"] == "c-0042"
    assert spec["paths"]["/v1/candidates/{candidate_id}/suggestions"]["get"]["responses"]["200"]["content"][
        "application/json"]["example"]["candidate_id"] == "c-0042"
