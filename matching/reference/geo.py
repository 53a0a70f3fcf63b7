"""Dutch locations: PC4 postcodes and place names to coordinates, and distances.

Read once from the GeoNames files in the data folder; never from the network.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from matching.settings import get_settings

EARTH_RADIUS_KM = 6371.0088
_PC4 = re.compile(r"^\s*([1-9]\d{3})\s*(?:[A-Za-z]{2})?\s*$")


def normalise_place(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = text.lower().replace("-", " ").replace("'", "")
    return " ".join(text.split())


def parse_postcode(value: str) -> str | None:
    """The four digits that count ("6511 AB" -> "6511"), or None when malformed."""
    match = _PC4.match(value)
    return match.group(1) if match else None


@dataclass(frozen=True)
class Gazetteer:
    postcodes: dict[str, tuple[float, float]]
    places: dict[str, tuple[float, float]]
    postcode_place: dict[str, str]

    def postcode(self, value: str) -> tuple[float, float] | None:
        pc = parse_postcode(value)
        return self.postcodes.get(pc) if pc else None

    def place(self, name: str) -> tuple[float, float] | None:
        return self.places.get(normalise_place(name))

    def sample_postcodes(self) -> list[str]:
        return sorted(self.postcodes)


def read_gazetteer(geo_dir: Path) -> Gazetteer:
    postcodes: dict[str, tuple[float, float]] = {}
    postcode_place: dict[str, str] = {}
    with (geo_dir / "geonames_postalcodes_NL_pc4.txt").open(encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if len(row) < 11 or not row[9]:
                continue
            postcodes[row[1]] = (float(row[9]), float(row[10]))
            postcode_place[row[1]] = row[2]

    # Several places share a name; the most populous one is what people mean.
    best: dict[str, tuple[int, float, float]] = {}

    def offer(name: str, pop: int, lat: float, lon: float) -> None:
        key = normalise_place(name)
        if key and (key not in best or pop > best[key][0]):
            best[key] = (pop, lat, lon)

    with (geo_dir / "geonames_places_NL.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            lat, lon = float(row["latitude"]), float(row["longitude"])
            pop = int(float(row["population"] or 0))
            offer(row["name"], pop, lat, lon)
            offer(row["asciiname"], pop, lat, lon)
            for alt in (row["alternatenames"] or "").split(","):
                # Alternate names lose against the place that carries the name itself.
                offer(alt, -1, lat, lon)
    # Places known only from the postcode file: the centre of their postcodes.
    by_place: dict[str, list[tuple[float, float]]] = {}
    for pc, name in postcode_place.items():
        by_place.setdefault(normalise_place(name), []).append(postcodes[pc])
    for key, coords in by_place.items():
        if key not in best:
            arr = np.asarray(coords)
            best[key] = (-2, float(arr[:, 0].mean()), float(arr[:, 1].mean()))
    places = {k: (lat, lon) for k, (_, lat, lon) in best.items()}
    return Gazetteer(postcodes=postcodes, places=places, postcode_place=postcode_place)


@lru_cache(maxsize=4)
def _load(geo_dir: Path) -> Gazetteer:
    return read_gazetteer(geo_dir)


def load_gazetteer(data_dir: Path | None = None) -> Gazetteer:
    data_dir = data_dir or get_settings().data_dir
    return _load(Path(data_dir) / "geo")


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance in km; broadcasts over numpy arrays."""
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(a, dtype=np.float64)) for a in (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
