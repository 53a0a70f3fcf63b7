"""The constraint engine: the contract's verdict table, vectorised over all places.

A candidate's belastbaarheid is compared with the belasting of every place at once.
Only the items on which the candidate is limited are looked at: an item at the
norm can never be exceeded nor sit on the edge, and most candidates are limited
on a handful of the 64 items. Pure and deterministic: same inputs, same verdicts.

Verdict codes per item and place: 0 pass, 1 signal (suggested, flagged for the
coach), 2 exceed (never suggested).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

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
from matching.reference.geo import haversine_km
from matching.contract.models import Candidate, ItemVerdict, Placement
from matching.settings import Settings, get_settings

PASS, SIGNAL, EXCEED = 0, 1, 2
VERDICT_NAMES = ("pass", "signal", "exceed")
TRAVEL_ITEM = "travel"
STATUS_ITEM = "status"
# Hours are given with at most a decimal or two; this absorbs float noise only.
_HOURS_EPS = 1e-6


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


def _bits(codes: Sequence[int]) -> int:
    mask = 0
    for code in codes:
        mask |= 1 << code
    return mask


def _codes(mask: int) -> list[int]:
    return [c for c in range(16) if mask >> c & 1]


@dataclass
class PlacementTable:
    """The belasting of many places as column arrays, one row per place."""

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

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def empty(cls, n: int, columns: Columns | None = None) -> "PlacementTable":
        """A table of n places that demand nothing; callers fill the arrays."""
        columns = columns or Columns.from_catalogue(load_catalogue())
        return cls(
            columns=columns,
            ids=np.array([f"p-{i}" for i in range(n)], dtype=object),
            ord_demand=np.full((n, len(columns.ord)), -1, dtype=np.int8),
            cond_stated=np.zeros((n, len(columns.cond)), dtype=bool),
            cond_met=np.zeros((n, len(columns.cond)), dtype=np.uint16),
            cat_present=np.zeros((n, len(columns.cat)), dtype=np.uint16),
            bin_present=np.zeros((n, len(columns.bin)), dtype=bool),
            hours_per_day=np.full(n, 8.0, dtype=np.float32),
            hours_per_week=np.full(n, 40.0, dtype=np.float32),
            evening=np.zeros(n, dtype=bool),
            night=np.zeros(n, dtype=bool),
            lat=np.zeros(n, dtype=np.float64),
            lon=np.zeros(n, dtype=np.float64),
            available=np.ones(n, dtype=bool),
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
                    table.cond_met[i, cond_pos[item]] = _bits(value)
                elif item in cat_pos:
                    table.cat_present[i, cat_pos[item]] = _bits(value)
                elif item in bin_pos:
                    table.bin_present[i, bin_pos[item]] = bool(value)
            table.hours_per_day[i] = p.hours_per_day
            table.hours_per_week[i] = p.hours_per_week
            table.evening[i] = p.evening
            table.night[i] = p.night
            table.lat[i], table.lon[i] = p.location.coords
            table.available[i] = p.available
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

    @classmethod
    def from_candidate(
        cls, candidate: Candidate, columns: Columns, settings: Settings | None = None
    ) -> "Profile":
        settings = settings or get_settings()
        cap = candidate.capacity
        vi1 = cap.get(EVENING_NIGHT_ITEM, [])
        lat, lon = candidate.home.coords
        return cls(
            ord_levels=tuple((j, cap[i]) for j, i in enumerate(columns.ord) if cap.get(i, 0) > 0),
            cond_required=tuple((j, _bits(cap[i])) for j, i in enumerate(columns.cond) if cap.get(i)),
            cat_limited=tuple((j, _bits(cap[i])) for j, i in enumerate(columns.cat) if cap.get(i)),
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
        )


@dataclass
class Evaluation:
    """Verdicts of one candidate against every row of a table."""

    items: tuple[str, ...]  # the checked items, in the order of the rows of `verdicts`
    verdicts: np.ndarray  # int8 (len(items), n)
    distance_km: np.ndarray  # float64 (n,)
    available: np.ndarray  # bool (n,)

    @property
    def worst(self) -> np.ndarray:
        """Per place the worst item verdict (0 pass, 1 signal, 2 exceed)."""
        if len(self.items) == 0:
            return np.zeros(self.distance_km.shape, dtype=np.int8)
        return self.verdicts.max(axis=0)

    @property
    def feasible(self) -> np.ndarray:
        """Places that may be suggested: available and no item exceeded."""
        return self.available & (self.worst < EXCEED)

    @property
    def n_signals(self) -> np.ndarray:
        return (self.verdicts == SIGNAL).sum(axis=0) if len(self.items) else np.zeros(len(self.available), int)


def _verdict(exceed: np.ndarray, signal: np.ndarray | None = None) -> np.ndarray:
    out = exceed.astype(np.int8) * EXCEED
    if signal is not None:
        out |= (signal & ~exceed).astype(np.int8)
    return out


def evaluate(table: PlacementTable, profile: Profile, settings: Settings | None = None) -> Evaluation:
    """The contract's verdict table for one candidate against all places in `table`."""
    settings = settings or get_settings()
    cols = table.columns
    items: list[str] = []
    rows: list[np.ndarray] = []

    for j, level in profile.ord_levels:
        demand = table.ord_demand[:, j]
        # Demand -1 (absent) passes; the level is > 0 so a demand of 0 is exceeded.
        exceed = (demand >= 0) & (demand < level)
        rows.append(_verdict(exceed, demand == level))
        items.append(cols.ord[j])
    for j, required in profile.cond_required:
        stated = table.cond_stated[:, j]
        all_met = (table.cond_met[:, j] & required) == required
        rows.append(_verdict(stated & ~all_met, ~stated))
        items.append(cols.cond[j])
    for j, limited in profile.cat_limited:
        rows.append(_verdict((table.cat_present[:, j] & limited) != 0))
        items.append(cols.cat[j])
    for j in profile.bin_limited:
        rows.append(_verdict(np.zeros(len(table), dtype=bool), table.bin_present[:, j]))
        items.append(cols.bin[j])

    if profile.no_evening or profile.no_night:
        exceed = np.zeros(len(table), dtype=bool)
        if profile.no_evening:
            exceed |= table.evening
        if profile.no_night:
            exceed |= table.night
        rows.append(_verdict(exceed))
        items.append(EVENING_NIGHT_ITEM)
    for item, hours, limit in (
        (HOURS_PER_DAY_ITEM, table.hours_per_day, profile.max_hours_per_day),
        (HOURS_PER_WEEK_ITEM, table.hours_per_week, profile.max_hours_per_week),
    ):
        if math.isfinite(limit):
            rows.append(_verdict(hours > limit + _HOURS_EPS, np.abs(hours - limit) <= _HOURS_EPS))
            items.append(item)

    distance = haversine_km(profile.lat, profile.lon, table.lat, table.lon)
    limit = profile.max_travel_km
    rows.append(_verdict(distance > limit, distance >= limit * (1.0 - settings.travel_signal_fraction)))
    items.append(TRAVEL_ITEM)

    verdicts = np.vstack(rows) if rows else np.zeros((0, len(table)), dtype=np.int8)
    return Evaluation(items=tuple(items), verdicts=verdicts, distance_km=distance, available=table.available.copy())


# ---------------------------------------------------------------------------
# Dutch reasons for one candidate-place pair, read from an Evaluation row.


def _fmt_hours(value: float) -> str:
    return f"{value:g}"


def _code_texts(fml: FmlCatalogue, item_id: str, codes: Sequence[int]) -> str:
    item = fml[item_id]
    return "; ".join(item.phrase(c) for c in codes)


def item_reason(
    item_id: str,
    verdict: int,
    candidate: Candidate,
    placement: Placement,
    distance_km: float,
    max_travel_km: float,
    fml: FmlCatalogue | None = None,
) -> ItemVerdict:
    """The item's verdict with its capacity, demand and a reason a coach can read aloud."""
    fml = fml or load_catalogue()
    name = VERDICT_NAMES[verdict]
    cap = candidate.capacity.get(item_id)

    if item_id == TRAVEL_ITEM:
        km = round(float(distance_km), 1)
        if verdict == EXCEED:
            reason = f"Reisafstand: ongeveer {km:.0f} km, meer dan het maximum van {max_travel_km:g} km"
        elif verdict == SIGNAL:
            reason = f"Reisafstand: ongeveer {km:.0f} km, dicht bij het maximum van {max_travel_km:g} km"
        else:
            reason = f"Reisafstand: ongeveer {km:.0f} km"
        return ItemVerdict(item=item_id, verdict=name, capacity=max_travel_km, demand=km, reason=reason)

    if item_id == EVENING_NIGHT_ITEM:
        asked = [w for w, on in (("avondwerk", placement.evening), ("nachtwerk", placement.night)) if on]
        limits = _code_texts(fml, item_id, cap or [])
        if verdict == EXCEED:
            reason = f"Werktijden: {limits}; het werk vraagt {' en '.join(asked)}"
        else:
            reason = f"Werktijden: {limits}; het werk vraagt geen avond- of nachtwerk"
        demand = [c for c, on in ((EVENING_CODE, placement.evening), (NIGHT_CODE, placement.night)) if on]
        return ItemVerdict(item=item_id, verdict=name, capacity=cap, demand=demand, reason=reason)

    if item_id in (HOURS_PER_DAY_ITEM, HOURS_PER_WEEK_ITEM):
        per_day = item_id == HOURS_PER_DAY_ITEM
        unit = "dag" if per_day else "week"
        limit = (HOURS_PER_DAY_BY_LEVEL if per_day else HOURS_PER_WEEK_BY_LEVEL)[cap or 0]
        hours = placement.hours_per_day if per_day else placement.hours_per_week
        label = fml[item_id].name
        if verdict == EXCEED:
            reason = f"{label}: kan ongeveer {_fmt_hours(limit)} uur per {unit}, het werk vraagt {_fmt_hours(hours)} uur"
        elif verdict == SIGNAL:
            reason = f"{label}: het werk vraagt {_fmt_hours(hours)} uur per {unit}, precies de grens van de belastbaarheid"
        else:
            reason = f"{label}: het werk vraagt {_fmt_hours(hours)} uur per {unit}, binnen de belastbaarheid"
        return ItemVerdict(item=item_id, verdict=name, capacity=cap, demand=hours, reason=reason)

    item = fml[item_id]
    demand = placement.demands.get(item_id)
    if item.type == ORD:
        if verdict == EXCEED:
            reason = f"{item.name}: kan {item.phrase(cap)}, het werk vraagt {item.phrase(demand)}"
        elif verdict == SIGNAL:
            reason = f"{item.name}: {item.phrase(cap)}, precies wat het werk vraagt (op de grens)"
        else:
            reason = f"{item.name}: binnen de belastbaarheid"
    elif item.type == COND:
        required = cap or []
        if verdict == EXCEED:
            missing = [c for c in required if c not in (demand or [])]
            reason = f"{item.name}: de werkplek voldoet niet aan: {_code_texts(fml, item_id, missing)}"
        elif verdict == SIGNAL:
            reason = (
                f"{item.name}: de werkgever heeft niet vermeld of de werkplek voldoet aan: "
                f"{_code_texts(fml, item_id, required)}; navragen"
            )
        else:
            reason = f"{item.name}: de werkplek voldoet aan de voorwaarden"
    elif item.type == CAT:
        both = sorted(set(cap or []) & set(demand or []))
        if verdict == EXCEED:
            reason = f"{item.name}: beperkt voor {_code_texts(fml, item_id, both)}, en het werk brengt dit mee"
        else:
            reason = f"{item.name}: het werk brengt niets mee waarvoor de kandidaat beperkt is"
    elif item.type == BIN:
        if verdict == SIGNAL:
            reason = f"{item.name}: beperkt en het werk vraagt dit; de toelichting van de bedrijfsarts bekijken"
        else:
            reason = f"{item.name}: het werk vraagt dit niet"
    else:
        reason = f"{item.name}: ter informatie"
    return ItemVerdict(item=item_id, verdict=name, capacity=cap, demand=demand, reason=reason)


def status_reason(placement: Placement) -> ItemVerdict:
    if placement.status != "open":
        text = {"closed": "de plek is gesloten", "filled": "de plek is al vervuld"}[placement.status]
    else:
        text = "er zijn geen vrije plaatsen"
    return ItemVerdict(item=STATUS_ITEM, verdict="exceed", capacity=None, demand=placement.positions,
                       reason=f"Beschikbaarheid: {text}")


def explain_row(
    evaluation: Evaluation,
    row: int,
    candidate: Candidate,
    placement: Placement,
    max_travel_km: float,
    only: Sequence[int] = (SIGNAL, EXCEED),
) -> list[ItemVerdict]:
    """Item verdicts of one place for one candidate, limited to the given verdicts."""
    fml = load_catalogue()
    out = []
    for k, item_id in enumerate(evaluation.items):
        verdict = int(evaluation.verdicts[k, row])
        if verdict in only:
            out.append(item_reason(item_id, verdict, candidate, placement, float(evaluation.distance_km[row]),
                                   max_travel_km, fml))
    if EXCEED in only and not evaluation.available[row]:
        out.append(status_reason(placement))
    return out
