"""Scoring one candidate against a snapshot: the places within reach that fit, scored by the ranker.

Every feasible place within reach is scored with the block's float32 cosines;
only those that may be among the best ``depth`` are scored again with exact
ones, so a place scores the same here, in a merge and in the live list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from matching.batch.pools import BatchParams, CandidatePool
from matching.batch.snapshot import PlaceSnapshot, _box
from matching.constraints.engine import PlacementTable, Profile, evaluate
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


def _region_table(table: PlacementTable, rows: np.ndarray, profile: Profile) -> PlacementTable:
    """``table.take(rows)`` with only what ``evaluate`` reads for this profile.

    A region holds thousands of places and the table dozens of item columns, of
    which a candidate limits a few: the other columns stay zero-filled (never
    read), and the id column is not copied at all.
    """
    used = {
        "ord": sorted({j for j, _ in profile.ord_levels}),
        "cond": sorted({j for j, _ in profile.cond_required}),
        "cat": sorted({j for j, _ in profile.cat_limited}),
        "bin": sorted(set(profile.bin_limited)),
    }

    def gather(matrix: np.ndarray, cols: list[int]) -> np.ndarray:
        out = np.zeros((len(rows), matrix.shape[1]), dtype=matrix.dtype)
        if cols:
            out[:, cols] = matrix[np.ix_(rows, cols)]
        return out

    fields = {}
    for name in PlacementTable.__dataclass_fields__:
        if name in ("columns", "ids"):
            continue
        kind = ITEM_ARRAYS.get(name)
        fields[name] = gather(getattr(table, name), used[kind]) if kind else getattr(table, name)[rows]
    return PlacementTable(columns=table.columns, ids=rows, **fields)


def _feasible(snap: PlaceSnapshot, prep: _Prepared, settings: Settings,
              block: "_SimBlock | None" = None) -> _Feasible:
    profile = prep.profile
    region = snap.region(profile.lat, profile.lon, profile.max_travel_km)
    ev = evaluate(_region_table(snap.table, region, profile), profile, settings)
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
    wrote one) with every place in their joint box.

    One matrix product per run of rows reads each place vector once per block
    instead of gathering it once per candidate (gathering a candidate's region
    twice, for the query and the wish, once cost a quarter of the night); for
    candidates that live close together (the block is sorted like the snapshot)
    the joint box is barely bigger than one candidate's.
    """

    def __init__(self, snap: PlaceSnapshot, preps: Sequence[_Prepared]):
        boxes = [(p.profile.lat, p.profile.lon, *_box(p.profile.lat, p.profile.max_travel_km)) for p in preps]
        runs = snap.runs(min(b[0] - b[2] for b in boxes), max(b[0] + b[2] for b in boxes),
                         min(b[1] - b[3] for b in boxes), max(b[1] + b[3] for b in boxes))
        columns = [p.view.vectors.query for p in preps]
        self.column = {id(p): j for j, p in enumerate(preps)}
        self.wish_column: dict[int, int] = {}
        for p in preps:
            if p.view.vectors.wish is not None:
                self.wish_column[id(p)] = len(columns)
                columns.append(p.view.vectors.wish)
        queries = np.stack(columns).astype(np.float32, copy=False)
        self.starts = np.array([lo for lo, _ in runs], dtype=np.int64)
        sizes = [hi - lo for lo, hi in runs]
        self.offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        self.scores = np.empty((int(self.offsets[-1]), len(columns)), dtype=np.float32)
        for (lo, hi), off in zip(runs, self.offsets):
            np.matmul(snap.vectors[lo:hi], queries.T, out=self.scores[off:off + hi - lo])

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
        # Every feasible place is scored, with the block's float32 cosines; only those
        # that may be among the best ``depth`` are scored again with exact ones.
        approx, _ = _full_scores(snap, prep, f, everything, ranker, exact=False)
        kth = np.partition(approx, n - depth)[n - depth]
        pos = np.flatnonzero(approx >= kth - ranker.approx_margin)
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


