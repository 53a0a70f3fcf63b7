"""Drawing helpers shared by the place and candidate generators: the seeded
streams, chunking, sampling by a CDF, a record's pre-drawn uniforms, and
postcodes weighted by population."""

from __future__ import annotations

import csv
import math
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from matching.demo.vocabulary import SECTORS
from matching.reference.geo import haversine_km, load_gazetteer, normalise_place
from matching.settings import get_settings

# Fixed, so that a seed gives the same records whatever the caller's n.
CHUNK = 20_000
# Independent streams: the places of seed 3 must not share draws with its candidates.
_PLACEMENT_STREAM = 0x5B1A
_CANDIDATE_STREAM = 0xCA4D
# The terms of contract v1.1 (wages, start hours, adjustments, former work, own
# employers, build-up prognoses) come from streams of their own, so adding them left
# every v1 field of a seed's records as it was.
_TERMS_STREAM = 0x7E45
# The day generated dates count from ("from" of a build-up prognosis): fixed, so a
# seed always gives the same records; the demo moves them to its own today.
REFERENCE_DATE = date(2027, 1, 4)

# Dutch people say Den Haag; the postcode file says 's-Gravenhage.
_DISPLAY_PLACE = {"'s-Gravenhage": "Den Haag"}
# A home typed as a place name lies this close to the postcode it was drawn at.
_HOME_NAME_KM = 10.0


class _Draws:
    """Hands out one record's pre-drawn uniforms, so Python picks stay seeded."""

    __slots__ = ("_it",)

    def __init__(self, row: list[float]):
        self._it = iter(row)

    def u(self) -> float:
        return next(self._it)

    def pick(self, seq: Sequence[Any]) -> Any:
        return seq[int(next(self._it) * len(seq))]

    def chance(self, p: float) -> bool:
        return next(self._it) < p

    def sample(self, seq: Sequence[Any], k: int) -> list[Any]:
        """k distinct items, in random order (a partial Fisher-Yates shuffle)."""
        pool = list(seq)
        k = min(k, len(pool))
        for i in range(k):
            j = i + int(next(self._it) * (len(pool) - i))
            pool[i], pool[j] = pool[j], pool[i]
        return pool[:k]


@lru_cache(maxsize=4)
def _postcode_table(data_dir: Path) -> tuple[tuple[str, ...], tuple[str, ...], np.ndarray]:
    """All gazetteer postcodes, their display place, and a sampling CDF by population.

    A postcode's weight is its place's population shared over the place's
    postcodes, so cities get many candidates and places, villages a few.
    """
    gaz = load_gazetteer(data_dir)
    codes = tuple(sorted(gaz.postcodes))
    population: dict[str, int] = {}
    path = data_dir / "geo" / "geonames_places_NL.csv"
    if path.exists():
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                key = normalise_place(row["name"])
                pop = int(float(row["population"] or 0))
                population[key] = max(population.get(key, 0), pop)
    place_keys = [normalise_place(gaz.postcodes[pc].place) for pc in codes]
    counts: dict[str, int] = {}
    for key in place_keys:
        counts[key] = counts.get(key, 0) + 1
    # A floor keeps villages missing from GeoNames' population column in play.
    weights = np.array([max(population.get(k, 0), 1000) / counts[k] for k in place_keys], dtype=np.float64)
    cdf = np.cumsum(weights)
    cdf /= cdf[-1]
    names = tuple(_DISPLAY_PLACE.get(gaz.postcodes[pc].place, gaz.postcodes[pc].place) for pc in codes)
    return codes, names, cdf


def _postcodes() -> tuple[tuple[str, ...], tuple[str, ...], np.ndarray]:
    return _postcode_table(Path(get_settings().data_dir))


@lru_cache(maxsize=4)
def _postcode_coords_for(data_dir: Path) -> tuple[np.ndarray, np.ndarray]:
    """Latitude and longitude of every postcode of :func:`_postcodes`, in its order."""
    gaz = load_gazetteer(data_dir)
    codes = _postcode_table(data_dir)[0]
    coords = np.array([gaz.postcodes[pc].coords for pc in codes], dtype=np.float64).reshape(-1, 2)
    return coords[:, 0], coords[:, 1]


def _postcode_coords() -> tuple[np.ndarray, np.ndarray]:
    return _postcode_coords_for(Path(get_settings().data_dir))


@lru_cache(maxsize=4)
def _home_names_for(data_dir: Path) -> tuple[str, ...]:
    """Per postcode of :func:`_postcodes`, the place name a coach would type for a home
    there: the display name, with its province when the name alone is ambiguous, or
    "" when neither lands within a few km (the home then keeps its postcode)."""
    gaz = load_gazetteer(data_dir)
    codes, names, _ = _postcode_table(data_dir)
    out = []
    for pc, name in zip(codes, names):
        here = gaz.postcodes[pc]
        chosen = ""
        for typed in (name, f"{name} ({here.province})"):
            try:
                found = gaz.resolve(typed)
            except ValueError:
                continue
            if float(haversine_km(*found.coords, *here.coords)) <= _HOME_NAME_KM:
                chosen = typed
                break
        out.append(chosen)
    return tuple(out)


def _home_names() -> tuple[str, ...]:
    return _home_names_for(Path(get_settings().data_dir))


def _draw_index(cdf: np.ndarray, u: np.ndarray) -> np.ndarray:
    return np.minimum(np.searchsorted(cdf, u, side="right"), len(cdf) - 1)


def _round_wage(value: float) -> float:
    """A wage as employers write it: whole five-cent steps, rounded up, so a wage at the
    bottom of a band never falls under the statutory minimum."""
    return round(math.ceil(value * 20 - 1e-9) / 20, 2)


def _cdf(weights: Sequence[float]) -> np.ndarray:
    cdf = np.cumsum(np.asarray(weights, dtype=np.float64))
    return cdf / cdf[-1]


_SECTOR_CDF = _cdf([s.weight for s in SECTORS])
