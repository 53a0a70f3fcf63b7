"""Suggestions: the library's ranked places for one of the coach's candidates.

The answer is the contract's suggestion object, explanations included: the own
employer's places (spoor 1) first, then the rest, each with its spoor, the
conditions of an adjusted place and what it earns against the former work
(contract v1.1); ``spoor`` and ``verdict`` narrow the list. Places
the coach set aside (feedback not_relevant, rejected_by_employer, withdrawn;
undo brings them back) are left out. Each place says how contested it is in
the newest nightly run ("nog 6 andere kandidaten"), a field the contract allows
adding. What was served, and to whom, goes into the candidate's dossier.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from matching.contract.models import PlacementKind, SuggestionVerdict
from service import examples, store
from service.auth import Principal, role
from service.context import Ctx
from service.errors import documented
from service.schemas import IdPath, LiveSuggestions

router = APIRouter(prefix="/v1", tags=["suggestions"])
Coach = Annotated[Principal, role("coach")]
EXCLUDED_SHOWN = 5


@router.get(
    "/candidates/{candidate_id}/suggestions",
    response_model=LiveSuggestions,
    response_model_exclude_none=True,
    responses={**documented(401, 403, 404, 422),
               200: {"content": {"application/json": {"example": examples.SUGGESTIONS}}}},
    summary="Suggested places for a candidate, with explanations",
)
def suggestions(
    ctx: Ctx, coach: Coach, candidate_id: IdPath,
    top: Annotated[int, Query(ge=1, le=100, description="How many places")] = 10,
    kind: Annotated[list[PlacementKind] | None, Query(description="Only these kinds (repeatable)")] = None,
    explain_excluded: Annotated[bool, Query(
        description=f"Also the {EXCLUDED_SHOWN} nearest misses: places a limit rules out, with the items that "
                    "rule them out (always given when fewer places fit than asked for)"
    )] = False,
    spoor: Annotated[int | None, Query(
        ge=1, le=2, description="Only spoor 1 (the candidate's own employer's places) or only spoor 2 (every "
                                "other employer's)")] = None,
    verdict: Annotated[list[SuggestionVerdict] | None, Query(
        description="Only places with these verdicts (repeatable): pass, signal (an item on the edge), adjust "
                    "(fits with the employer's adjustments or a start with fewer hours)")] = None,
) -> LiveSuggestions:
    # Read, then rank outside any transaction, then record: ranking can take a
    # while and must not hold the database's write lock.
    with ctx.db.read() as session:
        row = store.candidate_row(session, coach, candidate_id)
        candidate = store.candidate_body(row).contract()
        pk = row.pk
        hidden = store.hidden_places(session, pk)

    verdicts = list(dict.fromkeys(verdict or []))  # repeated values count once
    result = ctx.engine.suggest(candidate, top=top, kinds=kind, explain_excluded=EXCLUDED_SHOWN if explain_excluded
                                else 0, hidden=hidden, spoor=spoor, verdicts=verdicts or None)

    places = []
    for s in result.suggestions:
        placement = ctx.engine.placement(s.placement_id)
        places.append((s.placement_id, placement.positions if placement is not None else 1))
    with ctx.db.read() as session:
        run_id, contention = ctx.contention.for_places(session, pk, places)

    with ctx.db.write() as tx:
        store.require_candidate_pk(tx, pk)  # 404 if erased while we were ranking
        store.record_served(tx, pk, coach, top, kind or [], result, hidden, spoor=spoor, verdicts=verdicts)
    return LiveSuggestions(
        candidate_id=result.candidate_id, excluded=result.excluded, feasible=result.feasible, home=result.home,
        nightly_run_id=run_id,
        suggestions=[{**s.model_dump(), "contention": contention.get(s.placement_id)} for s in result.suggestions])
