"""What employers see of candidates: the introductions to their own places.

Only the ``Employer*`` response types are used here; they have no field for
anything medical. Withdrawn introductions disappear from the employer's view.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body

from service import store
from service.auth import Principal, role
from service.context import Ctx
from service.errors import documented
from service.schemas import (
    EmployerDecision,
    EmployerIntroduction,
    EmployerIntroductionList,
    IdPath,
)

router = APIRouter(prefix="/v1", tags=["introductions"])
Employer = Annotated[Principal, role("employer")]


@router.get("/introductions", response_model=EmployerIntroductionList, responses=documented(401, 403),
            summary="Candidates introduced to your places (pseudonymous)")
def list_introductions(ctx: Ctx, employer: Employer) -> EmployerIntroductionList:
    with ctx.db.read() as session:
        return EmployerIntroductionList(items=store.employer_introductions(session, employer.organisation_id))


@router.get("/placements/{placement_id}/introductions", response_model=EmployerIntroductionList,
            responses=documented(401, 403, 404, 422), summary="Candidates introduced to one of your places")
def placement_introductions(ctx: Ctx, employer: Employer, placement_id: IdPath) -> EmployerIntroductionList:
    with ctx.db.read() as session:
        store.placement_row(session, placement_id, employer.organisation_id)
        return EmployerIntroductionList(
            items=store.employer_introductions(session, employer.organisation_id, placement_id))


@router.get("/introductions/{introduction_id}", response_model=EmployerIntroduction,
            responses=documented(401, 403, 404, 422), summary="One introduced candidate (pseudonymous)")
def read_introduction(ctx: Ctx, employer: Employer, introduction_id: IdPath) -> EmployerIntroduction:
    with ctx.db.read() as session:
        return store.employer_view(store.employer_introduction(session, employer.organisation_id, introduction_id))


@router.post("/introductions/{introduction_id}/decision", response_model=EmployerIntroduction,
             responses=documented(401, 403, 404, 422),
             summary="Respond to an introduction: interested or rejected",
             description="The coach sees the answer; `rejected` also takes the place out of the candidate's "
                         "suggestions (as feedback rejected_by_employer). A decision can be changed.")
def decide(
    ctx: Ctx, employer: Employer, introduction_id: IdPath,
    body: Annotated[EmployerDecision, Body(openapi_examples={
        "interested": {"summary": "Uitnodigen", "value": {"decision": "interested",
                                                          "note": "Graag kennismaken volgende week"}}})],
) -> EmployerIntroduction:
    with ctx.db.write() as tx:
        intro = store.employer_introduction(tx, employer.organisation_id, introduction_id, for_update=True)
        store.decide_introduction(tx, employer, intro, body.decision, body.note)
        tx.flush()
        return store.employer_view(intro)
