"""The nightly run scores only the places that may reach a pool's depth: the bounds
that rule places out are never below a score, and the places kept are the ones
scoring every place would keep."""

from __future__ import annotations

import numpy as np
import pytest

from matching.batch.scoring import _feasible, _full_scores, _Prepared, _shortlist
from matching.constraints.engine import Profile
from matching.settings import get_settings
from tests.matching.batch.test_rematch import candidates, places, ranker_of, snapshot_of


def _prepared(snap, ranker, cs):
    settings = get_settings()
    return [_Prepared(c, Profile.from_candidate(c, snap.table.columns, settings), ranker.view(c, v))
            for c, v in zip(cs, ranker.embed_candidates(cs))]


@pytest.mark.parametrize("tight", [False, True])
def test_the_bound_without_cosines_is_never_below_a_score(encoder, tight):
    snap = snapshot_of(places(300, seed=21), encoder)
    ranker = ranker_of(encoder)
    rng = np.random.default_rng(3)
    checked = 0
    for prep in _prepared(snap, ranker, candidates(30, seed=22)):
        f = _feasible(snap, prep, get_settings())
        if not len(f.rows):
            continue
        distance = f.ev.distance_km[f.local]
        bound = ranker.score_bound(prep.view, snap.features, f.rows, distance, prep.profile.max_travel_km,
                                   f.n_signals, tight=tight)
        # Whatever the cosines: the real ones, and any others.
        for cosine in (None, rng.uniform(-1, 1, len(f.rows)).astype(np.float32), np.ones(len(f.rows), np.float32)):
            if cosine is None:
                scores, _ = _full_scores(snap, prep, f, np.arange(len(f.rows)), ranker)
            else:
                wish = None if prep.view.vectors.wish is None else cosine
                scores, _ = ranker.score(prep.view, snap.features, f.rows, cosine, distance,
                                         prep.profile.max_travel_km, f.n_signals, wish)
            assert (bound >= scores).all()
            checked += len(scores)
    assert checked


def test_the_shortlist_is_what_scoring_every_place_keeps(encoder):
    snap = snapshot_of(places(400, seed=31), encoder)
    ranker = ranker_of(encoder)
    preps = _prepared(snap, ranker, candidates(30, seed=32))
    depth, pruned = 20, 0
    for prep in preps:
        f = _feasible(snap, prep, get_settings())
        n = len(f.rows)
        if n <= depth:
            continue
        approx, _ = _full_scores(snap, prep, f, np.arange(n), ranker, exact=False)
        kth = np.partition(approx, n - depth)[n - depth]
        everything = np.flatnonzero(approx >= kth - ranker.approx_margin)
        assert _shortlist(snap, prep, f, depth, ranker).tolist() == everything.tolist()
        pruned += n - len(everything)
    assert pruned, "the fixture is big enough for places to be ruled out"
