"""The nightly batch: every candidate's suggestions against one snapshot of the open places.

Work is partitioned by candidate. :func:`process_partition` takes a
:class:`PlaceSnapshot` (read-only, shared by all partitions) and a list of
:class:`CandidateTask`; it needs no database and no other partition, so a
driver can run partitions in a process pool, or on Dask or Ray (see
``docs/scaling.md``), and resume a run by skipping finished partitions.

Per candidate the result is a :class:`CandidatePool`: the ranked list
(constraints, scoring, diversity, explanations, as ``Matcher.suggest`` builds
it), followed by ``reserve`` next-best places that the allocation step
(:mod:`matching.batch.allocation`) may swap in when a place is contested. Unlike the
live list, which scores a retrieval shortlist, the batch scores every feasible
place within reach, so its list is the exact best by the full score; the two
agree whenever the shortlist holds the best places, which it nearly always does.

Speed comes from geography: a place beyond ``max_travel_km`` is never
suggested, so each candidate is compared only with the places in a box around
home, instead of with every place in the country. The snapshot is sorted by
bands of latitude (``_CELL_DEGREES`` high) and by longitude within a band, so
the box is one contiguous run of rows per band, found by binary search; a
block of neighbouring candidates shares one matrix product per run.

Incremental runs. A pool keeps ``known``: the best ``BatchParams.depth``
places it scored, with their scores (twice as deep as a pick can come from;
diversity looks at most four times the list length ahead), and a ``floor``:
every feasible place not in ``known`` scores at most that (None: ``known``
holds them all). Scores of unchanged places do not move while the candidate and
the settings stay the same, so a later run needs only the changed places:
touched places leave ``known``, new and changed places are scored against this
one candidate and merged in when they beat the floor. The merged list is exact
as deep as its entries stay above the floor; while that covers the picks'
``window``, the picks are taken from it (and explained again only if they
changed); otherwise the candidate is computed anew. A run without
``changes`` computes everyone.

The merged pool is the pool a full run would give; the tests check this night
after night of changes. ``spoormatch rematch --full`` recomputes everyone anyway.
"""

from __future__ import annotations

import json
import logging
import math
import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Hashable, Iterable, Sequence

import numpy as np

from matching.constraints.engine import SIGNAL, Columns, PlacementTable, Profile, evaluate, explain_row
from matching.reference.fml import load_catalogue
from matching.contract.models import Candidate, Location, Placement, Suggestion
from matching.ranking import CandidateVectors, CandidateView, PlacementFeatures, Ranker
from matching.settings import Settings, get_settings

log = logging.getLogger(__name__)

# One degree of latitude in km, and a margin so the box always holds the circle.
# Rows are sorted by latitude band of this height, then by longitude.
_CELL_DEGREES = 0.2
# Places kept ready for explanations per process (see PlaceSnapshot.placement_for_text).
_TEXT_CACHE = 8192
_KM_PER_DEGREE = 111.0
_BOX_MARGIN = 1.02
# Diversity looks at most this many times the list length ahead (see scoring.diversify).
_LOOKAHEAD = 4
_DEPTH_FACTOR = 2


@dataclass(frozen=True)
class BatchParams:
    top: int = 10
    reserve: int = 10

    def __post_init__(self) -> None:
        if self.top < 1:
            raise ValueError(f"top: must be at least 1, got {self.top}")
        if self.reserve < 0:
            raise ValueError(f"reserve: must be 0 or more, got {self.reserve}")

    @property
    def window(self) -> int:
        """How deep in the score order a pick can come from (primary list, then reserve)."""
        return max((_LOOKAHEAD + 1) * self.top, self.top + (_LOOKAHEAD + 1) * self.reserve)

    @property
    def depth(self) -> int:
        """How many scored places a pool keeps for incremental runs: the window, and
        as many again that can close or change before the pool needs a full recompute."""
        return _DEPTH_FACTOR * self.window


# --------------------------------------------------------------------------------------
# The places
# --------------------------------------------------------------------------------------


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
        versions = [""] * len(placements) if versions is None else [list(versions)[i] for i in order]
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
            p = Placement.model_validate_json(self.bodies[row])
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
            data = json.loads(self.bodies[row])
            location = Location.model_construct(**data.pop("location"))
            p = Placement.model_construct(**data, location=location)
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
        if not len(self):
            return np.zeros(0, np.int64)
        dlat, dlon = _box(lat, km)
        runs = self.runs(lat - dlat, lat + dlat, lon - dlon, lon + dlon)
        if not runs:
            return np.zeros(0, np.int64)
        rows = np.concatenate([np.arange(lo, hi) for lo, hi in runs])
        return rows[np.abs(self.table.lat[rows] - lat) <= dlat]


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


# --------------------------------------------------------------------------------------
# The candidates
# --------------------------------------------------------------------------------------


@dataclass
class CandidatePool:
    """One candidate's ranked places: ``entries[:n_primary]`` is the list as
    ``Matcher.suggest`` gives it, the rest the reserve, best first.

    ``known`` and ``floor`` are what an incremental run merges into (see the
    module docstring); ``picked`` names the entries' places, so a pool read back
    without its entries still knows what it picked.
    """

    candidate_id: str
    entries: list[Suggestion]
    n_primary: int
    known: tuple[tuple[str, float], ...]
    floor: float | None  # None: every feasible place it scored is in known
    picked: tuple[str, ...] = ()
    # Picks whose entries are the previous pool's (a merge did not explain them
    # again); until :meth:`assemble`, ``entries`` holds only the others.
    carried: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.picked and self.entries:
            self.picked = tuple(s.placement_id for s in self.entries)

    def assemble(self, previous_entries: Sequence[dict[str, Any]]) -> "CandidatePool":
        """The pool with every entry, the carried ones taken from ``previous_entries``
        (the previous pool's, as JSON), ranks numbered in pick order."""
        entries = assemble_entries(self.picked, [e.model_dump(mode="json") for e in self.entries],
                                   previous_entries)
        return CandidatePool(candidate_id=self.candidate_id, entries=[Suggestion.model_validate(e) for e in entries],
                             n_primary=self.n_primary, known=self.known, floor=self.floor, picked=self.picked)

    @property
    def ranking(self) -> list[tuple[str, float]]:
        return [(s.placement_id, s.score) for s in self.entries]

    def to_json(self) -> dict[str, Any]:
        return {"candidate_id": self.candidate_id, "n_primary": self.n_primary,
                "known": [list(k) for k in self.known], "floor": self.floor,
                "entries": [s.model_dump(mode="json") for s in self.entries]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "CandidatePool":
        return cls(candidate_id=data["candidate_id"], n_primary=int(data["n_primary"]),
                   known=tuple((str(pid), float(score)) for pid, score in data["known"]), floor=data["floor"],
                   entries=[Suggestion.model_validate(s) for s in data["entries"]])


def assemble_entries(picked: Sequence[str], rendered: Sequence[dict[str, Any]],
                     previous: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Entries (as JSON) in pick order, ranks renumbered: the rendered ones, else the
    previous pool's. KeyError when a pick has neither."""
    mine = {e["placement_id"]: e for e in rendered}
    before = {e["placement_id"]: e for e in previous}
    out = []
    for rank, pid in enumerate(picked, start=1):
        entry = mine.get(pid) or before.get(pid)
        if entry is None:
            raise KeyError(f"no entry for {pid} in the previous pool")
        out.append({**entry, "rank": rank})
    return out


@dataclass
class CandidateTask:
    """One candidate to process. ``key`` is the driver's own handle (a database key).

    ``previous``: the pool of the last run, when the candidate did not change since;
    it is kept, or the changed places merged into it (see the module docstring).
    Its ``entries`` may be left empty: a merge explains only new or changed picks.
    """

    key: Hashable
    candidate: Candidate
    vectors: CandidateVectors | None = None
    previous: CandidatePool | None = None


@dataclass
class ChangeSet:
    """What changed in the places since the previous run: ``touched`` ids (gone or
    changed) and ``fresh``, a snapshot of the new and changed places as they are now."""

    touched: frozenset[str]
    fresh: PlaceSnapshot


@dataclass
class PartitionResult:
    """``pools``: computed anew, or merged with picks that changed; ``merged`` says
    which of them were merged. ``refreshed``: merged pools whose picks stayed the
    same (their ``entries`` are empty: the previous ones still hold). ``reused``:
    nothing changed near the candidate."""

    pools: dict[Hashable, CandidatePool] = field(default_factory=dict)
    merged: set[Hashable] = field(default_factory=set)
    refreshed: dict[Hashable, CandidatePool] = field(default_factory=dict)
    reused: list[Hashable] = field(default_factory=list)
    failures: dict[Hashable, str] = field(default_factory=dict)
    # Vectors this partition had to embed (the driver may store them).
    embedded: dict[Hashable, CandidateVectors] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def processed(self) -> int:
        return len(self.pools) + len(self.refreshed) + len(self.reused) + len(self.failures)

    @property
    def counts(self) -> dict[str, int]:
        return {"computed": len(self.pools) - len(self.merged), "merged": len(self.merged) + len(self.refreshed),
                "reused": len(self.reused), "skipped": len(self.failures), "embedded": len(self.embedded)}


@dataclass
class _Prepared:
    candidate: Candidate
    profile: Profile
    view: CandidateView


# --------------------------------------------------------------------------------------
# Scoring one candidate
# --------------------------------------------------------------------------------------


@dataclass
class _Feasible:
    rows: np.ndarray  # snapshot rows of the feasible places
    local: np.ndarray  # their positions in the evaluation
    ev: Any  # the constraint Evaluation over the region
    sims: np.ndarray  # raw cosine with the candidate's query
    n_signals: np.ndarray  # flagged items per feasible place


def _region_table(table: PlacementTable, rows: np.ndarray, profile: Profile) -> PlacementTable:
    """``table.take(rows)`` with only what ``evaluate`` reads for this profile.

    A region holds thousands of places and the table dozens of item columns, of
    which a candidate limits a few: the other columns stay zero-filled (never
    read), and the id column is not copied at all.
    """
    def gather(matrix: np.ndarray, used: Iterable[int]) -> np.ndarray:
        used = sorted(set(used))
        out = np.zeros((len(rows), matrix.shape[1]), dtype=matrix.dtype)
        if used:
            out[:, used] = matrix[np.ix_(rows, used)]
        return out

    return PlacementTable(
        columns=table.columns, ids=rows,
        ord_demand=gather(table.ord_demand, (j for j, _ in profile.ord_levels)),
        cond_stated=gather(table.cond_stated, (j for j, _ in profile.cond_required)),
        cond_met=gather(table.cond_met, (j for j, _ in profile.cond_required)),
        cat_present=gather(table.cat_present, (j for j, _ in profile.cat_limited)),
        bin_present=gather(table.bin_present, profile.bin_limited),
        **{name: getattr(table, name)[rows] for name in ("hours_per_day", "hours_per_week", "evening", "night",
                                                         "lat", "lon", "available")})


def _feasible(snap: PlaceSnapshot, prep: _Prepared, settings: Settings,
              block: "_SimBlock | None" = None) -> _Feasible:
    profile = prep.profile
    region = snap.region(profile.lat, profile.lon, profile.max_travel_km)
    ev = evaluate(_region_table(snap.table, region, profile), profile, settings)
    local = np.flatnonzero(ev.feasible)
    rows = region[local]
    if not len(rows):
        sims = np.zeros(0, np.float32)
    elif block is not None:
        sims = block.sims(prep, rows)
    else:
        sims = snap.vectors[rows] @ prep.view.vectors.query
    return _Feasible(rows=rows, local=local, ev=ev, sims=np.asarray(sims, dtype=np.float32),
                     n_signals=ev.n_signals[local])


def _full_scores(snap: PlaceSnapshot, prep: _Prepared, f: _Feasible, pos: np.ndarray, ranker: Ranker,
                 exact: bool = True):
    rows = f.rows[pos]
    # The float32 cosines pick what to score exactly; exact ones make a place score
    # the same here, in a merge and in the live list, however the product was blocked.
    cosine = ranker.cosines(snap.vectors[rows], prep.view.vectors.query) if exact else f.sims[pos]
    return ranker.score(prep.view, snap.features, rows, cosine, f.ev.distance_km[f.local[pos]],
                        prep.profile.max_travel_km, f.n_signals[pos])


class _SimBlock:
    """Cosines of a block of candidates with every place in their joint box.

    One matrix product per run of rows reads each place vector once per block
    instead of gathering it once per candidate; for candidates that live close
    together (the block is sorted like the snapshot) the joint box is barely
    bigger than one candidate's.
    """

    def __init__(self, snap: PlaceSnapshot, preps: Sequence[_Prepared]):
        boxes = [(p.profile.lat, p.profile.lon, *_box(p.profile.lat, p.profile.max_travel_km)) for p in preps]
        runs = snap.runs(min(b[0] - b[2] for b in boxes), max(b[0] + b[2] for b in boxes),
                         min(b[1] - b[3] for b in boxes), max(b[1] + b[3] for b in boxes))
        queries = np.stack([p.view.vectors.query for p in preps]).astype(np.float32, copy=False)
        self.column = {id(p): j for j, p in enumerate(preps)}
        self.starts = np.array([lo for lo, _ in runs], dtype=np.int64)
        sizes = [hi - lo for lo, hi in runs]
        self.offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        self.scores = np.empty((int(self.offsets[-1]), len(preps)), dtype=np.float32)
        for (lo, hi), off in zip(runs, self.offsets):
            np.matmul(snap.vectors[lo:hi], queries.T, out=self.scores[off:off + hi - lo])

    def sims(self, prep: _Prepared, rows: np.ndarray) -> np.ndarray:
        run = np.searchsorted(self.starts, rows, side="right") - 1
        return self.scores[self.offsets[run] + rows - self.starts[run], self.column[id(prep)]]


# Candidates per matrix product: enough to run at the BLAS's full speed (measured: 128 neighbours
# cost half of what 16 did per candidate), few enough that their joint box stays
# small and the product's result a few tens of MB.
SIM_BLOCK = 128


def _match_one(snap: PlaceSnapshot, prep: _Prepared, params: BatchParams, settings: Settings, ranker: Ranker,
               block: _SimBlock | None = None) -> CandidatePool:
    c = prep.candidate
    f = _feasible(snap, prep, settings, block)
    n = len(f.rows)
    if not n:
        return CandidatePool(candidate_id=c.id, entries=[], n_primary=0, known=(), floor=None)
    depth = params.depth
    everything = np.arange(n)
    if n > depth:
        # Every feasible place is scored, with the block's float32 cosines; only those
        # that may be among the best ``depth`` are scored again with exact ones.
        approx, _ = _full_scores(snap, prep, f, everything, ranker, exact=False)
        kth = np.partition(approx, n - depth)[n - depth]
        pos = np.flatnonzero(approx >= kth - ranker.approx_margin)
    else:
        pos = everything
    scores, components = _full_scores(snap, prep, f, pos, ranker)
    order = ranker.order(scores, snap.id_rank[f.rows[pos]])
    n_primary, picked = ranker.pick(order, scores, snap.features.diversity_key[f.rows[pos]], params.top,
                                    params.reserve)
    entries = _render(snap, prep, f, pos, picked, scores, components, ranker)
    known = tuple((str(snap.ids[f.rows[pos[k]]]), float(scores[k])) for k in order[:depth])
    floor = float(scores[order[depth - 1]]) if n > depth else None
    return CandidatePool(candidate_id=c.id, entries=entries, n_primary=n_primary, known=known, floor=floor,
                         picked=tuple(e.placement_id for e in entries))


def _render(snap, prep, f, short, picked, scores, components, ranker: Ranker) -> list[Suggestion]:
    rows = f.rows[short[picked]]
    fit = ranker.experience_fit(prep.view, snap.vectors[rows], snap.features.occupation[rows]) if len(rows) else None
    out = []
    for rank, (k, row) in enumerate(zip(picked, rows), start=1):
        placement = snap.placement_for_text(row)
        local = int(f.local[short[k]])
        items = explain_row(f.ev, local, prep.candidate, placement, prep.profile.max_travel_km, only=(SIGNAL,))
        out.append(ranker.suggestion(prep.view, placement, rank, scores[k],
                                     {name: values[k] for name, values in components.items()}, items,
                                     f.ev.distance_km[local], None if fit is None else fit[:, rank - 1]))
    return out


class _Outcome:
    SAME = "same"  # nothing changed near the candidate
    REFRESHED = "refreshed"  # known places changed, the picks did not
    MERGED = "merged"  # the picks changed; they are explained again
    RECOMPUTE = "recompute"  # too many known places went: compute anew


def _may_beat(fresh: PlaceSnapshot, prep: _Prepared, floor: float | None, ranker: Ranker) -> bool:
    """Could any changed place within reach score above ``floor``? A bound from the best
    text match alone (every other component counted as perfect): most nights, for most
    candidates, the answer is no, and the constraints and scores are never computed."""
    rows = fresh.region(prep.profile.lat, prep.profile.lon, prep.profile.max_travel_km)
    if not len(rows):
        return False
    if floor is None:
        return True
    best = float(np.max(fresh.vectors[rows] @ prep.view.vectors.query))
    return ranker.upper_bound(best + 1e-5) + ranker.approx_margin > floor


def _merge(snap: PlaceSnapshot, changes: ChangeSet, prep: _Prepared, prev: CandidatePool, params: BatchParams,
           settings: Settings, ranker: Ranker) -> tuple[str, CandidatePool | None]:
    """The previous pool with the changed places taken out and merged in (see the module docstring)."""
    kept = [(pid, score) for pid, score in prev.known if pid not in changes.touched]
    fresh: list[tuple[str, float]] = []
    if len(changes.fresh) and _may_beat(changes.fresh, prep, prev.floor, ranker):
        f = _feasible(changes.fresh, prep, settings)
        if len(f.rows):
            scores, _ = _full_scores(changes.fresh, prep, f, np.arange(len(f.rows)), ranker)
            beat = scores > prev.floor if prev.floor is not None else np.ones(len(scores), dtype=bool)
            fresh = [(str(changes.fresh.ids[row]), float(score)) for row, score in zip(f.rows[beat], scores[beat])]
    if len(kept) == len(prev.known) and not fresh:
        return _Outcome.SAME, None

    # Best first, equal scores by id: the order a full run gives them.
    merged = sorted(kept + fresh, key=lambda pair: (-pair[1], pair[0]))
    if prev.floor is None:
        exact = len(merged)
    else:
        # A place never kept may tie with the floor and sort before an entry at it.
        exact = sum(1 for _, score in merged if score > prev.floor)
        if exact < params.window:
            return _Outcome.RECOMPUTE, None
    depth = params.depth
    floor = prev.floor
    if len(merged) > depth:
        floor = merged[depth - 1][1]
    known = tuple(merged[:depth])

    # Where the picks come from: the first ``window`` places, or all when all are known.
    window = merged[:params.window] if prev.floor is not None else merged
    before = list(prev.known[:params.window]) if prev.floor is not None else list(prev.known)
    if window == before and not changes.touched.intersection(pid for pid, _ in window):
        # The places the picks come from are the same, with the same scores: so are the picks.
        return _Outcome.REFRESHED, CandidatePool(candidate_id=prev.candidate_id, entries=[],
                                                 n_primary=prev.n_primary, known=known, floor=floor,
                                                 picked=prev.picked)
    scores = np.array([score for _, score in window], dtype=np.float64)
    rows = np.array([snap.row_of[pid] for pid, _ in window], dtype=np.int64)
    n_primary, picks = ranker.pick(np.arange(len(window)), scores, snap.features.diversity_key[rows], params.top,
                                   params.reserve)
    picked = tuple(window[k][0] for k in picks)
    if picked == prev.picked and n_primary == prev.n_primary and not changes.touched.intersection(picked):
        return _Outcome.REFRESHED, CandidatePool(candidate_id=prev.candidate_id, entries=[], n_primary=n_primary,
                                                 known=known, floor=floor, picked=picked)

    # An entry depends on the candidate and its place only: a pick the previous pool
    # explained, unchanged since, keeps its explanation (under its new rank).
    explained = set(prev.picked)
    fresh_picks = np.array([k for k, pid in enumerate(picked) if pid not in explained or pid in changes.touched],
                           dtype=np.int64)
    rendered: list[Suggestion] = []
    if len(fresh_picks):
        pick_rows = rows[picks[fresh_picks]]
        ev = evaluate(_region_table(snap.table, pick_rows, prep.profile), prep.profile, settings)
        if not ev.feasible.all():  # cannot happen while scores stay put; be safe, not sorry
            return _Outcome.RECOMPUTE, None
        everything = np.arange(len(pick_rows))
        f = _Feasible(rows=pick_rows, local=everything, ev=ev, sims=np.zeros(len(pick_rows), np.float32),
                      n_signals=ev.n_signals)
        _, components = _full_scores(snap, prep, f, everything, ranker)
        rendered = _render(snap, prep, f, everything, everything, scores[picks[fresh_picks]], components, ranker)
    rendered_at = set(fresh_picks.tolist())
    carried = tuple(pid for k, pid in enumerate(picked) if k not in rendered_at)
    pool = CandidatePool(candidate_id=prev.candidate_id, entries=rendered, n_primary=n_primary, known=known,
                         floor=floor, picked=picked, carried=carried)
    if prev.entries:
        pool = pool.assemble([e.model_dump(mode="json") for e in prev.entries])
    return _Outcome.MERGED, pool


# --------------------------------------------------------------------------------------
# A partition
# --------------------------------------------------------------------------------------


def process_partition(
    snapshot: PlaceSnapshot,
    tasks: Sequence[CandidateTask],
    params: BatchParams = BatchParams(),
    settings: Settings | None = None,
    ranker: Ranker | None = None,
    changes: ChangeSet | None = None,
    on_candidate: Callable[[], None] | None = None,
) -> PartitionResult:
    """Pools for one partition of candidates; never raises for one bad candidate.

    ``ranker`` scores (built from ``settings`` when not given; it must be the
    configuration the snapshot was built with). Tasks without vectors are
    embedded by the ranker. A task
    with ``previous`` is kept, or ``changes`` merged into it, when that is exact
    (see the module docstring); without ``changes`` every candidate is computed. A candidate that fails is
    recorded in ``failures`` with the reason, and logged with its id.
    """
    settings = settings or get_settings()
    if ranker is None:
        from matching.ranking import build_ranker

        ranker = build_ranker(settings)
    started = time.perf_counter()
    result = PartitionResult()
    if snapshot.vectors is None:
        raise ValueError("snapshot: has no vectors attached (use with_vectors)")
    if snapshot.ranker_fingerprint != ranker.fingerprint_text:
        raise ValueError("ranker: the snapshot was built by another ranker configuration")
    columns = snapshot.table.columns

    missing = [t for t in tasks if t.vectors is None]
    if missing:
        vectors_of = _embed_isolated(ranker, missing, result)
        result.embedded.update(vectors_of)
    todo: list[tuple[CandidateTask, _Prepared]] = []
    for task in tasks:
        if task.key in result.failures:
            _tick(on_candidate)
            continue
        try:
            vectors = task.vectors or result.embedded[task.key]
            prep = _Prepared(task.candidate, Profile.from_candidate(task.candidate, columns, settings),
                             ranker.view(task.candidate, vectors))
            outcome, pool = _Outcome.RECOMPUTE, None
            if task.previous is not None and changes is not None:
                outcome, pool = _merge(snapshot, changes, prep, task.previous, params, settings, ranker)
            if outcome == _Outcome.RECOMPUTE:
                todo.append((task, prep))
                continue
            if outcome == _Outcome.SAME:
                result.reused.append(task.key)
            elif outcome == _Outcome.REFRESHED:
                result.refreshed[task.key] = pool
            else:
                result.pools[task.key] = pool
                result.merged.add(task.key)
            _tick(on_candidate)
        except Exception as exc:  # one candidate must never stop the run
            _fail(result, task, exc)
            _tick(on_candidate)

    todo.sort(key=lambda tp: float(geo_key(tp[1].profile.lat, tp[1].profile.lon)))
    for start in range(0, len(todo), SIM_BLOCK):
        chunk = todo[start:start + SIM_BLOCK]
        try:
            block = _SimBlock(snapshot, [prep for _, prep in chunk])
        except Exception:  # a bad vector in the block: score its candidates one by one
            log.debug("rematch: block product failed; scoring its candidates one by one", exc_info=True)
            block = None
        for task, prep in chunk:
            try:
                result.pools[task.key] = _match_one(snapshot, prep, params, settings, ranker, block)
            except Exception as exc:  # one candidate must never stop the run
                _fail(result, task, exc)
            _tick(on_candidate)
    result.seconds = time.perf_counter() - started
    return result


def _fail(result: PartitionResult, task: CandidateTask, exc: Exception) -> None:
    log.warning("rematch: candidate %s skipped: %s", _name(task), exc, exc_info=log.isEnabledFor(logging.DEBUG))
    result.failures[task.key] = f"{type(exc).__name__}: {exc}"


def _name(task: CandidateTask) -> str:
    return f"{task.candidate.id} ({task.key})" if str(task.key) != task.candidate.id else task.candidate.id


def _tick(callback: Callable[[], None] | None) -> None:
    if callback is not None:
        callback()


def _embed_isolated(ranker: Ranker, tasks: Sequence[CandidateTask],
                    result: PartitionResult) -> dict[Hashable, CandidateVectors]:
    """Embed each candidate; one whose text cannot be embedded fails alone."""
    out = {}
    for t in tasks:
        try:
            out[t.key] = ranker.embed_candidate(t.candidate)
        except Exception as exc:
            log.warning("rematch: candidate %s skipped, text could not be embedded: %s", _name(t), exc)
            result.failures[t.key] = f"{type(exc).__name__}: {exc}"
    return out


def partitions(keys: Sequence[Hashable], size: int,
               homes: Sequence[tuple[float, float] | None] | None = None) -> list[list[Hashable]]:
    """Slices of ``size`` keys; with ``homes`` (lat, lon per key, None if unknown),
    keys are first put in the snapshot's geographic order.

    Neighbours in one partition share their places: a block's matrix product
    covers one small box instead of the country, and the explanations of their
    common places are built once. The same keys and homes give the same
    partitions, so a resumed run finds them again.
    """
    if size < 1:
        raise ValueError(f"size: must be at least 1, got {size}")
    keys = list(keys)
    if homes is not None:
        if len(homes) != len(keys):
            raise ValueError(f"homes: {len(homes)} for {len(keys)} keys")
        order = sorted(range(len(keys)), key=lambda i: (
            (0, float(geo_key(*homes[i]))) if homes[i] is not None else (1, 0.0), i))
        keys = [keys[i] for i in order]
    return [keys[i:i + size] for i in range(0, len(keys), size)]
