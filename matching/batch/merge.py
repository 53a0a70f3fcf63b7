"""Incremental nights: the changed places merged into a candidate's previous pool (see matching.batch.partition)."""

from __future__ import annotations

import numpy as np

from matching.batch.pools import BatchParams, CandidatePool, ChangeSet
from matching.batch.scoring import _Feasible, _feasible, _full_scores, _Prepared, _render, _region_table
from matching.batch.snapshot import PlaceSnapshot
from matching.constraints.engine import evaluate
from matching.contract.models import Suggestion
from matching.ranking import Ranker
from matching.ranking.ranker import SPOOR_ONE_LEAD
from matching.settings import Settings

class _Outcome:
    SAME = "same"  # nothing changed near the candidate
    REFRESHED = "refreshed"  # known places changed, the picks did not
    MERGED = "merged"  # the picks changed; they are explained again
    RECOMPUTE = "recompute"  # too many known places went: compute anew


def _may_beat(fresh: PlaceSnapshot, prep: _Prepared, floor: float | None, ranker: Ranker) -> np.ndarray:
    """Rows of the changed places within reach that could score above ``floor``: a
    bound from each one's text match with every other component counted as
    perfect, then, for those it leaves in, with the transfer as scored. Most
    nights, for most candidates, none can, and the constraints and scores are
    never computed; when some can, only those places are evaluated."""
    rows = fresh.region(prep.profile.lat, prep.profile.lon, prep.profile.max_travel_km)
    if not len(rows) or floor is None:
        return rows
    cosines = fresh.gather(rows) @ prep.view.vectors.query + 1e-5  # float32: 1e-5 covers its error
    # The best text match first, with the lead every place of theirs could have: one
    # number, and for most candidates it already says no.
    top = [int(np.argmax(cosines))]
    best = ranker.text_bounds(cosines[top], prep.view, fresh.features, rows[top])
    lead = SPOOR_ONE_LEAD if prep.candidate.employer_id else 0.0
    if float(best[0]) + lead + ranker.approx_margin <= floor:
        return rows[:0]
    keep = ranker.text_bounds(cosines, prep.view, fresh.features, rows) + ranker.approx_margin > floor
    rows, cosines = rows[keep], cosines[keep]
    if len(rows):
        keep = ranker.text_bounds(cosines, prep.view, fresh.features, rows, transfer=True) + ranker.approx_margin > floor
        rows = rows[keep]
    return rows


def _merge(snap: PlaceSnapshot, changes: ChangeSet, prep: _Prepared, prev: CandidatePool, params: BatchParams,
           settings: Settings, ranker: Ranker) -> tuple[str, CandidatePool | None]:
    """The previous pool with the changed places taken out and merged in (see the module docstring)."""
    kept = [(pid, score) for pid, score in prev.known if pid not in changes.touched]
    fresh: list[tuple[str, float]] = []
    may_beat = _may_beat(changes.fresh, prep, prev.floor, ranker) if len(changes.fresh) else ()
    if len(may_beat):
        f = _feasible(changes.fresh, prep, settings, may_beat)
        pos = np.arange(len(f.rows))
        if len(pos) and prev.floor is not None:
            # Only a place whose cosine-free bound beats the floor can: the rest are not scored.
            bound = ranker.score_bound(prep.view, changes.fresh.features, f.rows, f.ev.distance_km[f.local],
                                       prep.profile.max_travel_km, f.n_signals)
            pos = np.flatnonzero(bound > prev.floor)
        if len(pos):
            scores, _ = _full_scores(changes.fresh, prep, f, pos, ranker)
            beat = scores > prev.floor if prev.floor is not None else np.ones(len(scores), dtype=bool)
            rows = f.rows[pos]
            fresh = [(str(changes.fresh.ids[row]), float(score)) for row, score in zip(rows[beat], scores[beat])]
    if len(kept) == len(prev.known) and not fresh:
        return _Outcome.SAME, None

    # Best first, equal scores by id: the order a full run gives them.
    merged = sorted(kept + fresh, key=lambda pair: (-pair[1], pair[0]))
    if prev.floor is None:
        exact = len(merged)
    else:
        # A place never kept may tie with the floor and sort before an entry at it.
        exact = sum(1 for _, score in merged if score > prev.floor)
        if exact < params.window:
            return _Outcome.RECOMPUTE, None
    depth = params.depth
    floor = prev.floor
    if len(merged) > depth:
        floor = merged[depth - 1][1]
    known = tuple(merged[:depth])

    # Where the picks come from: the first ``window`` places, or all when all are known.
    window = merged[:params.window] if prev.floor is not None else merged
    before = list(prev.known[:params.window]) if prev.floor is not None else list(prev.known)
    if window == before and not changes.touched.intersection(pid for pid, _ in window):
        # The places the picks come from are the same, with the same scores: so are the picks.
        return _Outcome.REFRESHED, CandidatePool(candidate_id=prev.candidate_id, entries=[],
                                                 n_primary=prev.n_primary, known=known, floor=floor,
                                                 picked=prev.picked)
    scores = np.array([score for _, score in window], dtype=np.float64)
    rows = np.array([snap.row_of[pid] for pid, _ in window], dtype=np.int64)
    n_primary, picks = ranker.pick(np.arange(len(window)), scores, snap.features.diversity_keys(rows), params.top,
                                   params.reserve)
    picked = tuple(window[k][0] for k in picks)
    if picked == prev.picked and n_primary == prev.n_primary and not changes.touched.intersection(picked):
        return _Outcome.REFRESHED, CandidatePool(candidate_id=prev.candidate_id, entries=[], n_primary=n_primary,
                                                 known=known, floor=floor, picked=picked)

    # An entry depends on the candidate and its place only: a pick the previous pool
    # explained, unchanged since, keeps its explanation (under its new rank).
    explained = set(prev.picked)
    fresh_picks = np.array([k for k, pid in enumerate(picked) if pid not in explained or pid in changes.touched],
                           dtype=np.int64)
    rendered: list[Suggestion] = []
    if len(fresh_picks):
        pick_rows = rows[picks[fresh_picks]]
        ev = evaluate(*_region_table(snap.table, pick_rows, prep.profile), settings)
        if not ev.feasible.all():  # cannot happen while scores stay put; be safe, not sorry
            return _Outcome.RECOMPUTE, None
        everything = np.arange(len(pick_rows))
        f = _Feasible(rows=pick_rows, local=everything, ev=ev, n_signals=ev.n_signals)
        _, components = _full_scores(snap, prep, f, everything, ranker)
        rendered = _render(snap, prep, f, everything, everything, scores[picks[fresh_picks]], components, ranker)
    rendered_at = set(fresh_picks.tolist())
    carried = tuple(pid for k, pid in enumerate(picked) if k not in rendered_at)
    pool = CandidatePool(candidate_id=prev.candidate_id, entries=rendered, n_primary=n_primary, known=known,
                         floor=floor, picked=picked, carried=carried)
    if prev.entries:
        pool = pool.assemble([e.model_dump(mode="json") for e in prev.entries])
    return _Outcome.MERGED, pool


