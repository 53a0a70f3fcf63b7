"""The occupation linker on held-out ESCO labels: the development set for tuning.

    python benchmarks/esco_holdout.py [--fraction 0.1] [--seed 0] [--encoders ...] [--tune] [--calibrate]

A share of ESCO's alternative and hidden labels is taken out of the index (with
every label of the same occupation that normalises to the same phrase, such as
its feminine twin, so an exact lookup cannot find it) and linked as queries;
the hit is the occupation the label belongs to. This uses ESCO's own data only,
so the linker's weights can be chosen here and MELO kept for measuring.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import fields
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from matching.occupations import (  # noqa: E402
    ALTERNATIVE, HIDDEN, EscoOccupations, LinkerWeights, OccupationLinker, load_esco)
from matching.occupations.analyzer import _analyzer_for  # noqa: E402
from melo import collect_signals, parse_encoders  # noqa: E402


def holdout_split(esco: EscoOccupations, fraction: float = 0.1, seed: int = 0
                  ) -> tuple[EscoOccupations, list[str], np.ndarray]:
    """(ESCO without the held-out labels, query texts, their occupations).

    At most one label per occupation, occupations drawn uniformly: sampling
    labels uniformly would favour occupations with many names and reward a
    popularity prior for it. A label that normalises to another occupation's
    label is never held out: it cannot be linked right, whatever the linker does.
    """
    an = _analyzer_for(esco)
    phrase = [an.text(s.text) for s in esco.surface]
    owners: dict[str, set[int]] = {}
    by_occ: dict[int, list[int]] = {}
    for i, s in enumerate(esco.surface):
        owners.setdefault(phrase[i], set()).add(s.occupation)
        by_occ.setdefault(s.occupation, []).append(i)
    rng = random.Random(seed)
    occupations = list(range(len(esco)))
    rng.shuffle(occupations)
    target = int(fraction * len(esco.surface))
    dropped: set[int] = set()
    texts: list[str] = []
    occs: list[int] = []
    for occ in occupations:
        if len(texts) >= target:
            break
        forms = by_occ[occ]
        candidates = [i for i in forms if esco.surface[i].kind in (ALTERNATIVE, HIDDEN)
                      and len(owners[phrase[i]]) == 1]
        rng.shuffle(candidates)
        for i in candidates:
            # Its twins (same normalised phrase: the feminine form...) go too, or an
            # exact lookup would find it; an occupation keeps its preferred label.
            twins = [j for j in forms if phrase[j] == phrase[i]]
            if any(esco.surface[j].kind not in (ALTERNATIVE, HIDDEN) for j in twins):
                continue
            dropped.update(twins)
            texts.append(esco.surface[i].text)
            occs.append(occ)
            break
    return esco.without_surface(dropped), texts, np.asarray(occs)


def evaluate(scores: np.ndarray, gold: np.ndarray, k: int = 10) -> tuple[float, float]:
    gold_scores = scores[np.arange(len(gold)), gold][:, None]
    # Rank = 1 + number of occupations scored strictly higher (ties favour gold
    # only as much as a stable sort would on average; ties are rare in fused scores).
    rank = 1 + (scores > gold_scores).sum(axis=1)
    acc1 = float(np.mean(rank == 1))
    mrr = float(np.mean(np.where(rank <= k, 1.0 / rank, 0.0)))
    return acc1, mrr


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fraction", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--encoders", default=None,
                        help="NAME=WEIGHT,... for matching.text.get_encoder (default: the linker's); 'none' = lexical only")
    parser.add_argument("--tune", action="store_true",
                        help="search the fusion weights on this hold-out and print the best")
    parser.add_argument("--calibrate", action="store_true",
                        help="fit the readable score's midpoint and scale on this hold-out")
    args = parser.parse_args(argv)

    esco = load_esco()
    train, texts, gold = holdout_split(esco, args.fraction, args.seed)
    print(f"ESCO hold-out: {len(texts)} labels out of {len(esco.surface)} held out")
    kwargs = {} if args.encoders is None else {"encoders": parse_encoders(args.encoders)}
    # Every signal on, so the ablation and the search can weigh each of them.
    everything = LinkerWeights(**{f.name: 1.0 for f in fields(LinkerWeights)})
    t0 = time.perf_counter()
    linker = OccupationLinker(esco=train, weights=everything, **kwargs).fit()
    print(f"fit {time.perf_counter() - t0:.1f} s")
    signals = collect_signals(linker, texts)
    defaults = OccupationLinker(**kwargs)
    defaults.encoders_ = linker.encoders_
    base = {n: w for n, w in defaults.signal_weights().items() if n in signals.signals}

    def run(weights: dict[str, float]) -> tuple[float, float]:
        return evaluate(linker.fuse(signals, weights), gold)

    print(f"{'signals (default weights)':<42} {'acc@1':>6} {'MRR@10':>7}")
    rows = [("all", base)] + [(f"without {n}", {m: v for m, v in base.items() if m != n})
                              for n, v in base.items() if v]
    for label, weights in rows:
        a, m = run(weights)
        print(f"{label:<42} {a:6.3f} {m:7.3f}")

    if args.calibrate:
        # The readable score: a logistic fit of "the top link is right" on the
        # fused score of the top link, with the default weights.
        from sklearn.linear_model import LogisticRegression

        fused = linker.fuse(signals, base)
        total = sum(w for n, w in base.items() if n not in ("exact", "prior"))
        top = fused.max(axis=1) / total
        right = fused.argmax(axis=1) == gold
        model = LogisticRegression(C=100.0).fit(top[:, None], right)
        scale = 1.0 / model.coef_[0, 0]
        midpoint = -model.intercept_[0] * scale
        print(f"confidence: midpoint {midpoint:.2f}, scale {scale:.2f} "
              f"(top-1 right in {right.mean():.1%} of the hold-out)")

    if args.tune:
        best = dict(base)
        best_score = run(best)
        grid = (0.0, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 6.0)
        for sweep in range(3):
            improved = False
            for n in base:
                if n == "exact":
                    continue  # no hold-out label has an exact twin left: exact cannot be judged here
                for value in grid:
                    trial = dict(best, **{n: value})
                    score = run(trial)
                    if score > best_score:
                        best, best_score, improved = trial, score, True
            print(f"sweep {sweep + 1}: acc@1 {best_score[0]:.3f} MRR@10 {best_score[1]:.3f} "
                  + ", ".join(f"{k}={v:g}" for k, v in best.items()))
            if not improved:
                break
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
