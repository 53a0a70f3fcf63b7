"""The nightly rematch as coaches and operators see it.

- ``GET /v1/coach/digest?since=``: per committed run since then, what changed for
  the coach's candidates (new places, dropped places and why, changed signals),
  as JSON or CSV. New places of a candidate's own employer (spoor 1) are named
  apart (``new_spoor1``), and those candidates come first. Whatever ``since``
  says, it also lists the coach's introductions whose place the employer has
  since changed beyond the candidate's limits (``introductions_exceeding``),
  computed at the moment of asking.
- ``GET /v1/candidates/{id}/nightly``: the candidate's list from the newest
  committed run, each place with how contested it is ("nog 6 andere kandidaten").
- ``GET /v1/admin/rematch/runs``: the runs, their counts and allocation figures
  (no candidate data).
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from matching.batch.digest import coach_digest, csv_rows, exceeding_csv_rows, to_csv
from service import store
from service.auth import Principal, role
from service.contention import contention
from service.context import Ctx
from service.errors import Refused, documented
from service.introductions_exceeding import exceeding_introductions
from service.schemas import (
    MAX_DATE,
    MIN_DATE,
    CoachDigest,
    DigestRun,
    IdPath,
    NightlyList,
    ContestedSuggestion,
    RematchRunList,
)

router = APIRouter(prefix="/v1", tags=["rematch"])
Coach = Annotated[Principal, role("coach")]
Admin = Annotated[Principal, role("admin")]
MAX_RUNS = 60


def parse_since(text: str | None) -> datetime | None:
    """A date (midnight UTC) or an ISO date-time; refused with a message naming ``since``."""
    if text is None or text == "":
        return None
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime.combine(day, time(0), tzinfo=timezone.utc)
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone.utc)
    except ValueError:
        raise Refused(f"since: {text!r} is not a date (YYYY-MM-DD) or a date and time (ISO 8601)") from None
    if not MIN_DATE <= moment.date() <= MAX_DATE:
        raise Refused(f"since: {moment.date().isoformat()} is outside {MIN_DATE.isoformat()}..{MAX_DATE.isoformat()}")
    return moment


@router.get(
    "/coach/digest",
    response_model=CoachDigest,
    responses={**documented(401, 403, 422),
               200: {"description": "JSON; `format=csv` gives one change per line",
                     "content": {"text/csv": {"schema": {"type": "string"}}}}},
    summary="What changed for your candidates in the nightly runs",
    description="Without `since`: the newest committed run only. With `since` (a date, or a date and time): every "
                f"run committed since then, newest first (at most {MAX_RUNS}). Always, as of now: "
                "`introductions_exceeding`, your active introductions whose place the employer has since changed so "
                "that it asks more than the candidate's belastbaarheid, with the items.",
)
def digest(
    ctx: Ctx, coach: Coach,
    since: Annotated[str | None, Query(max_length=40, description="YYYY-MM-DD or an ISO 8601 date and time")] = None,
    format: Annotated[Literal["json", "csv"], Query(description="json (default) or csv")] = "json",
):
    moment = parse_since(since)
    with ctx.db.read() as session:
        found = store.coach_digest_items(session, coach, moment, MAX_RUNS)
        exceeding = exceeding_introductions(session, ctx.engine, coach)
    out = [coach_digest(run.id, run.committed_at.isoformat(), {"id": coach.user_id, "name": coach.name}, items)
           for run, items in found]
    if format == "csv":
        rows = [row for d in out for row in csv_rows(d)]
        rows += exceeding_csv_rows([e.model_dump(mode="json") for e in exceeding])
        text = "\ufeff" + to_csv(rows)
        return Response(text, media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="digest.csv"'})
    return CoachDigest(
        coach=coach.name, since=moment,
        runs=[DigestRun(run_id=d["run_id"], run_at=datetime.fromisoformat(d["run_at"]), totals=d["totals"],
                        candidates=d["candidates"]) for d in out],
        introductions_exceeding=exceeding)


@router.get("/candidates/{candidate_id}/nightly", response_model=NightlyList,
            responses=documented(401, 403, 404, 422),
            summary="The candidate's list from the newest nightly run, with how contested each place is")
def nightly(ctx: Ctx, coach: Coach, candidate_id: IdPath) -> NightlyList:
    with ctx.db.read() as session:
        row = store.candidate_row(session, coach, candidate_id)
        run, entries, exposures = store.nightly_list(session, row.pk)
    suggestions = []
    for rank, entry in enumerate(entries, start=1):
        n, positions = exposures.get(entry["placement_id"], [1, 1])
        suggestions.append(ContestedSuggestion.model_validate(
            {**entry, "rank": rank, "contention": contention(n, positions, own=True)}))
    return NightlyList(candidate_id=candidate_id, run_id=run.id if run else None,
                       run_at=run.committed_at if run else None, suggestions=suggestions)


@router.get("/admin/rematch/runs", response_model=RematchRunList, responses=documented(401, 403, 422),
            tags=["admin"], summary="The nightly runs: status, counts, allocation figures")
def runs(ctx: Ctx, admin: Admin,
         limit: Annotated[int, Query(ge=1, le=200)] = 20) -> RematchRunList:
    with ctx.db.read() as session:
        items = store.recent_runs(session, limit)
    return RematchRunList(items=items)
