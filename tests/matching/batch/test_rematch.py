"""The nightly batch: same lists as Matcher.suggest, incremental reuse that is exact,
one bad candidate skipped, partitions that can run anywhere (pickled)."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest

from matching.constraints.engine import Profile, evaluate
from matching.live.matcher import Matcher
from matching.batch import (
    BatchParams,
    CandidateTask,
    ChangeSet,
    PlaceSnapshot,
    partitions,
    process_partition,
)
from matching.ranking import build_ranker, placement_text
from matching.settings import get_settings
from tests.conftest import HashingEncoder, make_candidate, make_placement

POSTCODES = ["6511", "6512", "6525", "6541", "6601", "6703", "6811", "5211", "3511", "1012", "9711", "7511"]
TITLES = ["Receptiemedewerker", "Gastvrouw", "Magazijnmedewerker", "Administratief medewerker",
          "Klantenservicemedewerker", "Kassamedewerker", "Schoonmaker", "Pedagogisch medewerker"]


def places(n: int, seed: int = 0, prefix: str = "p") -> list:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        demands = {}
        if rng.random() < 0.4:
            demands["IV.13"] = int(rng.integers(0, 4))
        if rng.random() < 0.3:
            demands["V.3"] = int(rng.integers(0, 3))
        hours = float(rng.choice([16, 24, 32, 36]))
        out.append(make_placement(
            id=f"{prefix}-{i}", title=str(rng.choice(TITLES)), kind=str(rng.choice(["vacature", "detachering",
                                                                                  "werkervaringsplek"])),
            description=f"Werk nummer {i} met {rng.choice(['gasten', 'dozen', 'klanten', 'kinderen'])}.",
            location={"postcode": str(rng.choice(POSTCODES))}, hours_per_week=hours, hours_per_day=hours / 4,
            demands=demands, positions=int(rng.integers(1, 3)), skills=[str(rng.choice(["klantcontact",
                                                                                       "telefoon", "kassa"]))]))
    return out


def candidates(n: int, seed: int = 1) -> list:
    rng = np.random.default_rng(seed)
    return [make_candidate(
        id=f"c-{i}", home={"postcode": str(rng.choice(POSTCODES))}, max_travel_km=float(rng.choice([10, 25, 60])),
        capacity={"IV.13": int(rng.integers(0, 3))} if rng.random() < 0.5 else {},
        skills=[str(rng.choice(["klantcontact", "telefoon", "kassa"]))]) for i in range(n)]


def ranker_of(encoder):
    """The ranker as every path builds it, around a test encoder."""
    return build_ranker(get_settings(), encoder=encoder)


def snapshot_of(placements, encoder) -> PlaceSnapshot:
    vectors = encoder.encode([placement_text(p) for p in placements])
    return PlaceSnapshot.build(placements, vectors, [f"v-{p.id}" for p in placements], ranker=ranker_of(encoder))


def test_pools_equal_the_live_matcher(encoder):
    ps = places(300)
    cs = candidates(30)
    # The batch scores every feasible place; so does the live list below
    # live_exact_below open places, with the same ranker.
    matcher = Matcher(ranker_of(encoder), index_backend="flat").fit(ps)
    snap = snapshot_of(ps, encoder)
    result = process_partition(snap, [CandidateTask(c.id, c) for c in cs], BatchParams(top=5, reserve=5),
                               ranker=ranker_of(encoder))
    assert not result.failures
    for c in cs:
        live = matcher.suggest(c, top=5).suggestions
        pool = result.pools[c.id]
        assert pool.n_primary == len(live)
        assert [s.model_dump() for s in pool.entries[:pool.n_primary]] == [s.model_dump() for s in live]
        # The reserve follows the list, never repeats it, and is feasible (it went through the same engine).
        ids = [s.placement_id for s in pool.entries]
        assert len(ids) == len(set(ids))


def test_region_holds_every_place_within_reach():
    ps = places(400, seed=3)
    snap = PlaceSnapshot.build(ps, None, ranker=ranker_of(HashingEncoder()))
    from matching.reference.geo import haversine_km

    for lat, lon, km in [(51.84, 5.86, 10), (52.09, 5.12, 45), (53.2, 6.56, 25), (51.44, 5.47, 80)]:
        rows = set(snap.region(lat, lon, km).tolist())
        dist = haversine_km(lat, lon, snap.table.lat, snap.table.lon)
        assert set(np.flatnonzero(dist <= km).tolist()) <= rows
        # The circle, not its box: nothing kept lies more than a hair beyond reach.
        assert rows <= set(np.flatnonzero(dist <= km * 1.0001).tolist())


def test_reach_measures_distances_as_the_verdicts_do():
    ps = places(400, seed=4)
    snap = PlaceSnapshot.build(ps, None, ranker=ranker_of(HashingEncoder()))
    for lat, lon, km in [(52.09, 5.12, 45), (51.44, 5.47, 80)]:
        rows, distance = snap.reach(lat, lon, km)
        profile = Profile(ord_levels=(), cond_required=(), cat_limited=(), bin_limited=(),
                          max_hours_per_day=math.inf, max_hours_per_week=math.inf, no_evening=False,
                          no_night=False, lat=lat, lon=lon, max_travel_km=km)
        measured = evaluate(snap.table.take(rows), profile).distance_km
        assert np.array_equal(distance, measured)  # to the last bit: the verdicts read these
        assert np.array_equal(snap.distances(lat, lon, rows), measured)


def _change(ps, encoder, closed_rows, changed_rows, n_added, seed):
    """The places after closing, changing and adding some, and the ChangeSet a driver passes."""
    closed = {ps[i].id for i in closed_rows}
    changed = [ps[i].model_copy(update={"description": "Heel ander werk met dieren."}) for i in changed_rows]
    added = places(n_added, seed=seed, prefix=f"new{seed}")
    changed_ids = {p.id for p in changed}
    after = [p for p in ps if p.id not in closed and p.id not in changed_ids] + changed + added
    snap = snapshot_of(after, encoder)
    fresh_ids = changed_ids | {p.id for p in added}
    fresh = snap.take(np.sort(np.array([snap.row_of[pid] for pid in fresh_ids], dtype=np.int64)))
    return after, snap, ChangeSet(touched=frozenset(closed | changed_ids), fresh=fresh)


def _served(result, previous, key):
    """What a driver serves after a partition: a new pool, or the previous entries."""
    if key in result.pools:
        return result.pools[key]
    return previous[key]


def test_incremental_runs_equal_a_full_recompute(encoder):
    """Night after night of places added, closed and changed: every candidate's list,
    kept, merged or recomputed, is exactly what a full run gives."""
    ps = places(400, seed=5)
    cs = candidates(60, seed=6)
    params = BatchParams(top=5, reserve=5)
    vectors = ranker_of(encoder).embed_candidates(cs)
    snap = snapshot_of(ps, encoder)
    pools = process_partition(snap, [CandidateTask(c.id, c, v) for c, v in zip(cs, vectors)], params, ranker=ranker_of(encoder)).pools
    outcomes = {"merged": 0, "refreshed": 0, "reused": 0, "computed": 0}
    rng = np.random.default_rng(3)
    for night in range(4):
        rows = rng.choice(len(ps), size=8, replace=False)
        ps, snap, changes = _change(ps, encoder, rows[:4], rows[4:], 4, seed=20 + night)
        tasks = [CandidateTask(c.id, c, v, previous=pools[c.id]) for c, v in zip(cs, vectors)]
        incremental = process_partition(snap, tasks, params, changes=changes, ranker=ranker_of(encoder))
        full = process_partition(snap, [CandidateTask(c.id, c, v) for c, v in zip(cs, vectors)], params, ranker=ranker_of(encoder))
        counts = incremental.counts
        outcomes["merged"] += len(incremental.merged)
        outcomes["refreshed"] += len(incremental.refreshed)
        outcomes["reused"] += counts["reused"]
        outcomes["computed"] += counts["computed"]
        for c in cs:
            served = _served(incremental, pools, c.id)
            assert [s.model_dump() for s in served.entries] == [s.model_dump() for s in full.pools[c.id].entries], \
                (night, c.id)
            pool = incremental.pools.get(c.id) or incremental.refreshed.get(c.id) or pools[c.id]
            # The known list a merge leaves is the full run's, as deep as it is exact.
            exact = [k for k in pool.known if pool.floor is None or k[1] > pool.floor]
            assert exact == list(full.pools[c.id].known[:len(exact)]), (night, c.id)
            if c.id in incremental.refreshed:
                pool = incremental.refreshed[c.id]
                pool.entries = pools[c.id].entries
            pools[c.id] = pool
    # Every path was taken, and most candidates needed no full recompute.
    assert outcomes["merged"] and outcomes["refreshed"] and outcomes["reused"]
    assert outcomes["computed"] < outcomes["merged"] + outcomes["refreshed"] + outcomes["reused"]


def _first_pool(encoder, n_places, seed, travel_km, params):
    """One candidate's first pool: (places, candidate, their vectors, the pool)."""
    ps = places(n_places, seed=seed)
    c = candidates(1, seed=seed + 1)[0].model_copy(update={"max_travel_km": travel_km})
    [v] = ranker_of(encoder).embed_candidates([c])
    first = process_partition(snapshot_of(ps, encoder), [CandidateTask(c.id, c, v)], params, ranker=ranker_of(encoder)).pools[c.id]
    return ps, c, v, first


def test_a_pool_whose_known_places_ran_out_is_computed_anew(encoder):
    params = BatchParams(top=3, reserve=2)
    ps, c, v, first = _first_pool(encoder, 400, 5, 60.0, params)
    assert first.floor is not None and len(first.known) == params.depth
    # Close all but a few of the places it knew: fewer than the picks' window stay exact.
    gone = {pid for pid, _ in first.known[: params.depth - params.window + 1]}
    rows = [i for i, p in enumerate(ps) if p.id in gone]
    after, snap2, changes = _change(ps, encoder, rows, [], 0, seed=40)
    result = process_partition(snap2, [CandidateTask(c.id, c, v, previous=first)], params, changes=changes, ranker=ranker_of(encoder))
    assert result.counts["computed"] == 1 and not result.merged
    full = process_partition(snap2, [CandidateTask(c.id, c, v)], params, ranker=ranker_of(encoder)).pools[c.id]
    assert [s.model_dump() for s in result.pools[c.id].entries] == [s.model_dump() for s in full.entries]


def test_one_bad_candidate_is_skipped_and_logged(encoder, caplog):
    ps = places(50)
    snap = snapshot_of(ps, encoder)
    good = candidates(3)
    # A record that slipped past validation: a level that is not a number.
    bad = make_candidate(id="c-bad").model_copy(update={"capacity": {"IV.13": "veel"}})
    tasks = [CandidateTask(c.id, c) for c in good[:1]] + [CandidateTask("c-bad", bad)] + \
        [CandidateTask(c.id, c) for c in good[1:]]

    class Broken(HashingEncoder):
        def encode(self, texts, batch_size=64):
            if any("Wenstekst-kapot" in t for t in texts):
                raise ValueError("cannot embed this text")
            return super().encode(texts, batch_size)

    worse = make_candidate(id="c-worse", wishes={"text": "Wenstekst-kapot"})
    tasks.append(CandidateTask("c-worse", worse))
    with caplog.at_level("WARNING"):
        result = process_partition(snap, tasks, BatchParams(top=3, reserve=2), ranker=ranker_of(Broken()))
    assert set(result.pools) == {c.id for c in good}
    assert set(result.failures) == {"c-bad", "c-worse"}
    assert "c-bad" in caplog.text and "c-worse" in caplog.text


def test_partitions_are_stable_and_the_snapshot_travels(encoder):
    keys = list(range(1, 12))
    assert partitions(keys, 5) == [[1, 2, 3, 4, 5], [6, 7, 8, 9, 10], [11]]
    with pytest.raises(ValueError, match="size"):
        partitions(keys, 0)
    # With homes, neighbours share a partition (their places are the same); unknown homes go last.
    homes = [(51.84, 5.86), (52.37, 4.89), (51.85, 5.87), None, (52.36, 4.90)]
    assert partitions(["nijmegen", "amsterdam", "nijmegen-2", "kapot", "amsterdam-2"], 2, homes) == \
        [["nijmegen", "nijmegen-2"], ["amsterdam", "amsterdam-2"], ["kapot"]]
    with pytest.raises(ValueError, match="homes"):
        partitions(keys, 5, homes)
    ps = places(80)
    snap = snapshot_of(ps, encoder)
    # What a Dask or Ray worker receives: the snapshot pickled whole.
    copy = pickle.loads(pickle.dumps(snap))
    c = candidates(1)[0]
    a = process_partition(snap, [CandidateTask(c.id, c)], ranker=ranker_of(encoder)).pools[c.id]
    b = process_partition(copy, [CandidateTask(c.id, c)], ranker=ranker_of(encoder)).pools[c.id]
    assert [s.model_dump() for s in a.entries] == [s.model_dump() for s in b.entries]
    light = snap.without_vectors()
    assert light.vectors is None and len(light) == len(snap)
    with pytest.raises(ValueError, match="vectors"):
        process_partition(light, [CandidateTask(c.id, c)], ranker=ranker_of(encoder))


def test_params_are_checked():
    with pytest.raises(ValueError, match="top"):
        BatchParams(top=0)
    with pytest.raises(ValueError, match="reserve"):
        BatchParams(reserve=-1)


def test_the_bound_that_skips_changed_places_is_never_below_a_score(encoder):
    from matching.constraints.engine import Profile
    from matching.batch.merge import _may_beat
    from matching.batch.scoring import _feasible, _full_scores, _Prepared
    from matching.settings import get_settings

    settings = get_settings()
    snap = snapshot_of(places(300, seed=11), encoder)
    cs = candidates(40, seed=12)
    skipped = 0
    ranker = ranker_of(encoder)
    for c, v in zip(cs, ranker.embed_candidates(cs)):
        prep = _Prepared(c, Profile.from_candidate(c, snap.table.columns, settings), ranker.view(c, v))
        f = _feasible(snap, prep, settings)
        if not len(f.rows):
            continue
        scores, _ = _full_scores(snap, prep, f, np.arange(len(f.rows)), ranker)
        # Every place that scores above a floor is among those that may beat it.
        for floor in (float(scores.max()) - 1e-3, float(np.median(scores))):
            may = set(_may_beat(snap, prep, floor, ranker).tolist())
            assert set(f.rows[scores > floor].tolist()) <= may
        region = snap.region(prep.profile.lat, prep.profile.lon, prep.profile.max_travel_km)
        skipped += len(_may_beat(snap, prep, 0.99, ranker)) < len(region)
    assert skipped, "the bound prunes something"


def test_a_closed_place_leaves_a_short_list(encoder):
    """A candidate with fewer places within reach than the list holds: every place is
    picked, so closing the last one must take it off the list (a merge that compared
    only the places still there once kept it)."""
    params = BatchParams(top=5, reserve=5)
    ps, c, v, first = _first_pool(encoder, 60, 3, 10.0, params)
    assert first.floor is None and 1 < len(first.known) <= params.top + params.reserve
    last = first.known[-1][0]
    after, snap2, changes = _change(ps, encoder, [i for i, p in enumerate(ps) if p.id == last], [], 0, seed=41)
    result = process_partition(snap2, [CandidateTask(c.id, c, v, previous=first)], params, changes=changes, ranker=ranker_of(encoder))
    pool = result.pools.get(c.id) or result.refreshed.get(c.id)
    assert last not in pool.picked
    full = process_partition(snap2, [CandidateTask(c.id, c, v)], params, ranker=ranker_of(encoder)).pools[c.id]
    assert [s.model_dump() for s in pool.entries] == [s.model_dump() for s in full.entries]
