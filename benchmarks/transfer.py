"""Occupational transfer: how well ``spoormatch match`` ranks the occupations a person can move to.

    python benchmarks/transfer.py [--limit N] [--top 10] [--no-baselines] [--json OUT]
        [--state-dir DIR] [--shared DIR] [--ablation] [--variant NAME:key=value,key=value ...]

Every ESCO occupation becomes one open place at one postcode (its Dutch label as
title, its Dutch description as description, the same hours, no demands, no
skills, no education level), and every source occupation of the transfer dev
half (``shared/data/transfer_dev``) a candidate at the same postcode whose one
experience is that occupation (label and description), with no skills, no
limits and default wishes. So distance, wishes, education and limits are equal
for every place and only the text and the occupation decide the order.

The places are ranked as ``spoormatch match --top K+1`` ranks them: the ranker
that ``build_ranker`` makes from the product's settings, in a ``Matcher`` whose
``suggest`` is called for each candidate. The candidate's own occupation is dropped from its
list (staying in the same job is not a move), the first K are kept and scored
with nDCG@K (gains 3/2/1 from the O*NET tiers) and P@K (share with gain > 0).

Beside the product it prints baselines computed straight from the shared data:
char n-gram TF-IDF of label + description, same ISCO group first, ESCO skill
overlap, and their fixed mix 0.6 skills + 0.2 text + 0.2 ISCO (the README of
the dev half gives reference figures for all four).

``--variant NAME:key=value,...`` re-runs the product with fields of
``matching.settings.Settings`` overridden (``weights.occupation=0`` reaches into
``ScoreWeights``); ``--ablation`` runs the variants listed in ``ABLATION`` plus
any given with ``--variant``. Place embeddings are cached in the state folder
(a temporary one unless ``--state-dir`` is given), so variants that keep the
encoder do not embed the places again.

The dev half is for measuring and for fitting a handful of weights; this script
prints aggregates only, and nothing here feeds its pairs back into the product.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import math
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from matching.settings import ScoreWeights, Settings, get_settings  # noqa: E402

DEFAULT_SHARED = REPO.parent / "shared" / "data"
POSTCODE = "3511"
HOURS_PER_WEEK = 32.0
HOURS_PER_DAY = 8.0
# Places ask no education level, so any level scores the same; a candidate must give one.
CANDIDATE_EDUCATION = "mbo-4"

# (name, reference nDCG@10, reference P@10) from shared/data/transfer_dev/README.md.
REFERENCE = {
    "char TF-IDF": (0.216, 0.299),
    "same ISCO group": (0.236, 0.298),
    "ESCO skills": (0.257, 0.346),
    "0.6 skills + 0.2 text + 0.2 ISCO": (0.274, 0.365),
}

# The variants --ablation runs: (name, {settings key: value}). To be filled in by
# whoever defines the ablation; --variant adds to it from the command line.
ABLATION: tuple[tuple[str, dict[str, object]], ...] = ()


# -- metrics ---------------------------------------------------------------------------

def _dcg(gains: Sequence[float]) -> float:
    return float(sum(g / math.log2(rank + 1) for rank, g in enumerate(gains, start=1)))


def ndcg_at_k(ranked_uris: Sequence[str], relevant: Mapping[str, float], k: int = 10) -> float:
    """nDCG@k with graded gains and a log2(rank + 1) discount; 0 when nothing is relevant.

    The ideal list is the query's whole graded set sorted by gain, cut at k, so a
    ranker is not rewarded for a short list.
    """
    ideal = _dcg(sorted(relevant.values(), reverse=True)[:k])
    if ideal <= 0:
        return 0.0
    return _dcg([relevant.get(u, 0) for u in list(ranked_uris)[:k]]) / ideal


def precision_at_k(ranked_uris: Sequence[str], relevant: Mapping[str, float], k: int = 10) -> float:
    """Share of the first k places with a gain above 0; a list shorter than k counts the gaps as misses."""
    return sum(1 for u in list(ranked_uris)[:k] if relevant.get(u, 0) > 0) / k


def evaluate(ranked: Sequence[Sequence[str]], queries: Sequence[dict], k: int = 10) -> dict[str, np.ndarray]:
    """Per-query nDCG@k and P@k of ranked lists aligned with ``queries``."""
    return {
        "ndcg": np.array([ndcg_at_k(r, q["relevant"], k) for r, q in zip(ranked, queries)]),
        "precision": np.array([precision_at_k(r, q["relevant"], k) for r, q in zip(ranked, queries)]),
    }


# -- data --------------------------------------------------------------------------------

def read_queries(path: Path, limit: int | None = None) -> list[dict]:
    queries = []
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                queries.append(json.loads(line))
    return queries[:limit] if limit else queries


def place_id(row: int) -> str:
    """The id of the place made from ESCO row ``row``; rows, not labels, since four labels repeat."""
    return f"esco-{row:04d}"


@dataclass
class World:
    """The places and candidates of the protocol, and how to map them back to ESCO."""

    places: list  # Placement, one per ESCO occupation, in ESCO row order
    candidates: list  # Candidate, one per query, in query order
    place_uri: dict[str, str]  # place id -> ESCO occupation URI
    source_uris: list[str]  # each candidate's own occupation

    def ranked_uris(self, placement_ids: Sequence[str], source_uri: str, k: int) -> list[str]:
        """A suggestion list as occupation URIs, the candidate's own occupation left out, cut at k."""
        uris = (self.place_uri[pid] for pid in placement_ids)
        return [u for u in uris if u != source_uri][:k]


def build_world(esco, queries: Sequence[dict], postcode: str = POSTCODE,
                hours_per_week: float = HOURS_PER_WEEK) -> World:
    """Every ESCO occupation as an open place, every query's source occupation as a candidate."""
    from matching.contract.models import Candidate, Placement

    # Validating one location per object would look the postcode up 3,500 times;
    # the models are frozen, so one instance serves every place and candidate.
    where = {"postcode": postcode}
    places = [
        Placement.model_validate({
            "id": place_id(row), "employer_id": "transfer-bench", "kind": "vacature",
            "title": esco.labels[row], "description": esco.descriptions[row], "location": where,
            "hours_per_week": hours_per_week, "hours_per_day": min(HOURS_PER_DAY, hours_per_week),
        })
        for row in range(len(esco))
    ]
    candidates, sources = [], []
    for i, q in enumerate(queries):
        row = esco.index[q["uri"]]
        candidates.append(Candidate.model_validate({
            "id": f"transfer-{i:04d}", "home": where, "education": {"level": CANDIDATE_EDUCATION},
            "experience": [{"title": esco.labels[row], "description": esco.descriptions[row]}],
        }))
        sources.append(q["uri"])
    return World(places, candidates, {p.id: esco.uris[row] for row, p in enumerate(places)}, sources)


# -- settings ----------------------------------------------------------------------------

def _settings_keys() -> list[str]:
    return ([f.name for f in dataclasses.fields(Settings) if f.name != "weights"]
            + [f"weights.{f.name}" for f in dataclasses.fields(ScoreWeights)])


def _coerce(key: str, value, current):
    """A command-line string as the type of the field's current value; other values as given."""
    if not isinstance(value, str):
        return value
    if isinstance(current, bool):
        lowered = value.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off"):
            return False
        raise ValueError(f"{key}: expected true or false, got {value!r}")
    try:
        if isinstance(current, Path):
            return Path(value).expanduser()
        if isinstance(current, int):
            return int(value)
        if isinstance(current, float):
            return float(value)
    except ValueError:
        raise ValueError(f"{key}: expected a {type(current).__name__}, got {value!r}") from None
    return value


def settings_with(overrides: Mapping[str, object], base: Settings | None = None) -> Settings:
    """``base`` (the product's settings) with fields replaced; ``weights.NAME`` keys reach the weights.

    String values are read as the field's type, so command-line overrides work as they are.
    """
    base = base or get_settings()
    top, weights = {}, {}
    for key, value in overrides.items():
        key = key.strip()
        if key.startswith("weights."):
            name = key[len("weights."):]
            if name not in {f.name for f in dataclasses.fields(ScoreWeights)}:
                raise ValueError(f"{key}: unknown weight; known: {', '.join(_settings_keys())}")
            weights[name] = float(_coerce(key, value, getattr(base.weights, name)))
        elif key in {f.name for f in dataclasses.fields(Settings)} and key != "weights":
            top[key] = _coerce(key, value, getattr(base, key))
        else:
            raise ValueError(f"{key}: unknown setting; known: {', '.join(_settings_keys())}")
    if weights:
        top["weights"] = dataclasses.replace(base.weights, **weights)
    return dataclasses.replace(base, **top)


def parse_variant(spec: str) -> tuple[str, dict[str, str]]:
    """"NAME:key=value,key=value" -> (NAME, {key: value}).

    A comma starts a new override only where a known settings key and "=" follow,
    so a value may itself hold commas (``encoder=hybrid:tfidf=0.5,use=0.5``).
    """
    name, sep, body = spec.partition(":")
    if not sep or not name.strip():
        raise ValueError(f"variant {spec!r}: expected NAME:key=value,key=value")
    keys = "|".join(re.escape(k) for k in sorted(_settings_keys(), key=len, reverse=True))
    overrides = {}
    for item in re.split(rf",(?=\s*(?:{keys})\s*=)", body):
        key, eq, value = item.partition("=")
        if not eq or not key.strip():
            raise ValueError(f"variant {spec!r}: {item!r} is not key=value")
        overrides[key.strip()] = value.strip()
    settings_with(overrides)  # refuse unknown keys and bad values before anything runs
    return name.strip(), overrides


# -- the product -------------------------------------------------------------------------

def build_matcher(settings: Settings):
    """The matcher as ``spoormatch match`` builds it (``matching.cli._matcher``), for these settings.

    The CLI's Matcher reads the global settings; a variant's must read its own, so
    they are passed to both the ranker and the matcher.
    """
    from matching.live import Matcher
    from matching.ranking import build_ranker

    return Matcher(build_ranker(settings, persistent=True), settings=settings)


@dataclass
class ProductRun:
    ranked: list[list[str]]  # per candidate: occupation URIs, own left out, top k
    fit_s: float
    rank_ms: list[float]  # per candidate
    min_feasible: int
    cache_hits: int
    cache_misses: int


def run_product(world: World, settings: Settings, k: int = 10) -> ProductRun:
    matcher = build_matcher(settings)
    cache = matcher.ranker.cache
    hits0, misses0 = (cache.hits, cache.misses) if cache is not None else (0, 0)
    t0 = time.perf_counter()
    matcher.fit(world.places)
    fit_s = time.perf_counter() - t0
    # Warm-up: a lazily loaded model is not ranking time.
    matcher.suggest(world.candidates[0], top=k + 1)

    ranked, times, min_feasible = [], [], len(world.places)
    for cand, source in zip(world.candidates, world.source_uris):
        t = time.perf_counter()
        result = matcher.suggest(cand, top=k + 1)
        times.append(1000 * (time.perf_counter() - t))
        min_feasible = min(min_feasible, result.feasible or 0)
        ranked.append(world.ranked_uris([s.placement_id for s in result.suggestions], source, k))
    hits, misses = (cache.hits - hits0, cache.misses - misses0) if cache is not None else (0, 0)
    return ProductRun(ranked, fit_s, times, min_feasible, hits, misses)


# -- baselines ---------------------------------------------------------------------------

def _top_k(scores: np.ndarray, own: np.ndarray, uris: Sequence[str], k: int) -> list[list[str]]:
    """Best first per row, the own occupation left out; ties by ESCO row (a stable sort)."""
    scores = np.array(scores, dtype=np.float64)
    scores[np.arange(len(own)), own] = -np.inf
    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return [[uris[j] for j in row] for row in order]


def text_similarity(esco, source_rows: np.ndarray) -> np.ndarray:
    """Cosine of char n-gram TF-IDF vectors of label + description: (sources, occupations)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [f"{label} {desc}" for label, desc in zip(esco.labels, esco.descriptions)]
    matrix = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2).fit_transform(texts)
    return (matrix[source_rows] @ matrix.T).toarray()


def isco_digits_shared(esco, source_rows: np.ndarray) -> np.ndarray:
    """How many leading ISCO digits each source shares with each occupation (0 to 4)."""
    codes = list(esco.isco)
    out = np.zeros((len(source_rows), len(codes)), dtype=np.float64)
    for r, s in enumerate(source_rows):
        a = codes[s]
        for c, b in enumerate(codes):
            n = 0
            while n < min(len(a), len(b)) and a[n] == b[n]:
                n += 1
            out[r, c] = n
    return out


def skill_similarity(esco, source_rows: np.ndarray, relations: Path) -> np.ndarray:
    """TF-IDF weighted cosine of ESCO skills, essential 1 and optional 0.5: (sources, occupations).

    idf = log((N + 1) / (df + 1)) + 1 over the N occupations of ESCO; an
    occupation without skills has a zero vector and scores 0.
    """
    from scipy import sparse

    weight_of = {"essential": 1.0, "optional": 0.5}
    cells: dict[tuple[int, int], float] = {}
    skill_col: dict[str, int] = {}
    with Path(relations).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            occ = esco.index.get(row["occupationUri"])
            if occ is None:  # an occupation of v1.1.1 that v1.2.0 no longer has
                continue
            col = skill_col.setdefault(row["skillUri"], len(skill_col))
            w = weight_of[row["relationType"]]
            # A skill listed both ways counts as essential.
            cells[occ, col] = max(cells.get((occ, col), 0.0), w)
    rows, cols = zip(*cells) if cells else ((), ())
    matrix = sparse.csr_matrix((list(cells.values()), (rows, cols)), shape=(len(esco), len(skill_col)))
    df = np.bincount(np.asarray(cols, dtype=np.int64), minlength=len(skill_col))
    idf = np.log((len(esco) + 1) / (df + 1)) + 1
    matrix = sparse.csr_matrix(matrix.multiply(idf[None, :]))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    matrix = sparse.diags(1 / np.where(norms > 0, norms, 1)) @ matrix
    return (matrix[source_rows] @ matrix.T).toarray()


def baseline_rankings(esco, queries: Sequence[dict], shared: Path, k: int = 10) -> dict[str, list[list[str]]]:
    """The four reference baselines' top-k lists per query, own occupation left out."""
    from matching.occupations import proximity_matrix

    own = np.array([esco.index[q["uri"]] for q in queries], dtype=np.int64)
    text = text_similarity(esco, own)
    skills = skill_similarity(esco, own, shared / "esco_skills" / "occupationSkillRelations.csv")
    isco = isco_digits_shared(esco, own)
    proximity = proximity_matrix([q["uri"] for q in queries], list(esco.uris), esco)
    uris = list(esco.uris)
    return {
        "char TF-IDF": _top_k(text, own, uris, k),
        # Cosines are at most 1, so shared digits always come first and the text breaks ties.
        "same ISCO group": _top_k(2 * isco + text, own, uris, k),
        "ESCO skills": _top_k(skills, own, uris, k),
        "0.6 skills + 0.2 text + 0.2 ISCO": _top_k(0.6 * skills + 0.2 * text + 0.2 * proximity, own, uris, k),
    }


# -- the command -------------------------------------------------------------------------

def _use_state_dir(path: Path) -> Settings:
    """Point every part of the product (place cache, encoder files) at ``path``; the settings then."""
    os.environ["SPOORMATCH_STATE_DIR"] = str(path)
    get_settings.cache_clear()
    return get_settings()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared data folder")
    parser.add_argument("--limit", type=int, default=None, help="the first N queries only (a quick run)")
    parser.add_argument("--top", type=int, default=10, help="k of nDCG@k and P@k")
    parser.add_argument("--no-baselines", action="store_true")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this JSON file")
    parser.add_argument("--state-dir", type=Path, default=None,
                        help="keep the place-embedding cache here between runs (default: a temporary folder)")
    parser.add_argument("--ablation", action="store_true", help="also run the variants in ABLATION")
    parser.add_argument("--variant", action="append", default=[], metavar="NAME:key=value,...",
                        help="also run the product with these settings overrides (repeatable)")
    args = parser.parse_args(argv)
    if args.top < 1:
        parser.error("--top must be at least 1")

    with tempfile.TemporaryDirectory(prefix="transfer-bench-") as tmp:
        base = _use_state_dir(args.state_dir or Path(tmp))
        try:
            variants = list(ABLATION) if args.ablation else []
            variants += [parse_variant(v) for v in args.variant]
        except ValueError as exc:
            parser.error(str(exc))
        names = [name for name, _ in variants]
        if len(set(names)) != len(names):
            parser.error(f"variant names must differ: {', '.join(names)}")
        return _run(args, base, variants)


def _run(args: argparse.Namespace, base: Settings, variants: list[tuple[str, dict]]) -> int:
    from matching.occupations import load_esco

    k = args.top
    queries = read_queries(args.shared / "transfer_dev" / "queries.jsonl", args.limit)
    esco = load_esco(base.data_dir)
    t0 = time.perf_counter()
    world = build_world(esco, queries)
    print(f"transfer dev: {len(queries)} source occupations, {len(world.places):,} places "
          f"(built in {time.perf_counter() - t0:.1f} s); state folder {base.state_dir}")

    # (section of the JSON, name, printed label, per-query scores, ms per candidate)
    rows: list[tuple[str, str, str, dict[str, np.ndarray], float | None]] = []

    product = run_product(world, base, k)
    rows.append(("product", "product", "spoormatch match (product settings)",
                 evaluate(product.ranked, queries, k), statistics.mean(product.rank_ms)))
    if product.min_feasible < len(world.places):
        print(f"warning: some candidate had only {product.min_feasible} of {len(world.places)} places feasible")

    variant_fit_s: dict[str, float] = {}
    for name, overrides in variants:
        run = run_product(world, settings_with(overrides, base), k)
        label = f"  {name} ({', '.join(f'{key}={v}' for key, v in overrides.items())})"
        rows.append(("variants", name, label, evaluate(run.ranked, queries, k), statistics.mean(run.rank_ms)))
        variant_fit_s[name] = run.fit_s

    baseline_s = 0.0
    if not args.no_baselines:
        t0 = time.perf_counter()
        for name, ranked in baseline_rankings(esco, queries, args.shared, k).items():
            rows.append(("baselines", name, name, evaluate(ranked, queries, k), None))
        baseline_s = time.perf_counter() - t0

    width = max(len(r[2]) for r in rows) + 2
    print()
    print(f"{'system':<{width}} {'nDCG@' + str(k):>8} {'P@' + str(k):>6} {'ms/cand':>8}   reference (dev README)")
    figures: dict[str, dict] = {}
    for section, name, label, scores, ms in rows:
        ndcg, prec = float(scores["ndcg"].mean()), float(scores["precision"].mean())
        ref = REFERENCE.get(name) if section == "baselines" and k == 10 else None
        print(f"{label:<{width}} {ndcg:8.3f} {prec:6.3f} {'' if ms is None else f'{ms:.1f}':>8}   "
              f"{f'{ref[0]:.3f} / {ref[1]:.3f}' if ref else ''}")
        entry = {"ndcg": ndcg, "precision": prec}
        if ms is not None:
            entry["rank_ms_mean"] = ms
        if section == "product":
            figures["product"] = entry
        else:
            if section == "variants":
                entry["overrides"] = {key: str(v) for key, v in dict(variants)[name].items()}
                entry["fit_s"] = variant_fit_s[name]
            figures.setdefault(section, {})[name] = entry

    timing = {"fit_s": product.fit_s, "rank_ms_mean": statistics.mean(product.rank_ms),
              "rank_ms_median": statistics.median(product.rank_ms),
              "cache_hits": product.cache_hits, "cache_misses": product.cache_misses}
    print(f"\nplace fit {product.fit_s:.1f} s ({len(world.places):,} places; embedding cache "
          f"{product.cache_hits:,} hits, {product.cache_misses:,} misses); ranking "
          f"{timing['rank_ms_mean']:.1f} ms per candidate (median {timing['rank_ms_median']:.1f}, "
          f"top {k + 1}, {len(queries)} candidates)")
    if not args.no_baselines:
        print(f"baselines computed in {baseline_s:.1f} s")

    if args.json is not None:
        figures.update({"queries": len(queries), "k": k, "timing": timing})
        args.json.write_text(json.dumps(figures, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
