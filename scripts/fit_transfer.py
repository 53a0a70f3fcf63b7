"""Fit the transfer model and its weight in the ranking: ``models/transfer.json``.

    python scripts/fit_transfer.py [--shared ../shared/data] [--state-dir DIR]

Fitted on the dev half of the occupational-transfer set (``transfer_dev``: which
occupations people move to, O*NET 29.3 Related Occupations mapped to ESCO), as
its rules allow: a handful of weights, cross-validated over source occupations.
No pair of that set is stored; only the logistic weights over ESCO-derived
similarities (``matching/occupations/transfer.py``) and one ratio of two
ranking weights. The held-out half is never read.

1. The logistic model: per source occupation, every occupation it is related to
   is a positive (weighted by its grade), 300 random others are negatives. Five
   folds over source occupations give the out-of-fold figures; the weights that
   ship are then fitted on all of them.
2. The ranking: with the places of ``benchmarks/transfer.py`` (every ESCO
   occupation a place, nothing else differing), a place's score is
   ``semantic * calibrated cosine + occupation * transfer``; the ratio of the two
   weights is chosen on the out-of-fold transfer scores, again in five folds.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
for p in (REPO, REPO / "benchmarks"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import KFold  # noqa: E402

from matching.occupations import load_esco  # noqa: E402
from matching.occupations.transfer import (  # noqa: E402
    MODEL_FILE, design_matrix, design_names, get_occupation_space)

NEGATIVES = 300
FOLDS = 5
C = 1.0
RATIOS = (0.0, 1.0, 2.0, 4.0, 8.0, 16.0, 24.0, 32.0, 48.0, 64.0, 1e6)
# The text keeps as much voice as the measure allows: the smallest ratio whose
# figure is within this much of the best one's.
TOLERANCE = 0.005
# The occupation component's weight in the ranking; the semantic one follows from the ratio.
OCCUPATION_WEIGHT = 0.48
# Groups of inputs left out in turn, to say what each brings (refitted without them).
ABLATION = {
    "skills": ("skills", "skills_latent", "skill_words", "skills_meaning"),
    "ISCO": ("isco1", "isco2", "isco3", "isco4", "level_gap"),
    "text": ("text", "text_meaning"),
}


def _ndcg_p(scores: np.ndarray, own: np.ndarray, gains: np.ndarray, k: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """Per-query nDCG@k and P@k of score rows, the query's own occupation left out,
    by the benchmark's own definitions (one definition of the measure)."""
    from transfer import ndcg_at_k, precision_at_k

    s = scores.copy()
    s[np.arange(len(own)), own] = -np.inf
    top = np.argsort(-s, axis=1, kind="stable")[:, :k]
    nd, pr = np.zeros(len(own)), np.zeros(len(own))
    for q in range(len(own)):
        relevant = {int(j): float(gains[q, j]) for j in np.flatnonzero(gains[q])}
        ranked = top[q].tolist()
        nd[q], pr[q] = ndcg_at_k(ranked, relevant, k), precision_at_k(ranked, relevant, k)
    return nd, pr


def _fit(X: np.ndarray, gains: np.ndarray, own: np.ndarray, queries: np.ndarray, seed: int) -> LogisticRegression:
    rng = np.random.default_rng(seed)
    xs, ys, ws = [], [], []
    for q in queries:
        pos = np.flatnonzero(gains[q] > 0)
        neg = np.flatnonzero(gains[q] == 0)
        neg = neg[neg != own[q]]
        rows = np.concatenate([pos, rng.choice(neg, min(NEGATIVES, len(neg)), replace=False)])
        xs.append(X[q, rows])
        ys.append(gains[q, rows] > 0)
        ws.append(np.where(gains[q, rows] > 0, gains[q, rows], 1.0))
    return LogisticRegression(C=C, max_iter=5000).fit(np.concatenate(xs), np.concatenate(ys),
                                                       sample_weight=np.concatenate(ws))


def _prob(model: LogisticRegression, X: np.ndarray) -> np.ndarray:
    n, m, f = X.shape
    return model.predict_proba(X.reshape(-1, f))[:, 1].reshape(n, m).astype(np.float32)


def semantic_scores(queries: list[dict], state_dir: Path) -> np.ndarray:
    """Calibrated cosines of the product's default encoder, candidate x place, as
    ``spoormatch match`` computes them for the benchmark's world."""
    import transfer as bench

    settings = bench._use_state_dir(state_dir)
    from matching.ranking import build_ranker

    world = bench.build_world(load_esco(), queries)
    # The text part only: the occupation component is what is being fitted.
    ranker = build_ranker(dataclasses.replace(settings, occupation_linker=False), persistent=True)
    places = ranker.embed_places(world.places)
    views = ranker.embed_candidates(world.candidates)
    cos = np.stack([ranker.cosines(places, v.query) for v in views])
    return ranker.calibrate(cos).astype(np.float32)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--state-dir", type=Path, default=None,
                    help="keep the place embeddings here between runs (default: a temporary folder)")
    ap.add_argument("--out", type=Path, default=REPO / "models" / MODEL_FILE)
    ap.add_argument("--dump", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    queries = [json.loads(line) for line in (args.shared / "transfer_dev" / "queries.jsonl").open(encoding="utf-8")]
    space = get_occupation_space()
    esco = space.esco
    own = np.array([esco.index[q["uri"]] for q in queries])
    gains = np.zeros((len(queries), space.n), np.float32)
    for i, q in enumerate(queries):
        for uri, g in q["relevant"].items():
            if uri in esco.index:
                gains[i, esco.index[uri]] = g
    X = np.stack([design_matrix(space.features(a)) for a in own])
    print(f"{len(queries)} source occupations x {space.n} occupations, {X.shape[2]} inputs "
          f"({time.perf_counter() - t0:.0f} s)")

    folds = list(KFold(FOLDS, shuffle=True, random_state=0).split(own))
    oof = np.zeros_like(gains)
    for k, (train, test) in enumerate(folds):
        oof[test] = _prob(_fit(X, gains, own, train, seed=k), X[test])
    nd, pr = _ndcg_p(oof, own, gains)
    print(f"transfer alone, out of fold: nDCG@10 {nd.mean():.3f}  P@10 {pr.mean():.3f}")
    final = _fit(X, gains, own, np.arange(len(queries)), seed=0)
    nd_in, pr_in = _ndcg_p(_prob(final, X), own, gains)
    print(f"transfer alone, fitted on all (in sample): nDCG@10 {nd_in.mean():.3f}  P@10 {pr_in.mean():.3f}")

    with tempfile.TemporaryDirectory() as tmp:
        sem = semantic_scores(queries, args.state_dir or Path(tmp))
    if args.dump:
        np.savez(args.dump, sem=sem, oof=oof, own=own, gains=gains)
    nd_sem, _ = _ndcg_p(sem, own, gains)
    print(f"semantic alone: nDCG@10 {nd_sem.mean():.3f}")
    by_ratio = {r: _ndcg_p(sem + r * oof if r < 1e6 else oof, own, gains)[0] for r in RATIOS}
    def choose(queries) -> float:
        top = max(by_ratio[r][queries].mean() for r in RATIOS)
        return min(r for r in RATIOS if by_ratio[r][queries].mean() >= top - TOLERANCE)

    cv_nd, cv_pr, chosen = [], [], []
    for train, test in folds:
        best = choose(train)
        chosen.append(best)
        n, p = _ndcg_p(sem[test] + best * oof[test] if best < 1e6 else oof[test], own[test], gains[test])
        cv_nd.append(n)
        cv_pr.append(p)
    ratio = choose(np.arange(len(queries)))
    cv_nd, cv_pr = np.concatenate(cv_nd), np.concatenate(cv_pr)
    for r in RATIOS:
        print(f"  occupation/semantic = {r:g}: nDCG@10 {by_ratio[r].mean():.3f}")
    print(f"ranking, out of fold (ratio chosen per fold: {chosen}): nDCG@10 {cv_nd.mean():.3f}  "
          f"P@10 {cv_pr.mean():.3f}; ratio chosen on all: {ratio:g}")

    ablation = {}
    names = design_names()
    for group, drop in ABLATION.items():
        keep = [i for i, n in enumerate(names) if n.split("_z")[0].split("_logrank")[0] not in drop]
        part = np.zeros_like(gains)
        for k, (train, test) in enumerate(folds):
            part[test] = _prob(_fit(X[:, :, keep], gains, own, train, seed=k), X[test][:, :, keep])
        a_nd, a_pr = _ndcg_p(sem + ratio * part if ratio < 1e6 else part, own, gains)
        ablation[group] = (round(float(a_nd.mean()), 4), round(float(a_pr.mean()), 4))
        print(f"ranking without {group}, out of fold: nDCG@10 {a_nd.mean():.3f}  P@10 {a_pr.mean():.3f}")
    a_nd, a_pr = _ndcg_p(sem, own, gains)
    ablation["the transfer component"] = (round(float(a_nd.mean()), 4), round(float(a_pr.mean()), 4))

    coef = [round(float(c), 6) for c in final.coef_[0]]
    intercept = round(float(final.intercept_[0]), 6)
    digest = hashlib.sha256(json.dumps([design_names(), coef, intercept]).encode()).hexdigest()[:12]
    out = {
        "model_id": f"transfer-lr-{digest}",
        "inputs": design_names(),
        "coef": coef,
        "intercept": intercept,
        "ranking_ratio": ratio,
        "ranking_weights": {"occupation": OCCUPATION_WEIGHT, "semantic": round(OCCUPATION_WEIGHT / ratio, 4)},
        "fitted_on": "transfer_dev (dev half only), 5-fold CV over source occupations",
        "figures": {
            "transfer_oof_ndcg10": round(float(nd.mean()), 4), "transfer_oof_p10": round(float(pr.mean()), 4),
            "transfer_in_sample_ndcg10": round(float(nd_in.mean()), 4),
            "semantic_ndcg10": round(float(nd_sem.mean()), 4),
            "ranking_oof_ndcg10": round(float(cv_nd.mean()), 4), "ranking_oof_p10": round(float(cv_pr.mean()), 4),
        },
        "ablation_oof": {f"without {k}": {"ndcg10": v[0], "p10": v[1]} for k, v in ablation.items()},
    }
    args.out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"{args.out} written ({time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
