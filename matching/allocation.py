"""Spreading scarce places over the whole population of candidates.

Each candidate's own ranking puts the best places first, so a werkervaringsplek
with one position can sit on top of forty lists at once. This step chooses every
candidate's list from their pool (their own list plus a reserve of next-best
places, see :mod:`matching.rematch`) so that no place appears in more lists than
its quota, ``ceil(positions x factor)``, while the sum of the scores of all lists
stays as high as possible.

That is a transportation problem: candidates supply list slots, places take at
most their quota, an edge (candidate, place) exists for each place in the
candidate's pool and is worth the score of its position in the pool (see
:func:`_position_values`: the pool's order includes diversity, which the
programme must not undo). Its constraint matrix is totally
unimodular, so the linear programme solved by HiGHS (``scipy.optimize.linprog``)
has an integral optimum: an exact assignment, not a rounding. Every candidate
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
            result.method = "lp"
        except Exception:
            # Keeping everyone's own list is always a valid answer; the run must go on.
            log.warning("allocation: the linear programme failed; lists kept as ranked", exc_info=True)
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


def _solve(keys, rankings, list_length, quota) -> dict[Hashable, list[str]]:
    """The lists that maximise the total value with no place in ``quota`` on more lists
    than its quota allows (an excess is allowed at a prohibitive cost, so the programme
    is always feasible). Candidates whose pool holds no place of ``quota`` keep their
    own list; only the others are in the programme."""
    import scipy.sparse as sp
    from scipy.optimize import linprog

    picks = {k: [pid for pid, _ in rankings[k][:list_length.get(k, 0)]] for k in keys}
    involved = [k for k in keys if any(pid in quota for pid, _ in rankings[k])]
    edge_cand: list[int] = []
    edge_pid: list[str] = []
    weight: list[float] = []
    demand = np.zeros(len(involved))
    for ci, k in enumerate(involved):
        demand[ci] = min(list_length.get(k, 0), len(rankings[k]))
        for (pid, _), worth in zip(rankings[k], _position_values(rankings[k])):
            edge_cand.append(ci)
            edge_pid.append(pid)
            weight.append(worth)
    if not weight:
        return picks
    place_index = {pid: i for i, pid in enumerate(sorted(quota))}
    n_edges, n_places = len(weight), len(place_index)
    ec = np.asarray(edge_cand)
    w = np.asarray(weight)
    limited = np.flatnonzero([pid in place_index for pid in edge_pid])
    ep = np.array([place_index[edge_pid[e]] for e in limited], dtype=np.int64)
    penalty = 1.0 + float(w.max(initial=0.0)) - float(w.min(initial=0.0))
    caps = np.array([quota[pid] for pid in place_index], dtype=float)
    a_eq = sp.csr_matrix((np.ones(n_edges), (ec, np.arange(n_edges))), shape=(len(involved), n_edges + n_places))
    a_ub = sp.hstack([sp.csr_matrix((np.ones(len(limited)), (ep, limited)), shape=(n_places, n_edges)),
                      -sp.identity(n_places, format="csr")]).tocsr()
    cost = np.concatenate([-w, np.full(n_places, penalty)])
    bounds = np.column_stack([np.zeros(n_edges + n_places),
                              np.concatenate([np.ones(n_edges), np.full(n_places, np.inf)])])
    res = linprog(cost, A_ub=a_ub, b_ub=caps, A_eq=a_eq, b_eq=demand, bounds=bounds, method="highs")
    if res.status != 0:
        raise RuntimeError(f"linprog: {res.message}")
    chosen = res.x[:n_edges] > 0.5
    taken: dict[int, set[str]] = {}
    for e in np.flatnonzero(chosen):
        taken.setdefault(int(ec[e]), set()).add(edge_pid[e])
    for ci, k in enumerate(involved):
        mine = taken.get(ci, set())
        picks[k] = [pid for pid, _ in rankings[k] if pid in mine][:list_length.get(k, 0)]
    return picks
