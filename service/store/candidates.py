"""Candidates in the database: a coach's own, found by (coach, id), and their stored body.

A candidate row keeps the contract fields as JSON and the service's own
fields (the sickness dates) as columns, so the timelines can be read without
parsing every body.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auth import Principal
from service.errors import not_found
from service.schemas import SERVICE_CANDIDATE_FIELDS, CandidateBody
from service.tables import CandidateRow


def candidate_row(session: Session, coach: Principal, candidate_id: str, for_update: bool = False) -> CandidateRow:
    """The coach's candidate; another coach's is a 404 like a missing one."""
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


def set_candidate_body(row: CandidateRow, body: CandidateBody) -> None:
    row.body = body.contract_dict()
    for name in SERVICE_CANDIDATE_FIELDS:
        setattr(row, name, getattr(body, name))
