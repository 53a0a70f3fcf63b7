"""Spreading scarce places over the whole population of candidates.

Each candidate's own ranking puts the best places first, so a werkervaringsplek
with one position can sit on top of forty lists at once. This step chooses every
candidate's list from their pool (their own list plus a reserve of next-best
places, see :mod:`matching.batch.partition`) so that no place appears in more lists than
its quota, ``ceil(positions x factor)``, while the sum of the scores of all lists
stays as high as possible.

That is a transportation problem: candidates supply list slots, places take at
most their quota, an edge (candidate, place) exists for each place in the
candidate's pool and is worth the score of its position in the pool (see
:func:`_position_values`: the pool's order includes diversity, which the
programme must not undo). It is solved as a min-cost flow (OR-Tools); the
constraint matrix is totally unimodular, so the optimum is integral and equal to
the linear programme's: an exact assignment, not a rounding. Every candidate
keeps as many places as their own list had; a quota is only exceeded when a
candidate's pool holds nothing else, and such an excess costs more than any loss
of score, so the solver uses it only then.
"""

from __future__ import annotations

import logging
import math
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Hashable, Mapping, Sequence

import numpy as np

log = logging.getLogger(__name__)

Ranking = Sequence[tuple[str, float]]


def quota_for(positions: int, factor: float) -> int:
    """How many candidates' lists a place may appear in."""
    return max(1, math.ceil(max(int(positions), 1) * factor))


def contention_text(others: int, positions: int) -> str:
    """What a coach reads next to a place: how many other candidates got it too."""
    plaats = "1 plaats" if positions == 1 else f"{positions} plaatsen"
    if others <= 0:
        return f"{plaats}; bij geen andere kandidaat voorgesteld"
    kandidaten = "kandidaat" if others == 1 else "kandidaten"
    return f"{plaats}; ook voorgesteld bij nog {others} andere {kandidaten}"


@dataclass
class AllocationResult:
    picks: dict[Hashable, list[str]]
    before: dict[Hashable, list[str]]
    exposures_before: Counter = field(default_factory=Counter)
    exposures_after: Counter = field(default_factory=Counter)
    total_before: float = 0.0
    total_after: float = 0.0
    method: str = "none"
    seconds: float = 0.0
    over_quota_after: int = 0

    @staticmethod
    def _top(exposures: Counter) -> tuple[str | None, int]:
        if not exposures:
            return None, 0
        pid, n = max(exposures.items(), key=lambda kv: (kv[1], kv[0]))
        return pid, n

    def metrics(self) -> dict:
        """Before/after figures for the run's summary."""
        pid_b, max_b = self._top(self.exposures_before)
        pid_a, max_a = self._top(self.exposures_after)
        drop = (self.total_before - self.total_after) / self.total_before if self.total_before else 0.0
        changed = sum(1 for k in self.picks if self.picks[k] != self.before.get(k))
        return {
            "method": self.method,
            "max_exposure_before": max_b, "max_exposure_place_before": pid_b,
            "max_exposure_after": max_a, "max_exposure_place_after": pid_a,
            "total_score_before": round(self.total_before, 4), "total_score_after": round(self.total_after, 4),
            "total_score_drop_pct": round(100 * drop, 3),
            "lists_changed": changed, "places_over_quota_after": self.over_quota_after,
            "seconds": round(self.seconds, 3),
        }


def allocate(
    rankings: Mapping[Hashable, Ranking],
    list_length: Mapping[Hashable, int],
    quota: Mapping[str, int],
) -> AllocationResult:
    """Choose each candidate's list from their ranking under the places' quotas.

    ``rankings``: per candidate the pool, best first, as (placement id, score).
    ``list_length``: how many places each candidate's list holds (their own top).
    ``quota``: per place the most lists it may appear in; a place missing from it
    has no limit. Returns the chosen ids per candidate in their ranking's order.
    """
    started = time.perf_counter()
    keys = list(rankings)
    before = {k: [pid for pid, _ in rankings[k][:list_length.get(k, 0)]] for k in keys}
    score_of = {k: dict(rankings[k]) for k in keys}
    result = AllocationResult(picks=dict(before), before=before)
    result.exposures_before = Counter(pid for k in keys for pid in before[k])
    result.total_before = sum(score_of[k][pid] for k in keys for pid in before[k])

    over = {pid for pid, n in result.exposures_before.items() if pid in quota and n > quota[pid]}
    if over:
        # A place in no more pools than its quota can never go over it, whatever the
        # lists: its limit never binds, so it leaves the programme (exactly; in a
        # national run this drops most places and most candidates from it).
        in_pools = Counter(pid for k in keys for pid, _ in rankings[k])
        binding = {pid: q for pid, q in quota.items() if in_pools.get(pid, 0) > q}
        try:
            result.picks = _solve(keys, rankings, list_length, binding)
            result.method = "flow"
        except Exception:
            # Keeping everyone's own list is always a valid answer; the run must go on.
            log.warning("allocation: the min-cost flow failed; lists kept as ranked", exc_info=True)
            result.method = "kept (solver failed)"
    result.exposures_after = Counter(pid for k in keys for pid in result.picks[k])
    result.total_after = sum(score_of[k][pid] for k in keys for pid in result.picks[k])
    result.over_quota_after = sum(1 for pid, n in result.exposures_after.items() if pid in quota and n > quota[pid])
    result.seconds = time.perf_counter() - started
    return result


def _position_values(ranking: Ranking) -> list[float]:
    """What each place of a ranking is worth to the programme: the k-th best score
    goes to the k-th place of the ranking.

    A ranking is not sorted by score: diversity moved a fourth receptionist job
    below a lower-scored job of another kind. Valuing places by their own score
    would let the programme undo that; valuing them by position keeps the
    candidate's own list the optimum whenever nothing is contested, and still
    charges a swap what it costs in score. The tiny slope breaks ties towards
    the ranking's order.
    """
    ordered = sorted((float(score) for _, score in ranking), reverse=True)
    return [value - 1e-6 * k for k, value in enumerate(ordered)]


# Values are scaled to integers for the flow solver: 1e9 keeps the 1e-6 tie-breaking
# slope of _position_values a thousand units wide.
_SCALE = 1e9


def _solve(keys, rankings, list_length, quota) -> dict[Hashable, list[str]]:
    """The lists that maximise the total value with no place in ``quota`` on more lists
    than its quota allows (an excess is allowed at a prohibitive cost, so there is
    always an answer). Candidates whose pool holds no place of ``quota`` keep their
    own list; the others are solved together as a min-cost flow:

        candidate (supply: list length) -> place in its pool (capacity 1, cost -value)
        limited place -> sink (capacity quota, cost 0; beyond it, cost 'penalty')
        unlimited place: candidate -> sink directly (capacity 1, cost -value)

    The constraint matrix is a bipartite incidence matrix, so the flow optimum is
    integral and the same as the linear programme's (OR-Tools' network simplex
    solves a national night in under a second; scipy's LP took ten).
    """
    from ortools.graph.python import min_cost_flow

    picks = {k: [pid for pid, _ in rankings[k][:list_length.get(k, 0)]] for k in keys}
    involved = [k for k in keys if any(pid in quota for pid, _ in rankings[k])]
    if not involved:
        return picks
    place_index = {pid: i for i, pid in enumerate(sorted(quota))}
    n_cand, n_places = len(involved), len(place_index)
    sink = n_cand + n_places
    tails: list[int] = []
    heads: list[int] = []
    values: list[float] = []
    edge_pid: list[str] = []
    supply = np.zeros(n_cand, dtype=np.int64)
    for ci, k in enumerate(involved):
        supply[ci] = min(list_length.get(k, 0), len(rankings[k]))
        for (pid, _), worth in zip(rankings[k], _position_values(rankings[k])):
            tails.append(ci)
            heads.append(n_cand + place_index[pid] if pid in place_index else sink)
            values.append(worth)
            edge_pid.append(pid)
    w = np.asarray(values)
    penalty = 1.0 + float(w.max(initial=0.0)) - float(w.min(initial=0.0))
    total = int(supply.sum())
    caps = np.array([quota[pid] for pid in place_index], dtype=np.int64)
    place_nodes = n_cand + np.arange(n_places, dtype=np.int64)

    flow = min_cost_flow.SimpleMinCostFlow()
    edges = flow.add_arcs_with_capacity_and_unit_cost(
        np.asarray(tails, dtype=np.int64), np.asarray(heads, dtype=np.int64),
        np.ones(len(w), dtype=np.int64), np.round(-w * _SCALE).astype(np.int64))
    flow.add_arcs_with_capacity_and_unit_cost(place_nodes, np.full(n_places, sink, dtype=np.int64), caps,
                                              np.zeros(n_places, dtype=np.int64))
    flow.add_arcs_with_capacity_and_unit_cost(place_nodes, np.full(n_places, sink, dtype=np.int64),
                                              np.full(n_places, total, dtype=np.int64),
                                              np.full(n_places, round(penalty * _SCALE), dtype=np.int64))
    flow.set_nodes_supplies(np.append(np.arange(n_cand), sink).astype(np.int64),
                            np.append(supply, -total).astype(np.int64))
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow: status {status}")
    chosen = flow.flows(edges) > 0
    taken: dict[int, set[str]] = {}
    for e in np.flatnonzero(chosen):
        taken.setdefault(tails[e], set()).add(edge_pid[e])
    for ci, k in enumerate(involved):
        mine = taken.get(ci, set())
        picks[k] = [pid for pid, _ in rankings[k] if pid in mine][:list_length.get(k, 0)]
    return picks
