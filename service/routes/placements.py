"""Places: an employer posts, changes, closes and lists its own; coaches read them.

A write reaches the matcher before the response: a posted place is searchable
once the POST returns, a closed one is never suggested once the close returns.
A change that makes a standing introduction exceed the candidate's limits is
written to that candidate's dossier (coach-only; the employer's answer is the
same either way).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Response
from pydantic import ValidationError

from matching.contract.limits import InputLimits, placement_problems
from matching.contract.models import Placement, PlacementKind, PlacementStatus, describe_errors, keep_ids
from service import examples, store
from service.introductions_exceeding import record_place_change
from service.auth import Principal, role
from service.context import AppContext, Ctx
from service.db import WriteSession
from service.errors import Refused, documented
from service.ids import path_id
from service.patching import merge_patch
from service.schemas import (
    CloseRequest,
    IdPath,
    PlacementAvailability,
    PlacementBody,
    PlacementList,
    PlacementReplacement,
)

router = APIRouter(prefix="/v1", tags=["placements"])
Employer = Annotated[Principal, role("employer")]
Reader = Annotated[Principal, role("employer", "coach")]
Coach = Annotated[Principal, role("coach")]

PLACEMENT_EXAMPLES = {"werkervaringsplek": {"summary": "Receptie, één plek", "value": examples.PLACEMENT}}


def _within_limits(ctx: AppContext, body: Placement) -> None:
    problems = placement_problems(body, InputLimits.from_settings(ctx.settings))
    if problems:
        raise Refused(*problems)


def _own(employer: Principal, body: Placement) -> None:
    if body.employer_id != employer.organisation_id:
        raise Refused(f"employer_id: must be your organisation's id {employer.organisation_id!r}")


def _matcher_follows(ctx: AppContext, tx: WriteSession, placement: Placement) -> None:
    """The matcher sees the change right after the commit, before the response."""
    tx.after_commit(lambda: ctx.engine.apply(placement))


@router.post("/placements", status_code=201, response_model=PlacementBody, response_model_exclude_none=True,
            responses=documented(401, 403, 422),
             summary="Post a place (searchable at once)")
def create_placement(
    ctx: Ctx, employer: Employer, response: Response,
    body: Annotated[PlacementBody, Body(openapi_examples=PLACEMENT_EXAMPLES)],
) -> PlacementBody:
    _own(employer, body)
    _within_limits(ctx, body)
    with ctx.db.write() as tx:
        if store.find_placement(tx, body.id) is not None:
            # Ids are shared by all employers because coaches see every place by its id.
            raise Refused("id: a place with this id already exists; choose another id")
        store.create_placement(tx, employer.organisation_id, body)
        _matcher_follows(ctx, tx, body)
    response.headers["Location"] = f"/v1/placements/{path_id(body.id)}"
    return body


@router.get("/placements", response_model=PlacementList, response_model_exclude_none=True,
            responses=documented(401, 403, 422),
            summary="List places: an employer its own, a coach the open ones")
def list_placements(
    ctx: Ctx, reader: Reader,
    status: Annotated[PlacementStatus | None, Query(description="Employers: only this status")] = None,
    kind: Annotated[PlacementKind | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> PlacementList:
    if reader.role == "employer":
        org = reader.organisation_id
    else:
        org, status = None, "open"
    with ctx.db.read() as session:
        items, total = store.placement_page(session, org, status, kind, limit, offset)
    return PlacementList(items=items, total=total, limit=limit, offset=offset)


@router.get("/placements/{placement_id}", response_model=PlacementBody, response_model_exclude_none=True,
            responses=documented(401, 403, 404, 422),
            summary="Read a place")
def read_placement(ctx: Ctx, reader: Reader, placement_id: IdPath) -> PlacementBody:
    with ctx.db.read() as session:
        org = reader.organisation_id if reader.role == "employer" else None
        return store.placement_body(store.placement_row(session, placement_id, org))


def _replace(ctx: AppContext, employer: Principal, placement_id: str, data: Any | None, patch: Any | None):
    with ctx.db.write() as tx:
        row = store.placement_row(tx, placement_id, employer.organisation_id, for_update=True)
        if patch is not None:
            data = merge_patch(row.body, patch)
        try:
            # The record keeps the ids it holds, even ones given before the id rule.
            body = PlacementBody.model_validate(data, context=keep_ids(placement_id, row.body.get("employer_id")))
        except ValidationError as exc:
            raise Refused(*describe_errors(exc)) from None
        if body.id != placement_id:
            raise Refused(f"id: must stay {placement_id!r} (ids cannot be changed)")
        _own(employer, body)
        _within_limits(ctx, body)
        before = row.body
        store.write_placement(row, body)
        record_place_change(tx, ctx.engine, employer, before, body)
        _matcher_follows(ctx, tx, body)
    return body


@router.put("/placements/{placement_id}", response_model=PlacementBody, response_model_exclude_none=True,
            responses=documented(401, 403, 404, 422),
            summary="Replace a place (status open reopens it)")
def replace_placement(
    ctx: Ctx, employer: Employer, placement_id: IdPath,
    body: Annotated[PlacementReplacement, Body(openapi_examples=PLACEMENT_EXAMPLES)],
) -> PlacementBody:
    return _replace(ctx, employer, placement_id, body, None)


@router.patch("/placements/{placement_id}", response_model=PlacementBody, response_model_exclude_none=True,
              responses=documented(401, 403, 404, 422), summary="Change part of a place (JSON Merge Patch)")
def patch_placement(
    ctx: Ctx, employer: Employer, placement_id: IdPath,
    patch: Annotated[dict[str, Any], Body(openapi_examples={"positions": {"summary": "Eén plek erbij",
                                                                           "value": {"positions": 2}}})],
) -> PlacementBody:
    return _replace(ctx, employer, placement_id, None, patch)


@router.post("/placements/{placement_id}/close", response_model=PlacementBody, response_model_exclude_none=True,
             responses=documented(401, 403, 404, 422), summary="Close a place (never suggested once this returns)")
def close_placement(
    ctx: Ctx, employer: Employer, placement_id: IdPath,
    body: Annotated[CloseRequest | None, Body()] = None,
) -> PlacementBody:
    status = (body or CloseRequest()).status
    with ctx.db.write() as tx:
        row = store.placement_row(tx, placement_id, employer.organisation_id, for_update=True)
        current = store.placement_body(row)
        if current.status == status:
            return current
        closed = PlacementBody.model_validate({**row.body, "status": status},
                                              context=keep_ids(placement_id, row.body.get("employer_id")))
        store.write_placement(row, closed)
        _matcher_follows(ctx, tx, closed)
    return closed


@router.get("/placements/{placement_id}/availability", response_model=PlacementAvailability,
            responses=documented(401, 403, 404, 422), summary="For coaches: open, and how contested")
def placement_availability(ctx: Ctx, coach: Coach, placement_id: IdPath) -> PlacementAvailability:
    with ctx.db.read() as session:
        # Any organisation's place: coaches see every place by its id.
        row = store.placement_row(session, placement_id)
        active = store.active_introduction_count(session, placement_id)
    positions = int(row.body.get("positions", 1))
    return PlacementAvailability(placement_id=placement_id, status=row.status, positions=positions,
                                 active_introductions=active, contested=active >= max(positions, 1))
