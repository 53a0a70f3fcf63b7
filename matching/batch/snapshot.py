"""The open places of one nightly run, sorted so a candidate's travel radius is a few binary searches away."""

from __future__ import annotations

import json
import math
from functools import cached_property
from typing import Any, Iterable, Sequence

import numpy as np
import orjson

from matching.constraints.engine import Columns, PlacementTable
from matching.contract.models import STORED_IDS, Location, Placement, WageRange
from matching.ranking import PlacementFeatures, Ranker
from matching.reference.distance import arc_km, chord_limit, squared_chords, unit_points
from matching.reference.fml import load_catalogue

# One degree of latitude in km, and a margin so the box always holds the circle.
# Rows are sorted by latitude band of this height, then by longitude.
_CELL_DEGREES = 0.2
# Places kept ready for explanations per process (see PlaceSnapshot.placement_for_text).
_TEXT_CACHE = 8192
_KM_PER_DEGREE = 111.0
_BOX_MARGIN = 1.02


class PlaceSnapshot:
    """The open places of one run: constraint columns, scoring features, vectors.

    Rows are sorted by latitude band, then longitude (:func:`_geo_key`), so a
    candidate's travel radius is a few binary searches away. Places are kept as their contract JSON and validated only when
    one is rendered into a suggestion: a run renders a small share of them.
    Picklable (for process pools and distributed workers); :meth:`without_vectors`
    gives the light part to store beside a saved vector index.
    """

    def __init__(self, ids: np.ndarray, versions: np.ndarray, bodies: list[str], table: PlacementTable,
                 features: PlacementFeatures, vectors: np.ndarray | None,
                 ranker_fingerprint: str = "", positions: np.ndarray | None = None):
        self.ids = ids
        self.versions = versions
        self.bodies = bodies
        self.table = table
        self.features = features
        self.vectors = vectors
        # Which ranker's place features (occupation links) these are; a partition
        # refuses a snapshot built for another configuration.
        self.ranker_fingerprint = ranker_fingerprint
        if positions is None:
            positions = np.array([json.loads(b).get("positions", 1) for b in bodies], dtype=np.int64)
        self.positions = np.asarray(positions, dtype=np.int64)
        self._index()

    def _index(self) -> None:
        self.key = geo_key(self.table.lat, self.table.lon)
        self._placements: dict[int, Placement] = {}
        self._for_text: dict[int, Placement] = {}

    # Built on first use: a night builds several snapshots on the way to the one it
    # matches against, and sorting 200,000 ids for each took a second.
    @cached_property
    def id_rank(self) -> np.ndarray:
        """Each row's position in id order: the tie-break between equal scores."""
        rank = np.empty(len(self.ids), dtype=np.int64)
        rank[np.argsort(self.ids, kind="stable")] = np.arange(len(self.ids))
        return rank

    @cached_property
    def row_of(self) -> dict[str, int]:
        return {pid: i for i, pid in enumerate(self.ids)}

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        for key in ("row_of", "_placements", "_for_text", "id_rank", "key"):
            state.pop(key, None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        if "positions" not in state:  # pickled by an earlier version
            self.positions = np.array([json.loads(b).get("positions", 1) for b in self.bodies], dtype=np.int64)
        self._index()

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def dim(self) -> int:
        return 0 if self.vectors is None else int(self.vectors.shape[1])

    @classmethod
    def build(cls, placements: Sequence[Placement], vectors: np.ndarray | None, versions: Sequence[str] | None = None,
              *, ranker: Ranker, columns: Columns | None = None) -> "PlaceSnapshot":
        """A snapshot of ``placements``; ``vectors`` aligned with them (or None, to attach later)."""
        placements = list(placements)
        columns = columns or Columns.from_catalogue(load_catalogue())
        coords = np.array([p.location.coords for p in placements], dtype=np.float64).reshape(-1, 2)
        order = np.argsort(geo_key(coords[:, 0], coords[:, 1]), kind="stable")
        placements = [placements[i] for i in order]
        if vectors is not None:
            vectors = np.ascontiguousarray(np.asarray(vectors, dtype=np.float32)[order])
        if versions is None:
            versions = [""] * len(placements)
        else:
            # Copied once: a copy per place made the first night quadratic (443 s of
            # 1,200 at 176,000 places went here, not into embedding).
            given = list(versions)
            versions = [given[i] for i in order]
        snap = cls(
            ids=np.array([p.id for p in placements], dtype=object),
            versions=np.array(versions, dtype=object),
            bodies=[placement_json(p) for p in placements],
            table=PlacementTable.from_placements(placements, columns),
            features=ranker.place_features(placements),
            vectors=vectors,
            ranker_fingerprint=ranker.fingerprint_text,
            positions=np.array([p.positions for p in placements], dtype=np.int64),
        )
        # Not kept as objects: a run renders a small share of the places, and 200,000
        # validated places would hold half a gigabyte in every worker.
        return snap

    def take(self, rows: np.ndarray) -> "PlaceSnapshot":
        """The given rows (in the snapshot's order if ``rows`` ascend)."""
        rows = np.asarray(rows, dtype=np.int64)
        return PlaceSnapshot(
            ids=self.ids[rows], versions=self.versions[rows], bodies=[self.bodies[i] for i in rows],
            table=self.table.take(rows), features=self.features.take(rows),
            vectors=None if self.vectors is None else np.ascontiguousarray(self.vectors[rows]),
            ranker_fingerprint=self.ranker_fingerprint, positions=self.positions[rows])

    def replace(self, removed: Iterable[str], added: Sequence[Placement], added_vectors: np.ndarray | None,
                added_versions: Sequence[str], ranker: Ranker) -> "PlaceSnapshot":
        """A new snapshot: ``removed`` ids dropped, ``added`` places (new or changed) put in."""
        added = list(added)
        gone = set(removed) | {p.id for p in added}
        keep = np.array([pid not in gone for pid in self.ids], dtype=bool)
        if not added:
            return self.take(np.flatnonzero(keep))
        if ranker.fingerprint_text != self.ranker_fingerprint:
            raise ValueError("ranker: the snapshot was built by another ranker configuration")
        fresh = PlaceSnapshot.build(added, added_vectors, added_versions, ranker=ranker, columns=self.table.columns)
        kept = self.take(np.flatnonzero(keep))
        order = np.argsort(np.concatenate([kept.key, fresh.key]), kind="stable")
        both_vectors = None
        if kept.vectors is not None and fresh.vectors is not None:
            both_vectors = np.concatenate([kept.vectors, fresh.vectors])[order]
        bodies = kept.bodies + fresh.bodies
        merged = PlaceSnapshot(
            ids=np.concatenate([kept.ids, fresh.ids])[order],
            versions=np.concatenate([kept.versions, fresh.versions])[order],
            bodies=[bodies[i] for i in order],
            table=PlacementTable.concat([kept.table, fresh.table]).take(order),
            features=PlacementFeatures.concat([kept.features, fresh.features]).take(order),
            vectors=None if both_vectors is None else np.ascontiguousarray(both_vectors),
            ranker_fingerprint=self.ranker_fingerprint,
            positions=np.concatenate([kept.positions, fresh.positions])[order])
        return merged

    def gather(self, rows: np.ndarray) -> np.ndarray:
        """The vectors of ``rows``: ``np.take`` along the rows, a quarter quicker than
        indexing, and a candidate reads a thousand vectors of a thousand numbers."""
        return np.take(self.vectors, np.asarray(rows, dtype=np.int64), axis=0)

    def without_vectors(self) -> "PlaceSnapshot":
        light = PlaceSnapshot.__new__(PlaceSnapshot)
        light.__setstate__({**self.__getstate__(), "vectors": None})
        return light

    def with_vectors(self, vectors: np.ndarray) -> "PlaceSnapshot":
        vectors = np.ascontiguousarray(np.asarray(vectors, dtype=np.float32))
        if vectors.shape[0] != len(self):
            raise ValueError(f"vectors: {vectors.shape[0]} rows for {len(self)} places")
        full = PlaceSnapshot.__new__(PlaceSnapshot)
        full.__setstate__({**self.__getstate__(), "vectors": vectors})
        return full

    def placement(self, row: int) -> Placement:
        """The place of ``row``, validated (coordinates resolved and all)."""
        row = int(row)
        p = self._placements.get(row)
        if p is None:
            p = Placement.model_validate_json(self.bodies[row], context=STORED_IDS)
            self._placements[row] = p
        return p

    def placement_for_text(self, row: int) -> Placement:
        """The place of ``row`` for explanations: its fields as stored, not validated again.

        The bodies are dumps of places validated when the snapshot was built, so
        this is what pydantic's ``model_construct`` is for; validating again (postcode
        look-up, FML checks) was a third of the time a run spent per candidate.
        Not for anything that needs the resolved coordinates: use :meth:`placement`.
        """
        row = int(row)
        p = self._for_text.get(row)
        if p is None:
            data = orjson.loads(self.bodies[row])  # the places' own dumps: never NaN
            location = Location.model_construct(**data.pop("location"))
            # Nested models must be models here too: the earnings line reads the wage's mean.
            wage = data.pop("hourly_wage", None)
            p = Placement.model_construct(**data, location=location,
                                          hourly_wage=None if wage is None else WageRange.model_construct(**wage))
            if len(self._for_text) >= _TEXT_CACHE:
                # Neighbouring candidates (a block) share their places; a plain reset
                # keeps memory bounded without an LRU's bookkeeping.
                self._for_text.clear()
            self._for_text[row] = p
        return p

    def runs(self, lat_lo: float, lat_hi: float, lon_lo: float, lon_hi: float) -> list[tuple[int, int]]:
        """Row ranges [lo, hi) that hold every place in the box, one per latitude band, ascending."""
        out = []
        for cell in range(int(math.floor(lat_lo / _CELL_DEGREES)), int(math.floor(lat_hi / _CELL_DEGREES)) + 1):
            base = cell * _CELL_KEY
            lo = int(np.searchsorted(self.key, base + lon_lo + 180.0, side="left"))
            hi = int(np.searchsorted(self.key, base + lon_hi + 180.0, side="right"))
            if hi > lo:
                out.append((lo, hi))
        return out

    def region(self, lat: float, lon: float, km: float) -> np.ndarray:
        """Rows of every place within ``km`` of (lat, lon), and a few just beyond; ascending."""
        return self._within(lat, lon, km)[0]

    def reach(self, lat: float, lon: float, km: float) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`region` and the distance in km of each of its places, as ``evaluate`` measures it."""
        rows, squared = self._within(lat, lon, km)
        return rows, arc_km(squared)

    def _within(self, lat: float, lon: float, km: float) -> tuple[np.ndarray, np.ndarray]:
        """The region's rows and their squared chords (a region alone needs no arcsine)."""
        rows: list[np.ndarray] = []
        chords: list[np.ndarray] = []
        if len(self):
            dlat, dlon = _box(lat, km)
            here, points = unit_points(lat, lon), self.table.points()
            # The circle within the box: a fifth of the box lies beyond reach in its
            # corners, and every place kept costs a verdict. The margin keeps a place
            # the verdict would put just within reach, whatever the rounding.
            limit = chord_limit(km) * (1 + 1e-6)
            for lo, hi in self.runs(lat - dlat, lat + dlat, lon - dlon, lon + dlon):
                squared = squared_chords(here, points[:, lo:hi])
                keep = np.flatnonzero(squared <= limit)
                rows.append(keep + lo)
                chords.append(squared[keep])
        if not rows:
            return np.zeros(0, np.int64), np.zeros(0)
        return np.concatenate(rows), np.concatenate(chords)

    def distances(self, lat: float, lon: float, rows: np.ndarray) -> np.ndarray:
        """The distance in km of each of ``rows`` from (lat, lon), as ``evaluate`` measures it."""
        points = self.table.points()
        return arc_km(squared_chords(unit_points(lat, lon), points[:, np.asarray(rows, dtype=np.int64)]))


_CELL_KEY = 1000.0  # more than the 360 degrees of longitude a band spans


def geo_key(lat, lon):
    """The snapshot's sort key (scalars or arrays): latitude band, then longitude."""
    return np.floor(np.asarray(lat) / _CELL_DEGREES) * _CELL_KEY + (np.asarray(lon) + 180.0)


def _box(lat: float, km: float) -> tuple[float, float]:
    """Half height and half width in degrees of a box that holds a circle of ``km`` around ``lat``."""
    dlat = km * _BOX_MARGIN / _KM_PER_DEGREE
    # The widest longitude span of the circle is at the box's edge nearest a pole.
    widest = min(abs(lat) + dlat, 89.0)
    return dlat, km * _BOX_MARGIN / (_KM_PER_DEGREE * math.cos(math.radians(widest)))


def placement_json(p: Placement) -> str:
    return json.dumps(p.model_dump(mode="json", exclude_none=True), ensure_ascii=False, sort_keys=True)


