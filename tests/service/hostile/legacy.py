"""Records stored before the id rule: rows written straight into the tables, as an
older spoormatch (or a hand-made migration) left them, with ids no path can carry."""

from __future__ import annotations

from typing import Any

from matching.contract.models import STORED, Placement
from service.tables import CandidateRow, PlacementRow, utcnow
from tests.service.conftest import candidate_json, placement_json


def insert_candidate(world, candidate_id: str, coach: str = "coach", **changes: Any) -> None:
    now = utcnow()
    with world.db.write() as tx:
        tx.add(CandidateRow(id=candidate_id, coach_id=world.user_ids[coach], body=candidate_json(id=candidate_id,
                                                                                                **changes),
                            created_at=now, updated_at=now))


def insert_place(world, placement_id: str, organisation_id: str = "e-1", **changes: Any) -> None:
    body = placement_json(id=placement_id, employer_id=organisation_id, **changes)
    now = utcnow()
    with world.db.write() as tx:
        tx.add(PlacementRow(id=placement_id, organisation_id=organisation_id, body=body, kind=body["kind"],
                            status=body.get("status", "open"), created_at=now, updated_at=now))
    # The matcher reads every stored place when the service starts: as it would after a restart.
    world.engine.apply(Placement.model_validate(body, context=STORED))
