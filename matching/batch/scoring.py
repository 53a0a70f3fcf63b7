"""Scoring one candidate against a snapshot: the places within reach that fit, scored by the ranker.

A bound that needs no cosine rules out most feasible places within reach; the
rest are scored with float32 cosines, and only those that may be among the best
``depth`` are scored again with exact ones, so a place scores the same here, in
a merge and in the live list.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from matching.batch.pools import BatchParams, CandidatePool
from matching.batch.snapshot import PlaceSnapshot
from matching.constraints.engine import Columns, PlacementTable, Profile, evaluate
from matching.constraints.table import ITEM_ARRAYS
from matching.constraints.reasons import suggestion_items
from matching.contract.models import Candidate, Suggestion
from matching.ranking import CandidateView, Ranker
from matching.settings import Settings

@dataclass
class _Prepared:
    candidate: Candidate
    profile: Profile
    view: CandidateView



@dataclass
class _Feasible:
    rows: np.ndarray  # snapshot rows of the feasible places
    local: np.ndarray  # their positions in the evaluation
    ev: Any  # the constraint Evaluation over the region
    n_signals: np.ndarray  # flagged items per feasible place


def _region_table(table: PlacementTable, rows: np.ndarray, profile: Profile) -> tuple[PlacementTable, Profile]:
    """``table.take(rows)`` with only what ``evaluate`` reads for this profile, and the
    profile with its item columns renumbered to match.

    A region holds thousands of places and the table dozens of item columns, of
    which a candidate limits a few: only those are copied (zero-filling the
    others cost as much as evaluating), and the id column is not copied at all.
    The evaluation names its items from the narrowed columns, so verdicts and
    explanations read the same.
    """
    used = {
        "ord": sorted({j for j, _ in profile.ord_levels}),
        "cond": sorted({j for j, _ in profile.cond_required}),
        "cat": sorted({j for j, _ in profile.cat_limited}),
        "bin": sorted(set(profile.bin_limited)),
    }
    at = {kind: {j: k for k, j in enumerate(cols)} for kind, cols in used.items()}
    names = table.columns
    narrow = Columns(ord=tuple(names.ord[j] for j in used["ord"]), cond=tuple(names.cond[j] for j in used["cond"]),
                     cat=tuple(names.cat[j] for j in used["cat"]), bin=tuple(names.bin[j] for j in used["bin"]))
    # Per-place columns the profile never makes ``evaluate`` read stay empty; should it
    # read one after all, the empty column fails to broadcast: loudly, never silently.
    unread = set()
    if not math.isfinite(profile.max_hours_per_day):
        unread |= {"hours_per_day", "adj_hours_per_day"}
    if not math.isfinite(profile.max_hours_per_week):
        unread |= {"hours_per_week", "adj_hours_per_week", "start_hours_per_week"}
    if not profile.no_evening:
        unread |= {"evening", "adj_no_evening"}
    if not profile.no_night:
        unread |= {"night", "adj_no_night"}
    if not math.isfinite(profile.former_weekly_wage):
        unread.add("weekly_wage")
    fields = {}
    for name in PlacementTable.__dataclass_fields__:
        if name in ("columns", "ids"):
            continue
        kind = ITEM_ARRAYS.get(name)
        values = getattr(table, name)
        if name in unread:
            fields[name] = values[:0]
        elif not kind:
            fields[name] = values[rows]
        elif used[kind]:
            # Whole rows, then the columns: numpy's 2-D gathers (``np.ix_``) took ten
            # times longer, and column by column half as long again.
            fields[name] = np.take(values, rows, axis=0)[:, used[kind]]
        else:
            fields[name] = np.zeros((len(rows), 0), dtype=values.dtype)
    renumbered = replace(
        profile,
        ord_levels=tuple((at["ord"][j], level) for j, level in profile.ord_levels),
        cond_required=tuple((at["cond"][j], mask) for j, mask in profile.cond_required),
        cat_limited=tuple((at["cat"][j], mask) for j, mask in profile.cat_limited),
        bin_limited=tuple(at["bin"][j] for j in profile.bin_limited))
    return PlacementTable(columns=narrow, ids=rows, **fields), renumbered


def _feasible(snap: PlaceSnapshot, prep: _Prepared, settings: Settings, region: np.ndarray | None = None) -> _Feasible:
    """The places of ``region`` (rows, ascending; default all within reach) that fit the candidate."""
    profile = prep.profile
    if region is None:
        region, distance = snap.reach(profile.lat, profile.lon, profile.max_travel_km)
    else:
        distance = snap.distances(profile.lat, profile.lon, region)
    ev = evaluate(*_region_table(snap.table, region, profile), settings, distance_km=distance)
    local = np.flatnonzero(ev.feasible)
    return _Feasible(rows=region[local], local=local, ev=ev, n_signals=ev.signals_at(local))


def _full_scores(snap: PlaceSnapshot, prep: _Prepared, f: _Feasible, pos: np.ndarray, ranker: Ranker,
                 exact: bool = True):
    rows = f.rows[pos]
    vectors = snap.gather(rows)
    if exact:
        # Exact cosines make a place score the same here, in a merge and in the live list.
        cosine = ranker.cosines(vectors, prep.view.vectors.query)
        wish = ranker.wish_cosines(prep.view, vectors)
    else:
        # float32 ones pick what to score exactly (``Ranker.approx_margin`` is their error).
        cosine = vectors @ prep.view.vectors.query
        wish = None if prep.view.vectors.wish is None else vectors @ prep.view.vectors.wish
    return ranker.score(prep.view, snap.features, rows, cosine, f.ev.distance_km[f.local[pos]],
                        prep.profile.max_travel_km, f.n_signals[pos], wish)


def _match_one(snap: PlaceSnapshot, prep: _Prepared, params: BatchParams, settings: Settings,
               ranker: Ranker) -> CandidatePool:
    c = prep.candidate
    f = _feasible(snap, prep, settings)
    n = len(f.rows)
    if not n:
        return CandidatePool(candidate_id=c.id, entries=[], n_primary=0, known=(), floor=None)
    depth = params.depth
    everything = np.arange(n)
    if n > depth:
        pos = _shortlist(snap, prep, f, depth, ranker)
    else:
        pos = everything
    scores, components = _full_scores(snap, prep, f, pos, ranker)
    order = ranker.order(scores, snap.id_rank[f.rows[pos]])
    n_primary, picked = ranker.pick(order, scores, snap.features.diversity_keys(f.rows[pos]), params.top,
                                    params.reserve)
    entries = _render(snap, prep, f, pos, picked, scores, components, ranker)
    best = order[:depth]
    known = tuple(zip(map(str, snap.ids[f.rows[pos[best]]].tolist()), scores[best].tolist()))
    floor = float(scores[order[depth - 1]]) if n > depth else None
    return CandidatePool(candidate_id=c.id, entries=entries, n_primary=n_primary, known=known, floor=floor,
                         picked=tuple(e.placement_id for e in entries))


def _shortlist(snap: PlaceSnapshot, prep: _Prepared, f: _Feasible, depth: int, ranker: Ranker) -> np.ndarray:
    """Positions in ``f`` of the places that may be among the best ``depth`` by exact score.

    Scored with float32 cosines, a place is kept when it comes within
    the cosines' error of the ``depth``-th best; only those are scored again with
    exact cosines. Most places need not even the float32 score: bounds that take
    no cosine (:meth:`Ranker.score_bound`, a cheap one for all, a tighter one
    for what the cheap one lets through) rule them out once the places with the
    best bounds have been scored. The others are scored best tight bound first
    until the bound of the next falls short of the ``depth``-th best so far (less
    the margin), so the ``depth``-th best over all places, and the places kept,
    are the ones scoring every place would give.
    """
    n, margin = len(f.rows), ranker.approx_margin
    view, feats, travel = prep.view, snap.features, prep.profile.max_travel_km
    distance = f.ev.distance_km[f.local]
    bound = ranker.score_bound(view, feats, f.rows, distance, travel, f.n_signals)
    first = min(n, _FIRST_SCORED * depth)
    if first < n:
        best = np.argpartition(-bound, first - 1)[:first]
        known = np.full(n, np.nan)
        known[best], _ = _full_scores(snap, prep, f, best, ranker, exact=False)
        reach = np.partition(known[best], first - depth)[first - depth] - margin
        scored = np.flatnonzero(bound >= reach)
        tight = ranker.score_bound(view, feats, f.rows[scored], distance[scored], travel, f.n_signals[scored],
                                   tight=True)
        keep = tight >= reach
        scored, tight = scored[keep], tight[keep]
        # The rest (the best bounds were scored already) by their tight bound, a slice at
        # a time: each slice raises the ``depth``-th best score so far, and once the next
        # bound falls below it, less the margin, no place left can come within the margin
        # of the ``depth``-th best. A third fewer places are scored than all that reach.
        approx = known[scored]
        rest = np.flatnonzero(np.isnan(approx))
        rest = rest[np.argsort(-tight[rest], kind="stable")]
        seen = known[best]
        kth = np.partition(seen, first - depth)[first - depth]
        for start in range(0, len(rest), _SLICE):
            part = rest[start:start + _SLICE]
            if tight[part[0]] < kth - margin:
                break
            approx[part], _ = _full_scores(snap, prep, f, scored[part], ranker, exact=False)
            seen = np.concatenate([seen, approx[part]])
            kth = np.partition(seen, len(seen) - depth)[len(seen) - depth]
        done = ~np.isnan(approx)
        scored, approx = scored[done], approx[done]
    else:
        scored = np.arange(n)
        approx, _ = _full_scores(snap, prep, f, scored, ranker, exact=False)
    kth = np.partition(approx, len(scored) - depth)[len(scored) - depth]
    return scored[approx >= kth - margin]


# How many times a pool's depth of places, best bounds first, are scored to learn
# what score the depth takes.
_FIRST_SCORED = 2
# Places scored at a time after those, best tight bound first (see _shortlist).
_SLICE = 192


def _render(snap, prep, f, short, picked, scores, components, ranker: Ranker) -> list[Suggestion]:
    rows = f.rows[short[picked]]
    fit = ranker.place_fit(prep.view, snap.gather(rows), snap.features, rows)
    out = []
    for rank, (k, row) in enumerate(zip(picked, rows), start=1):
        placement = snap.placement_for_text(row)
        local = int(f.local[short[k]])
        items, conditions = suggestion_items(f.ev, local, prep.candidate, placement, prep.profile.max_travel_km)
        out.append(ranker.suggestion(prep.view, placement, rank, scores[k],
                                     {name: values[k] for name, values in components.items()}, items,
                                     f.ev.distance_km[local], None if fit is None else fit.column(rank - 1),
                                     ranker.central_aspects(prep.view, snap.features, int(row)), conditions))
    return out


