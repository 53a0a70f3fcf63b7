"""The constraint engine: the contract's verdict table, vectorised over all places.

A candidate's belastbaarheid is compared with the belasting of every place at once.
Only the items on which the candidate is limited are looked at: an item at the
norm can never be exceeded nor sit on the edge, and most candidates are limited
on a handful of the 64 items. Pure and deterministic: same inputs, same verdicts.

Verdict codes per item and place: 0 pass, 1 signal (suggested, flagged for the
coach), 2 adjust (exceeded as posted, but the place's own adjustment or its
start hours make it fit: suggested with that condition, contract v1.1),
3 exceed (never suggested). A place is suggested when no item exceeds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from matching.constraints.earnings import EARNINGS_ITEM, below_passend
from matching.constraints.table import Columns, PlacementTable, Profile, bits, codes_of
from matching.reference.fml import EVENING_NIGHT_ITEM, HOURS_PER_DAY_ITEM, HOURS_PER_WEEK_ITEM
from matching.reference.distance import arc_km, squared_chords, unit_points
from matching.settings import Settings, get_settings

PASS, SIGNAL, ADJUST, EXCEED = 0, 1, 2, 3
VERDICT_NAMES = ("pass", "signal", "adjust", "exceed")
TRAVEL_ITEM = "travel"
STATUS_ITEM = "status"
# Hours are given with at most a decimal or two; this absorbs float noise only.
_HOURS_EPS = 1e-6

__all__ = [
    "ADJUST", "EARNINGS_ITEM", "EXCEED", "PASS", "SIGNAL", "STATUS_ITEM", "SUGGESTION_VERDICTS", "TRAVEL_ITEM",
    "VERDICT_NAMES", "Columns", "Evaluation", "PlacementTable", "Profile", "bits", "codes_of", "evaluate",
    "place_verdicts",
]


@dataclass
class Evaluation:
    """Verdicts of one candidate against every row of a table."""

    items: tuple[str, ...]  # the checked items, in the order of the rows of `verdicts`
    verdicts: np.ndarray  # int8 (len(items), n)
    distance_km: np.ndarray  # float64 (n,)
    available: np.ndarray  # bool (n,)
    # Per place: the hours a week fit by starting with the place's start hours
    # (an ``opbouw`` condition) rather than by an adjustment.
    build_up: np.ndarray | None = None

    @property
    def worst(self) -> np.ndarray:
        """Per place the worst item verdict (0 pass .. 3 exceed)."""
        if len(self.items) == 0:
            return np.zeros(self.distance_km.shape, dtype=np.int8)
        return self.verdicts.max(axis=0)

    @property
    def feasible(self) -> np.ndarray:
        """Places that may be suggested: available and no item exceeded."""
        return self.available & (self.worst < EXCEED)

    @property
    def n_signals(self) -> np.ndarray:
        """Items the coach must act on per place: the flagged ones and the adjusted ones."""
        return self.signals_at(np.arange(len(self.available)))

    def signals_at(self, places: np.ndarray) -> np.ndarray:
        """:attr:`n_signals` of the given places (positions) only: a night asks for the
        third of a region that fits."""
        if not len(self.items):
            return np.zeros(len(places), int)
        v = np.take(self.verdicts, places, axis=1)
        return ((v == SIGNAL) | (v == ADJUST)).sum(axis=0)

    @property
    def adjusted(self) -> np.ndarray:
        """Places that fit only with a condition."""
        if not len(self.items):
            return np.zeros(len(self.available), bool)
        return (self.verdicts == ADJUST).any(axis=0) & (self.worst < EXCEED)


# A suggested place's verdict: by its worst item, an adjusted item counting above a flagged one.
SUGGESTION_VERDICTS = ("pass", "signal", "adjust")


def place_verdicts(evaluation: Evaluation) -> np.ndarray:
    """Per place the index into SUGGESTION_VERDICTS (for feasible places)."""
    n = len(evaluation.available)
    if not len(evaluation.items):
        return np.zeros(n, dtype=np.int8)
    v = evaluation.verdicts
    return np.where((v == ADJUST).any(axis=0), 2, np.where((v == SIGNAL).any(axis=0), 1, 0)).astype(np.int8)


def _verdict(exceed: np.ndarray, signal: np.ndarray | None = None, cured: np.ndarray | None = None) -> np.ndarray:
    """Item verdicts: ``cured`` are exceeded places that fit once adjusted."""
    out = exceed.astype(np.int8) * EXCEED
    if cured is not None:
        out[exceed & cured] = ADJUST
    if signal is not None:
        out |= (signal & ~exceed).astype(np.int8)
    return out


def evaluate(table: PlacementTable, profile: Profile, settings: Settings | None = None,
             distance_km: np.ndarray | None = None) -> Evaluation:
    """The contract's verdict table for one candidate against all places in `table`.

    ``distance_km``: each place's distance from the candidate's home, when the caller
    measured it already (as this function would: see ``PlaceSnapshot.reach``)."""
    settings = settings or get_settings()
    cols = table.columns
    n = len(table)
    items: list[str] = []
    rows: list[np.ndarray] = []

    for j, level in profile.ord_levels:
        demand = table.ord_demand[:, j]
        # Demand -1 (absent) passes; the level is > 0 so a demand of 0 is exceeded.
        exceed = (demand >= 0) & (demand < level)
        rows.append(_verdict(exceed, demand == level, table.adj_ord[:, j] >= level))
        items.append(cols.ord[j])
    for j, required in profile.cond_required:
        stated = table.cond_stated[:, j]
        all_met = (table.cond_met[:, j] & required) == required
        met_adjusted = table.adj_cond[:, j] & ((table.adj_cond_met[:, j] & required) == required)
        rows.append(_verdict(stated & ~all_met, ~stated, met_adjusted))
        items.append(cols.cond[j])
    for j, limited in profile.cat_limited:
        clear_adjusted = table.adj_cat[:, j] & ((table.adj_cat_present[:, j] & limited) == 0)
        rows.append(_verdict((table.cat_present[:, j] & limited) != 0, None, clear_adjusted))
        items.append(cols.cat[j])
    for j in profile.bin_limited:
        rows.append(_verdict(np.zeros(n, dtype=bool), table.bin_present[:, j]))
        items.append(cols.bin[j])

    if profile.no_evening or profile.no_night:
        exceed = np.zeros(n, dtype=bool)
        left = np.zeros(n, dtype=bool)  # what is still asked once the adjustments are applied
        if profile.no_evening:
            exceed |= table.evening
            left |= table.evening & ~table.adj_no_evening
        if profile.no_night:
            exceed |= table.night
            left |= table.night & ~table.adj_no_night
        rows.append(_verdict(exceed, None, ~left))
        items.append(EVENING_NIGHT_ITEM)
    build_up = np.zeros(n, dtype=bool)
    with np.errstate(invalid="ignore"):  # NaN marks "nothing offered" and compares False
        for item, hours, adjusted, limit in (
            (HOURS_PER_DAY_ITEM, table.hours_per_day, table.adj_hours_per_day, profile.max_hours_per_day),
            (HOURS_PER_WEEK_ITEM, table.hours_per_week, table.adj_hours_per_week, profile.max_hours_per_week),
        ):
            if not math.isfinite(limit):
                continue
            exceed = hours > limit + _HOURS_EPS
            cured = adjusted <= limit + _HOURS_EPS
            if item == HOURS_PER_WEEK_ITEM and math.isfinite(profile.outlook_hours_per_week):
                # Start with the place's start hours today, reach its full hours by the outlook.
                build_up = exceed & (table.start_hours_per_week <= limit + _HOURS_EPS) \
                    & (hours <= profile.outlook_hours_per_week + _HOURS_EPS)
                cured = cured | build_up
            rows.append(_verdict(exceed, np.abs(hours - limit) <= _HOURS_EPS, cured))
            items.append(item)

    distance = distance_km
    if distance is None:
        distance = arc_km(squared_chords(unit_points(profile.lat, profile.lon), table.points()))
    elif len(distance) != n:
        raise ValueError(f"distance_km: {len(distance)} distances for {n} places")
    limit = profile.max_travel_km
    # A location that no longer resolves has a NaN point; "not within reach" (rather
    # than "farther than the limit", which NaN never is) keeps such a place out.
    with np.errstate(invalid="ignore"):
        rows.append(_verdict(~(distance <= limit), distance >= limit * (1.0 - settings.travel_signal_fraction)))
    items.append(TRAVEL_ITEM)

    if math.isfinite(profile.former_weekly_wage):
        rows.append(_verdict(np.zeros(n, dtype=bool), below_passend(table.weekly_wage, profile.former_weekly_wage)))
        items.append(EARNINGS_ITEM)

    verdicts = np.vstack(rows) if rows else np.zeros((0, n), dtype=np.int8)
    return Evaluation(items=tuple(items), verdicts=verdicts, distance_km=distance, available=table.available.copy(),
                      build_up=build_up)
