"""Scoring one candidate against a snapshot: the places within reach that fit, scored by the ranker.

Every feasible place within reach is scored with the block's float32 cosines;
only those that may be among the best ``depth`` are scored again with exact
ones, so a place scores the same here, in a merge and in the live list.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Sequence

import numpy as np

from matching.batch.pools import BatchParams, CandidatePool
from matching.batch.snapshot import PlaceSnapshot, _box
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
    sims: np.ndarray  # raw cosine with the candidate's query
    n_signals: np.ndarray  # flagged items per feasible place
    wish_sims: np.ndarray | None = None  # raw cosine with their wish text, when they wrote one


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
    # Per-place columns the profile never makes ``evaluate`` read stay empty.
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
            # Column by column: numpy's 2-D gathers (``np.ix_``) took ten times longer.
            fields[name] = np.stack([values[rows, j] for j in used[kind]], axis=1)
        else:
            fields[name] = np.zeros((len(rows), 0), dtype=values.dtype)
    renumbered = replace(
        profile,
        ord_levels=tuple((at["ord"][j], level) for j, level in profile.ord_levels),
        cond_required=tuple((at["cond"][j], mask) for j, mask in profile.cond_required),
        cat_limited=tuple((at["cat"][j], mask) for j, mask in profile.cat_limited),
        bin_limited=tuple(at["bin"][j] for j in profile.bin_limited))
    return PlacementTable(columns=narrow, ids=rows, **fields), renumbered


def _feasible(snap: PlaceSnapshot, prep: _Prepared, settings: Settings,
              block: "_SimBlock | None" = None) -> _Feasible:
    profile = prep.profile
    region = snap.region(profile.lat, profile.lon, profile.max_travel_km)
    ev = evaluate(*_region_table(snap.table, region, profile), settings)
    local = np.flatnonzero(ev.feasible)
    rows = region[local]
    wish = prep.view.vectors.wish
    if not len(rows):
        sims = np.zeros(0, np.float32)
        wish_sims = None if wish is None else sims
    elif block is not None:
        sims, wish_sims = block.sims(prep, rows)
    else:
        vectors = snap.vectors[rows]
        sims = vectors @ prep.view.vectors.query
        wish_sims = None if wish is None else np.asarray(vectors @ wish, dtype=np.float32)
    return _Feasible(rows=rows, local=local, ev=ev, sims=np.asarray(sims, dtype=np.float32),
                     n_signals=ev.n_signals[local], wish_sims=wish_sims)


def _full_scores(snap: PlaceSnapshot, prep: _Prepared, f: _Feasible, pos: np.ndarray, ranker: Ranker,
                 exact: bool = True):
    rows = f.rows[pos]
    # The float32 cosines pick what to score exactly; exact ones make a place score
    # the same here, in a merge and in the live list, however the product was blocked.
    if exact or f.wish_sims is None and prep.view.vectors.wish is not None:
        vectors = snap.vectors[rows]
        cosine = ranker.cosines(vectors, prep.view.vectors.query)
        wish = ranker.wish_cosines(prep.view, vectors)
    else:
        cosine, wish = f.sims[pos], None if f.wish_sims is None else f.wish_sims[pos]
    return ranker.score(prep.view, snap.features, rows, cosine, f.ev.distance_km[f.local[pos]],
                        prep.profile.max_travel_km, f.n_signals[pos], wish)


class _SimBlock:
    """Cosines of a block of candidates (their query, and their wish text when they
    wrote one) with the places in their boxes.

    One matrix product per tile of rows reads each place vector once per block
    instead of gathering it once per candidate (gathering a candidate's region
    twice, for the query and the wish, once cost a quarter of the night). The
    block's joint box is cut into tiles of ``_TILE`` neighbouring rows, and a
    tile is multiplied only with the candidates whose own box reaches it: one
    product over the joint box computed three to five times the cosines anyone
    read. Entries of a candidate outside its own box are left unset; ``sims``
    only ever reads rows of the candidate's region.
    """

    def __init__(self, snap: PlaceSnapshot, preps: Sequence[_Prepared]):
        boxes = np.array([(p.profile.lat, p.profile.lon, *_box(p.profile.lat, p.profile.max_travel_km))
                          for p in preps], dtype=np.float64).reshape(-1, 4)
        lat_lo, lat_hi = boxes[:, 0] - boxes[:, 2], boxes[:, 0] + boxes[:, 2]
        lon_lo, lon_hi = boxes[:, 1] - boxes[:, 3], boxes[:, 1] + boxes[:, 3]
        runs = snap.runs(float(lat_lo.min()), float(lat_hi.max()), float(lon_lo.min()), float(lon_hi.max()))
        columns = [p.view.vectors.query for p in preps]
        owner = list(range(len(preps)))  # the candidate whose box decides each column
        self.column = {id(p): j for j, p in enumerate(preps)}
        self.wish_column: dict[int, int] = {}
        for k, p in enumerate(preps):
            if p.view.vectors.wish is not None:
                self.wish_column[id(p)] = len(columns)
                columns.append(p.view.vectors.wish)
                owner.append(k)
        queries = np.stack(columns).astype(np.float32, copy=False)
        owner = np.asarray(owner, dtype=np.int64)
        # Float noise in the snapshot's sort key may admit a row a hair outside a box.
        eps = 1e-6
        c_lat_lo, c_lat_hi = lat_lo[owner] - eps, lat_hi[owner] + eps
        c_lon_lo, c_lon_hi = lon_lo[owner] - eps, lon_hi[owner] + eps
        self.starts = np.array([lo for lo, _ in runs], dtype=np.int64)
        sizes = [hi - lo for lo, hi in runs]
        self.offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        self.scores = np.empty((int(self.offsets[-1]), len(columns)), dtype=np.float32)
        lat, lon = snap.table.lat, snap.table.lon
        everyone = len(columns)
        for (lo, hi), off in zip(runs, self.offsets):
            for t_lo in range(lo, hi, _TILE):
                t_hi = min(t_lo + _TILE, hi)
                t_lat, t_lon = lat[t_lo:t_hi], lon[t_lo:t_hi]
                near = np.flatnonzero((c_lat_lo <= t_lat.max()) & (c_lat_hi >= t_lat.min())
                                      & (c_lon_lo <= t_lon.max()) & (c_lon_hi >= t_lon.min()))
                out = self.scores[off + t_lo - lo:off + t_hi - lo]
                if len(near) == everyone:
                    np.matmul(snap.vectors[t_lo:t_hi], queries.T, out=out)
                elif len(near):
                    out[:, near] = snap.vectors[t_lo:t_hi] @ queries[near].T

    def sims(self, prep: _Prepared, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """(query cosines, wish cosines or None) of ``rows``."""
        run = np.searchsorted(self.starts, rows, side="right") - 1
        at = self.offsets[run] + rows - self.starts[run]
        wish = self.wish_column.get(id(prep))
        return self.scores[at, self.column[id(prep)]], None if wish is None else self.scores[at, wish]


# Candidates per matrix product: enough to run at the BLAS's full speed (measured: 128 neighbours
# cost half of what 16 did per candidate), few enough that their joint box stays
# small and the product's result a few tens of MB.
SIM_BLOCK = 128
# Rows per tile of a block's product: small enough that a tile's box hugs its
# places (rows in a band are sorted by longitude), big enough for BLAS speed.
_TILE = 512


def _match_one(snap: PlaceSnapshot, prep: _Prepared, params: BatchParams, settings: Settings, ranker: Ranker,
               block: _SimBlock | None = None) -> CandidatePool:
    c = prep.candidate
    f = _feasible(snap, prep, settings, block)
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
    known = tuple((str(snap.ids[f.rows[pos[k]]]), float(scores[k])) for k in order[:depth])
    floor = float(scores[order[depth - 1]]) if n > depth else None
    return CandidatePool(candidate_id=c.id, entries=entries, n_primary=n_primary, known=known, floor=floor,
                         picked=tuple(e.placement_id for e in entries))


def _shortlist(snap: PlaceSnapshot, prep: _Prepared, f: _Feasible, depth: int, ranker: Ranker) -> np.ndarray:
    """Positions in ``f`` of the places that may be among the best ``depth`` by exact score.

    Scored with the block's float32 cosines, a place is kept when it comes within
    the cosines' error of the ``depth``-th best; only those are scored again with
    exact cosines. Most places need not even the float32 score: bounds that take
    no cosine (:meth:`Ranker.score_bound`, a cheap one for all, a tighter one
    for what the cheap one lets through) rule them out once the places with the
    best bounds have been scored. Every place whose bound reaches the
    ``depth``-th best of those is scored, so the ``depth``-th best over all
    places, and the places kept, are the ones scoring every place would give.
    """
    n, margin = len(f.rows), ranker.approx_margin
    view, feats, travel = prep.view, snap.features, prep.profile.max_travel_km
    distance = f.ev.distance_km[f.local]
    bound = ranker.score_bound(view, feats, f.rows, distance, travel, f.n_signals)
    first = min(n, _FIRST_SCORED * depth)
    scored = np.arange(n)
    if first < n:
        best = np.argpartition(-bound, first - 1)[:first]
        approx, _ = _full_scores(snap, prep, f, best, ranker, exact=False)
        reach = np.partition(approx, first - depth)[first - depth] - margin
        scored = np.flatnonzero(bound >= reach)
        tight = ranker.score_bound(view, feats, f.rows[scored], distance[scored], travel, f.n_signals[scored],
                                   tight=True)
        scored = scored[tight >= reach]
    approx, _ = _full_scores(snap, prep, f, scored, ranker, exact=False)
    kth = np.partition(approx, len(scored) - depth)[len(scored) - depth]
    return scored[approx >= kth - margin]


# How many times a pool's depth of places, best bounds first, are scored to learn
# what score the depth takes.
_FIRST_SCORED = 2


def _render(snap, prep, f, short, picked, scores, components, ranker: Ranker) -> list[Suggestion]:
    rows = f.rows[short[picked]]
    fit = ranker.place_fit(prep.view, snap.vectors[rows], snap.features, rows)
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


