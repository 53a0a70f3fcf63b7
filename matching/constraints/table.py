"""The constraint engine's inputs as arrays: places as columns, a candidate as a profile.

A candidate's belastbaarheid is compared with the belasting of many places at
once, so places are held column-wise: one array per FML item kind and per work
time, with what the employer can adjust (contract v1.1) beside what the work
demands as posted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from matching.contract.models import Candidate, Placement
from matching.reference.fml import (
    BIN,
    CAT,
    COND,
    EVENING_CODE,
    EVENING_NIGHT_ITEM,
    HOURS_PER_DAY_BY_LEVEL,
    HOURS_PER_DAY_ITEM,
    HOURS_PER_WEEK_BY_LEVEL,
    HOURS_PER_WEEK_ITEM,
    NIGHT_CODE,
    ORD,
    WORK_TIME_ITEMS,
    FmlCatalogue,
    load_catalogue,
)
from matching.reference.distance import unit_points
from matching.settings import Settings, get_settings


@dataclass(frozen=True)
class Columns:
    """Which FML item sits in which column of the placement arrays."""

    ord: tuple[str, ...]
    cond: tuple[str, ...]
    cat: tuple[str, ...]
    bin: tuple[str, ...]

    @classmethod
    def from_catalogue(cls, fml: FmlCatalogue) -> "Columns":
        def cols(kind: str) -> tuple[str, ...]:
            return tuple(i for i in fml.ids(kind) if i not in WORK_TIME_ITEMS)

        return cls(ord=cols(ORD), cond=cols(COND), cat=cols(CAT), bin=cols(BIN))


def bits(codes: Sequence[int]) -> int:
    mask = 0
    for code in codes:
        mask |= 1 << code
    return mask


def codes_of(mask: int) -> list[int]:
    return [c for c in range(16) if mask >> c & 1]


# Per-item columns (n, n_items) and per-place columns (n,); ``take`` and
# ``concat`` treat both alike.
@dataclass
class PlacementTable:
    """The belasting of many places as column arrays, one row per place.

    The ``adj_*`` arrays hold the employer's adjustments (contract v1.1): the
    replacement value where the place offers one, else a marker (-1, False or NaN).
    """

    columns: Columns
    ids: np.ndarray  # object array of placement ids
    ord_demand: np.ndarray  # int8 (n, n_ord); -1 where the work makes no demand
    cond_stated: np.ndarray  # bool (n, n_cond); False = the workplace said nothing
    cond_met: np.ndarray  # uint16 bitmask (n, n_cond) of conditions the workplace meets
    cat_present: np.ndarray  # uint16 bitmask (n, n_cat) of exposures present
    bin_present: np.ndarray  # bool (n, n_bin)
    hours_per_day: np.ndarray  # float32
    hours_per_week: np.ndarray  # float32
    evening: np.ndarray  # bool
    night: np.ndarray  # bool
    lat: np.ndarray  # float64
    lon: np.ndarray  # float64
    available: np.ndarray  # bool: open and with a free position
    adj_ord: np.ndarray  # int8 (n, n_ord); -1 = no adjustment offered
    adj_cond: np.ndarray  # bool (n, n_cond): an adjustment is offered
    adj_cond_met: np.ndarray  # uint16 (n, n_cond): the conditions met once adjusted
    adj_cat: np.ndarray  # bool (n, n_cat)
    adj_cat_present: np.ndarray  # uint16 (n, n_cat): the exposures left once adjusted
    adj_hours_per_day: np.ndarray  # float32, NaN = none offered
    adj_hours_per_week: np.ndarray  # float32, NaN = none offered
    adj_no_evening: np.ndarray  # bool: the evening work can be taken away
    adj_no_night: np.ndarray  # bool
    start_hours_per_week: np.ndarray  # float32, NaN = no start with fewer hours
    weekly_wage: np.ndarray  # float64: mean hourly wage x hours per week; NaN = unpaid

    def __len__(self) -> int:
        return len(self.ids)

    def points(self) -> np.ndarray:
        """The places' unit vectors (3, n), for distances (:mod:`matching.reference.distance`).

        Computed once per table: a live index and a night's snapshot measure every
        candidate's distances from them. Tables are filled before they are used;
        should ``lat`` or ``lon`` be replaced after all, the points follow.
        """
        cached = self.__dict__.get("_points")
        if cached is None or cached[0] is not self.lat or cached[1] is not self.lon:
            cached = (self.lat, self.lon, unit_points(self.lat, self.lon).reshape(3, -1))
            self.__dict__["_points"] = cached
        return cached[2]

    @classmethod
    def empty(cls, n: int, columns: Columns | None = None) -> "PlacementTable":
        """A table of n places that demand nothing and offer nothing; callers fill the arrays."""
        columns = columns or Columns.from_catalogue(load_catalogue())
        n_ord, n_cond, n_cat = len(columns.ord), len(columns.cond), len(columns.cat)
        return cls(
            columns=columns,
            ids=np.array([f"p-{i}" for i in range(n)], dtype=object),
            ord_demand=np.full((n, n_ord), -1, dtype=np.int8),
            cond_stated=np.zeros((n, n_cond), dtype=bool),
            cond_met=np.zeros((n, n_cond), dtype=np.uint16),
            cat_present=np.zeros((n, n_cat), dtype=np.uint16),
            bin_present=np.zeros((n, len(columns.bin)), dtype=bool),
            hours_per_day=np.full(n, 8.0, dtype=np.float32),
            hours_per_week=np.full(n, 40.0, dtype=np.float32),
            evening=np.zeros(n, dtype=bool),
            night=np.zeros(n, dtype=bool),
            lat=np.zeros(n, dtype=np.float64),
            lon=np.zeros(n, dtype=np.float64),
            available=np.ones(n, dtype=bool),
            adj_ord=np.full((n, n_ord), -1, dtype=np.int8),
            adj_cond=np.zeros((n, n_cond), dtype=bool),
            adj_cond_met=np.zeros((n, n_cond), dtype=np.uint16),
            adj_cat=np.zeros((n, n_cat), dtype=bool),
            adj_cat_present=np.zeros((n, n_cat), dtype=np.uint16),
            adj_hours_per_day=np.full(n, np.nan, dtype=np.float32),
            adj_hours_per_week=np.full(n, np.nan, dtype=np.float32),
            adj_no_evening=np.zeros(n, dtype=bool),
            adj_no_night=np.zeros(n, dtype=bool),
            start_hours_per_week=np.full(n, np.nan, dtype=np.float32),
            weekly_wage=np.full(n, np.nan, dtype=np.float64),
        )

    @classmethod
    def from_placements(cls, placements: Sequence[Placement], columns: Columns | None = None) -> "PlacementTable":
        table = cls.empty(len(placements), columns)
        cols = table.columns
        ord_pos = {item: j for j, item in enumerate(cols.ord)}
        cond_pos = {item: j for j, item in enumerate(cols.cond)}
        cat_pos = {item: j for j, item in enumerate(cols.cat)}
        bin_pos = {item: j for j, item in enumerate(cols.bin)}
        for i, p in enumerate(placements):
            table.ids[i] = p.id
            for item, value in p.demands.items():
                if item in ord_pos:
                    table.ord_demand[i, ord_pos[item]] = value
                elif item in cond_pos:
                    table.cond_stated[i, cond_pos[item]] = True
                    table.cond_met[i, cond_pos[item]] = bits(value)
                elif item in cat_pos:
                    table.cat_present[i, cat_pos[item]] = bits(value)
                elif item in bin_pos:
                    table.bin_present[i, bin_pos[item]] = bool(value)
            for item, value in p.adjustments.items():
                if item in ord_pos:
                    table.adj_ord[i, ord_pos[item]] = value
                elif item in cond_pos:
                    table.adj_cond[i, cond_pos[item]] = True
                    table.adj_cond_met[i, cond_pos[item]] = bits(value)
                elif item in cat_pos:
                    table.adj_cat[i, cat_pos[item]] = True
                    table.adj_cat_present[i, cat_pos[item]] = bits(value)
                elif item == "hours_per_day":
                    table.adj_hours_per_day[i] = value
                elif item == "hours_per_week":
                    table.adj_hours_per_week[i] = value
                elif item == "evening":
                    table.adj_no_evening[i] = True
                elif item == "night":
                    table.adj_no_night[i] = True
                # A BIN item never excludes a place, so its adjustment changes no verdict.
            table.hours_per_day[i] = p.hours_per_day
            table.hours_per_week[i] = p.hours_per_week
            table.evening[i] = p.evening
            table.night[i] = p.night
            table.lat[i], table.lon[i] = p.location.coords
            table.available[i] = p.available
            if p.start_hours_per_week is not None:
                table.start_hours_per_week[i] = p.start_hours_per_week
            table.weekly_wage[i] = weekly_wage(p)
        return table

    def take(self, rows: np.ndarray) -> "PlacementTable":
        """A table of the given rows (a boolean mask or row numbers), in that order."""
        fields = {
            name: getattr(self, name)[rows]
            for name in self.__dataclass_fields__
            if name != "columns"
        }
        return PlacementTable(columns=self.columns, **fields)

    @classmethod
    def concat(cls, tables: Sequence["PlacementTable"]) -> "PlacementTable":
        fields = {
            name: np.concatenate([getattr(t, name) for t in tables])
            for name in cls.__dataclass_fields__
            if name != "columns"
        }
        return cls(columns=tables[0].columns, **fields)


# The per-item arrays and the item kind whose columns index them.
ITEM_ARRAYS = {
    "ord_demand": "ord", "adj_ord": "ord",
    "cond_stated": "cond", "cond_met": "cond", "adj_cond": "cond", "adj_cond_met": "cond",
    "cat_present": "cat", "adj_cat": "cat", "adj_cat_present": "cat",
    "bin_present": "bin",
}


def weekly_wage(placement: Placement) -> float:
    """The mean hourly wage times the hours a week; NaN for an unpaid place."""
    if placement.hourly_wage is None:
        return math.nan
    return placement.hourly_wage.mean * placement.hours_per_week


@dataclass(frozen=True)
class Profile:
    """A candidate's limits, reduced to what the vectorised comparison needs."""

    ord_levels: tuple[tuple[int, int], ...]  # (column, level > 0)
    cond_required: tuple[tuple[int, int], ...]  # (column, bitmask of required conditions)
    cat_limited: tuple[tuple[int, int], ...]  # (column, bitmask of limitations)
    bin_limited: tuple[int, ...]  # columns
    max_hours_per_day: float
    max_hours_per_week: float
    no_evening: bool
    no_night: bool
    lat: float
    lon: float
    max_travel_km: float
    # Contract v1.1: the hours a week expected after the build-up (NaN: no outlook),
    # and the former wage a week (NaN: not known).
    outlook_hours_per_week: float = math.nan
    former_weekly_wage: float = math.nan

    @classmethod
    def from_candidate(
        cls, candidate: Candidate, columns: Columns, settings: Settings | None = None
    ) -> "Profile":
        settings = settings or get_settings()
        cap = candidate.capacity
        vi1 = cap.get(EVENING_NIGHT_ITEM, [])
        lat, lon = candidate.home.coords
        former = candidate.former_work.weekly_wage if candidate.former_work is not None else None
        return cls(
            ord_levels=tuple((j, cap[i]) for j, i in enumerate(columns.ord) if cap.get(i, 0) > 0),
            cond_required=tuple((j, bits(cap[i])) for j, i in enumerate(columns.cond) if cap.get(i)),
            cat_limited=tuple((j, bits(cap[i])) for j, i in enumerate(columns.cat) if cap.get(i)),
            bin_limited=tuple(j for j, i in enumerate(columns.bin) if cap.get(i, 0) == 1),
            max_hours_per_day=HOURS_PER_DAY_BY_LEVEL[cap.get(HOURS_PER_DAY_ITEM, 0)],
            max_hours_per_week=HOURS_PER_WEEK_BY_LEVEL[cap.get(HOURS_PER_WEEK_ITEM, 0)],
            no_evening=EVENING_CODE in vi1,
            no_night=NIGHT_CODE in vi1,
            lat=lat,
            lon=lon,
            max_travel_km=(
                candidate.max_travel_km if candidate.max_travel_km is not None else settings.default_max_travel_km
            ),
            outlook_hours_per_week=(candidate.hours_outlook.hours_per_week
                                    if candidate.hours_outlook is not None else math.nan),
            former_weekly_wage=math.nan if former is None else former,
        )
