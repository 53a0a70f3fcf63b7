"""The matching pipeline: constraint filter -> retrieval -> the ranker.

``Matcher`` is estimator-like: ``fit`` on the places once, then ``suggest`` for
as many candidates as needed. A limit is never crossed: a place with an exceeded
item is removed before ranking and cannot come back whatever its score. Every
score comes from the :class:`~matching.ranking.Ranker`; up to
``settings.live_exact_below`` open places every feasible place is scored, so
the list equals the nightly one, and above it a retrieval shortlist.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from matching.constraints.engine import EXCEED, SUGGESTION_VERDICTS, Columns, PlacementTable, Profile, evaluate, \
    place_verdicts
from matching.constraints.reasons import explain_row, suggestion_items
from matching.contract.models import (
    Candidate, CandidateSuggestions, Excluded, Placement, ResolvedLocation, Suggestion)
from matching.index import VectorIndex, make_index
from matching.live.retrieval import shortlist
from matching.ranking import misses
from matching.ranking.components import KIND_CODE, PlacementFeatures
from matching.ranking.ranker import Ranker, build_ranker
from matching.reference.fml import load_catalogue
from matching.settings import Settings, get_settings

# How many places each retrieval route hands to full scoring, per requested one.
SHORTLIST_FACTOR = 10
SHORTLIST_MIN = 100
# When fewer places fit than were asked for, this many nearest misses come along.
NEAREST_MISSES = 5


@dataclass(frozen=True)
class _Snapshot:
    """Everything one query reads about the places, swapped whole on every write."""

    placements: list[Placement]
    table: PlacementTable
    features: PlacementFeatures
    iids: np.ndarray  # the vector index's internal id of each row
    id_rank: np.ndarray  # rank of each row's placement id, for order-free tie-breaks
    row_of: dict[str, int]


class _ReadWriteLock:
    """Many concurrent queries, or one writer: FAISS may not be searched while it changes."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False

    @contextmanager
    def reading(self):
        with self._cond:
            while self._writing:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if self._readers == 0:
                    self._cond.notify_all()

    @contextmanager
    def writing(self):
        with self._cond:
            while self._writing:
                self._cond.wait()
            self._writing = True
            while self._readers:
                self._cond.wait()
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


class Matcher:
    """Places in, ranked and explained suggestions out.

    ``ranker``: scores everything (built from the settings when not given).
    ``encoder``/``cache`` without a ranker: the settings' ranker around them; a
    cache keeps place embeddings between runs, so unchanged texts are never
    embedded twice (the nightly rematch shares it).
    """

    def __init__(
        self,
        ranker: Ranker | None = None,
        settings: Settings | None = None,
        index_backend: str | None = None,
        *,
        encoder=None,
        cache=None,
    ):
        self.settings = settings or get_settings()
        # ``encoder``/``cache`` without a ranker: the ranker as every path builds it, around them.
        self.ranker = ranker or build_ranker(self.settings, encoder=encoder, cache=cache)
        self.index_backend = index_backend or self.settings.index_backend
        self.columns = Columns.from_catalogue(load_catalogue())
        self._lock = _ReadWriteLock()
        self.index: VectorIndex | None = None
        self._snap = self._snapshot([], PlacementTable.empty(0, self.columns), PlacementFeatures.from_placements([]))

    @property
    def encoder(self):
        return self.ranker.encoder

    # -- building ----------------------------------------------------------
    def _snapshot(self, placements, table, features) -> _Snapshot:
        ids = np.array([p.id for p in placements], dtype=object)
        id_rank = np.empty(len(ids), dtype=np.int64)
        id_rank[np.argsort(ids, kind="stable")] = np.arange(len(ids))
        iids = self.index.internal_ids(list(ids)) if self.index is not None and len(ids) else np.zeros(0, np.int64)
        return _Snapshot(placements, table, features, iids, id_rank, {pid: i for i, pid in enumerate(ids)})

    def fit(self, placements: Sequence[Placement]) -> "Matcher":
        placements = list(placements)
        self._check_unique(placements)
        table = PlacementTable.from_placements(placements, self.columns)
        features = self.ranker.place_features(placements)
        vectors = self.ranker.embed_places(placements)
        index = make_index(self.encoder.dim, self.index_backend, expected_size=len(placements))
        if placements:
            index.add([p.id for p in placements], vectors)
        with self._lock.writing():
            self.index = index
            self._snap = self._snapshot(placements, table, features)
        return self

    @staticmethod
    def _check_unique(placements: Sequence[Placement]) -> None:
        seen: set[str] = set()
        for p in placements:
            if p.id in seen:
                raise ValueError(f"id: duplicate placement id {p.id!r}")
            seen.add(p.id)

    def __contains__(self, placement_id: object) -> bool:
        return placement_id in self._snap.row_of

    def __len__(self) -> int:
        return len(self._snap.placements)

    def get(self, placement_id: str) -> Placement | None:
        """The open place with this id, or None."""
        snap = self._snap
        row = snap.row_of.get(placement_id)
        return None if row is None else snap.placements[row]

    @property
    def placements(self) -> list[Placement]:
        return self._snap.placements

    def upsert(self, placements: Sequence[Placement]) -> None:
        """Add new places or replace existing ones (by id); searchable when this returns."""
        placements = list(placements)
        if not placements:
            return
        self._check_unique(placements)
        new_table = PlacementTable.from_placements(placements, self.columns)
        new_features = self.ranker.place_features(placements)
        vectors = self.ranker.embed_places(placements)
        with self._lock.writing():
            if self.index is None:
                self.index = make_index(self.encoder.dim, self.index_backend, expected_size=len(placements))
            old = self._snap
            replaced = [p.id for p in placements if p.id in old.row_of]
            fresh = [i for i, p in enumerate(placements) if p.id not in old.row_of]
            if replaced:
                pos = [i for i, p in enumerate(placements) if p.id in old.row_of]
                self.index.update(replaced, vectors[pos])
            if fresh:
                self.index.add([placements[i].id for i in fresh], vectors[fresh])
            gone = set(replaced)
            keep = np.array([p.id not in gone for p in old.placements], dtype=bool)
            self._snap = self._snapshot(
                [p for p, k in zip(old.placements, keep) if k] + placements,
                PlacementTable.concat([old.table.take(keep), new_table]),
                PlacementFeatures.concat([old.features.take(keep), new_features]),
            )

    def remove(self, placement_ids: Sequence[str]) -> None:
        """Drop places by id; never suggested again once this returns."""
        with self._lock.writing():
            old = self._snap
            unknown = [pid for pid in placement_ids if pid not in old.row_of]
            if unknown:
                raise KeyError(f"unknown placement id(s): {unknown}")
            if not placement_ids:
                return
            self.index.remove(list(placement_ids))
            gone = set(placement_ids)
            keep = np.array([p.id not in gone for p in old.placements], dtype=bool)
            self._snap = self._snapshot(
                [p for p, k in zip(old.placements, keep) if k], old.table.take(keep), old.features.take(keep)
            )

    # -- querying ----------------------------------------------------------

    def suggest(
        self,
        candidate: Candidate,
        top: int = 10,
        kinds: Sequence[str] | None = None,
        explain_excluded: int = 0,
        exclude: Sequence[str] = (),
        spoor: int | None = None,
        verdicts: Sequence[str] | None = None,
    ) -> CandidateSuggestions:
        """The ranked list; ``exclude``: place ids left out (set aside by the coach);
        ``spoor`` (1 or 2) and ``verdicts`` (pass, signal, adjust): only those places.

        Spoor-1 places (the candidate's own employer's) come first. When fewer than
        ``top`` places fit, the nearest misses come along even without ``explain_excluded``.
        """
        if top < 1:
            raise ValueError(f"top: must be at least 1, got {top}")
        if spoor not in (None, 1, 2):
            raise ValueError(f"spoor: must be 1 or 2, got {spoor!r}")
        unknown = sorted(set(verdicts or ()) - set(SUGGESTION_VERDICTS))
        if unknown:
            raise ValueError(f"verdict: unknown {unknown}; choose from {list(SUGGESTION_VERDICTS)}")
        if candidate.home.locality is None:
            # A stored home that no longer resolves: no distance can be trusted, so no list.
            return CandidateSuggestions(candidate_id=candidate.id, suggestions=[], feasible=0,
                                        home=ResolvedLocation.of(candidate.home))
        view = self.ranker.view(candidate)
        with self._lock.reading():
            return self._suggest(self._snap, view, top, kinds, explain_excluded, frozenset(exclude), spoor,
                                 frozenset(verdicts or ()))

    def _suggest(self, snap, view, top, kinds, explain_excluded, exclude, spoor=None,
                 verdicts=frozenset()) -> CandidateSuggestions:
        candidate = view.candidate
        profile = Profile.from_candidate(candidate, self.columns, self.settings)
        ev = evaluate(snap.table, profile, self.settings)
        feasible = ev.feasible
        if kinds:
            feasible &= np.isin(snap.features.kind, [KIND_CODE[k] for k in kinds])
        if spoor is not None:
            feasible &= snap.features.spoor(np.arange(len(snap.placements)), candidate.employer_id) == spoor
        if verdicts:
            feasible &= np.isin(place_verdicts(ev), [SUGGESTION_VERDICTS.index(v) for v in verdicts])
        for pid in exclude:
            row = snap.row_of.get(pid)
            if row is not None:
                feasible[row] = False
        rows = np.flatnonzero(feasible)
        short = self._candidates_for(snap, view, ev, profile, rows, top)

        suggestions: list[Suggestion] = []
        if len(short):
            vectors = self._vectors(snap, short)
            cos = self.ranker.cosines(vectors, view.vectors.query)
            scores, components = self.ranker.score(view, snap.features, short, cos, ev.distance_km[short],
                                                   profile.max_travel_km, ev.n_signals[short],
                                                   self.ranker.wish_cosines(view, vectors))
            order = self.ranker.order(scores, snap.id_rank[short])
            _, picked = self.ranker.pick(order, scores, snap.features.diversity_keys(short), top)
            suggestions = self._render(snap, view, ev, profile, short, picked, scores, components)

        if len(rows) < top:
            explain_excluded = max(explain_excluded, NEAREST_MISSES)
        excluded = None
        if explain_excluded:
            excluded = self._excluded(snap, view, ev, profile, explain_excluded)
        return CandidateSuggestions(candidate_id=candidate.id, suggestions=suggestions, excluded=excluded,
                                    feasible=int(len(rows)), home=ResolvedLocation.of(candidate.home))

    def _candidates_for(self, snap, view, ev, profile, rows, top) -> np.ndarray:
        """The feasible rows to score: all of them up to ``live_exact_below`` open places."""
        size = max(SHORTLIST_MIN, SHORTLIST_FACTOR * top)
        if len(rows) <= size or len(snap.placements) <= self.settings.live_exact_below:
            return rows
        # Cheap pre-scores with a neutral text match pick what the retrieval misses.
        neutral = np.full(len(rows), 0.5 * (self.ranker.calibration.profile.lo + self.ranker.calibration.profile.hi),
                          dtype=np.float32)
        cheap, _ = self.ranker.score(view, snap.features, rows, neutral, ev.distance_km[rows],
                                     profile.max_travel_km, ev.n_signals[rows],
                                     None if view.vectors.wish is None else neutral)
        [hits] = self.index.search(view.vectors.query, size, allowed=snap.iids[rows])
        semantic_rows = np.array([snap.row_of[pid] for pid in hits.ids], dtype=np.int64)
        return shortlist(semantic_rows, cheap, rows, size, snap.id_rank[rows])

    def _vectors(self, snap: _Snapshot, rows: np.ndarray) -> np.ndarray:
        if len(rows) == 0:
            return np.zeros((0, self.encoder.dim), np.float32)
        return self.index.vectors([snap.placements[r].id for r in rows])

    def _render(self, snap, view, ev, profile, short, picked, scores, components) -> list[Suggestion]:
        picked_rows = short[picked]
        fit = self.ranker.place_fit(view, self._vectors(snap, picked_rows), snap.features, picked_rows)
        out = []
        for rank, (k, row) in enumerate(zip(picked, picked_rows), start=1):
            row = int(row)
            placement = snap.placements[row]
            items, conditions = suggestion_items(ev, row, view.candidate, placement, profile.max_travel_km)
            out.append(self.ranker.suggestion(
                view, placement, rank, scores[k], {name: values[k] for name, values in components.items()},
                items, ev.distance_km[row], None if fit is None else fit.column(rank - 1),
                self.ranker.central_aspects(view, snap.features, row), conditions))
        return out

    def _excluded(self, snap, view, ev, profile, n) -> list[Excluded]:
        # Closed or full places say nothing about the candidate; the informative
        # exclusions are open places that a limit rules out.
        rows = np.flatnonzero(ev.available & (ev.worst == EXCEED))
        if len(rows) == 0:
            return []
        vectors = self._vectors(snap, rows)
        cos = self.ranker.cosines(vectors, view.vectors.query)
        scores, _ = self.ranker.score(view, snap.features, rows, cos, ev.distance_km[rows], profile.max_travel_km,
                                      np.zeros(len(rows), dtype=np.int64), self.ranker.wish_cosines(view, vectors))
        severity = misses.overshoot(snap.table, profile, ev, rows)
        best = misses.nearest(severity, scores, snap.id_rank[rows], n)
        return [
            Excluded(
                placement_id=snap.placements[rows[k]].id,
                score=round(self.ranker.shown(scores[k]), 4),
                distance_km=round(float(ev.distance_km[rows[k]]), 1),
                items=explain_row(ev, int(rows[k]), view.candidate, snap.placements[rows[k]], profile.max_travel_km,
                                  only=(EXCEED,)),
            )
            for k in best
        ]
