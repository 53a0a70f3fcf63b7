"""Property-based fuzzing of the whole API from its OpenAPI document (schemathesis).

Every operation, with valid and invalid input, called with a token of a role
that may use it, so the input reaches validation and storage rather than
stopping at 401/403. No input may produce a server error, and every answer
must match the documented status codes, content types and schemas. Bounded
(a few examples per operation and mode) so the suite stays fast; set
SPOORMATCH_FUZZ_EXAMPLES=200 for a longer hunt.

The operations are driven through schemathesis' Hypothesis strategies rather
than its pytest plugin, whose lazy fixture loading does not run under pytest 9.
"""

from __future__ import annotations

import os

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.service.conftest import candidate_json, placement_json

EXAMPLES = int(os.environ.get("SPOORMATCH_FUZZ_EXAMPLES", "12"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _fuzz_operation(operation, mode: GenerationMode, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case) -> None:
        case.call_and_validate(headers={**(case.headers or {}), **headers}, checks=CHECKS)

    run()


def test_no_input_gives_a_server_error(world):
    c = world.client
    # Records with ids the generator tends to pick, so some calls find something.
    for cid in ("1", "0", "a"):
        c.post("/v1/candidates", json=candidate_json(id=cid, capacity={"V.3": 1}), headers=world.h("coach"))
        c.post("/v1/placements", json=placement_json(id=cid, demands={"V.3": 1}), headers=world.h("employer"))
    schema = schemathesis.openapi.from_asgi("/openapi.json", world.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30
    for operation in operations:
        roles = [r for r in operation.definition.raw.get("x-roles", []) if r != "public"]
        headers = {"Authorization": f"Bearer {world.tokens[roles[0]]}"} if roles else {}
        _fuzz_operation(operation, GenerationMode.POSITIVE, headers)
        try:
            _fuzz_operation(operation, GenerationMode.NEGATIVE, headers)
        except Unsatisfiable:
            pass  # nothing in this operation can be made invalid (no parameters, no body)
