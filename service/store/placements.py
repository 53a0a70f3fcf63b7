"""Places in the database: found by id, optionally only an organisation's own, and their stored body.

Place ids are shared by all employers, because coaches see every place by its id.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matching.contract.models import STORED, Placement, PlacementKind, PlacementStatus
from service.errors import not_found
from service.schemas import PlacementBody
from service.tables import PlacementRow, utcnow


def placement_row(session: Session, placement_id: str, organisation_id: str | None = None,
                  for_update: bool = False) -> PlacementRow:
    """A place by id; with ``organisation_id`` only if it is that organisation's (else 404)."""
    query = select(PlacementRow).where(PlacementRow.id == placement_id)
    if organisation_id is not None:
        query = query.where(PlacementRow.organisation_id == organisation_id)
    if for_update:
        query = query.with_for_update()
    row = session.execute(query).scalar_one_or_none()
    if row is None:
        raise not_found("place")
    return row


def find_placement(session: Session, placement_id: str) -> PlacementRow | None:
    """Any organisation's place by id, for checks that are not a 404 of the request's own record."""
    return session.get(PlacementRow, placement_id)


def placement_page(session: Session, organisation_id: str | None, status: PlacementStatus | None,
                   kind: PlacementKind | None, limit: int, offset: int) -> tuple[list[PlacementBody], int]:
    """One page of places by id (only the organisation's if given), and how many match in all."""
    query = select(PlacementRow)
    if organisation_id is not None:
        query = query.where(PlacementRow.organisation_id == organisation_id)
    if status is not None:
        query = query.where(PlacementRow.status == status)
    if kind is not None:
        query = query.where(PlacementRow.kind == kind)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    page = session.execute(query.order_by(PlacementRow.id).limit(limit).offset(offset)).scalars().all()
    return [placement_body(r) for r in page], total


def create_placement(session: Session, organisation_id: str, placement: Placement) -> PlacementRow:
    row = PlacementRow(id=placement.id, organisation_id=organisation_id, created_at=utcnow())
    session.add(row)
    write_placement(row, placement)
    return row


def write_placement(row: PlacementRow, placement: Placement) -> None:
    """Store the place; ``closed_at`` keeps the first closing time while it stays closed."""
    now = utcnow()
    row.body = placement_json(placement)
    row.kind = placement.kind
    row.status = placement.status
    row.updated_at = now
    row.closed_at = None if placement.status == "open" else (row.closed_at or now)


def placement_of(row: PlacementRow) -> Placement:
    return Placement.model_validate(row.body, context=STORED)


def placement_body(row: PlacementRow) -> PlacementBody:
    return PlacementBody.model_validate(row.body, context=STORED)


def placement_json(placement: Placement) -> dict[str, Any]:
    return placement.model_dump(mode="json", exclude_none=True)
