"""Stored rows to API objects and back, and the owner checks every route relies on.

Look-ups always filter by owner: a coach's candidate by (coach, id), an
employer's place by (organisation, id). A record that exists but belongs to
someone else is therefore indistinguishable from one that does not exist: 404.
"""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session

from matching.contract.models import Placement
from service.auth import Principal
from service.schemas import (
    SERVICE_CANDIDATE_FIELDS,
    CandidateBody,
    Feedback,
    IntroductionState,
    PlacementBody,
    SignalMotivation,
)
from service.tables import CandidateRow, FeedbackRow, IntroductionRow, PlacementRow


def not_found(what: str) -> HTTPException:
    return HTTPException(status_code=404, detail=f"no {what} with this id")


def candidate_row(session: Session, coach: Principal, candidate_id: str, for_update: bool = False) -> CandidateRow:
    query = select(CandidateRow).where(CandidateRow.coach_id == coach.user_id, CandidateRow.id == candidate_id)
    if for_update:
        query = query.with_for_update()
    row = session.execute(query).scalar_one_or_none()
    if row is None:
        raise not_found("candidate")
    return row


def candidate_body(row: CandidateRow) -> CandidateBody:
    data: dict[str, Any] = dict(row.body)
    for name in SERVICE_CANDIDATE_FIELDS:
        data[name] = getattr(row, name)
    return CandidateBody.model_validate(data)


def store_candidate(row: CandidateRow, body: CandidateBody) -> None:
    row.body = body.contract_dict()
    for name in SERVICE_CANDIDATE_FIELDS:
        setattr(row, name, getattr(body, name))


def placement_row(session: Session, placement_id: str, organisation_id: str | None = None,
                  for_update: bool = False) -> PlacementRow:
    """A place by id; with ``organisation_id`` only if it is that organisation's."""
    query = select(PlacementRow).where(PlacementRow.id == placement_id)
    if organisation_id is not None:
        query = query.where(PlacementRow.organisation_id == organisation_id)
    if for_update:
        query = query.with_for_update()
    row = session.execute(query).scalar_one_or_none()
    if row is None:
        raise not_found("place")
    return row


def placement_of(row: PlacementRow) -> Placement:
    return Placement.model_validate(row.body)


def placement_body(row: PlacementRow) -> PlacementBody:
    return PlacementBody.model_validate(row.body)


def placement_json(placement: Placement) -> dict[str, Any]:
    return placement.model_dump(mode="json", exclude_none=True)


def introduction_state(intro: IntroductionRow) -> IntroductionState:
    return IntroductionState(
        id=intro.id,
        pseudonym=intro.pseudonym,
        active=intro.withdrawn_at is None,
        motivation=intro.motivation,
        signal_motivations={k: SignalMotivation(**v) for k, v in intro.signal_motivations.items()},
        created_at=intro.created_at,
        withdrawn_at=intro.withdrawn_at,
        decision=intro.decision,
        decision_note=intro.decision_note,
        decided_at=intro.decided_at,
    )


def feedback_out(row: FeedbackRow, intro: IntroductionRow | None = None) -> Feedback:
    return Feedback(
        id=row.id,
        placement_id=row.placement_id,
        code=row.code,
        why=row.why,
        note=row.note,
        created_at=row.created_at,
        created_by=row.created_by_name,
        undone_at=row.undone_at,
        introduction=introduction_state(intro) if intro is not None else None,
    )
