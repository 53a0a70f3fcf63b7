"""Encoder speed and Dutch retrieval quality, measured on ESCO only.

    .venv/bin/python benchmarks/encoders.py              # speed of all, evaluation of tfidf + use
    .venv/bin/python benchmarks/encoders.py --quick      # a smaller sample, about a minute
    .venv/bin/python benchmarks/encoders.py --encoders tfidf,use,minilm   # MiniLM too
    .venv/bin/python benchmarks/encoders.py --fit 0     # without the first fit of 100,000 places

The default run takes about two minutes on a quiet 2-core machine (six when other
jobs keep both cores busy). Evaluating MiniLM on the full set embeds 8.5k texts
at ~30/s, so its first run takes five minutes more; later runs read the vectors
from the cache.

Speed runs each encoder in its own process, so the peak memory reported is that
encoder's alone (the Python process with numpy included). Throughput is the best
of three batches of ~40-word Dutch sentences (the first 40 words of ESCO
descriptions) after a warm-up call; "one query" is the median time of embedding
a single such sentence. Other busy processes on the machine lower both.

First fit: a service's first start, ``Matcher.fit`` of 100,000 generated places
with an empty embedding cache, for ``classic`` and ``default`` (an encoder below
1,000 texts/s fits 5,000 places and is scaled linearly; ``classic`` would take
about 18 minutes).

Evaluation tasks (Dutch ESCO v1.2.0, the files in data/esco):

* ``title->place``: an alternative label ("kassamedewerker") retrieves its
  occupation among all place-like texts "preferred label. description".
  The query stands for a candidate's experience title, the documents for places.
* ``desc->title``: an occupation description retrieves its preferred label among
  all preferred labels: prose against a short title.
* ``place->similar``: a place text retrieves other occupations of the same ISCO
  unit group (itself excluded): the "other, related work" a spoor-2 search is
  about. Scored as precision@10 and as MRR of the first same-group hit.

Alternative labels are not in the TF-IDF encoder's fitting corpus, so
``title->place`` measures how it generalises to unseen titles. Embeddings are
kept in an :class:`EmbeddingCache` under ``var/`` so that a second run only
re-scores (``--no-cache`` to embed everything afresh).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA_DIR = ROOT / "data"
SPEED_ENCODERS = ("tfidf", "static", "use", "minilm", "classic", "default")
EVAL_ENCODERS = ("tfidf", "use", "static")


# --------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------


@dataclass
class Occupation:
    uri: str
    label: str
    alt_labels: list[str]
    description: str
    isco: str

    @property
    def place_text(self) -> str:
        return f"{self.label}. {self.description}"


def load_occupations(data_dir: Path = DATA_DIR) -> list[Occupation]:
    with open(data_dir / "esco" / "occupations_nl.csv", encoding="utf-8", newline="") as fh:
        return [
            Occupation(
                uri=row["conceptUri"],
                label=row["preferredLabel"].strip(),
                alt_labels=[a.strip() for a in row["altLabels"].split("\n") if a.strip()],
                description=" ".join(row["description"].split()),
                isco=row["iscoGroup"],
            )
            for row in csv.DictReader(fh)
        ]


@dataclass
class Task:
    name: str
    queries: list[str]
    docs: list[str]
    gold: list[set[int]]  # per query: indices of the relevant docs
    exclude: list[int] | None = None  # per query: a doc index to ignore (itself)
    metrics: dict = field(default_factory=dict)


def build_tasks(occs: list[Occupation], n_occupations: int, n_alt: int, n_desc: int,
                seed: int = 13) -> list[Task]:
    rng = np.random.default_rng(seed)
    if n_occupations < len(occs):
        keep = sorted(rng.choice(len(occs), size=n_occupations, replace=False).tolist())
        occs = [occs[i] for i in keep]
    places = [o.place_text for o in occs]

    # A label may name several occupations; any of them counts as right.
    by_label: dict[str, set[int]] = {}
    for i, o in enumerate(occs):
        for lab in [o.label, *o.alt_labels]:
            by_label.setdefault(lab.lower(), set()).add(i)
    alt_pairs = sorted({(a, i) for i, o in enumerate(occs) for a in o.alt_labels
                        if a.lower() != o.label.lower()})
    alt_texts = sorted({a for a, _ in alt_pairs})
    pick = sorted(rng.choice(len(alt_texts), size=min(n_alt, len(alt_texts)), replace=False).tolist())
    alt_queries = [alt_texts[i] for i in pick]
    title_task = Task("title->place", alt_queries, places, [by_label[a.lower()] for a in alt_queries])

    desc_idx = sorted(rng.choice(len(occs), size=min(n_desc, len(occs)), replace=False).tolist())
    labels = [o.label for o in occs]
    label_gold = {lab.lower(): {j for j, l2 in enumerate(labels) if l2.lower() == lab.lower()}
                  for lab in labels}
    desc_task = Task("desc->title", [occs[i].description for i in desc_idx], labels,
                     [label_gold[occs[i].label.lower()] for i in desc_idx])

    by_group: dict[str, set[int]] = {}
    for i, o in enumerate(occs):
        by_group.setdefault(o.isco, set()).add(i)
    sim_idx = [i for i in desc_idx if len(by_group[occs[i].isco]) > 1]
    similar_task = Task("place->similar", [places[i] for i in sim_idx], places,
                        [by_group[occs[i].isco] - {i} for i in sim_idx], exclude=sim_idx)
    return [title_task, desc_task, similar_task]


# --------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------


def score(sims: np.ndarray, task: Task) -> dict[str, float]:
    """accuracy@1 and MRR@10 (plus P@10 for the similar-work task) from a score matrix."""
    sims = sims.copy()
    if task.exclude is not None:
        sims[np.arange(len(task.exclude)), task.exclude] = -np.inf
    order = np.argsort(-sims, axis=1, kind="stable")[:, :10]
    acc1, rr, p10 = [], [], []
    for q, gold in enumerate(task.gold):
        top = order[q].tolist()
        hits = [r for r, d in enumerate(top) if d in gold]
        acc1.append(1.0 if hits and hits[0] == 0 else 0.0)
        rr.append(1.0 / (hits[0] + 1) if hits else 0.0)
        p10.append(len(hits) / min(10, len(gold)))
    out = {"acc@1": float(np.mean(acc1)), "mrr@10": float(np.mean(rr))}
    if task.exclude is not None:
        out["p@10"] = float(np.mean(p10))
    return out


def headline(results: dict[str, dict[str, float]]) -> float:
    """One number to choose by: the mean MRR@10 over the tasks."""
    return float(np.mean([m["mrr@10"] for m in results.values()]))


# --------------------------------------------------------------------------------------
# Speed and memory, one process per encoder
# --------------------------------------------------------------------------------------


def speed_sentences(n: int) -> list[str]:
    occs = load_occupations()
    return [" ".join(o.description.split()[:40]) for o in occs[:n]]


def measure_speed(name: str, n: int, model_path: str = "") -> dict:
    from matching.text import get_encoder

    sentences = speed_sentences(n + 20)
    t0 = time.perf_counter()
    enc = get_encoder(name, model_path)
    enc.encode(sentences[:4])  # load the model and warm up
    load_s = time.perf_counter() - t0
    batch = sentences[20:20 + n]
    # Best of three: other processes on a small machine only ever slow a run down.
    batch_s = math.inf
    for _ in range(3):
        t0 = time.perf_counter()
        enc.encode(batch)
        batch_s = min(batch_s, time.perf_counter() - t0)
    singles = []
    for s in sentences[:20]:
        t0 = time.perf_counter()
        enc.encode([s])
        singles.append(time.perf_counter() - t0)
    return {
        "encoder": name,
        "model_id": enc.model_id,
        "dim": enc.dim,
        "load_s": load_s,
        "texts_per_s": len(batch) / batch_s,
        "one_query_ms": 1000 * statistics.median(singles),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def measure_first_fit(name: str, n: int) -> dict:
    """A service's first start: ``Matcher.fit`` of ``n`` generated places with an empty
    embedding cache in a fresh state folder (features, embedding, the cache's writes
    and the index)."""
    import tempfile

    from matching.contract.models import Placement
    from matching.demo import generate_placements
    from matching.live.matcher import Matcher
    from matching.text import EmbeddingCache, get_encoder

    places = [Placement.model_validate(p) for p in generate_placements(n, seed=1)]
    encoder = get_encoder(name)
    encoder.encode(["opwarmen"])  # loading the model is start-up, not fitting
    with tempfile.TemporaryDirectory() as state, EmbeddingCache(Path(state) / "embeddings.sqlite") as cache:
        t0 = time.perf_counter()
        Matcher(encoder=encoder, cache=cache, index_backend="flat").fit(places)
        took = time.perf_counter() - t0
    return {"encoder": name, "places": n, "fit_s": took,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def fit_in_subprocess(name: str, n: int) -> dict:
    return _in_subprocess(["--fit-only", name, "--fit-n", str(n)])


def speed_in_subprocess(name: str, n: int, model_path: str = "") -> dict:
    return _in_subprocess(["--speed-only", name, "--speed-n", str(n), "--model-path", model_path])


def _in_subprocess(args: list[str]) -> dict:
    # The Rust tokenizer of the static encoder uses both cores, as it does in the service.
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", HF_HUB_DISABLE_PROGRESS_BARS="1")
    proc = subprocess.run([sys.executable, __file__, *args],
                          capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        return {"encoder": args[1], "error": proc.stderr.strip().splitlines()[-1:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------


def embed_all(names: list[str], tasks: list[Task], cache_path: str | None,
              model_path: str = "") -> dict[str, dict[str, np.ndarray]]:
    """Per encoder: text -> vector for every distinct text in the tasks."""
    from matching.text import EmbeddingCache, get_encoder

    texts = sorted({t for task in tasks for t in (*task.queries, *task.docs)})
    out = {}
    with EmbeddingCache(cache_path or ":memory:") as cache:
        for name in names:
            enc = get_encoder(name, model_path)
            t0 = time.perf_counter()
            vectors = cache.encode(enc, texts)
            print(f"  embedded {len(texts)} texts with {name} in {time.perf_counter() - t0:.1f}s "
                  f"({cache.misses} new, {cache.hits} from the cache)", flush=True)
            cache.reset_counters()
            out[name] = dict(zip(texts, vectors))
    return out


def similarity_matrices(vectors: dict[str, dict[str, np.ndarray]], tasks: list[Task]):
    sims = {}
    for name, table in vectors.items():
        for task in tasks:
            q = np.stack([table[t] for t in task.queries])
            d = np.stack([table[t] for t in task.docs])
            sims[name, task.name] = q @ d.T
    return sims


def weight_grid(names: list[str], step: float = 0.1):
    n_steps = round(1 / step)
    for combo in itertools.product(range(n_steps + 1), repeat=len(names)):
        if sum(combo) == n_steps and sum(1 for c in combo if c) >= 2:
            yield {n: c / n_steps for n, c in zip(names, combo) if c}


def evaluate(names: list[str], tasks: list[Task], cache_path: str | None, model_path: str = "") -> dict:
    vectors = embed_all(names, tasks, cache_path, model_path)
    sims = similarity_matrices(vectors, tasks)
    table = {}
    for name in names:
        table[name] = {task.name: score(sims[name, task.name], task) for task in tasks}
    # For unit-norm parts, the hybrid's inner product is exactly the weighted sum
    # of the parts' cosines, so the grid needs no re-embedding.
    hybrids = {}
    for weights in weight_grid(names):
        label = "+".join(f"{n}={w:g}" for n, w in weights.items())
        hybrids[label] = {task.name: score(sum(w * sims[n, task.name] for n, w in weights.items()), task)
                          for task in tasks}
    return {"single": table, "hybrid": hybrids}


def print_table(title: str, rows: dict[str, dict[str, dict[str, float]]], tasks: list[Task]) -> None:
    print(f"\n{title}")
    header = f"{'encoder':34s}" + "".join(
        f"{t.name + ' ' + m:>24s}" for t in tasks for m in ("acc@1", "mrr@10")) + f"{'mean mrr':>10s}"
    print(header)
    for name, res in rows.items():
        cells = "".join(f"{res[t.name][m]:24.3f}" for t in tasks for m in ("acc@1", "mrr@10"))
        print(f"{name:34s}{cells}{headline(res):10.3f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="a smaller sample (about a minute)")
    ap.add_argument("--encoders", default="",
                    help="comma-separated encoder names to evaluate and time "
                         f"(default: time {','.join(SPEED_ENCODERS)}, evaluate {','.join(EVAL_ENCODERS)})")
    ap.add_argument("--no-speed", action="store_true", help="skip the speed and memory runs")
    ap.add_argument("--no-eval", action="store_true", help="skip the retrieval evaluation")
    ap.add_argument("--no-cache", action="store_true", help="embed everything afresh")
    ap.add_argument("--model-path", default="",
                    help="a local sentence-transformers folder to measure as 'minilm'")
    ap.add_argument("--json", help="also write all figures to this file")
    ap.add_argument("--speed-only", help=argparse.SUPPRESS)
    ap.add_argument("--speed-n", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--fit", type=int, default=100_000, metavar="N",
                    help="time a first fit of N generated places per encoder (0: skip); encoders "
                         "below 1,000 texts/s fit 5,000 and are extrapolated")
    ap.add_argument("--fit-encoders", default="classic,default")
    ap.add_argument("--fit-only", help=argparse.SUPPRESS)
    ap.add_argument("--fit-n", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.speed_only:
        print(json.dumps(measure_speed(args.speed_only, args.speed_n, args.model_path)))
        return 0
    if args.fit_only:
        print(json.dumps(measure_first_fit(args.fit_only, args.fit_n)))
        return 0

    names = [n.strip() for n in args.encoders.split(",") if n.strip()]
    speed_names = [*names, "classic", "default"] if names else list(SPEED_ENCODERS)
    names = names or list(EVAL_ENCODERS)
    report: dict = {"quick": args.quick}

    if not args.no_speed:
        print("Speed on ~40-word Dutch sentences (each encoder in its own process):")
        print(f"{'encoder':10s}{'dim':>6s}{'load s':>9s}{'texts/s':>10s}{'1 query ms':>12s}{'peak MB':>10s}")
        report["speed"] = []
        for name in speed_names:
            # Fewer sentences for the slow encoders keep the run short; the fast ones
            # need more for a batch to outlast the timer's noise.
            n = {"minilm": 150, "use": 1000, "classic": 1000}.get(name, 3000)
            n = max(50, n // 5) if args.quick else n
            r = speed_in_subprocess(name, n, args.model_path)
            report["speed"].append(r)
            if "error" in r:
                print(f"{name:10s}  failed: {r['error']}")
            else:
                print(f"{name:10s}{r['dim']:6d}{r['load_s']:9.1f}{r['texts_per_s']:10.0f}"
                      f"{r['one_query_ms']:12.1f}{r['peak_rss_mb']:10.0f}", flush=True)

    if args.fit and not args.no_speed:
        rates = {r["encoder"]: r.get("texts_per_s", 0.0) for r in report.get("speed", [])}
        print(f"\nFirst fit of {args.fit:,} generated places (empty embedding cache, each in its own process):")
        report["first_fit"] = []
        for name in [n.strip() for n in args.fit_encoders.split(",") if n.strip()]:
            n = args.fit if rates.get(name, 0.0) >= 1000 else min(args.fit, 5000)
            r = fit_in_subprocess(name, n)
            report["first_fit"].append(r)
            if "error" in r:
                print(f"  {name:10s} failed: {r['error']}")
                continue
            scaled = r["fit_s"] * args.fit / n
            note = "" if n == args.fit else f" (measured on {n:,}, scaled linearly)"
            print(f"  {name:10s}{scaled:9.1f} s{note}; peak {r['peak_rss_mb']:.0f} MB", flush=True)
            r["fit_s_at_n"] = scaled

    if not args.no_eval:
        occs = load_occupations()
        if args.quick:
            tasks = build_tasks(occs, n_occupations=600, n_alt=300, n_desc=300)
        else:
            tasks = build_tasks(occs, n_occupations=len(occs), n_alt=1500, n_desc=1000)
        print(f"\nDutch ESCO evaluation over {len(tasks[0].docs)} occupations: "
              + ", ".join(f"{t.name} {len(t.queries)} queries" for t in tasks), flush=True)
        cache_path = None if args.no_cache else str(ROOT / "var" / "benchmark-embeddings.sqlite")
        res = evaluate(names, tasks, cache_path, args.model_path)
        report["eval"] = res
        print_table("Single encoders:", res["single"], tasks)
        best = sorted(res["hybrid"].items(), key=lambda kv: -headline(kv[1]))
        print_table("Hybrids, best 8 of the weight grid (step 0.1):", dict(best[:8]), tasks)
        from matching.text import CLASSIC_HYBRID, DEFAULT_HYBRID

        shown = [*res["single"].items(), *best[:3]]
        ranks = [label for label, _ in best]
        for title, pairs in (("default", DEFAULT_HYBRID), ("classic", CLASSIC_HYBRID)):
            label = "+".join(f"{n}={w:g}" for n, w in pairs)
            if label in res["hybrid"]:
                print_table(f"The {title} hybrid (rank {ranks.index(label) + 1} of {len(best)} on mean MRR):",
                            {label: res["hybrid"][label]}, tasks)
                shown.append((label, res["hybrid"][label]))
        sim_task = tasks[2]
        print(f"\n{sim_task.name} precision@10 (share of the top 10 in the same ISCO unit group):")
        for name, r in dict(shown).items():
            print(f"  {name:34s}{r[sim_task.name]['p@10']:.3f}")

    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
