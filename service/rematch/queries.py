"""What the API and the run read of committed runs: the newest run, and per
candidate their newest committed result."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import select

from service.rematch.options import CHUNK
from service.tables import RematchResult, RematchRun, RematchRunData


def _latest_committed(session, pks: Sequence[int] | None = None, columns=None) -> dict[int, Any]:
    """Per candidate, their newest result row of a committed run."""
    cols = columns or (RematchResult,)
    query = (select(*cols, RematchResult.candidate_pk.label("pk_"), RematchRun.committed_at)
             .join(RematchRun, RematchRun.id == RematchResult.run_id)
             .where(RematchRun.status == "committed"))
    out: dict[int, Any] = {}
    stamps: dict[int, datetime] = {}
    chunks = [None] if pks is None else [pks[i:i + CHUNK] for i in range(0, len(pks), CHUNK)]
    for chunk in chunks:
        q = query if chunk is None else query.where(RematchResult.candidate_pk.in_(chunk))
        for row in session.execute(q):
            pk, at = row.pk_, row.committed_at
            if pk not in stamps or at > stamps[pk]:
                stamps[pk] = at
                out[pk] = row
    return out


def newest_run(session):
    """The newest committed run as a row (``id``, ``committed_at``), or None."""
    return session.execute(select(RematchRun.id, RematchRun.committed_at).where(RematchRun.status == "committed")
                           .order_by(RematchRun.committed_at.desc()).limit(1)).first()


def served_picks(session, candidate_pk: int) -> list[str]:
    """The places on the candidate's served nightly list; empty before their first run."""
    row = _latest_committed(session, [candidate_pk], (RematchResult.picks,)).get(candidate_pk)
    return list(row.picks or []) if row is not None else []


def served_list(session, candidate_pk: int):
    """The candidate's list from the newest committed run: (run, entries, exposures)."""
    latest = _latest_committed(session, [candidate_pk], (RematchResult.entries, RematchResult.picks))
    run = newest_run(session)
    if run is None:
        return None, [], {}
    exposures = session.execute(select(RematchRunData.exposures)
                                .where(RematchRunData.run_id == run.id)).scalar_one_or_none() or {}
    row = latest.get(candidate_pk)
    if row is None or row.picks is None:
        return run, [], exposures
    by_id = {e["placement_id"]: e for e in row.entries}
    return run, [by_id[pid] for pid in row.picks if pid in by_id], exposures
