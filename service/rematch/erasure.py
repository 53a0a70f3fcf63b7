"""What an erasure removes of a candidate from the rematch's rows and digest files."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from sqlalchemy import delete

from matching.batch.digest import coach_digest, write_digest_files
from service.rematch.commit import digest_dir
from service.tables import CandidateVectorRow, RematchDigest, RematchFailure, RematchResult

# One logger for the whole package, named as the module was before the split, so
# log settings and filters for `service.rematch` still catch every message.
log = logging.getLogger("service.rematch")


def erase_candidate_rematch(tx, candidate_pk: int) -> None:
    """Everything the rematch keeps of a candidate, in the erasure's transaction."""
    for table in (RematchDigest, RematchResult, RematchFailure):
        tx.execute(delete(table).where(table.candidate_pk == candidate_pk))
    tx.execute(delete(CandidateVectorRow).where(CandidateVectorRow.candidate_pk == candidate_pk))


def scrub_digest_files(state_dir: Path, coach_id: int, candidate_id: str) -> int:
    """Rewrite this coach's digest files without the candidate; returns how many changed."""
    root = digest_dir(state_dir)
    if not root.exists():
        return 0
    n = 0
    for path in root.glob(f"*/coach-{coach_id}.json"):
        try:
            digest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            log.warning("erasure: unreadable digest file %s removed", path)
            path.unlink(missing_ok=True)
            path.with_suffix(".csv").unlink(missing_ok=True)
            n += 1
            continue
        kept = [c for c in digest.get("candidates", []) if c.get("candidate_id") != candidate_id]
        if len(kept) == len(digest.get("candidates", [])):
            continue
        rebuilt = coach_digest(digest["run_id"], digest["run_at"], digest.get("coach", {}), kept)
        write_digest_files(path.parent, path.stem, rebuilt)
        n += 1
    return n
