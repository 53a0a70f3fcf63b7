"""What the API reads of the nightly rematch: a candidate's served list and the runs themselves.

The queries over committed results are :mod:`service.rematch`'s, shared with
the run; this module is the routes' way in, so they need not know the package.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.rematch import served_list
from service.schemas import RematchRunOut
from service.tables import RematchRun


def nightly_list(session: Session, candidate_pk: int) -> tuple[Any, list[dict[str, Any]], dict[str, list[int]]]:
    """(the newest committed run or None, the candidate's served entries in order,
    {place id: [lists it is on, positions]})."""
    return served_list(session, candidate_pk)


def recent_runs(session: Session, limit: int) -> list[RematchRunOut]:
    """The newest runs first, whatever their status; counts and figures, no candidate data."""
    rows = session.execute(select(RematchRun).order_by(RematchRun.started_at.desc()).limit(limit)).scalars()
    return [RematchRunOut(id=r.id, status=r.status, started_at=r.started_at, committed_at=r.committed_at,
                          partitions_total=r.partitions_total, counts=r.counts, summary=r.summary, error=r.error)
            for r in rows]
