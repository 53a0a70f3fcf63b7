"""Constraint engine speed: 1 candidate x 1,000,000 places and 1,000 x 100,000.

Prints wall times and the ratio to a bare numpy comparison of the same arrays in
the same run (the floor any implementation pays), since these machines are noisy.
Run: .venv/bin/python benchmarks/constraints.py [--quick]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from matching.constraints.engine import Columns, PlacementTable, Profile, evaluate
from matching.reference.fml import load_catalogue
from matching.reference.geo import haversine_km, load_gazetteer
from matching.contract.models import Candidate


def random_table(n: int, rng: np.random.Generator, columns: Columns) -> PlacementTable:
    fml = load_catalogue()
    t = PlacementTable.empty(n, columns)
    for j, item in enumerate(columns.ord):
        present = rng.random(n) < 0.3
        t.ord_demand[:, j] = np.where(present, rng.integers(0, fml[item].max_level + 1, n), -1)
    for j in range(len(columns.cond)):
        t.cond_stated[:, j] = rng.random(n) < 0.4
        t.cond_met[:, j] = rng.integers(0, 1 << 8, n) & ~1
    for j in range(len(columns.cat)):
        t.cat_present[:, j] = np.where(rng.random(n) < 0.1, 1 << rng.integers(1, 4, n), 0)
    t.bin_present[:] = rng.random(t.bin_present.shape) < 0.1
    t.hours_per_day[:] = rng.choice([4, 6, 8], n)
    t.hours_per_week[:] = t.hours_per_day * rng.choice([3, 4, 5], n)
    t.evening[:] = rng.random(n) < 0.15
    t.night[:] = rng.random(n) < 0.05
    coords = np.array(list(load_gazetteer().postcodes.values()))
    pick = rng.integers(0, len(coords), n)
    t.lat[:], t.lon[:] = coords[pick, 0], coords[pick, 1]
    t.available[:] = rng.random(n) < 0.95
    return t


PATTERNS = [
    {"IV.13": 2, "IV.14": 2, "IV.9": 1, "IV.10": 2},  # back
    {"IV.16": 2, "IV.17": 2, "IV.18": 2, "IV.20": 3},  # knee
    {"VI.2": 3, "VI.3": 3, "I.8": [1, 3, 4], "III.6": 1, "I.1": 1},  # burn-out
    {"VI.1": [2]},  # no night work
    {"V.7": 2, "IV.7": 1, "IV.12": 1},  # shoulder
]


def candidates(k: int, rng: np.random.Generator) -> list[Candidate]:
    pcs = sorted(load_gazetteer().postcodes)
    return [
        Candidate.model_validate({
            "id": f"c-{i}", "home": {"postcode": pcs[int(rng.integers(len(pcs)))]},
            "max_travel_km": float(rng.choice([15, 25, 40])), "capacity": PATTERNS[i % len(PATTERNS)],
            "education": {"level": "mbo-3"},
        })
        for i in range(k)
    ]


def bare(table: PlacementTable, p: Profile) -> np.ndarray:
    """The same comparisons written inline: the floor the engine is measured against."""
    ok = table.available.copy()
    for j, level in p.ord_levels:
        d = table.ord_demand[:, j]
        ok &= ~((d >= 0) & (d < level))
    for j, req in p.cond_required:
        ok &= ~(table.cond_stated[:, j] & ((table.cond_met[:, j] & req) != req))
    for j, lim in p.cat_limited:
        ok &= (table.cat_present[:, j] & lim) == 0
    if p.no_evening:
        ok &= ~table.evening
    if p.no_night:
        ok &= ~table.night
    ok &= table.hours_per_day <= p.max_hours_per_day
    ok &= table.hours_per_week <= p.max_hours_per_week
    ok &= haversine_km(p.lat, p.lon, table.lat, table.lon) <= p.max_travel_km
    return ok


def timed(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="100k and 100 candidates only")
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    columns = Columns.from_catalogue(load_catalogue())

    n_big = 100_000 if args.quick else 1_000_000
    table = random_table(n_big, rng, columns)
    profiles = [Profile.from_candidate(c, columns) for c in candidates(len(PATTERNS), rng)]
    for p in profiles:  # the engine and the floor must agree before timing means anything
        assert np.array_equal(evaluate(table, p).feasible, bare(table, p))
    eng = timed(lambda: [evaluate(table, p).feasible for p in profiles]) / len(profiles)
    flo = timed(lambda: [bare(table, p) for p in profiles]) / len(profiles)
    print(f"1 candidate x {n_big:,} places: engine {eng * 1e3:.1f} ms, bare numpy {flo * 1e3:.1f} ms, "
          f"ratio {eng / flo:.2f}")

    n_mid, k = 100_000, (100 if args.quick else 1_000)
    table = random_table(n_mid, rng, columns)
    profiles = [Profile.from_candidate(c, columns) for c in candidates(k, rng)]
    eng = timed(lambda: [evaluate(table, p).feasible for p in profiles], repeat=1)
    flo = timed(lambda: [bare(table, p) for p in profiles], repeat=1)
    print(f"{k:,} candidates x {n_mid:,} places: engine {eng:.2f} s ({eng / k * 1e3:.1f} ms each), "
          f"bare numpy {flo:.2f} s, ratio {eng / flo:.2f}")


if __name__ == "__main__":
    main()
