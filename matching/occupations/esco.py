"""The ESCO v1.2.0 occupation pillar as read from ``data/esco``: occupations,
their labels and descriptions, broader occupations and ISCO-08 groups."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from matching.settings import get_settings

OCCUPATION_PREFIX = "http://data.europa.eu/esco/occupation/"
ISCO_PREFIX = "http://data.europa.eu/esco/isco/C"

PREFERRED, ALTERNATIVE, HIDDEN, VARIANT = "preferred", "alternative", "hidden", "variant"


@dataclass(frozen=True)
class SurfaceForm:
    """One way ESCO names an occupation."""

    occupation: int
    text: str
    kind: str


@dataclass(frozen=True, eq=False)
class EscoOccupations:
    """The ESCO occupation pillar as the linker and the proximity need it."""

    uris: tuple[str, ...]
    labels: tuple[str, ...]
    isco: tuple[str, ...]
    descriptions: tuple[str, ...]
    surface: tuple[SurfaceForm, ...]
    # Broader occupations of each occupation (indices); ISCO groups are in `isco`.
    parents: tuple[tuple[int, ...], ...]
    isco_labels: dict[str, str]
    index: dict[str, int] = field(repr=False)

    def __len__(self) -> int:
        return len(self.uris)

    def without_surface(self, drop: Iterable[int]) -> "EscoOccupations":
        """A copy that lacks some surface forms (to evaluate on held-out labels)."""
        dropped = set(drop)
        kept = tuple(s for i, s in enumerate(self.surface) if i not in dropped)
        return EscoOccupations(self.uris, self.labels, self.isco, self.descriptions, kept,
                               self.parents, self.isco_labels, self.index)


def _split_labels(value: str) -> list[str]:
    # Some ESCO labels pack two names behind a semicolon; they are two names.
    out = []
    for line in value.split("\n"):
        for part in line.split(";"):
            part = " ".join(part.replace("\xad", "").split())
            if part:
                out.append(part)
    return out


def read_esco(esco_dir: Path) -> EscoOccupations:
    esco_dir = Path(esco_dir)
    uris: list[str] = []
    labels: list[str] = []
    isco: list[str] = []
    descriptions: list[str] = []
    surface: list[SurfaceForm] = []
    with (esco_dir / "occupations_nl.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row.get("status", "released") not in ("released", ""):
                continue
            idx = len(uris)
            uris.append(row["conceptUri"])
            labels.append(row["preferredLabel"].strip())
            isco.append(row["iscoGroup"].strip())
            descriptions.append(" ".join(row.get("description", "").split()))
            seen: set[str] = set()
            for kind, value in ((PREFERRED, row["preferredLabel"]), (ALTERNATIVE, row["altLabels"]),
                                (HIDDEN, row.get("hiddenLabels", ""))):
                for text in _split_labels(value):
                    key = text.lower()
                    if key not in seen:
                        seen.add(key)
                        surface.append(SurfaceForm(idx, text, kind))
    index = {u: i for i, u in enumerate(uris)}
    parents: list[list[int]] = [[] for _ in uris]
    with (esco_dir / "broaderRelationsOccPillar.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            child, parent = index.get(row["conceptUri"]), index.get(row["broaderUri"])
            if child is not None and parent is not None:
                parents[child].append(parent)
    isco_labels: dict[str, str] = {}
    with (esco_dir / "ISCOGroups_nl.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            isco_labels[row["code"].strip()] = row["preferredLabel"].strip()
    return EscoOccupations(tuple(uris), tuple(labels), tuple(isco), tuple(descriptions),
                           tuple(surface), tuple(tuple(p) for p in parents), isco_labels, index)


@lru_cache(maxsize=4)
def _load_esco(esco_dir: Path) -> EscoOccupations:
    return read_esco(esco_dir)


def load_esco(data_dir: Path | None = None) -> EscoOccupations:
    """ESCO occupations from ``<data_dir>/esco``, read once per process."""
    data_dir = Path(data_dir or get_settings().data_dir)
    return _load_esco(data_dir / "esco")
