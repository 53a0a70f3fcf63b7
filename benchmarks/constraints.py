"""Constraint engine speed: 1 candidate x 1,000,000 places and 1,000 x 100,000.

Prints wall times and the ratio to a bare numpy comparison of the same arrays in
the same run (the floor any implementation pays), since these machines are noisy.
Places carry the contract-v1.1 fields (adjustments, start hours, wages) and
candidates outlooks and former work, so the ratio includes the adjust verdicts,
the build-up and the 65% rule; the floor cures exceeded items the same way.
Run: .venv/bin/python benchmarks/constraints.py [--quick]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from matching.constraints.engine import (
    EARNINGS_ITEM,
    SIGNAL,
    Columns,
    PlacementTable,
    Profile,
    evaluate,
)
from matching.contract.models import Candidate
from matching.reference.fml import load_catalogue
from matching.reference.geo import haversine_km, load_gazetteer


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
    coords = np.array([loc.coords for loc in load_gazetteer().postcodes.values()])
    pick = rng.integers(0, len(coords), n)
    t.lat[:], t.lon[:] = coords[pick, 0], coords[pick, 1]
    t.available[:] = rng.random(n) < 0.95
    add_v11(t, rng, fml, columns)
    return t


def add_v11(t: PlacementTable, rng: np.random.Generator, fml, columns: Columns) -> None:
    """What employers offer (contract v1.1): adjustments that only make the work
    lighter, a start with fewer hours, and a wage for most places."""
    n = len(t)
    for j, item in enumerate(columns.ord):
        d = t.ord_demand[:, j].astype(np.int16)
        offered = (d >= 0) & (rng.random(n) < 0.15)
        lighter = np.minimum(d + rng.integers(0, 3, n), fml[item].max_level)
        t.adj_ord[:, j] = np.where(offered, lighter, -1)
    for j in range(len(columns.cond)):
        offered = t.cond_stated[:, j] & (rng.random(n) < 0.15)
        t.adj_cond[:, j] = offered
        t.adj_cond_met[:, j] = np.where(offered, t.cond_met[:, j] | (rng.integers(0, 1 << 8, n) & ~1), 0)
    for j in range(len(columns.cat)):
        offered = (t.cat_present[:, j] != 0) & (rng.random(n) < 0.3)
        t.adj_cat[:, j] = offered
        t.adj_cat_present[:, j] = np.where(offered, t.cat_present[:, j] & rng.integers(0, 1 << 4, n), 0)
    t.adj_hours_per_day[:] = np.where(rng.random(n) < 0.15, np.minimum(t.hours_per_day, rng.choice([2, 4, 6], n)),
                                      np.nan)
    t.adj_hours_per_week[:] = np.where(rng.random(n) < 0.15,
                                       np.minimum(t.hours_per_week, rng.choice([8, 12, 16, 20], n)), np.nan)
    t.adj_no_evening[:] = t.evening & (rng.random(n) < 0.3)
    t.adj_no_night[:] = t.night & (rng.random(n) < 0.3)
    t.start_hours_per_week[:] = np.where(rng.random(n) < 0.25,
                                         np.minimum(t.hours_per_week, rng.choice([8, 12, 16], n)), np.nan)
    t.weekly_wage[:] = np.where(rng.random(n) < 0.7, rng.uniform(11.0, 26.0, n) * t.hours_per_week, np.nan)


PATTERNS = [
    {"IV.13": 2, "IV.14": 2, "IV.9": 1, "IV.10": 2},  # back
    {"IV.16": 2, "IV.17": 2, "IV.18": 2, "IV.20": 3},  # knee
    {"VI.2": 3, "VI.3": 3, "I.8": [1, 3, 4], "III.6": 1, "I.1": 1},  # burn-out
    {"VI.1": [2]},  # no night work
    {"V.7": 2, "IV.7": 1, "IV.12": 1},  # shoulder
]


# Hours a week expected after the build-up, per pattern (None: no outlook); only the
# burn-out pattern limits the hours today, the others carry one as many candidates do.
OUTLOOKS = [None, 28, 32, None, 36]


def candidates(k: int, rng: np.random.Generator) -> list[Candidate]:
    pcs = sorted(load_gazetteer().postcodes)
    out = []
    for i in range(k):
        data = {
            "id": f"c-{i}", "home": {"postcode": pcs[int(rng.integers(len(pcs)))]},
            "max_travel_km": float(rng.choice([15, 25, 40])), "capacity": PATTERNS[i % len(PATTERNS)],
            "education": {"level": "mbo-3"},
            "former_work": {"hours_per_week": float(rng.choice([24, 32, 36, 40])),
                            "hourly_wage": round(float(rng.uniform(13.0, 24.0)), 2)},
        }
        outlook = OUTLOOKS[i % len(OUTLOOKS)]
        if outlook is not None:
            data["hours_outlook"] = {"hours_per_week": outlook, "from": "2027-03-01"}
        out.append(Candidate.model_validate(data))
    return out


def bare(table: PlacementTable, p: Profile) -> np.ndarray:
    """The same comparisons written inline: the floor the engine is measured against.

    An exceeded item that the place's adjustment cures (or, for the hours a week,
    its start hours with the candidate's outlook) does not exclude (contract v1.1).
    """
    ok = table.available.copy()
    for j, level in p.ord_levels:
        d = table.ord_demand[:, j]
        ok &= ~((d >= 0) & (d < level)) | (table.adj_ord[:, j] >= level)
    for j, req in p.cond_required:
        ok &= ~(table.cond_stated[:, j] & ((table.cond_met[:, j] & req) != req)) \
            | (table.adj_cond[:, j] & ((table.adj_cond_met[:, j] & req) == req))
    for j, lim in p.cat_limited:
        ok &= ((table.cat_present[:, j] & lim) == 0) \
            | (table.adj_cat[:, j] & ((table.adj_cat_present[:, j] & lim) == 0))
    if p.no_evening:
        ok &= ~(table.evening & ~table.adj_no_evening)
    if p.no_night:
        ok &= ~(table.night & ~table.adj_no_night)
    with np.errstate(invalid="ignore"):  # NaN: nothing offered, compares False
        ok &= (table.hours_per_day <= p.max_hours_per_day) | (table.adj_hours_per_day <= p.max_hours_per_day)
        week = (table.hours_per_week <= p.max_hours_per_week) | (table.adj_hours_per_week <= p.max_hours_per_week)
        if np.isfinite(p.outlook_hours_per_week):
            week |= (table.start_hours_per_week <= p.max_hours_per_week) \
                & (table.hours_per_week <= p.outlook_hours_per_week)
        ok &= week
    ok &= haversine_km(p.lat, p.lon, table.lat, table.lon) <= p.max_travel_km
    return ok


def v11_share(table: PlacementTable, profiles: list[Profile]) -> str:
    """How much of what was timed is v1.1: places that fit only adjusted, by a build-up, or paid below 65%."""
    feasible = adjusted = build_up = low_pay = 0
    for p in profiles:
        ev = evaluate(table, p)
        ok = ev.feasible
        feasible += int(ok.sum())
        adjusted += int((ok & ev.adjusted).sum())
        build_up += int((ok & ev.build_up).sum())
        if EARNINGS_ITEM in ev.items:
            low_pay += int((ok & (ev.verdicts[ev.items.index(EARNINGS_ITEM)] == SIGNAL)).sum())
    share = (lambda k: f"{100 * k / max(feasible, 1):.1f}%")
    return (f"  of the {feasible:,} feasible pairs: {share(adjusted)} adjusted ({build_up:,} by a build-up), "
            f"{share(low_pay)} paid below 65% of the former wage")


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
    print(v11_share(table, profiles))

    n_mid, k = 100_000, (100 if args.quick else 1_000)
    table = random_table(n_mid, rng, columns)
    profiles = [Profile.from_candidate(c, columns) for c in candidates(k, rng)]
    eng = timed(lambda: [evaluate(table, p).feasible for p in profiles], repeat=1)
    flo = timed(lambda: [bare(table, p) for p in profiles], repeat=1)
    print(f"{k:,} candidates x {n_mid:,} places: engine {eng:.2f} s ({eng / k * 1e3:.1f} ms each), "
          f"bare numpy {flo:.2f} s, ratio {eng / flo:.2f}")


if __name__ == "__main__":
    main()
