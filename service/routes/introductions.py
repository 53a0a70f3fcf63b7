"""What employers see of candidates: the introductions to their own places.

Only the ``Employer*`` response types are used here; they have no field for
anything medical. Withdrawn introductions disappear from the employer's view.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body
from sqlalchemy import select

from service import store
from service.auth import Principal, role
from service.context import Ctx
from service.errors import documented, not_found
from service.schemas import (
    EmployerCandidateProfile,
    EmployerDecision,
    EmployerIntroduction,
    EmployerIntroductionList,
    IdPath,
)
from service.tables import FeedbackRow, IntroductionRow, utcnow

router = APIRouter(prefix="/v1", tags=["introductions"])
Employer = Annotated[Principal, role("employer")]


def employer_view(intro: IntroductionRow) -> EmployerIntroduction:
    return EmployerIntroduction(
        id=intro.id,
        placement_id=intro.placement_id,
        placement_title=intro.profile.get("placement_title", ""),
        introduced_at=intro.created_at,
        candidate=EmployerCandidateProfile.model_validate(intro.profile["candidate"]),
        motivation=intro.motivation,
        why_it_fits=intro.profile.get("why_it_fits", ""),
        decision=intro.decision,
        decision_note=intro.decision_note,
        decided_at=intro.decided_at,
    )


def _visible(employer: Principal):
    return select(IntroductionRow).where(IntroductionRow.organisation_id == employer.organisation_id,
                                         IntroductionRow.withdrawn_at.is_(None))


@router.get("/introductions", response_model=EmployerIntroductionList, responses=documented(401, 403),
            summary="Candidates introduced to your places (pseudonymous)")
def list_introductions(ctx: Ctx, employer: Employer) -> EmployerIntroductionList:
    with ctx.db.read() as session:
        rows = session.execute(_visible(employer).order_by(IntroductionRow.created_at, IntroductionRow.id)).scalars()
        return EmployerIntroductionList(items=[employer_view(r) for r in rows])


@router.get("/placements/{placement_id}/introductions", response_model=EmployerIntroductionList,
            responses=documented(401, 403, 404, 422), summary="Candidates introduced to one of your places")
def placement_introductions(ctx: Ctx, employer: Employer, placement_id: IdPath) -> EmployerIntroductionList:
    with ctx.db.read() as session:
        store.placement_row(session, placement_id, employer.organisation_id)
        rows = session.execute(_visible(employer).where(IntroductionRow.placement_id == placement_id)
                               .order_by(IntroductionRow.created_at, IntroductionRow.id)).scalars()
        return EmployerIntroductionList(items=[employer_view(r) for r in rows])


@router.get("/introductions/{introduction_id}", response_model=EmployerIntroduction,
            responses=documented(401, 403, 404, 422), summary="One introduced candidate (pseudonymous)")
def read_introduction(ctx: Ctx, employer: Employer, introduction_id: IdPath) -> EmployerIntroduction:
    with ctx.db.read() as session:
        row = session.execute(_visible(employer).where(IntroductionRow.id == introduction_id)).scalar_one_or_none()
        if row is None:
            raise not_found("introduction")
        return employer_view(row)


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
        intro = tx.execute(_visible(employer).where(IntroductionRow.id == introduction_id)
                           .with_for_update()).scalar_one_or_none()
        if intro is None:
            raise not_found("introduction")
        previous = intro.decision
        now = utcnow()
        intro.decision, intro.decision_note, intro.decided_at = body.decision, body.note, now
        if body.decision == "rejected" and previous != "rejected":
            tx.add(FeedbackRow(candidate_pk=intro.candidate_pk, placement_id=intro.placement_id,
                               code="rejected_by_employer", why=None, note=body.note, created_by=employer.user_id,
                               created_by_name=employer.name, created_at=now))
        elif previous == "rejected" and body.decision != "rejected":
            rejection = tx.execute(select(FeedbackRow).where(
                FeedbackRow.candidate_pk == intro.candidate_pk, FeedbackRow.placement_id == intro.placement_id,
                FeedbackRow.code == "rejected_by_employer", FeedbackRow.undone_at.is_(None))
                .order_by(FeedbackRow.id.desc())).scalars().first()
            if rejection is not None:
                rejection.undone_at = now
        word = {"interested": "interesse", "rejected": "afgewezen"}[body.decision]
        store.record_event(tx, intro.candidate_pk, employer, "employer_decision",
                           f"Reactie van {employer.organisation_id} op {intro.placement_id}: {word}",
                           {"introduction_id": intro.id, "placement_id": intro.placement_id,
                       "organisation_id": employer.organisation_id, "decision": body.decision, "note": body.note})
        tx.flush()
        return employer_view(intro)
