"""Candidates: a coach creates, reads, changes, lists and erases their own candidates."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Response
from pydantic import ValidationError

from matching.contract.limits import InputLimits, candidate_problems
from matching.contract.models import IsoDate, describe_errors, keep_ids
from service import capacity_changes, examples, store
from service.auth import Principal, role
from service.context import Ctx
from service.errors import Refused, documented
from service.ids import path_id
from service.patching import merge_patch
from service.schemas import (
    MAX_DATE,
    MIN_DATE,
    CandidateBody,
    CandidateList,
    CandidateReplacement,
    ErasureReceipt,
    IdPath,
    Timeline,
    TimelineList,
)
from service.tables import utcnow
from service.timeline import build_timeline

router = APIRouter(prefix="/v1", tags=["candidates"])
Coach = Annotated[Principal, role("coach")]
OnDate = Annotated[
    IsoDate | None,
    Query(description="Compute for this date instead of today (YYYY-MM-DD)"),
]

CANDIDATE_EXAMPLES = {"story-5": {"summary": "Gastvrouw met knieklachten", "value": examples.CANDIDATE}}
PATCH_EXAMPLES = {"capacity": {"summary": "Belastbaarheid bijgesteld en spoor 2 gestart",
                               "value": examples.CANDIDATE_PATCH}}


def _on(on: date | None) -> date:
    if on is None:
        return date.today()
    if not MIN_DATE <= on <= MAX_DATE:
        raise Refused(f"on: {on.isoformat()} is outside {MIN_DATE.isoformat()}..{MAX_DATE.isoformat()}")
    return on


def _validate(data: Any, context: dict[str, Any] | None = None) -> CandidateBody:
    try:
        return CandidateBody.model_validate(data, context=context)
    except ValidationError as exc:
        raise Refused(*describe_errors(exc)) from None


def _within_limits(ctx: Ctx, body: CandidateBody) -> None:
    problems = candidate_problems(body, InputLimits.from_settings(ctx.settings))
    if problems:
        raise Refused(*problems)


@router.post("/candidates", status_code=201, response_model=CandidateBody, response_model_exclude_none=True,
             responses=documented(401, 403, 422), summary="Create a candidate")
def create_candidate(
    ctx: Ctx, coach: Coach, response: Response,
    body: Annotated[CandidateBody, Body(openapi_examples=CANDIDATE_EXAMPLES)],
) -> CandidateBody:
    _within_limits(ctx, body)
    with ctx.db.write() as tx:
        if store.has_candidate(tx, coach, body.id):
            raise Refused("id: you already have a candidate with this id")
        store.create_candidate(tx, coach, body)
    response.headers["Location"] = f"/v1/candidates/{path_id(body.id)}"
    return body


@router.get("/candidates", response_model=CandidateList, response_model_exclude_none=True,
            responses=documented(401, 403, 422),
            summary="List your candidates")
def list_candidates(
    ctx: Ctx, coach: Coach,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> CandidateList:
    with ctx.db.read() as session:
        items, total = store.candidate_page(session, coach, limit, offset)
    return CandidateList(items=items, total=total, limit=limit, offset=offset)


@router.get("/candidates/{candidate_id}", response_model=CandidateBody, response_model_exclude_none=True,
            responses=documented(401, 403, 404, 422),
            summary="Read a candidate")
def read_candidate(ctx: Ctx, coach: Coach, candidate_id: IdPath) -> CandidateBody:
    with ctx.db.read() as session:
        return store.candidate_body(store.candidate_row(session, coach, candidate_id))


def _replace(ctx: Ctx, coach: Principal, candidate_id: str, new_data: Any | None, patch: Any | None) -> CandidateBody:
    """Replace (``new_data``) or merge-patch (``patch``) a stored candidate; the web forms save through here too."""
    with ctx.db.write() as tx:
        row = store.candidate_row(tx, coach, candidate_id, for_update=True)
        named = capacity_changes.named_in_patch(patch) if isinstance(patch, dict) else set()
        before = store.candidate_body(row)
        if patch is not None:
            new_data = merge_patch(before.model_dump(mode="json", exclude_none=True), patch)
        # The record keeps the ids it holds, even ones given before the id rule.
        after = _validate(new_data, keep_ids(candidate_id, before.employer_id))
        if after.id != candidate_id:
            raise Refused(f"id: must stay {candidate_id!r} (ids cannot be changed)")
        capacity_changes.refuse_silent_removals(before.capacity, after.capacity, named)
        _within_limits(ctx, after)
        store.update_candidate(tx, row, before, after, coach)
    return after


@router.put("/candidates/{candidate_id}", response_model=CandidateBody, response_model_exclude_none=True,
            responses=documented(401, 403, 404, 422),
            summary="Replace a candidate",
            description="`capacity` is required; an item limited before and left out is refused: lift a limit "
                        "by giving the item at the norm (0, or [] for codes).")
def replace_candidate(
    ctx: Ctx, coach: Coach, candidate_id: IdPath,
    body: Annotated[CandidateReplacement, Body(openapi_examples=CANDIDATE_EXAMPLES)],
) -> CandidateBody:
    return _replace(ctx, coach, candidate_id, body, None)


@router.patch(
    "/candidates/{candidate_id}", response_model=CandidateBody, response_model_exclude_none=True,
            responses=documented(401, 403, 404, 422),
    summary="Change part of a candidate (JSON Merge Patch)",
    description="Objects merge key by key; `null` removes a key (a capacity item set to null returns to the norm). "
                "`capacity` itself cannot be set to null: a limit is lifted only by naming its item.",
)
def patch_candidate(
    ctx: Ctx, coach: Coach, candidate_id: IdPath,
    patch: Annotated[dict[str, Any], Body(openapi_examples=PATCH_EXAMPLES)],
) -> CandidateBody:
    return _replace(ctx, coach, candidate_id, None, patch)


@router.delete(
    "/candidates/{candidate_id}", response_model=ErasureReceipt, responses=documented(401, 403, 404, 422),
    summary="Erase a candidate and everything about them",
    description="Removes the candidate, their dossier, feedback, introductions and nightly results and digests "
                "(employers lose sight of them at once). Asks for `confirm=true`; the answer carries the dossier one last time, for the "
                "re-integratiedossier. Download it first with GET /v1/candidates/{id}/dossier if you prefer.",
)
def erase_candidate(
    ctx: Ctx, coach: Coach, candidate_id: IdPath,
    confirm: Annotated[bool, Query(description="Must be true: erasure cannot be undone")] = False,
) -> ErasureReceipt:
    with ctx.db.write() as tx:
        row = store.candidate_row(tx, coach, candidate_id, for_update=True)
        if not confirm:
            raise Refused(
                "confirm: erasing removes the candidate and their whole dossier for good; export the dossier "
                f"(GET /v1/candidates/{path_id(candidate_id)}/dossier) and repeat with confirm=true")
        export = store.dossier_export(tx, row, coach)
        store.erase_candidate(tx, row)
    store.finish_erasure(ctx.db, ctx.settings.state_dir, coach.user_id, candidate_id)
    return ErasureReceipt(erased_candidate_id=candidate_id, erased_at=utcnow(), dossier=export)


@router.get("/candidates/{candidate_id}/timeline", response_model=Timeline,
            responses=documented(401, 403, 404, 422), summary="The spoor timeline and its warnings")
def candidate_timeline(ctx: Ctx, coach: Coach, candidate_id: IdPath, on: OnDate = None) -> Timeline:
    day = _on(on)
    with ctx.db.read() as session:
        row = store.candidate_row(session, coach, candidate_id)
        if on is not None and row.sick_since is not None and on < row.sick_since:
            raise Refused(f"on: {on.isoformat()} is before the first day of sickness "
                          f"({row.sick_since.isoformat()}); the timeline starts there")
        return build_timeline(row.id, row.sick_since, row.first_year_evaluation, row.spoor2_started, day)


_STATUS_ORDER = {"overdue": 0, "due": 1, "planned": 2, "too_early": 3, "started": 4, "unknown": 5}


@router.get("/timelines", response_model=TimelineList, responses=documented(401, 403, 422), tags=["candidates"],
            summary="Timelines of all your candidates, the most pressing first")
def all_timelines(ctx: Ctx, coach: Coach, on: OnDate = None) -> TimelineList:
    day = _on(on)
    with ctx.db.read() as session:
        rows = store.timeline_dates(session, coach)
    items = [build_timeline(*r, on=day) for r in rows]
    items.sort(key=lambda t: (_STATUS_ORDER[t.status], t.spoor2_deadline or MAX_DATE, t.candidate_id))
    return TimelineList(items=items)
