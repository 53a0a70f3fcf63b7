"""How contested a place is: counts from the newest committed nightly run, for any list.

The nightly run counts on how many candidates' lists each place is
(``rematch_run_data.exposures``). The live suggestions show the same count next
to each place, so a coach reads "nog 6 andere kandidaten" whether they look at
the nightly list or ask for fresh suggestions. A run's counts are read once and
kept until a newer run commits.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Iterable

from sqlalchemy import select

from matching.allocation import contention_text
from service.schemas import Contention
from service.tables import RematchResult, RematchRun, RematchRunData


class ContentionBoard:
    """The newest committed run's exposure counts, cached per run."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._run: tuple[str, datetime] | None = None
        self._exposures: dict[str, list[int]] = {}

    def current(self, session) -> tuple[tuple[str, datetime] | None, dict[str, list[int]]]:
        """(run id and commit time, {place id: [lists it is on, positions]}); (None, {}) before the first run."""
        latest = session.execute(select(RematchRun.id, RematchRun.committed_at)
                                 .where(RematchRun.status == "committed")
                                 .order_by(RematchRun.committed_at.desc()).limit(1)).first()
        if latest is None:
            return None, {}
        with self._lock:
            if self._run is not None and self._run[0] == latest.id:
                return self._run, self._exposures
        exposures = session.execute(select(RematchRunData.exposures)
                                    .where(RematchRunData.run_id == latest.id)).scalar_one_or_none() or {}
        run = (latest.id, latest.committed_at)
        with self._lock:
            self._run, self._exposures = run, exposures
        return run, exposures

    @staticmethod
    def own_list(session, candidate_pk: int) -> set[str]:
        """The places on this candidate's served nightly list."""
        rows = session.execute(select(RematchResult.picks, RematchRun.committed_at)
                               .join(RematchRun, RematchRun.id == RematchResult.run_id)
                               .where(RematchResult.candidate_pk == candidate_pk,
                                      RematchRun.status == "committed")
                               .order_by(RematchRun.committed_at.desc()).limit(1)).first()
        return set(rows.picks or []) if rows is not None else set()

    def for_places(self, session, candidate_pk: int,
                   places: Iterable[tuple[str, int]]) -> tuple[str | None, dict[str, Contention]]:
        """The run's id, and per (place id, positions) how contested it is for this
        candidate; (None, {}) before the first run."""
        run, exposures = self.current(session)
        if run is None:
            return None, {}
        own = self.own_list(session, candidate_pk)
        out = {}
        for pid, positions in places:
            lists, known_positions = exposures.get(pid, [0, positions])
            others = max(int(lists) - (1 if pid in own else 0), 0)
            positions = int(known_positions)
            out[pid] = Contention(candidates=others + 1, others=others, positions=positions,
                                  scarce=others + 1 > positions, text=contention_text(others, positions))
        return run[0], out
