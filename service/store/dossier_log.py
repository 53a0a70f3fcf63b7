"""The dossier's event log in the database: appending events and reading them back.

Events are only ever appended; erasing the candidate removes them all. Labels
and the CSV text are :mod:`service.events`, which needs no database.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auth import Principal
from service.schemas import DossierEvent
from service.tables import DossierEventRow, utcnow


def record_event(session: Session, candidate_pk: int, actor: Principal | None, kind: str, summary: str,
                 data: dict[str, Any]) -> DossierEventRow:
    """Append one event; ``actor`` None is spoormatch itself (the nightly run)."""
    row = DossierEventRow(
        candidate_pk=candidate_pk,
        at=utcnow(),
        kind=kind,
        actor_id=actor.user_id if actor else None,
        actor_name=actor.name if actor else "spoormatch",
        actor_role=actor.role if actor else "system",
        summary=summary,
        data=data,
    )
    session.add(row)
    return row


def events_of(session: Session, candidate_pk: int) -> list[DossierEvent]:
    rows = session.execute(
        select(DossierEventRow).where(DossierEventRow.candidate_pk == candidate_pk).order_by(DossierEventRow.id)
    ).scalars()
    return [
        DossierEvent(id=r.id, at=r.at, kind=r.kind, actor=r.actor_name, actor_role=r.actor_role, summary=r.summary,
                     data=r.data)
        for r in rows
    ]
