"""One location per PC4 postcode: the rule that resolves the source's duplicate rows.

GeoNames gives 220 of the 4,086 Dutch PC4 postcodes several rows. Most lie a few
km apart (a postcode that spans two villages), but nine contradict each other by
tens of km: 3523 is Utrecht (Hoograven) and also Ouddorp, a transposition of
3253 in the source. A loader that keeps the last row put a Utrecht candidate
92 km from home without a word.

Postcodes are contiguous areas numbered along the map, so the rule asks the
neighbours:

* rows that all lie within ``AGREE_KM`` of each other are one area: its point is
  their centroid (rule ``centroid``);
* otherwise the row nearest the median point of the ``NEIGHBOURS`` postcodes
  nearest in number that have a single row wins, with any rows within
  ``AGREE_KM`` of it (rule ``neighbours``); the others are dropped as errors of
  the source. Nearest in number, not two below and two above: at the end of a
  range (7991 Dwingeloo, then 8011 Zwolle) the far side is another region.
* a postcode with one row that lies more than ``STRAY_KM`` from that median is
  an error of the source too (5217 's-Gravenhage amid 's-Hertogenbosch, 3062
  Rotterdam in the sea): it takes the place most of its neighbours share and
  their median point (rule ``replaced``), or is left out when they share none
  (rule ``dropped``). Rows between 15 km and ``STRAY_KM`` from the median are
  kept: islands, harbours and the ends of number ranges lie there
  (``postcode_conflicts.tsv`` lists them as ``far``).

The rule runs when the data is built (``scripts/build_postcodes.py``); the
engine reads the built file, so every process sees the same point.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from matching.reference.distance import haversine_km

AGREE_KM = 10.0
NEIGHBOURS = 4
STRAY_KM = 35.0
# Farther than this from the neighbours' median and still kept: listed, for a reader to check.
FAR_KM = 15.0

# GeoNames' admin1 codes for the Netherlands; the source names them in English.
PROVINCES = {
    "01": "Drenthe", "02": "Friesland", "03": "Gelderland", "04": "Groningen", "05": "Limburg",
    "06": "Noord-Brabant", "07": "Noord-Holland", "09": "Utrecht", "10": "Zeeland", "11": "Zuid-Holland",
    "15": "Overijssel", "16": "Flevoland",
}
_MUNICIPALITY_NOISE = ("Gemeente ", " Municipalitye", " Municipality", " Municipalty")


@dataclass(frozen=True)
class SourceRow:
    """One row of the GeoNames postcode file."""

    postcode: str
    place: str
    province_code: str
    municipality: str
    municipality_code: str
    lat: float
    lon: float


@dataclass(frozen=True)
class ResolvedPostcode:
    postcode: str
    place: str
    municipality: str
    municipality_code: str
    province: str
    lat: float
    lon: float
    rule: str  # "" (one row), "centroid", "neighbours", "replaced", "far" or "dropped"
    kept: tuple[str, ...]
    dropped: tuple[str, ...]
    # How far apart the source's rows lie (centroid, neighbours), or how far the
    # one row lies from its neighbours' median (replaced, far, dropped).
    km: float


def clean_municipality(name: str) -> str:
    for noise in _MUNICIPALITY_NOISE:
        if noise.startswith(" ") and name.endswith(noise):
            name = name[: -len(noise)]
        elif not noise.startswith(" ") and name.startswith(noise):
            name = name[len(noise):]
    return name.rstrip(".").strip()


def _spread(rows: Sequence[SourceRow]) -> float:
    lat = np.array([r.lat for r in rows])
    lon = np.array([r.lon for r in rows])
    return float(haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :]).max())


def nearest_in_number(code: int, anchors: Sequence[int], k: int = NEIGHBOURS) -> list[int]:
    """The ``k`` postcodes of sorted ``anchors`` nearest in number to ``code`` (itself left out)."""
    at = bisect.bisect_left(anchors, code)
    window = [a for a in anchors[max(0, at - k):at + k + 1] if a != code]
    return sorted(window, key=lambda a: (abs(a - code), a))[:k]


def neighbour_median(code: int, anchors: Sequence[int], points: dict[int, tuple[float, float]],
                     k: int = NEIGHBOURS) -> tuple[float, float]:
    """Median point of the ``k`` anchor postcodes nearest in number to ``code``."""
    near = np.array([points[a] for a in nearest_in_number(code, anchors, k)])
    return float(np.median(near[:, 0])), float(np.median(near[:, 1]))


def resolve_postcodes(rows: Iterable[SourceRow]) -> list[ResolvedPostcode]:
    """One point, place and municipality per postcode, by the rule in the module docstring."""
    by_code: dict[str, list[SourceRow]] = {}
    for row in rows:
        by_code.setdefault(row.postcode, []).append(row)
    anchors = sorted(int(pc) for pc, group in by_code.items() if len(group) == 1)
    anchor_points = {int(pc): (group[0].lat, group[0].lon) for pc, group in by_code.items() if len(group) == 1}

    first: dict[int, ResolvedPostcode] = {}
    for pc in sorted(by_code, key=int):
        group = by_code[pc]
        spread = _spread(group) if len(group) > 1 else 0.0
        if len(group) == 1:
            kept, rule = group, ""
        elif spread <= AGREE_KM:
            kept, rule = group, "centroid"
        else:
            mlat, mlon = neighbour_median(int(pc), anchors, anchor_points)
            best = group[int(np.argmin(_km_to(mlat, mlon, group)))]
            kept, rule = [r for r, km in zip(group, _km_to(best.lat, best.lon, group)) if km <= AGREE_KM], "neighbours"
        first[int(pc)] = _merge(pc, kept, group, rule, spread)

    # Single rows far from every neighbour: judged against the resolved points.
    codes = sorted(first)
    points = {c: (r.lat, r.lon) for c, r in first.items()}
    out: list[ResolvedPostcode] = []
    for code in codes:
        r = first[code]
        near = nearest_in_number(code, codes)
        mlat, mlon = neighbour_median(code, codes, points)
        km = float(haversine_km(mlat, mlon, r.lat, r.lon))
        if r.rule == "" and km > STRAY_KM:
            stray = (f"{r.place} ({r.lat:.2f}, {r.lon:.2f})",)  # the point, for a stray with the right name
            names = [first[n].place for n in near]
            place = max(names, key=lambda name: (names.count(name), -names.index(name)))
            if names.count(place) < 2:
                out.append(dataclasses.replace(r, rule="dropped", kept=(), dropped=stray, km=round(km, 1)))
                continue
            same = [first[n] for n in near if first[n].place == place]
            lat = float(np.median([n.lat for n in same]))
            lon = float(np.median([n.lon for n in same]))
            out.append(dataclasses.replace(
                same[0], postcode=r.postcode, lat=round(lat, 5), lon=round(lon, 5), rule="replaced",
                kept=(place,), dropped=stray, km=round(km, 1)))
        elif r.rule == "" and km > FAR_KM:
            out.append(dataclasses.replace(r, rule="far", km=round(km, 1)))
        else:
            out.append(r)
    return out


def _km_to(lat: float, lon: float, rows: Sequence[SourceRow]) -> np.ndarray:
    return haversine_km(lat, lon, [r.lat for r in rows], [r.lon for r in rows])


def _merge(pc: str, kept: Sequence[SourceRow], group: Sequence[SourceRow], rule: str,
           spread: float) -> ResolvedPostcode:
    lat = float(np.mean([r.lat for r in kept]))
    lon = float(np.mean([r.lon for r in kept]))
    # The place shown is the kept row nearest the point; its admin fields, or
    # those of any kept row when the source left them empty.
    named = kept[int(np.argmin(_km_to(lat, lon, kept)))]
    municipality = next((r for r in [named, *kept] if r.municipality), named)
    province = next((r.province_code for r in [named, *kept] if r.province_code), "")
    return ResolvedPostcode(
        postcode=pc, place=named.place, municipality=clean_municipality(municipality.municipality),
        municipality_code=municipality.municipality_code, province=PROVINCES.get(province, ""),
        lat=round(lat, 5), lon=round(lon, 5), rule=rule,
        kept=tuple(dict.fromkeys(r.place for r in kept)) if rule else (),
        dropped=tuple(dict.fromkeys(r.place for r in group if r not in kept)),
        km=round(spread, 1))
