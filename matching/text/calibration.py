"""What a cosine of an encoder means: a calibration measured on ESCO, declared by the encoder.

Cosines mean different things per encoder: a hybrid packs unrelated texts near
0.2, TF-IDF near 0.1, USE near 0.3. A score component must mean the same
whatever encoder produced it, so each encoder declares a :class:`Calibration`
and the ranker maps its cosines through it.

The method (``measure``), on the Dutch ESCO occupations alone, never on the
evaluation sets:

* **related** pairs: an occupation's text ("label. description") against another
  occupation of the same ISCO unit group (4 digits): other work a person with
  that experience could plausibly do;
* **unrelated** pairs: against an occupation of another ISCO major group
  (1 digit).

Two kinds of query text are measured: ``experience`` (one occupation's text,
as one experience of a candidate is compared with a place) and ``profile``
(that text followed by a second occupation from the same ISCO sub-major group
and a line of wishes, as a whole candidate profile is). ``lo`` is the median
cosine of unrelated pairs and ``hi`` the median of related ones.

The map is a logistic curve through ``lo`` -> 0.1 and ``hi`` -> 0.9. Unlike a
clipped line it never sits flat at 0 or 1: among a list of places that all
beat (or all miss) a threshold, the better text match still scores higher. It
is monotone, so an order by cosine is kept, and depends on one pair only, so
a nightly merge and a live list give a place the same value.

Measured values are stored in ``models/calibration.json`` keyed by the
encoder's ``calibration_key`` (a stable name of the model and its parameters);
``python -m matching.text.calibration`` measures them again.
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

KINDS = ("profile", "experience")
# The logistic passes these values at lo and hi.
_LOW_VALUE, _HIGH_VALUE = 0.1, 0.9
_LOGIT = math.log(_HIGH_VALUE / (1 - _HIGH_VALUE))  # = -logit(_LOW_VALUE)
FILE_NAME = "calibration.json"
METHOD = ("logistic through lo -> 0.1 and hi -> 0.9; lo: median cosine of unrelated ESCO occupation pairs "
          "(different ISCO major group), hi: median of related pairs (same ISCO unit group); 1,500 pairs each, "
          "seed 0; see matching/text/calibration.py")


@dataclass(frozen=True)
class Range:
    lo: float  # median cosine of unrelated pairs
    hi: float  # median cosine of related pairs

    def __post_init__(self) -> None:
        if not (math.isfinite(self.lo) and math.isfinite(self.hi)) or self.hi <= self.lo:
            raise ValueError(f"calibration: hi must exceed lo, got lo={self.lo} hi={self.hi}")

    @property
    def mid(self) -> float:
        return (self.lo + self.hi) / 2

    @property
    def scale(self) -> float:
        return (self.hi - self.lo) / (2 * _LOGIT)


@dataclass(frozen=True)
class Calibration:
    """Per query kind, the cosine range that maps to 0.1 .. 0.9."""

    profile: Range
    experience: Range
    source: str = "measured"  # measured | derived | identity

    def apply(self, cosine, kind: str = "profile") -> np.ndarray:
        r = self.profile if kind == "profile" else self.experience
        z = (np.asarray(cosine, dtype=np.float64) - r.mid) / r.scale
        # Rounded like the cosines, so the value does not depend on how it was computed.
        return np.round(1.0 / (1.0 + np.exp(-z)), 9).astype(np.float32)

    def max_slope(self) -> float:
        """The steepest rise of the map per unit of cosine (at the midpoint)."""
        return max(1.0 / (4 * r.scale) for r in (self.profile, self.experience))

    def to_json(self) -> dict:
        return {"profile": [self.profile.lo, self.profile.hi], "experience": [self.experience.lo, self.experience.hi],
                "source": self.source, "method": "logistic(lo->0.1, hi->0.9)"}

    @classmethod
    def from_json(cls, data: dict) -> "Calibration":
        return cls(profile=Range(*map(float, data["profile"])), experience=Range(*map(float, data["experience"])),
                   source=str(data.get("source", "measured")))

    @classmethod
    def identity(cls) -> "Calibration":
        """For an encoder nobody measured: raw cosines, 0.25 -> 0.1 and 0.75 -> 0.9."""
        return cls(profile=Range(0.25, 0.75), experience=Range(0.25, 0.75), source="identity")

    @classmethod
    def mix(cls, parts: Sequence[tuple["Calibration", float]]) -> "Calibration":
        """A hybrid's inner product is the weighted sum of its parts' cosines; so, near
        enough, are its medians. Used only when the hybrid itself was not measured."""
        total = sum(w for _, w in parts)

        def blend(kind: str) -> Range:
            return Range(sum(w * getattr(c, kind).lo for c, w in parts) / total,
                         sum(w * getattr(c, kind).hi for c, w in parts) / total)

        return cls(profile=blend("profile"), experience=blend("experience"), source="derived")


def _default_models_dir() -> Path:
    from matching.settings import get_settings

    return get_settings().models_dir


@lru_cache(maxsize=4)
def _table(models_dir: str) -> dict[str, dict]:
    path = Path(models_dir) / FILE_NAME
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8")).get("encoders", {})


def measured(key: str, models_dir: Path | None = None) -> Calibration | None:
    """The stored calibration of ``key``, or None when it was never measured."""
    entry = _table(str(models_dir or _default_models_dir())).get(key)
    return None if entry is None else Calibration.from_json(entry)


def calibration_of(encoder) -> Calibration:
    """What the encoder declares; an encoder that declares nothing gets the identity map."""
    declared = getattr(encoder, "calibration", None)
    return declared if isinstance(declared, Calibration) else Calibration.identity()


# --------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------

_WISHES = "Graag werk waarin ik mijn ervaring kan gebruiken."


def _esco_rows(data_dir: Path) -> list[tuple[str, str]]:
    rows = []
    with open(data_dir / "esco" / "occupations_nl.csv", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if r.get("iscoGroup") and r.get("description"):
                rows.append((r["iscoGroup"], f"{r['preferredLabel']}. {r['description']}"))
    return rows


def measure(encoder, data_dir: Path, n_pairs: int = 1500, seed: int = 0) -> Calibration:
    """The calibration of ``encoder`` by the method in the module docstring."""
    rows = _esco_rows(Path(data_dir))
    groups = np.array([g for g, _ in rows])
    texts = [t for _, t in rows]
    rng = np.random.default_rng(seed)
    by_unit: dict[str, list[int]] = {}
    by_sub: dict[str, list[int]] = {}
    for i, g in enumerate(groups):
        by_unit.setdefault(g, []).append(i)
        by_sub.setdefault(g[:2], []).append(i)
    sources = [i for i in range(len(rows)) if len(by_unit[groups[i]]) > 1]
    picks = rng.choice(sources, size=min(n_pairs, len(sources)), replace=False)
    related, unrelated, second = [], [], []
    for i in picks:
        related.append(int(rng.choice([j for j in by_unit[groups[i]] if j != i])))
        while True:
            j = int(rng.integers(len(rows)))
            if groups[j][0] != groups[i][0]:
                unrelated.append(j)
                break
        second.append(int(rng.choice(by_sub[groups[i][:2]])))
    vectors = encoder.encode(texts)
    profiles = encoder.encode([f"{texts[i]} {texts[k].split('.')[0]}. {_WISHES}" for i, k in zip(picks, second)])

    def ranged(queries: np.ndarray) -> Range:
        rel = np.einsum("ij,ij->i", queries, vectors[related])
        unrel = np.einsum("ij,ij->i", queries, vectors[unrelated])
        return Range(round(float(np.median(unrel)), 4), round(float(np.median(rel)), 4))

    return Calibration(profile=ranged(profiles), experience=ranged(vectors[picks]), source="measured")


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    from matching.settings import get_settings
    from matching.text import get_encoder

    parser = argparse.ArgumentParser(description="Measure encoder calibrations on ESCO and store them")
    parser.add_argument("--encoders", default="tfidf,use,default",
                        help="comma-separated encoder names (matching.text.get_encoder)")
    args = parser.parse_args(argv)
    settings = get_settings()
    path = settings.models_dir / FILE_NAME
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    table = data.setdefault("encoders", {})
    for name in args.encoders.split(","):
        encoder = get_encoder(name.strip(), settings.model_path)
        cal = measure(encoder, settings.data_dir)
        key = getattr(encoder, "calibration_key", encoder.model_id)
        table[key] = cal.to_json()
        print(f"{name}: {key} {json.dumps(cal.to_json())}")
    data["method"] = METHOD
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    _table.cache_clear()
    print(f"written to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
