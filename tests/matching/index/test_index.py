"""The placement vector index against the brute-force oracle."""

from __future__ import annotations

import json
import os

import faiss
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.index import BruteForceIndex, FaissIndex, Hits, VectorIndex, load_index, make_index

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TOL = 1e-5


def unit(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    x = rng.standard_normal((n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def clustered(rng: np.random.Generator, n: int, dim: int, clusters: int, spread: float = 0.5) -> np.ndarray:
    centres = unit(rng, clusters, dim)
    x = centres[rng.integers(0, clusters, n)] + spread / np.sqrt(dim) * rng.standard_normal((n, dim)).astype(np.float32)
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def pids(n: int, start: int = 0) -> list[str]:
    return [f"p-{i:05d}" for i in range(start, start + n)]


def build(backend: str, ids: list[str], x: np.ndarray, **kwargs) -> VectorIndex:
    index = make_index(x.shape[1], backend, **kwargs)
    index.add(ids, x)
    return index


def assert_same_top(got: Hits, want: Hits, oracle: VectorIndex, query: np.ndarray) -> None:
    """Same length and scores; ids equal up to near-ties (float rounding may order
    exact ties differently)."""
    assert len(got.ids) == len(want.ids)
    np.testing.assert_allclose(got.scores, want.scores, atol=TOL)
    if got.ids != want.ids:
        # Every id returned must score at least the oracle's last score.
        true = oracle.score(query, got.ids)
        np.testing.assert_allclose(true, got.scores, atol=TOL)
        assert (true >= want.scores[-1] - TOL).all()
    assert len(set(got.ids)) == len(got.ids)


# --------------------------------------------------------------------------------------
# exactness
# --------------------------------------------------------------------------------------


@FAST
@given(
    n=st.integers(1, 300),
    dim=st.sampled_from([3, 16, 48]),
    top=st.integers(1, 40),
    nq=st.integers(1, 4),
    seed=st.integers(0, 2**32 - 1),
)
def test_flat_equals_oracle(n, dim, top, nq, seed):
    rng = np.random.default_rng(seed)
    x, q = unit(rng, n, dim), unit(rng, nq, dim)
    ids = pids(n)
    flat, oracle = build("flat", ids, x), build("brute", ids, x)
    got, want = flat.search(q, top), oracle.search(q, top)
    assert len(got) == len(want) == nq
    for i in range(nq):
        assert len(got[i].ids) == min(top, n)
        assert_same_top(got[i], want[i], oracle, q[i])


def test_single_query_gives_one_hits_and_scores_are_cosines():
    rng = np.random.default_rng(1)
    x = unit(rng, 50, 8)
    index = build("flat", pids(50), x)
    (hits,) = index.search(x[7], 3)
    assert hits.ids[0] == "p-00007"
    assert hits.scores.dtype == np.float32
    assert hits.scores[0] == pytest.approx(1.0, abs=1e-6)
    assert np.all(np.diff(hits.scores) <= 0)


# --------------------------------------------------------------------------------------
# filtered search
# --------------------------------------------------------------------------------------

MASK_FORMS = ["bool", "iids", "set"]


def allowed_arg(index: VectorIndex, allowed_ids: list[str], form: str):
    if form == "bool":
        wanted = set(allowed_ids)
        return np.array([i in wanted for i in index.ids], dtype=bool)
    if form == "iids":
        return index.internal_ids(allowed_ids)
    return set(allowed_ids)


@FAST
@given(
    backend=st.sampled_from(["brute", "flat", "hnsw", "ivf"]),
    n=st.integers(1, 400),
    share=st.sampled_from([0.0, 0.001, 0.01, 0.05, 0.3, 1.0]),
    top=st.integers(1, 30),
    form=st.sampled_from(MASK_FORMS),
    force_faiss_path=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_filtered_search_returns_min_top_allowed(backend, n, share, top, form, force_faiss_path, seed):
    rng = np.random.default_rng(seed)
    dim = 16
    x, q = clustered(rng, n, dim, clusters=8), unit(rng, 2, dim)
    ids = pids(n)
    # exact_below=0 and exact_fraction=0 push every search through FAISS's own
    # filtered search, the short-result fallback included.
    kwargs = {"exact_below": 0} if force_faiss_path else {}
    if force_faiss_path and backend in ("hnsw", "ivf"):
        kwargs["exact_fraction"] = 0.0
    if backend == "hnsw":
        kwargs.update(hnsw_m=8, ef_search=16)
    if backend == "ivf":
        kwargs.update(nlist=8, nprobe=1)
    index = build(backend, ids, x, **kwargs)
    oracle = build("brute", ids, x)
    k = int(round(share * n)) if share < 1 else n
    allowed_ids = [ids[i] for i in rng.choice(n, size=k, replace=False)]
    got = index.search(q, top, allowed=allowed_arg(index, allowed_ids, form))
    want = oracle.search(q, top, allowed=set(allowed_ids))
    for i in range(len(q)):
        assert len(got[i].ids) == min(top, k)
        assert set(got[i].ids) <= set(allowed_ids)
        assert len(set(got[i].ids)) == len(got[i].ids)
        np.testing.assert_allclose(index.score(q[i], got[i].ids), got[i].scores, atol=TOL)
        assert np.all(np.diff(got[i].scores) <= TOL)
        if backend in ("brute", "flat") or k <= 3:
            assert_same_top(got[i], want[i], oracle, q[i])


@pytest.mark.parametrize("backend", ["flat", "hnsw", "ivf"])
@pytest.mark.parametrize("exact_below", [0, 2048])
@pytest.mark.parametrize("exact_fraction", [0.0, 0.02])
def test_three_allowed_out_of_many(backend, exact_below, exact_fraction):
    rng = np.random.default_rng(3)
    n, dim = 10_000, 16
    x = clustered(rng, n, dim, clusters=50)
    ids = pids(n)
    kwargs = dict(exact_below=exact_below)
    if backend != "flat":
        kwargs["exact_fraction"] = exact_fraction
    if backend == "hnsw":
        kwargs.update(hnsw_m=8, ef_construction=20)
    index = build(backend, ids, x, **kwargs)
    rows = index.internal_ids(ids)  # the caller's row order -> internal ids, once
    mask = np.zeros(n, dtype=bool)
    mask[[17, 9_000, 9_999]] = True
    q = x[:5]
    for hits in index.search(q, 10, allowed=rows[mask]):
        assert sorted(hits.ids) == ["p-00017", "p-09000", "p-09999"]
    (hits,) = index.search(q[0], 2, allowed=rows[mask])
    assert hits.ids == [ids[i] for i in np.array([17, 9_000, 9_999])[np.argsort(-(x[[17, 9_000, 9_999]] @ q[0]))][:2]]


@pytest.mark.parametrize("backend", ["hnsw", "ivf"])
def test_approximate_backends_fill_top_under_a_five_percent_mask(backend):
    rng = np.random.default_rng(4)
    n, dim = 10_000, 32
    x = clustered(rng, n, dim, clusters=40)
    kwargs = dict(exact_below=0, exact_fraction=0.0)
    # ef_max=25 caps the widening, so HNSW comes back short and the exact redo
    # must fill the result up.
    kwargs.update(dict(hnsw_m=8, ef_search=10, ef_max=25, ef_construction=20) if backend == "hnsw" else dict(nprobe=1))
    index = build(backend, pids(n), x, **kwargs)
    mask = rng.random(n) < 0.05
    for hits in index.search(unit(rng, 20, dim), 25, allowed=mask):
        assert len(hits.ids) == 25
        assert set(hits.ids) <= {f"p-{i:05d}" for i in np.flatnonzero(mask)}


def test_per_query_masks():
    rng = np.random.default_rng(5)
    x = unit(rng, 100, 8)
    index = build("flat", pids(100), x)
    masks = np.zeros((2, 100), dtype=bool)
    masks[0, :10] = True
    masks[1, 50:] = True
    first, second = index.search(x[:2], 5, allowed=masks)
    assert all(int(i[2:]) < 10 for i in first.ids)
    assert all(int(i[2:]) >= 50 for i in second.ids)
    with pytest.raises(ValueError, match="shape"):
        index.search(x[:2], 5, allowed=masks[:, :99])


def test_allowed_with_unknown_or_stale_ids_is_refused():
    rng = np.random.default_rng(6)
    index = build("flat", pids(10), unit(rng, 10, 4))
    stale = index.internal_ids(["p-00003"])
    index.remove(["p-00003"])
    with pytest.raises(KeyError, match="p-nope"):
        index.search(unit(rng, 1, 4), 3, allowed={"p-00001", "p-nope"})
    with pytest.raises(KeyError, match="internal id 3"):
        index.search(unit(rng, 1, 4), 3, allowed=stale)
    with pytest.raises(ValueError, match=r"expected shape \(9,\)"):
        index.search(unit(rng, 1, 4), 3, allowed=np.ones(10, dtype=bool))


def test_empty_allowed_and_empty_index():
    rng = np.random.default_rng(7)
    index = make_index(4, "flat")
    (hits,) = index.search(unit(rng, 1, 4)[0], 5)
    assert hits.ids == [] and len(hits.scores) == 0
    index.add(pids(5), unit(rng, 5, 4))
    (hits,) = index.search(unit(rng, 1, 4)[0], 5, allowed=set())
    assert hits.ids == []


# --------------------------------------------------------------------------------------
# add / remove / update
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["brute", "flat", "hnsw", "ivf"])
def test_add_remove_update_reflected_in_search(backend):
    rng = np.random.default_rng(8)
    dim = 16
    x = unit(rng, 500, dim)
    ids = pids(500)
    index = build(backend, ids, x, **({"compact_fraction": None} if backend == "hnsw" else {}))
    q = x[42]
    assert index.search(q, 1)[0].ids == ["p-00042"]

    index.remove(["p-00042", "p-00001"])
    assert "p-00042" not in index and len(index) == 498
    hits = index.search(q, 498)[0]
    assert "p-00042" not in hits.ids and "p-00001" not in hits.ids and len(hits.ids) == 498

    # p-00007 now points exactly at the query: it must come first.
    index.update(["p-00007"], q[None, :])
    hits = index.search(q, 3)[0]
    assert hits.ids[0] == "p-00007" and hits.scores[0] == pytest.approx(1.0, abs=1e-5)
    assert index.score(q, ["p-00007"])[0] == pytest.approx(1.0, abs=1e-5)
    if backend == "hnsw":
        assert index.tombstones == 3  # two removed, one replaced

    fresh = unit(rng, 3, dim)
    index.add(["p-new-1", "p-new-2", "p-00042"], fresh)  # a removed id may come back
    assert len(index) == 501
    assert index.search(fresh[2], 1)[0].ids == ["p-00042"]
    assert index.ids[-3:] == ["p-new-1", "p-new-2", "p-00042"]


@FAST
@given(
    backend=st.sampled_from(["flat", "hnsw", "ivf"]),
    ops=st.lists(st.tuples(st.sampled_from(["add", "remove", "update"]), st.integers(1, 20)), max_size=12),
    seed=st.integers(0, 2**32 - 1),
)
def test_random_edits_match_the_oracle(backend, ops, seed):
    rng = np.random.default_rng(seed)
    dim = 8
    kwargs = {"hnsw": dict(compact_fraction=0.3, hnsw_m=8), "ivf": dict(nlist=4)}.get(backend, {})
    index, oracle = make_index(dim, backend, **kwargs), BruteForceIndex(dim)
    start = pids(60)
    x = unit(rng, 60, dim)
    index.add(start, x)
    oracle.add(start, x)
    next_id = 60
    for op, count in ops:
        present = oracle.ids
        if op == "add":
            new = pids(count, next_id)
            next_id += count
            v = unit(rng, count, dim)
            index.add(new, v)
            oracle.add(new, v)
        elif present:
            chosen = list(rng.choice(present, size=min(count, len(present)), replace=False))
            if op == "remove":
                index.remove(chosen)
                oracle.remove(chosen)
            else:
                v = unit(rng, len(chosen), dim)
                index.update(chosen, v)
                oracle.update(chosen, v)
    assert len(index) == len(oracle)
    assert sorted(index.ids) == sorted(oracle.ids)
    q = unit(rng, 3, dim)
    for qi in q:
        everything = oracle.ids
        if everything:
            np.testing.assert_allclose(index.score(qi, everything), oracle.score(qi, everything), atol=TOL)
        # Asking for all of them is exact on every backend (the fallback fills up).
        got, want = index.search(qi, max(len(oracle), 1))[0], oracle.search(qi, max(len(oracle), 1))[0]
        assert sorted(got.ids) == sorted(want.ids)
        if backend == "flat" and len(oracle):
            assert_same_top(index.search(qi, 5)[0], oracle.search(qi, 5)[0], oracle, qi)


def test_hnsw_compaction_drops_tombstones_and_keeps_results():
    rng = np.random.default_rng(9)
    x = unit(rng, 400, 16)
    ids = pids(400)
    index = build("hnsw", ids, x, compact_fraction=0.5, hnsw_m=8)
    index.remove(ids[:150])
    assert index.tombstones == 150
    q = unit(rng, 1, 16)[0]
    before = index.search(q, 250)[0]
    index.remove(ids[150:220])  # 220 > 0.5 * 400: automatic compaction
    assert index.tombstones == 0
    assert len(index) == 180
    after = index.search(q, 180)[0]
    assert set(after.ids) == set(before.ids) - set(ids[150:220])
    index.update(ids[300:310], unit(rng, 10, 16))
    index.compact()
    assert index.tombstones == 0 and len(index) == 180


def test_update_keeps_internal_ids():
    rng = np.random.default_rng(10)
    for backend in ("brute", "flat", "hnsw", "ivf"):
        index = build(backend, pids(50), unit(rng, 50, 8), **({"nlist": 1} if backend == "ivf" else {}))
        before = index.internal_ids(["p-00010", "p-00020"])
        index.update(["p-00020", "p-00010"], unit(rng, 2, 8))
        np.testing.assert_array_equal(index.internal_ids(["p-00010", "p-00020"]), before)


# --------------------------------------------------------------------------------------
# errors
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["brute", "flat", "hnsw", "ivf"])
def test_unknown_ids_raise_keyerror_naming_them(backend):
    rng = np.random.default_rng(11)
    index = build(backend, pids(20), unit(rng, 20, 4))
    with pytest.raises(KeyError, match="p-missing"):
        index.remove(["p-00001", "p-missing"])
    assert "p-00001" in index and len(index) == 20  # nothing removed
    with pytest.raises(KeyError, match="p-gone"):
        index.update(["p-gone"], unit(rng, 1, 4))
    with pytest.raises(KeyError, match="p-who"):
        index.score(unit(rng, 1, 4)[0], ["p-who"])


@pytest.mark.parametrize("backend", ["brute", "flat", "hnsw", "ivf"])
def test_dimension_mismatch_names_the_dimension(backend):
    rng = np.random.default_rng(12)
    index = build(backend, pids(20), unit(rng, 20, 8))
    with pytest.raises(ValueError, match="dimension 8.*got dimension 5"):
        index.add(["p-x"], unit(rng, 1, 5))
    with pytest.raises(ValueError, match="dimension 8.*got dimension 5"):
        index.search(unit(rng, 1, 5)[0], 3)
    with pytest.raises(ValueError, match="dimension 8.*got dimension 9"):
        index.update(["p-00001"], unit(rng, 1, 9))
    with pytest.raises(ValueError, match="dimension 8"):
        index.score(unit(rng, 2, 3), ["p-00001"])


def test_other_input_errors():
    rng = np.random.default_rng(13)
    index = build("flat", pids(5), unit(rng, 5, 4))
    with pytest.raises(ValueError, match="already in the index"):
        index.add(["p-00001"], unit(rng, 1, 4))
    with pytest.raises(ValueError, match="more than once"):
        index.add(["p-a", "p-a"], unit(rng, 2, 4))
    with pytest.raises(ValueError, match="2 placement ids but 3 vectors"):
        index.add(["p-a", "p-b"], unit(rng, 3, 4))
    with pytest.raises(ValueError, match="L2-normalised"):
        index.add(["p-a"], 3 * unit(rng, 1, 4))
    with pytest.raises(ValueError, match="top"):
        index.search(unit(rng, 1, 4), 0)
    with pytest.raises(TypeError):
        index.remove("p-00001")
    with pytest.raises(ValueError, match="unknown index backend"):
        make_index(4, "annoy")
    assert len(index) == 5


# --------------------------------------------------------------------------------------
# persistence
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["brute", "flat", "hnsw", "ivf"])
def test_save_load_roundtrip(backend, tmp_path):
    rng = np.random.default_rng(14)
    x = clustered(rng, 2_000, 16, clusters=20)
    ids = pids(2_000)
    index = build(backend, ids, x, **({"compact_fraction": None} if backend == "hnsw" else {}))
    index.remove(ids[:100])
    index.update(ids[100:150], unit(rng, 50, 16))
    q = unit(rng, 10, 16)
    mask = rng.random(len(index)) < 0.1
    before = index.search(q, 10), index.search(q, 10, allowed=mask)

    index.save(tmp_path / "idx")
    loaded = load_index(tmp_path / "idx")
    assert type(loaded) is type(index) and loaded.backend == index.backend
    assert len(loaded) == len(index) and loaded.ids == index.ids
    np.testing.assert_array_equal(loaded.internal_ids(ids[100:]), index.internal_ids(ids[100:]))
    after = loaded.search(q, 10), loaded.search(q, 10, allowed=mask)
    for b, a in zip(before, after):
        for hb, ha in zip(b, a):
            assert hb.ids == ha.ids
            np.testing.assert_array_equal(hb.scores, ha.scores)
    if backend == "hnsw":
        assert loaded.tombstones == index.tombstones == 150

    # Still editable, and new placements get fresh internal ids.
    loaded.add(["p-later"], unit(rng, 1, 16))
    assert loaded.internal_ids(["p-later"])[0] == 2_000
    loaded.remove(ids[500:510])
    assert len(loaded) == len(index) - 9


def test_save_is_atomic_and_replaces_the_previous_generation(tmp_path):
    rng = np.random.default_rng(15)
    index = build("flat", pids(30), unit(rng, 30, 4))
    path = tmp_path / "idx"
    index.save(path)
    first = (path / "CURRENT").read_text().strip()
    index.remove(["p-00000"])
    index.save(path)
    second = (path / "CURRENT").read_text().strip()
    assert first != second
    assert not any(name.startswith(first) for name in os.listdir(path))
    # A save that died before switching CURRENT leaves the old index readable.
    (path / "zzz.meta.json").write_text(json.dumps({"format": "half-written"}))
    (path / "zzz.faiss").write_bytes(b"\0" * 10)
    assert len(load_index(path)) == 29
    assert FaissIndex.load(path).ids == index.ids
    with pytest.raises(TypeError, match="FaissIndex"):
        BruteForceIndex.load(path)
    with pytest.raises(FileNotFoundError, match="CURRENT"):
        load_index(tmp_path / "nothing-here")


# --------------------------------------------------------------------------------------
# backends, threads, recall
# --------------------------------------------------------------------------------------


def test_auto_backend_by_size():
    assert make_index(4, "auto", expected_size=1_000).backend == "flat"
    assert make_index(4, "auto", expected_size=1_000, auto_threshold=500).backend == "ivf"
    assert isinstance(make_index(4, "brute"), BruteForceIndex)
    lazy = make_index(4, "auto", auto_threshold=10)
    assert lazy.backend == "auto"
    lazy.add(pids(20), unit(np.random.default_rng(0), 20, 4))
    assert lazy.backend == "ivf"


def test_threads_are_set_per_call_and_restored():
    rng = np.random.default_rng(16)
    previous = faiss.omp_get_max_threads()
    index = build("flat", pids(200), unit(rng, 200, 8), threads=1)
    index.search(unit(rng, 3, 8), 5)
    assert faiss.omp_get_max_threads() == previous


def test_score_follows_the_given_order_and_accepts_internal_ids():
    rng = np.random.default_rng(17)
    x = unit(rng, 40, 8)
    index = build("hnsw", pids(40), x)
    q = unit(rng, 2, 8)
    order = ["p-00030", "p-00002", "p-00030", "p-00011"]
    want = q @ x[[30, 2, 30, 11]].T
    np.testing.assert_allclose(index.score(q, order), want, atol=TOL)
    np.testing.assert_allclose(index.score(q[0], index.internal_ids(order)), want[0], atol=TOL)


def test_hnsw_recall_at_10_on_clustered_data():
    rng = np.random.default_rng(18)
    n, dim = 10_000, 64
    x = clustered(rng, n + 200, dim, clusters=100)
    base, queries = x[:n], x[n:]
    ids = pids(n)
    hnsw = build("hnsw", ids, base, hnsw_m=16, ef_construction=40)
    flat = build("flat", ids, base)
    recall = np.mean(
        [len(set(h.ids) & set(f.ids)) / 10 for h, f in zip(hnsw.search(queries, 10), flat.search(queries, 10))]
    )
    assert recall >= 0.95, recall
