"""Places in the database: found by id, optionally only an organisation's own, and their stored body.

Place ids are shared by all employers, because coaches see every place by its id.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matching.contract.models import Placement
from service.errors import not_found
from service.schemas import PlacementBody
from service.tables import PlacementRow


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


def placement_of(row: PlacementRow) -> Placement:
    return Placement.model_validate(row.body)


def placement_body(row: PlacementRow) -> PlacementBody:
    return PlacementBody.model_validate(row.body)


def placement_json(placement: Placement) -> dict[str, Any]:
    return placement.model_dump(mode="json", exclude_none=True)
