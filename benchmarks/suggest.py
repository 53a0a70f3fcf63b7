"""One candidate's suggestions against 100,000 places, end to end.

Constraints + retrieval + scoring + explanation, as a ratio to a bare FAISS exact
search (IndexFlatIP, top 10) of the same vectors in the same run. Above
``live_exact_below`` open places the live list scores a retrieval shortlist;
this also runs every candidate with every feasible place scored (what the
nightly run does) and reports how often the two top-10 lists agree: the share
of places in common, and the share of lists that are identical. Place texts are
embedded once per encoder and kept in the embedding cache under var/, so a
second run starts at once.

Run: .venv/bin/python benchmarks/suggest.py [--places 100000] [--encoder tfidf]
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time

import faiss

from matching.text import EmbeddingCache, get_encoder
from matching.demo import generate_candidates, generate_placements, story_candidates
from matching.live.matcher import Matcher
from matching.contract.models import Candidate, Placement
from matching.settings import get_settings


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--places", type=int, default=100_000)
    ap.add_argument("--candidates", type=int, default=50)
    ap.add_argument("--encoder", default=get_settings().encoder,
                    help="encoder name (default: the configured one)")
    ap.add_argument("--top", type=int, default=10)
    args = ap.parse_args()

    t0 = time.perf_counter()
    places = [Placement.model_validate(p) for p in generate_placements(args.places, seed=1)]
    cands = [Candidate.model_validate(c) for c in story_candidates()]
    cands += [Candidate.model_validate(c) for c in generate_candidates(args.candidates, seed=2)]
    print(f"generated {len(places):,} places, {len(cands)} candidates in {time.perf_counter() - t0:.1f} s")

    encoder = get_encoder(args.encoder)
    state = get_settings().state_dir
    state.mkdir(parents=True, exist_ok=True)
    cache = EmbeddingCache(state / "embeddings.sqlite")
    t0 = time.perf_counter()
    matcher = Matcher(encoder=encoder, cache=cache, index_backend="flat").fit(places)
    print(f"fit ({encoder.model_id}, cache hits {cache.hits:,}, misses {cache.misses:,}): "
          f"{time.perf_counter() - t0:.1f} s")

    # The baseline: a bare exact FAISS search of the same vectors, one thread.
    vectors = cache.encode(encoder, [matcher_text for matcher_text in _texts(places)])
    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(vectors)
    faiss.omp_set_num_threads(1)
    queries = encoder.encode([_ctext(c) for c in cands])

    shortlisted = matcher.settings
    exact_settings = dataclasses.replace(shortlisted, live_exact_below=10 ** 9)
    matcher.suggest(cands[0], top=args.top)  # warm-up
    full, bare, every, overlap, same = [], [], [], [], 0
    for c, q in zip(cands, queries):
        t = time.perf_counter()
        short = matcher.suggest(c, top=args.top).suggestions
        full.append(time.perf_counter() - t)
        t = time.perf_counter()
        flat.search(q[None, :], args.top)
        bare.append(time.perf_counter() - t)
        matcher.settings = exact_settings
        t = time.perf_counter()
        exact = matcher.suggest(c, top=args.top).suggestions
        every.append(time.perf_counter() - t)
        matcher.settings = shortlisted
        a, b = [s.placement_id for s in short], [s.placement_id for s in exact]
        if b:
            overlap.append(len(set(a) & set(b)) / len(b))
            same += a == b
    f50, b50, e50 = statistics.median(full), statistics.median(bare), statistics.median(every)
    f95 = sorted(full)[int(0.95 * (len(full) - 1))]
    print(f"suggest, {len(places):,} places, top {args.top}: p50 {f50 * 1e3:.1f} ms, p95 {f95 * 1e3:.1f} ms; "
          f"bare FAISS exact search p50 {b50 * 1e3:.1f} ms; ratio p50 {f50 / b50:.1f}x")
    print(f"every feasible place scored (as the nightly run): p50 {e50 * 1e3:.1f} ms, ratio p50 {e50 / b50:.1f}x")
    print(f"top-{args.top} agreement of the shortlist with exact scoring over {len(overlap)} candidates: "
          f"{statistics.mean(overlap):.3f} of places in common, {same / max(len(overlap), 1):.3f} of lists identical")


def _texts(places):
    from matching.ranking import placement_text

    return [placement_text(p) for p in places]


def _ctext(c):
    from matching.ranking import candidate_text

    return candidate_text(c)


if __name__ == "__main__":
    main()
