"""A plain per-pair reading of the contract's verdict table: the test oracle.

Written straight from contract.md, sharing nothing with the vectorised engine
but the FML catalogue, so the two can be checked against each other.
"""

from __future__ import annotations

import math

from matching.reference.fml import load_catalogue
from matching.contract.models import Candidate, Placement

DAY = {0: math.inf, 1: 8, 2: 6, 3: 4, 4: 2}
WEEK = {0: math.inf, 1: 40, 2: 30, 3: 20, 4: 10}


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lat1, lon1), (lat2, lon2) = a, b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, h)))


def verdicts(c: Candidate, p: Placement, default_max_km: float = 45.0) -> dict[str, str]:
    """Every item that is not a plain pass, with its verdict."""
    fml = load_catalogue()
    out: dict[str, str] = {}
    for item_id, cap in c.capacity.items():
        kind = fml[item_id].type
        if item_id in ("VI.1", "VI.2", "VI.3"):
            continue
        dem = p.demands.get(item_id)
        if kind == "ORD":
            if dem is None or cap == 0:
                continue
            if cap > dem:
                out[item_id] = "exceed"
            elif cap == dem:
                out[item_id] = "signal"
        elif kind == "COND":
            if not cap:
                continue
            if dem is None:
                out[item_id] = "signal"
            elif any(code not in dem for code in cap):
                out[item_id] = "exceed"
        elif kind == "CAT":
            if dem and set(cap) & set(dem):
                out[item_id] = "exceed"
        elif kind == "BIN":
            if cap == 1 and dem is True:
                out[item_id] = "signal"
    vi1 = c.capacity.get("VI.1", [])
    if (1 in vi1 and p.evening) or (2 in vi1 and p.night):
        out["VI.1"] = "exceed"
    for item_id, hours, table in (("VI.2", p.hours_per_day, DAY), ("VI.3", p.hours_per_week, WEEK)):
        limit = table[c.capacity.get(item_id, 0)]
        if hours > limit:
            out[item_id] = "exceed"
        elif hours == limit:
            out[item_id] = "signal"
    max_km = c.max_travel_km if c.max_travel_km is not None else default_max_km
    d = distance_km(c.home.coords, p.location.coords)
    if d > max_km:
        out["travel"] = "exceed"
    elif d >= 0.9 * max_km:
        out["travel"] = "signal"
    return out


def suggestable(c: Candidate, p: Placement, default_max_km: float = 45.0) -> bool:
    if p.status != "open" or p.positions <= 0:
        return False
    return "exceed" not in verdicts(c, p, default_max_km).values()
