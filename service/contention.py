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

from matching.batch.allocation import contention_text
from service.schemas import Contention
from service.rematch import newest_run, served_picks
from service.tables import RematchRunData


def contention(lists: int, positions: int, own: bool) -> Contention:
    """How contested a place is for one candidate: on ``lists`` nightly lists, ``own``
    if one of them is this candidate's."""
    others = max(int(lists) - (1 if own else 0), 0)
    positions = int(positions)
    return Contention(candidates=others + 1, others=others, positions=positions, scarce=others + 1 > positions,
                      text=contention_text(others, positions))


class ContentionBoard:
    """The newest committed run's exposure counts, cached per run."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._run: tuple[str, datetime] | None = None
        self._exposures: dict[str, list[int]] = {}

    def current(self, session) -> tuple[tuple[str, datetime] | None, dict[str, list[int]]]:
        """(run id and commit time, {place id: [lists it is on, positions]}); (None, {}) before the first run."""
        latest = newest_run(session)
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

    def for_places(self, session, candidate_pk: int,
                   places: Iterable[tuple[str, int]]) -> tuple[str | None, dict[str, Contention]]:
        """The run's id, and per (place id, positions) how contested it is for this
        candidate; (None, {}) before the first run."""
        run, exposures = self.current(session)
        if run is None:
            return None, {}
        own = set(served_picks(session, candidate_pk))
        out = {}
        for pid, positions in places:
            lists, known_positions = exposures.get(pid, [0, positions])
            out[pid] = contention(lists, known_positions, pid in own)
        return run[0], out
