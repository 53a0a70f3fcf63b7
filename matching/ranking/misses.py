"""Nearest misses: when few places fit, which excluded places came closest, and why.

A coach whose candidate gets an empty or short list needs to know what stood
in the way: one place that fails on travel by 2 km says more than one that
fails on five limits. Places are ordered by how many items exclude them, then
by how far they overshoot (levels, hours, kilometres, as a share), then by
score.
"""

from __future__ import annotations

import numpy as np

from matching.constraints.engine import EXCEED, TRAVEL_ITEM, Evaluation, PlacementTable, Profile
from matching.reference.fml import HOURS_PER_DAY_ITEM, HOURS_PER_WEEK_ITEM


def overshoot(table: PlacementTable, profile: Profile, ev: Evaluation, rows: np.ndarray) -> np.ndarray:
    """Per row: the number of exceeded items plus how far each is exceeded (0..1 each)."""
    rows = np.asarray(rows, dtype=np.int64)
    exceeded = ev.verdicts[:, rows] == EXCEED if len(ev.items) else np.zeros((0, len(rows)), bool)
    total = exceeded.sum(axis=0).astype(np.float64)
    by_item = {item: k for k, item in enumerate(ev.items)}
    ord_cols = {table.columns.ord[j]: (j, level) for j, level in profile.ord_levels}
    for item, k in by_item.items():
        hit = exceeded[k]
        if not hit.any():
            continue
        if item in ord_cols:
            j, level = ord_cols[item]
            gap = (level - table.ord_demand[rows, j]) / 3.0
        elif item == TRAVEL_ITEM:
            gap = (ev.distance_km[rows] - profile.max_travel_km) / max(profile.max_travel_km, 1e-9)
        elif item == HOURS_PER_DAY_ITEM:
            gap = (table.hours_per_day[rows] - profile.max_hours_per_day) / max(profile.max_hours_per_day, 1e-9)
        elif item == HOURS_PER_WEEK_ITEM:
            gap = (table.hours_per_week[rows] - profile.max_hours_per_week) / max(profile.max_hours_per_week, 1e-9)
        else:
            continue
        total += np.where(hit, np.clip(gap, 0.0, 1.0), 0.0)
    return total


def nearest(severity: np.ndarray, scores: np.ndarray, id_rank: np.ndarray, n: int) -> np.ndarray:
    """Positions of the ``n`` nearest misses: least overshoot, then best score, then id."""
    order = np.lexsort((id_rank, -np.asarray(scores), np.round(severity, 6)))
    return order[:n]
