"""Drawing helpers shared by the place and candidate generators: the seeded
streams, chunking, sampling by a CDF, a record's pre-drawn uniforms, and
postcodes weighted by population."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from matching.demo.vocabulary import SECTORS
from matching.reference.geo import load_gazetteer, normalise_place
from matching.settings import get_settings

# Fixed, so that a seed gives the same records whatever the caller's n.
CHUNK = 20_000
# Independent streams: the places of seed 3 must not share draws with its candidates.
_PLACEMENT_STREAM = 0x5B1A
_CANDIDATE_STREAM = 0xCA4D

# Dutch people say Den Haag; the postcode file says 's-Gravenhage.
_DISPLAY_PLACE = {"'s-Gravenhage": "Den Haag"}


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
    place_keys = [normalise_place(gaz.postcode_place.get(pc, "")) for pc in codes]
    counts: dict[str, int] = {}
    for key in place_keys:
        counts[key] = counts.get(key, 0) + 1
    # A floor keeps villages missing from GeoNames' population column in play.
    weights = np.array([max(population.get(k, 0), 1000) / counts[k] for k in place_keys], dtype=np.float64)
    cdf = np.cumsum(weights)
    cdf /= cdf[-1]
    names = tuple(_DISPLAY_PLACE.get(gaz.postcode_place.get(pc, ""), gaz.postcode_place.get(pc, "")) for pc in codes)
    return codes, names, cdf


def _postcodes() -> tuple[tuple[str, ...], tuple[str, ...], np.ndarray]:
    return _postcode_table(Path(get_settings().data_dir))


def _draw_index(cdf: np.ndarray, u: np.ndarray) -> np.ndarray:
    return np.minimum(np.searchsorted(cdf, u, side="right"), len(cdf) - 1)


def _cdf(weights: Sequence[float]) -> np.ndarray:
    cdf = np.cumsum(np.asarray(weights, dtype=np.float64))
    return cdf / cdf[-1]


_SECTOR_CDF = _cdf([s.weight for s in SECTORS])
