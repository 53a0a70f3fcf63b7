"""The occupation linker on the Dutch MELO dev half, beside published results.

    python benchmarks/melo.py [--queries PATH] [--encoders e5=1.5:1:folded,use=1.5:0 ...] [--no-ablation]

    # today's linker against the one with USE, and the product's lexical linker:
    python benchmarks/melo.py --no-ablation --encoders static=1:0.1 --encoders use=1:0.1 --encoders none

Reads ``query_id, title, gold_esco_uri`` (tab-separated), links every title over
ESCO v1.2.0 and prints accuracy@1 and MRR@10, an ablation of the linker's
signals and the link throughput.

The MELO titles are for measuring only: nothing here feeds them back into the
linker, and this script prints aggregates, never titles.

Gold handling (MELO's gold is ESCO v1.0.3):
* a gold ISCO group (``.../isco/C4322``): the first predicted occupation whose
  ISCO code starts with that group's code counts as the hit;
* a gold occupation URI that is not in ESCO v1.2.0 (deprecated since v1.0.3):
  no prediction can hit it, so it counts as a miss (the conservative choice);
  the script also prints the scores with those queries left out. (In this dev
  half every gold occupation URI is still in v1.2.0; the whole set's three
  deprecated ones are in the other half.)
"""

from __future__ import annotations

import argparse
import json
import csv
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from matching.occupations import ISCO_PREFIX, OccupationLinker, SignalSet, load_esco  # noqa: E402

DEFAULT_QUERIES = REPO.parent / "shared" / "data" / "melo_nl_dev" / "queries.tsv"

# Published zero-shot results on the whole Dutch MELO set (accuracy@1, MRR).
PUBLISHED = (
    ("OpenAI text-embedding-3-large", 0.494, 0.572),
    ("e5-mistral-7b", 0.488, 0.565),
    ("bge-m3", 0.430, 0.505),
    ("multilingual-e5-large", 0.428, 0.506),
    ("char TF-IDF", 0.421, 0.486),
    ("BM25", 0.394, 0.443),
)


def read_queries(path: Path) -> tuple[list[str], list[str]]:
    titles, gold = [], []
    with Path(path).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            titles.append(row["title"])
            gold.append(row["gold_esco_uri"].strip())
    return titles, gold


def gold_masks(gold: list[str], esco) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """(queries x occupations) boolean hit mask, a known-gold flag, and counts by kind."""
    isco = np.asarray(esco.isco)
    hits = np.zeros((len(gold), len(esco)), dtype=bool)
    known = np.ones(len(gold), dtype=bool)
    counts = {"occupation": 0, "isco group": 0, "not in ESCO v1.2.0": 0}
    for i, uri in enumerate(gold):
        if uri.startswith(ISCO_PREFIX):
            code = uri[len(ISCO_PREFIX):]
            hits[i] = np.char.startswith(isco, code)
            counts["isco group"] += 1
        elif uri in esco.index:
            hits[i, esco.index[uri]] = True
            counts["occupation"] += 1
        else:
            known[i] = False
            counts["not in ESCO v1.2.0"] += 1
    return hits, known, counts


def metrics(scores: np.ndarray, hits: np.ndarray, k: int = 10) -> tuple[float, float, np.ndarray]:
    """accuracy@1, MRR@k and each query's rank of its first hit (0 = no hit in the top k)."""
    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    top_hits = np.take_along_axis(hits, order, axis=1)
    first = np.where(top_hits.any(axis=1), top_hits.argmax(axis=1) + 1, 0)
    acc1 = float(np.mean(first == 1))
    mrr = float(np.mean(np.where(first > 0, 1.0 / np.maximum(first, 1), 0.0)))
    return acc1, mrr, first


def parse_encoders(spec: str) -> list[tuple]:
    """"use=1,e5=2:1:folded" -> [("use", 1, 1, "parts"), ("e5", 2, 1, "folded")]; "none" -> [].

    Per encoder: label weight[:description weight[:text form]].
    """
    out = []
    for item in spec.split(","):
        item = item.strip()
        if not item or item == "none":
            continue
        name, _, weights = item.partition("=")
        label, description, text_form = ((weights or "1").split(":") + [None, None])[:3]
        out.append((name.strip(), float(label), float(description or label), text_form or "parts"))
    return out


def collect_signals(linker: OccupationLinker, titles: list[str]) -> SignalSet:
    return SignalSet.concat([linker.signals(titles[i:i + linker.batch_size])
                             for i in range(0, len(titles), linker.batch_size)])


def ablation_rows(linker: OccupationLinker, signals: SignalSet) -> list[tuple[str, dict[str, float]]]:
    base = {n: w for n, w in linker.signal_weights().items() if w and n in signals.signals}
    rows = [("all", base)]
    rows += [(f"only {n}", {n: w}) for n, w in base.items() if n != "prior"]
    rows += [(f"without {n}", {m: v for m, v in base.items() if m != n}) for n in base]
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    parser.add_argument("--encoders", action="append", default=None,
                        help="NAME=WEIGHT,... for matching.text.get_encoder (default: the linker's); 'none' = lexical "
                             "only; repeat it to compare linkers side by side in one run (the ablation is the first's)")
    parser.add_argument("--no-ablation", action="store_true")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)

    titles, gold = read_queries(args.queries)
    esco = load_esco()
    hits, known, counts = gold_masks(gold, esco)
    print(f"MELO nl dev: {len(titles)} queries; gold: " + ", ".join(f"{v} {k}" for k, v in counts.items()))

    runs = []
    for spec in args.encoders or [None]:
        kwargs = {} if spec is None else {"encoders": parse_encoders(spec)}
        t0 = time.perf_counter()
        linker = OccupationLinker(**kwargs).fit()
        fit_s = time.perf_counter() - t0
        linker.link(titles[:8], top=10)  # warm-up: lazy model loading is not link time

        t0 = time.perf_counter()
        linker.link(titles, top=10)
        link_s = time.perf_counter() - t0

        signals = collect_signals(linker, titles)
        fused = linker.fuse(signals)
        acc1, mrr, first = metrics(fused, hits)
        described = ",".join(f"{n}={lw:g}:{dw:g}:{linker.text_form_[n]}"
                             for n, _, lw, dw in linker.encoders_) or "lexical only"
        runs.append({"linker": linker, "signals": signals, "fused": fused, "first": first, "acc@1": acc1,
                     "mrr@10": mrr, "encoders": described, "fit_s": fit_s, "titles_per_s": len(titles) / link_s})

    print()
    print(f"{'system':<52} {'acc@1':>6} {'MRR@10':>7} {'fit s':>6} {'titles/s':>9}")
    for run in runs:
        print(f"{'spoormatch linker (' + run['encoders'] + ')':<52} {run['acc@1']:6.3f} {run['mrr@10']:7.3f} "
              f"{run['fit_s']:6.1f} {run['titles_per_s']:9.0f}   <- this run, dev half")
    for name, a, m in PUBLISHED:
        print(f"{name:<52} {a:6.3f} {m:7.3f}")
    isco_rows = np.array([g.startswith(ISCO_PREFIX) for g in gold])
    for run in runs:
        fused, first = run["fused"], run["first"]
        if not known.all():
            a_k, m_k, _ = metrics(fused[known], hits[known])
            print(f"{run['encoders']}: without the {int((~known).sum())} deprecated gold: "
                  f"acc@1 {a_k:.3f}, MRR@10 {m_k:.3f}")
        if isco_rows.any():
            print(f"{run['encoders']}: ISCO-group gold: {int(isco_rows.sum())} queries, acc@1 "
                  f"{np.mean(first[isco_rows] == 1):.3f}; occupation gold: acc@1 "
                  f"{np.mean(first[~isco_rows & known] == 1):.3f}")
    print(f"\n(top 10, batch {runs[0]['linker'].batch_size}; fit includes embedding ESCO's labels)")

    if args.json is not None:
        args.json.write_text(json.dumps([{k: run[k] for k in ("acc@1", "mrr@10", "encoders", "fit_s", "titles_per_s")}
                                         | {"queries": len(titles)} for run in runs]))

    linker, signals = runs[0]["linker"], runs[0]["signals"]
    if not args.no_ablation:
        print("\nablation (the same signals, re-fused with a signal left out or alone)")
        print(f"{'signals':<42} {'acc@1':>6} {'MRR@10':>7}")
        for label, weights in ablation_rows(linker, signals):
            a, m, _ = metrics(linker.fuse(signals, weights), hits)
            print(f"{label:<42} {a:6.3f} {m:7.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
