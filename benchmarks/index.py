"""Benchmark of the placement vector index (matching/index.py).

For random clustered 384-d unit vectors (100,000 and 1,000,000; ``--quick``:
100,000 only) it prints, per backend: build time, memory of the index (RSS
growth, peak RSS growth during the build, and the index's own estimate),
single-query top-10 latency and filtered-search latency under selective masks.
Every latency is also given as a ratio to a bare ``faiss.IndexFlatIP.search`` of
the same vectors with the same thread count. The bare searches are interleaved
with the measured ones (one every ``--bare-every`` queries), so that a machine
whose load drifts during the run still gives comparable ratios.

    python benchmarks/index.py --quick         # ~1 minute
    python benchmarks/index.py                 # ~4-5 minutes on 2 cores
    python benchmarks/index.py --hnsw-max 1000000   # + HNSW at 1M: 5-9 more minutes

HNSW is skipped above ``--hnsw-max`` (default 200,000) because its 1M build
alone takes 5-9 minutes on 2 shared cores; ``--hnsw-m`` and
``--ef-construction`` trade its build time against recall.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import faiss  # noqa: E402

from matching.index import make_index  # noqa: E402

DIM = 384


def clustered(n: int, n_queries: int, dim: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors around ~sqrt(n) centres; queries from the same distribution
    (a query from elsewhere has no meaningful nearest neighbours)."""
    rng = np.random.default_rng(seed)
    n_centres = max(10, int(np.sqrt(n)))
    centres = rng.standard_normal((n_centres, dim), dtype=np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)

    def draw(m: int) -> np.ndarray:
        out = np.empty((m, dim), np.float32)
        for start in range(0, m, 100_000):  # chunked: keeps the temporaries small
            stop = min(m, start + 100_000)
            block = centres[rng.integers(0, n_centres, stop - start)]
            block += (0.5 / np.sqrt(dim)) * rng.standard_normal((stop - start, dim), dtype=np.float32)
            block /= np.linalg.norm(block, axis=1, keepdims=True)
            out[start:stop] = block
        return out

    return draw(n), draw(n_queries)


def _status(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


def reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")  # resets VmHWM to the current RSS
        return True
    except OSError:
        return False


def latencies(fn, n: int, bare=None, bare_every: int = 5) -> tuple[list[float], list[float]]:
    """Per-call latencies of fn(i), and of bare(i) run every ``bare_every`` calls."""
    fn(0)  # warm caches and lazy imports
    out, yardstick = [], []
    for i in range(n):
        t = time.perf_counter()
        fn(i)
        out.append(time.perf_counter() - t)
        if bare is not None and i % bare_every == 0:
            t = time.perf_counter()
            bare(i)
            yardstick.append(time.perf_counter() - t)
    return out, yardstick


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1e3:8.3f} ms (p95 {np.percentile(values, 95) * 1e3:7.3f})"


def report(label: str, values: list[float], yardstick: list[float]) -> None:
    ratio = statistics.median(values) / statistics.median(yardstick)
    print(f"  {label:<24}{ms(values)}  = {ratio:6.3f}x bare (bare {statistics.median(yardstick) * 1e3:.1f} ms)")


def recall_at(index, queries: np.ndarray, truth: np.ndarray, key_of: np.ndarray, top: int) -> float:
    got = index.search(queries, top)
    return float(np.mean([len(set(h.ids) & set(key_of[t])) / top for h, t in zip(got, truth)]))


def run_size(n: int, args: argparse.Namespace) -> None:
    print(f"\n=== {n:,} vectors, dim {DIM}, search threads {args.threads}, build threads {args.build_threads} ===")
    t = time.perf_counter()
    x, queries = clustered(n, args.queries, DIM)
    ids = [f"p-{i}" for i in range(n)]
    key_of = np.asarray(ids)
    print(f"data generated in {time.perf_counter() - t:.1f} s")
    rng = np.random.default_rng(1)
    faiss.omp_set_num_threads(args.threads)

    # The yardstick: bare FAISS exact search, one query at a time.
    bare_index = faiss.IndexFlatIP(DIM)
    bare_index.add(x)

    def bare(i: int) -> None:
        bare_index.search(queries[i : i + 1], 10)

    base, _ = latencies(bare, args.queries)
    _, truth = bare_index.search(queries, 10)
    print(f"bare IndexFlatIP.search, 1 query top-10: {ms(base)}")
    every = args.bare_every

    shares = [3 / n, 0.001, 0.01, 0.1]
    masks = [[rng.random(n) < s if s * n > 3 else np.isin(np.arange(n), rng.choice(n, 3, replace=False))
              for _ in range(args.queries)] for s in shares]

    for backend in args.backends:
        if backend == "hnsw" and n > args.hnsw_max:
            print(f"\n[{backend}] skipped (n > --hnsw-max {args.hnsw_max:,})")
            continue
        gc.collect()
        faiss.omp_set_num_threads(args.threads)
        rss0 = _status("VmRSS")
        peak_ok = reset_peak()
        t = time.perf_counter()
        index = make_index(
            DIM, backend, expected_size=n, threads=args.threads, build_threads=args.build_threads,
            hnsw_m=args.hnsw_m, ef_construction=args.ef_construction,
        )
        index.add(ids, x)
        build_s = time.perf_counter() - t
        rss1, peak = _status("VmRSS"), _status("VmHWM")
        extra = ""
        if backend == "hnsw":
            extra = f", M={args.hnsw_m}, efConstruction={args.ef_construction}, efSearch={index._faiss_store.ef_search}"
        elif backend == "ivf":
            extra = f", nlist={index._faiss_store.nlist}, nprobe={index._faiss_store.nprobe}"
        print(f"\n[{backend}] build {build_s:.1f} s{extra}")
        print(
            f"  memory: RSS +{(rss1 - rss0) / 2**20:,.0f} MB"
            + (f", peak during build +{(peak - rss0) / 2**20:,.0f} MB" if peak_ok else "")
            + f", index estimate {index.nbytes() / 2**20:,.0f} MB (vectors alone {n * DIM * 4 / 2**20:,.0f} MB)"
        )
        report("1 query top-10:", *latencies(lambda i: index.search(queries[i], 10), args.queries, bare, every))
        if backend == "hnsw":
            raw = index._faiss_store.index  # the same graph without the wrapper
            params = faiss.SearchParametersHNSW(efSearch=index._faiss_store.ef_search)
            report(
                "(bare HNSW search:)",
                *latencies(lambda i: raw.search(queries[i : i + 1], 10, params=params), args.queries, bare, every),
            )
        if backend != "flat":
            print(f"  recall@10 vs exact:     {recall_at(index, queries, truth, key_of, 10):.3f}")
        rows = index.internal_ids(ids)  # the caller's row order -> internal ids, once
        for share, per_query in zip(shares, masks):
            allowed = [rows[m] for m in per_query]
            label = "3 allowed" if share * n <= 3 else f"{share:.1%} allowed"
            report(
                f"filtered, {label}:",
                *latencies(lambda i: index.search(queries[i], 10, allowed=allowed[i]), args.queries, bare, every),
            )
        del index, rows
        gc.collect()
    del bare_index
    gc.collect()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="100,000 vectors only")
    parser.add_argument("--sizes", type=int, nargs="+", default=None)
    parser.add_argument(
        "--backends", nargs="+", default=["flat", "hnsw", "ivf"], choices=["flat", "hnsw", "ivf", "brute"]
    )
    parser.add_argument("--queries", type=int, default=100, help="queries per latency figure")
    parser.add_argument("--bare-every", type=int, default=5, help="one bare search per this many measured")
    parser.add_argument("--threads", type=int, default=1, help="FAISS threads for searches")
    parser.add_argument("--build-threads", type=int, default=2)
    parser.add_argument("--hnsw-m", type=int, default=32)
    parser.add_argument("--ef-construction", type=int, default=40)
    parser.add_argument("--hnsw-max", type=int, default=200_000, help="skip HNSW above this size")
    args = parser.parse_args(argv)
    sizes = args.sizes or ([100_000] if args.quick else [100_000, 1_000_000])
    started = time.perf_counter()
    print(f"faiss {faiss.__version__}, numpy {np.__version__}")
    for n in sizes:
        run_size(n, args)
    print(f"\ntotal {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
