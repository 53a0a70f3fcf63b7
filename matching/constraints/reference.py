"""The contract's verdict rules written plainly, one candidate and one place at a time.

The vectorised engine (``engine``) compares a candidate with a million places in
column arrays, bit masks and markers; this module says the same rules the way
``contract.md`` words them (v1 and v1.1), for one pair, in plain Python, sharing
nothing with the engine but the FML catalogue, the hours per level and the
distance formula. The tests hold the engine to it, so a rule read two ways shows
up as a disagreement instead of a wrong suggestion.

Hours are compared exactly as given (the engine allows float noise of 1e-6).

Verdicts per item: ``pass``, ``signal`` (suggested, flagged for the coach),
``adjust`` (exceeded as posted, but the place's own adjustment or its start
hours make it fit) and ``exceed`` (never suggested). Only items on which the
candidate is limited are checked, plus travel and, with a known former wage,
``loon`` (the 65% rule).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

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
    load_catalogue,
)
from matching.reference.geo import haversine_km
from matching.settings import Settings, get_settings

PASS, SIGNAL, ADJUST, EXCEED = "pass", "signal", "adjust", "exceed"
TRAVEL = "travel"
LOON = "loon"
PASSEND = 0.65
# The place's work-time fields, by the FML item a condition names them by.
TIME_FIELD = {HOURS_PER_DAY_ITEM: "hours_per_day", HOURS_PER_WEEK_ITEM: "hours_per_week"}


@dataclass(frozen=True)
class RefCondition:
    """What makes an adjusted item fit: ``from`` the work as posted, ``to`` once applied."""

    kind: str  # "aanpassing" or "opbouw"
    item: str
    from_: Any
    to: Any


@dataclass(frozen=True)
class PairVerdict:
    """Everything the rules say about one candidate and one place."""

    items: dict[str, str]  # every checked item -> pass / signal / adjust / exceed
    available: bool  # open and with a free position
    conditions: dict[str, RefCondition] = field(default_factory=dict)  # by item, one per adjusted item
    ratio: float | None = None  # the earnings ratio, rounded; None when not computable
    distance_km: float = math.nan

    @property
    def feasible(self) -> bool:
        """May be suggested: available, and no item exceeded."""
        return self.available and EXCEED not in self.items.values()

    @property
    def verdict(self) -> str:
        """The place's verdict (meaningful when feasible): adjust over signal over pass."""
        values = set(self.items.values())
        if ADJUST in values:
            return ADJUST
        if SIGNAL in values:
            return SIGNAL
        return PASS

    @property
    def acting_on(self) -> int:
        """Items the coach must act on: the flagged ones and the adjusted ones."""
        return sum(v in (SIGNAL, ADJUST) for v in self.items.values())

    def not_passing(self) -> dict[str, str]:
        return {item: v for item, v in self.items.items() if v != PASS}


def earnings_ratio(candidate: Candidate, placement: Placement) -> float | None:
    """(mean of min and max hourly wage x hours per week) / (former wage x former hours),
    rounded to two decimals; None for an unpaid place or an unknown former wage."""
    former = candidate.former_work
    wage = placement.hourly_wage
    if wage is None or former is None or former.hourly_wage is None or former.hours_per_week is None:
        return None
    high = wage.min if wage.max is None else wage.max
    mean = (wage.min + high) / 2
    return round(mean * placement.hours_per_week / (former.hourly_wage * former.hours_per_week), 2)


def _ord(level: int, item: str, p: Placement) -> tuple[str, RefCondition | None]:
    """Exceeded when the candidate's level is above the demand's (more limited than the
    work allows), on the edge when equal; cured by an adjusted level of at least theirs."""
    demand = p.demands.get(item)
    if demand is None:
        return PASS, None  # the work makes no demand on this item
    if level > demand:
        adjusted = p.adjustments.get(item)
        if adjusted is not None and adjusted >= level:
            return ADJUST, RefCondition("aanpassing", item, demand, adjusted)
        return EXCEED, None
    return (SIGNAL if level == demand else PASS), None


def _cond(required: list[int], item: str, p: Placement) -> tuple[str, RefCondition | None]:
    """Exceeded when the workplace states conditions and misses a required one; cured
    when the adjusted conditions hold them all."""
    met = p.demands.get(item)
    if met is None:
        return SIGNAL, None  # the workplace did not say; the coach asks
    if all(code in met for code in required):
        return PASS, None
    adjusted = p.adjustments.get(item)
    if adjusted is not None and all(code in adjusted for code in required):
        return ADJUST, RefCondition("aanpassing", item, met, adjusted)
    return EXCEED, None


def _cat(limited: list[int], item: str, p: Placement) -> tuple[str, RefCondition | None]:
    """Exceeded by an exposure the candidate is limited for; cured when the adjusted
    exposures hold none of them."""
    present = p.demands.get(item) or []
    if not set(limited) & set(present):
        return PASS, None
    adjusted = p.adjustments.get(item)
    if adjusted is not None and not set(limited) & set(adjusted):
        return ADJUST, RefCondition("aanpassing", item, present, adjusted)
    return EXCEED, None


def _evening_night(limits: list[int], p: Placement) -> tuple[str, RefCondition | None]:
    """Exceeded by evening or night work the candidate cannot do; cured when the place
    offers to take that away. The condition lists the codes asked before and after."""
    no_evening, no_night = EVENING_CODE in limits, NIGHT_CODE in limits
    if not (no_evening and p.evening) and not (no_night and p.night):
        return PASS, None
    asked = [code for code, on in ((EVENING_CODE, p.evening), (NIGHT_CODE, p.night)) if on]
    # The place as adjusted: evening or night offered as false is taken away.
    evening_left = p.evening and "evening" not in p.adjustments
    night_left = p.night and "night" not in p.adjustments
    if (no_evening and evening_left) or (no_night and night_left):
        return EXCEED, None
    left = [code for code, on in ((EVENING_CODE, evening_left), (NIGHT_CODE, night_left)) if on]
    return ADJUST, RefCondition("aanpassing", EVENING_NIGHT_ITEM, asked, left)


def _hours(item: str, limit: float, c: Candidate, p: Placement) -> tuple[str, RefCondition | None]:
    """Exceeded above the level's hours, on the edge at exactly them. The hours a week
    are cured first by a build-up (start within today's limit, full hours within the
    outlook), else, like the hours a day, by adjusted hours within the limit."""
    key = TIME_FIELD[item]
    hours = getattr(p, key)
    if hours == limit:
        return SIGNAL, None
    if hours < limit:
        return PASS, None
    outlook = c.hours_outlook
    start = p.start_hours_per_week
    if item == HOURS_PER_WEEK_ITEM and outlook is not None and start is not None \
            and start <= limit and hours <= outlook.hours_per_week:
        # Start with fewer hours today and build up to the full hours by the outlook.
        return ADJUST, RefCondition("opbouw", item, hours, start)
    adjusted = p.adjustments.get(key)
    if adjusted is not None and adjusted <= limit:
        return ADJUST, RefCondition("aanpassing", item, hours, adjusted)
    return EXCEED, None


def judge(candidate: Candidate, placement: Placement, settings: Settings | None = None) -> PairVerdict:
    """The verdict of every checked item of one place for one candidate (contract v1 and v1.1)."""
    settings = settings or get_settings()
    fml = load_catalogue()
    c, p = candidate, placement
    items: dict[str, str] = {}
    conditions: dict[str, RefCondition] = {}

    def put(item: str, outcome: tuple[str, RefCondition | None]) -> None:
        items[item] = outcome[0]
        if outcome[1] is not None:
            conditions[item] = outcome[1]

    for item, cap in c.capacity.items():
        if item in WORK_TIME_ITEMS:
            continue
        kind = fml[item].type
        if kind == ORD and cap > 0:
            put(item, _ord(cap, item, p))
        elif kind == COND and cap:
            put(item, _cond(cap, item, p))
        elif kind == CAT and cap:
            put(item, _cat(cap, item, p))
        elif kind == BIN and cap == 1:
            # A BIN aspect never excludes; the free text needs a human look.
            items[item] = SIGNAL if p.demands.get(item) is True else PASS
        # LAT items describe the person and are not compared.

    limits = c.capacity.get(EVENING_NIGHT_ITEM, [])
    if EVENING_CODE in limits or NIGHT_CODE in limits:
        put(EVENING_NIGHT_ITEM, _evening_night(limits, p))
    for item, by_level in ((HOURS_PER_DAY_ITEM, HOURS_PER_DAY_BY_LEVEL),
                           (HOURS_PER_WEEK_ITEM, HOURS_PER_WEEK_BY_LEVEL)):
        level = c.capacity.get(item, 0)
        if level > 0:  # level 0 is the norm: no limit on the hours
            put(item, _hours(item, by_level[level], c, p))

    max_km = c.max_travel_km if c.max_travel_km is not None else settings.default_max_travel_km
    (c_lat, c_lon), (p_lat, p_lon) = c.home.coords, p.location.coords
    km = float(haversine_km(c_lat, c_lon, p_lat, p_lon))
    if not km <= max_km:  # NaN: a location that no longer resolves is never within reach
        items[TRAVEL] = EXCEED
    elif km >= max_km * (1.0 - settings.travel_signal_fraction):
        items[TRAVEL] = SIGNAL
    else:
        items[TRAVEL] = PASS

    ratio = earnings_ratio(c, p)
    former = c.former_work
    if former is not None and former.hourly_wage is not None and former.hours_per_week is not None:
        # Below 65% of the former wage the work is not passend; an unpaid place is a
        # stepping stone and says so in its earnings text, not with this signal.
        items[LOON] = SIGNAL if ratio is not None and ratio < PASSEND else PASS

    return PairVerdict(items=items, available=p.status == "open" and p.positions > 0,
                       conditions=conditions, ratio=ratio, distance_km=km)


def spoor(candidate: Candidate, placement: Placement) -> int:
    """1 for a place of the candidate's own employer, else 2."""
    return 1 if candidate.employer_id is not None and candidate.employer_id == placement.employer_id else 2
