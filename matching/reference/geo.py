"""Dutch locations: PC4 postcodes and place names to a place, municipality and point.

Read once from the data folder; never from the network. Postcodes come from the
built ``postcodes_nl.tsv`` (one row per postcode, see
``matching/reference/postcodes.py``); place names from GeoNames' populated
places and the postcodes' own place names.

A place name that several real places carry ("Bergen": Noord-Holland and
Limburg) is refused with the choices named rather than guessed: a guess put a
coach's candidate 150 km from home. A real place is one with postcodes of its
own, a population of at least ``REAL_POPULATION`` or a municipality seat; a
hamlet that shares a town's name does not make the town's name ambiguous.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from matching.reference.distance import EARTH_RADIUS_KM, haversine_km
from matching.reference.postcodes import PROVINCES
from matching.settings import get_settings

__all__ = [
    "EARTH_RADIUS_KM", "AmbiguousPlace", "Gazetteer", "Locality", "UnknownPlace", "haversine_km",
    "load_gazetteer", "normalise_place", "parse_postcode",
]

POSTCODES_FILE = "postcodes_nl.tsv"
PLACES_FILE = "geonames_places_NL.csv"
# Entries of one name closer than this are one place (a town centre and its postcodes' centroid).
SAME_PLACE_KM = 15.0
REAL_POPULATION = 1000
_PC4 = re.compile(r"^\s*([1-9]\d{3})\s*(?:[A-Za-z]{2})?\s*$")
# "Bergen (L)", "Bergen, Limburg"; and the source's own "Bergen L", "Hengelo (Gld)".
_BRACKETS = re.compile(r"^(.*\S)\s*\(([^()]+)\)$")
_COMMA = re.compile(r"^([^,]*\S)\s*,\s*(\S.*)$")
_TRAILING = re.compile(r"^(.*\S)\s+(\S+)$")

_PROVINCE_ALIASES = {
    "Drenthe": ("drenthe", "dr", "d"),
    "Friesland": ("friesland", "fryslan", "fr", "f"),
    "Gelderland": ("gelderland", "guelders", "gld", "gl", "ge"),
    "Groningen": ("groningen", "gr", "gn"),
    "Limburg": ("limburg", "l", "lb", "li", "lim"),
    "Noord-Brabant": ("noord brabant", "north brabant", "brabant", "nb", "n b", "br"),
    "Noord-Holland": ("noord holland", "north holland", "nh", "n h"),
    "Utrecht": ("utrecht", "ut", "u"),
    "Zeeland": ("zeeland", "zl", "zld", "z"),
    "Zuid-Holland": ("zuid holland", "south holland", "zh", "z h"),
    "Overijssel": ("overijssel", "ov", "ovl", "o"),
    "Flevoland": ("flevoland", "fl", "fld", "flev"),
}
PROVINCE_BY_ALIAS = {alias: prov for prov, aliases in _PROVINCE_ALIASES.items() for alias in aliases}
# GeoNames names a few places by their English exonym; coaches read Dutch.
_DUTCH_NAMES = {"The Hague": "Den Haag"}
# Only these short forms count when written after a name without brackets ("Bergen L"):
# a longer word there is part of the name ("Den Ham", "Smalle Ee").
_TRAILING_ALIASES = {"nh", "zh", "nb", "ut", "gld", "gn", "gr", "l", "lb", "dr", "fr", "ov", "zl", "fl"}


def normalise_place(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = text.lower().replace("-", " ").replace("'", "").replace(".", " ")
    return " ".join(text.split())


def parse_postcode(value: str) -> str | None:
    """The four digits that count ("6511 AB" -> "6511"), or None when malformed."""
    match = _PC4.match(value)
    return match.group(1) if match else None


@dataclass(frozen=True)
class Locality:
    """Where a postcode, place name or point lies, in words a coach checks at a glance."""

    place: str
    municipality: str
    province: str
    lat: float
    lon: float

    @property
    def coords(self) -> tuple[float, float]:
        return self.lat, self.lon

    def label(self) -> str:
        """"Utrecht (gemeente Utrecht, Utrecht)"; the municipality is left out when it is the place."""
        parts = [] if self.municipality in ("", self.place) else [f"gemeente {self.municipality}"]
        parts += [self.province] if self.province else []
        return f"{self.place} ({', '.join(parts)})" if parts else self.place


class UnknownPlace(ValueError):
    pass


class AmbiguousPlace(ValueError):
    def __init__(self, name: str, choices: list[str]):
        self.choices = choices
        super().__init__(f"{name!r} is ambiguous: {', '.join(choices)}; give a postcode or the province")


@dataclass
class _Entry:
    locality: Locality
    population: int
    real: bool
    postcodes: int = 0


@dataclass
class Gazetteer:
    postcodes: dict[str, Locality]
    names: dict[str, list[_Entry]] = field(repr=False)
    # Other names (GeoNames' alternate names: old spellings, local forms) of places
    # no main name is spelled like; resolved by the same rule as main names, so one
    # alternate shared by two towns far apart is refused with both, not guessed.
    alternates: dict[str, list[_Entry]] = field(repr=False)

    def __post_init__(self) -> None:
        codes = sorted(self.postcodes)
        self._codes = np.array(codes)
        self._points = np.array([self.postcodes[c].coords for c in codes]).reshape(-1, 2)

    # -- postcodes
    def postcode(self, value: str) -> tuple[float, float] | None:
        found = self.locality(value)
        return found.coords if found else None

    def locality(self, postcode: str) -> Locality | None:
        pc = parse_postcode(postcode)
        return self.postcodes.get(pc) if pc else None

    def nearest(self, lat: float, lon: float) -> tuple[str, Locality]:
        """The postcode whose point lies nearest to (lat, lon)."""
        at = int(np.argmin(haversine_km(lat, lon, self._points[:, 0], self._points[:, 1])))
        code = str(self._codes[at])
        return code, self.postcodes[code]

    # -- place names
    def resolve(self, name: str) -> Locality:
        """The one place ``name`` means; refuses an unknown or an ambiguous name with the choices."""
        key = normalise_place(name)
        split = split_qualifier(name)
        base = qualifier = None
        if split is not None:
            base, qualifier = normalise_place(split[0]), normalise_place(split[1])
        for table in (self.names, self.alternates):
            if key in table:
                return self._pick(name, table[key], None)
            if base in table:
                return self._pick(name, table[base], qualifier)
        raise UnknownPlace(f"unknown place {name!r}")

    def place(self, name: str) -> tuple[float, float] | None:
        """The point of an unambiguous place name, or None (ambiguous or unknown)."""
        try:
            return self.resolve(name).coords
        except ValueError:
            return None

    def _pick(self, name: str, entries: list[_Entry], qualifier: str | None) -> Locality:
        real = [e for e in entries if e.real] or entries[:1]
        if qualifier is not None:
            province = PROVINCE_BY_ALIAS.get(qualifier)
            fits = [e for e in real if e.locality.province == province
                    or normalise_place(e.locality.municipality) == qualifier]
            if len(fits) == 1:
                return fits[0].locality
            if not fits:
                raise UnknownPlace(f"{name!r}: no {real[0].locality.place} in {province or qualifier!r}; "
                                   f"known are {', '.join(_choices(real))}")
            real = fits
        if len(real) > 1:
            raise AmbiguousPlace(name, _choices(real))
        return real[0].locality


def _choices(entries: list[_Entry]) -> list[str]:
    provinces = [e.locality.province for e in entries]
    out = []
    for e in entries:
        loc = e.locality
        where = loc.province if provinces.count(loc.province) == 1 else f"{loc.municipality}, {loc.province}"
        out.append(f"{loc.place} ({where})")
    return out


def split_qualifier(name: str) -> tuple[str, str] | None:
    """("Bergen", "L") from "Bergen (L)", "Bergen, Limburg" or the source's "Bergen L"; else None.

    A word after a name without brackets or comma counts only when it is a short
    province form: "Den Ham" and "Smalle Ee" are names.
    """
    name = name.strip()
    for pattern in (_BRACKETS, _COMMA, _TRAILING):
        match = pattern.match(name)
        if match and (pattern is not _TRAILING or normalise_place(match.group(2)) in _TRAILING_ALIASES):
            return match.group(1), match.group(2)
    return None


def _base_name(name: str) -> str:
    """The source's "Bergen (NH)", "Bergen L" -> "Bergen"; other names as they are."""
    split = split_qualifier(name)
    return split[0] if split is not None and normalise_place(split[1]) in PROVINCE_BY_ALIAS else name


def read_gazetteer(geo_dir: Path) -> Gazetteer:
    postcodes: dict[str, Locality] = {}
    municipality_of: dict[int, str] = {}
    towns: dict[tuple[str, str, str], list[Locality]] = {}
    with (geo_dir / POSTCODES_FILE).open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            loc = Locality(place=row["place"], municipality=row["municipality"], province=row["province"],
                           lat=float(row["lat"]), lon=float(row["lon"]))
            postcodes[row["postcode"]] = loc
            if row["municipality_code"]:
                municipality_of[int(row["municipality_code"])] = row["municipality"]
            towns.setdefault((_base_name(loc.place), loc.municipality, loc.province), []).append(loc)

    candidates: dict[str, list[_Entry]] = {}
    for (place, municipality, province), locs in towns.items():
        centre = Locality(place=place, municipality=municipality, province=province,
                          lat=float(np.mean([p.lat for p in locs])), lon=float(np.mean([p.lon for p in locs])))
        candidates.setdefault(normalise_place(place), []).append(
            _Entry(centre, population=0, real=True, postcodes=len(locs)))

    alternates: dict[str, list[_Entry]] = {}
    with (geo_dir / PLACES_FILE).open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            pop = int(float(row["population"] or 0))
            province = PROVINCES.get(f"{int(float(row['admin1code'] or 0)):02d}", "")
            municipality = municipality_of.get(int(float(row["admin2code"] or 0)), "")
            name = _DUTCH_NAMES.get(row["name"], row["name"])
            loc = Locality(place=name, municipality=municipality, province=province,
                           lat=float(row["latitude"]), lon=float(row["longitude"]))
            real = pop >= REAL_POPULATION or row["featurecode"] in ("PPLA", "PPLA2", "PPLC")
            for key in {normalise_place(name), normalise_place(row["asciiname"])} - {""}:
                candidates.setdefault(key, []).append(_Entry(loc, population=pop, real=real))
            for key in {normalise_place(alt) for alt in [*(row["alternatenames"] or "").split(","), row["name"]]}:
                if key:
                    alternates.setdefault(key, []).append(_Entry(loc, population=pop, real=real))

    names = {key: _merge_same_places(entries) for key, entries in candidates.items()}
    return Gazetteer(postcodes=postcodes, names=names,
                     alternates={k: _merge_same_places(v) for k, v in alternates.items() if k not in names})


def _merge_same_places(entries: list[_Entry]) -> list[_Entry]:
    """One entry per place: GeoNames' town centre with the postcodes' name and admin, most populous first."""
    entries = sorted(entries, key=lambda e: (-e.postcodes, -e.population))
    merged: list[_Entry] = []
    for e in entries:
        same = next((m for m in merged if float(haversine_km(*m.locality.coords, *e.locality.coords))
                     <= SAME_PLACE_KM and (not m.locality.province or not e.locality.province
                                            or m.locality.province == e.locality.province)), None)
        if same is None:
            merged.append(_Entry(e.locality, e.population, e.real, e.postcodes))
            continue
        if e.postcodes == 0 and same.population == 0:
            # The populated place's centre is where people mean; keep the postcodes' names.
            same.locality = Locality(place=same.locality.place, municipality=same.locality.municipality,
                                     province=same.locality.province, lat=e.locality.lat, lon=e.locality.lon)
        same.population = max(same.population, e.population)
        same.real = same.real or e.real
        same.postcodes += e.postcodes
    return sorted(merged, key=lambda e: (-e.population, -e.postcodes))


@lru_cache(maxsize=4)
def _load(geo_dir: Path) -> Gazetteer:
    return read_gazetteer(geo_dir)


def load_gazetteer(data_dir: Path | None = None) -> Gazetteer:
    data_dir = data_dir or get_settings().data_dir
    return _load(Path(data_dir) / "geo")
