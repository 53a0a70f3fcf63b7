"""The Functionele Mogelijkhedenlijst (FML): the catalogue of items and their levels.

Items are keyed by a stable id (``"IV.13"``) plus :data:`FML_VERSION`, because older
FML layouts numbered items differently. Everything about an item that the rest of
the engine needs (type, valid codes, Dutch texts for reasons) is read from here.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from matching.settings import get_settings

FML_VERSION = "fml-uwv-2015-transcribed-v1"

ORD, CAT, COND, BIN, LAT = "ORD", "CAT", "COND", "BIN", "LAT"
ITEM_TYPES = (ORD, CAT, COND, BIN, LAT)

# Work hours are compared with VI.1-VI.3 through the place's own fields
# (hours_per_day, hours_per_week, evening, night), not through demands.
EVENING_NIGHT_ITEM = "VI.1"
HOURS_PER_DAY_ITEM = "VI.2"
HOURS_PER_WEEK_ITEM = "VI.3"
WORK_TIME_ITEMS = frozenset({EVENING_NIGHT_ITEM, HOURS_PER_DAY_ITEM, HOURS_PER_WEEK_ITEM})
EVENING_CODE = 1
NIGHT_CODE = 2

# Level -> hours the candidate can work. Level 0 ("gemiddeld >= 8 uur/dag") is the
# norm and sets no limit; the contract maps levels 1-4 to about 8/6/4/2 and 40/30/20/10.
HOURS_PER_DAY_BY_LEVEL = (math.inf, 8.0, 6.0, 4.0, 2.0)
HOURS_PER_WEEK_BY_LEVEL = (math.inf, 40.0, 30.0, 20.0, 10.0)

_LEVEL_SPLIT = re.compile(r";\s*(?=\d+\s)")
_QUALIFIER = re.compile(r"^(?:(?:licht|sterk|zeer|enigszins)\s+)?beperkt\s*[:,]?\s*")
_SHORT_NAME_SUFFIXES = (" in het dagelijks functioneren",)


@dataclass(frozen=True)
class FmlItem:
    id: str
    rubriek: str
    rubriek_name: str
    number: int
    text: str
    type: str
    levels: dict[int, str]

    @property
    def name(self) -> str:
        """The item name as a coach says it ("Tillen", "Staan tijdens het werk")."""
        name = self.text
        for suffix in _SHORT_NAME_SUFFIXES:
            if name.endswith(suffix):
                name = name[: -len(suffix)]
        return name

    @property
    def max_level(self) -> int:
        return max(self.levels)

    @property
    def codes(self) -> tuple[int, ...]:
        """Valid non-norm codes (CAT/COND/LAT/BIN) or levels above the norm (ORD)."""
        return tuple(sorted(c for c in self.levels if c > 0))

    def phrase(self, level: int) -> str:
        """What a level means, in words that fit after "kan" or "het werk vraagt"."""
        text = self.levels.get(level, "")
        if level == 0 and not text:
            return "de normaalwaarde"
        text = text.split(" — ")[0].strip()
        text = _QUALIFIER.sub("", text).replace("≈", "ongeveer").strip(" ;:")
        if not text or text.startswith("namelijk") or text.startswith("…"):
            return f"niveau {level}"
        return text


def _parse_levels(raw: str) -> dict[int, str]:
    levels: dict[int, str] = {}
    for part in _LEVEL_SPLIT.split(raw.strip()):
        code, _, text = part.strip().partition(" ")
        levels[int(code)] = text.strip()
    if 0 not in levels:
        levels[0] = ""
    return levels


@dataclass(frozen=True)
class FmlCatalogue:
    version: str
    items: dict[str, FmlItem]

    def __getitem__(self, item_id: str) -> FmlItem:
        return self.items[item_id]

    def __contains__(self, item_id: object) -> bool:
        return item_id in self.items

    def ids(self, item_type: str) -> tuple[str, ...]:
        return tuple(i for i, it in self.items.items() if it.type == item_type)

    def hours_limits(self, day_level: int, week_level: int) -> tuple[float, float]:
        return HOURS_PER_DAY_BY_LEVEL[day_level], HOURS_PER_WEEK_BY_LEVEL[week_level]


def read_catalogue(path: Path) -> FmlCatalogue:
    items: dict[str, FmlItem] = {}
    with path.open(encoding="utf-8") as fh:
        rows = (line for line in fh if not line.startswith("#"))
        for row in csv.DictReader(rows, delimiter="\t"):
            raw_type = row["type"].strip()
            # II.6 is printed as CAT/ORD: its codes are kinds of limitation, so it
            # is matched as a set of flags, like the other CAT items.
            item_type = CAT if raw_type == "CAT/ORD" else raw_type
            if item_type not in ITEM_TYPES:
                raise ValueError(f"{path}: item {row['item_id']}: unknown type {raw_type!r}")
            items[row["item_id"]] = FmlItem(
                id=row["item_id"],
                rubriek=row["rubriek"],
                rubriek_name=row["rubriek_naam"],
                number=int(row["item_nr"]),
                text=row["item"].strip(),
                type=item_type,
                levels=_parse_levels(row["levels"]),
            )
    return FmlCatalogue(version=FML_VERSION, items=items)


@lru_cache(maxsize=4)
def _load(data_dir: str | Path) -> FmlCatalogue:
    return read_catalogue(Path(data_dir) / "fml" / "fml_items.tsv")


def load_catalogue(data_dir: Path | None = None) -> FmlCatalogue:
    """The FML catalogue from the data folder, read once per process.

    Cached by the folder as given: validating a place calls this, and the batch
    validates thousands, so no path is built on the way to the cache.
    """
    return _load(data_dir or get_settings().data_dir)
