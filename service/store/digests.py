"""The nightly digests in the database: per committed run, what changed for a coach's candidates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auth import Principal
from service.tables import CandidateRow, RematchDigest, RematchRun


def coach_digest_items(session: Session, coach: Principal, since: datetime | None,
                       max_runs: int) -> list[tuple[RematchRun, list[dict[str, Any]]]]:
    """Newest first: without ``since`` only the newest committed run, else every one committed since
    (at most ``max_runs``), each with the changes of the coach's candidates."""
    runs_q = select(RematchRun).where(RematchRun.status == "committed").order_by(RematchRun.committed_at.desc())
    if since is None:
        runs = session.execute(runs_q.limit(1)).scalars().all()
    else:
        runs = session.execute(runs_q.where(RematchRun.committed_at >= since).limit(max_runs)).scalars().all()
    out = []
    for run in runs:
        # Joined to the candidate, and filtered on both, so a candidate since
        # transferred to another coach is not in this coach's digest.
        rows = session.execute(
            select(CandidateRow.id, RematchDigest.changes)
            .join(CandidateRow, CandidateRow.pk == RematchDigest.candidate_pk)
            .where(RematchDigest.run_id == run.id, RematchDigest.coach_id == coach.user_id,
                   CandidateRow.coach_id == coach.user_id)).all()
        # The candidate's id as it is now (the stored digest has it too; ids never change).
        out.append((run, [{**changes, "candidate_id": cid} for cid, changes in rows]))
    return out
