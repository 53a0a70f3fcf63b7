"""The matching pipeline: constraint filter -> retrieval -> scoring -> explanation.

``Matcher`` is estimator-like: ``fit`` on the places once, then ``suggest`` for
as many candidates as needed. A limit is never crossed: a place with an exceeded
item is removed before retrieval and cannot come back whatever its score.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from matching.ranking import explanation as explain
from matching.constraints.engine import (
    EXCEED,
    SIGNAL,
    Columns,
    PlacementTable,
    Profile,
    evaluate,
    explain_row,
)
from matching.text import EmbeddingCache, Encoder
from matching.index import VectorIndex, make_index
from matching.reference.fml import load_catalogue
from matching.contract.models import (
    Candidate,
    CandidateSuggestions,
    Excluded,
    Placement,
    Suggestion,
)
from matching.live.retrieval import shortlist, top_rows
from matching.ranking.components import (
    KIND_CODE,
    NO_CALIBRATION,
    SIMILARITY_RANGES,
    PlacementFeatures,
    candidate_text,
    combine,
    distance_component,
    diversify,
    education_component,
    exact_cosine,
    experience_texts,
    placement_text,
    skills_component,
    wishes_component,
)
from matching.settings import Settings, get_settings

# How many places each retrieval route hands to full scoring, per requested one.
SHORTLIST_FACTOR = 10
SHORTLIST_MIN = 100


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

    ``cache``: an :class:`EmbeddingCache` so unchanged place texts are never
    embedded twice across runs (the nightly rematch relies on it).
    """

    def __init__(
        self,
        encoder: Encoder | None = None,
        settings: Settings | None = None,
        cache: EmbeddingCache | None = None,
        index_backend: str | None = None,
        similarity_ranges: dict[str, tuple[float, float]] | None = None,
        linker=None,
    ):
        self.settings = settings or get_settings()
        self._encoder = encoder
        self.cache = cache
        self.index_backend = index_backend or self.settings.index_backend
        if similarity_ranges is None:
            # An injected encoder is unknown to the calibration table: raw cosines.
            similarity_ranges = NO_CALIBRATION if encoder is not None else SIMILARITY_RANGES.get(
                self.settings.encoder, NO_CALIBRATION)
        self.similarity_ranges = similarity_ranges
        # An OccupationLinker (matching.occupations): without one the score has no
        # occupation component and diversity falls back to the place title.
        self.linker = linker
        self._occupation_of: dict[str, str | None] = {}
        self.columns = Columns.from_catalogue(load_catalogue())
        self._lock = _ReadWriteLock()
        self.index: VectorIndex | None = None
        self._snap = self._snapshot([], PlacementTable.empty(0, self.columns), PlacementFeatures.from_placements([]))

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            from matching.text import get_encoder

            self._encoder = get_encoder(self.settings.encoder, self.settings.model_path)
        return self._encoder

    # -- building ----------------------------------------------------------
    def _embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.encoder.dim), np.float32)
        if self.cache is not None:
            return self.cache.encode(self.encoder, texts)
        return self.encoder.encode(texts)

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
        features = PlacementFeatures.from_placements(placements)
        vectors = self._embed([placement_text(p) for p in placements])
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
        new_features = PlacementFeatures.from_placements(placements)
        vectors = self._embed([placement_text(p) for p in placements])
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

    # -- occupations ---------------------------------------------------------
    # A link this unsure says more about the title than about the work.
    OCCUPATION_MIN_CONFIDENCE = 0.5

    def _occupation(self, title: str) -> str | None:
        """The ESCO occupation a job title links to, cached per title."""
        uri = self._occupation_of.get(title, "")
        if uri == "":
            hits = self.linker.link_one(title, top=1)
            uri = hits[0][0] if hits and hits[0][2] >= self.OCCUPATION_MIN_CONFIDENCE else None
            self._occupation_of[title] = uri
        return uri

    def _occupation_proximity(self, snap, candidate, rows) -> np.ndarray | None:
        """(n_experience, len(rows)) proximity of each experience's occupation to each place's."""
        if self.linker is None or not candidate.experience:
            return None
        from matching.occupations import proximity_matrix

        exp = [self._occupation(e.title) or "" for e in candidate.experience]
        places = [self._occupation(snap.placements[r].title) or "" for r in rows]
        return proximity_matrix(exp, places)

    def _diversity_keys(self, snap, rows) -> np.ndarray:
        if self.linker is None:
            return snap.features.title_key[rows]
        return np.array([self._occupation(snap.placements[r].title) or snap.features.title_key[r] for r in rows],
                        dtype=object)

    # -- querying ----------------------------------------------------------
    def _calibrate(self, cosine: np.ndarray, kind: str = "profile") -> np.ndarray:
        lo, hi = self.similarity_ranges[kind]
        return np.clip((np.asarray(cosine) - lo) / (hi - lo), 0.0, 1.0).astype(np.float32)

    def _cosine(self, snap: _Snapshot, query: np.ndarray, rows: np.ndarray) -> np.ndarray:
        if len(rows) == 0:
            return np.zeros(0, np.float32)
        return exact_cosine(self.index.vectors([snap.placements[r].id for r in rows]), query)

    def suggest(
        self,
        candidate: Candidate,
        top: int = 10,
        kinds: Sequence[str] | None = None,
        explain_excluded: int = 0,
    ) -> CandidateSuggestions:
        if top < 1:
            raise ValueError(f"top: must be at least 1, got {top}")
        query = self.encoder.encode([candidate_text(candidate)])[0]
        exp_texts = experience_texts(candidate)
        exp_vectors = self.encoder.encode(exp_texts) if exp_texts else None
        with self._lock.reading():
            return self._suggest(self._snap, candidate, query, exp_vectors, top, kinds, explain_excluded)

    def _suggest(self, snap, candidate, query, exp_vectors, top, kinds, explain_excluded) -> CandidateSuggestions:
        weights = self.settings.weights
        profile = Profile.from_candidate(candidate, self.columns, self.settings)
        ev = evaluate(snap.table, profile, self.settings)
        feasible = ev.feasible
        if kinds:
            feasible &= np.isin(snap.features.kind, [KIND_CODE[k] for k in kinds])
        rows = np.flatnonzero(feasible)
        n_signals = ev.n_signals

        size = max(SHORTLIST_MIN, SHORTLIST_FACTOR * top)
        if len(rows) <= size:
            short = rows
        else:
            cheap = self._cheap_components(snap, candidate, rows, ev.distance_km, profile.max_travel_km)
            cheap_score = combine(cheap, n_signals[rows], weights)
            [hits] = self.index.search(query, size, allowed=snap.iids[rows])
            semantic_rows = np.array([snap.row_of[pid] for pid in hits.ids], dtype=np.int64)
            short = shortlist(semantic_rows, cheap_score, rows, size, snap.id_rank[rows])

        suggestions: list[Suggestion] = []
        if len(short):
            components = {
                "semantic": self._calibrate(self._cosine(snap, query, short)),
                "skills": skills_component(candidate, snap.features, short),
                **self._cheap_components(snap, candidate, short, ev.distance_km, profile.max_travel_km),
            }
            proximity = self._occupation_proximity(snap, candidate, short)
            if proximity is not None:
                components["occupation"] = proximity.max(axis=0)
            scores = combine(components, n_signals[short], weights)
            order = np.lexsort((snap.id_rank[short], -scores))
            picked = diversify(order, scores, self._diversity_keys(snap, short), top)
            suggestions = self._render(snap, candidate, ev, short, picked, scores, components, exp_vectors,
                                       proximity, profile.max_travel_km)

        excluded = None
        if explain_excluded:
            excluded = self._excluded(snap, candidate, ev, query, explain_excluded, profile.max_travel_km)
        return CandidateSuggestions(candidate_id=candidate.id, suggestions=suggestions, excluded=excluded)

    def _cheap_components(self, snap, candidate, rows, distance_km, max_travel_km) -> dict[str, np.ndarray]:
        return {
            "wishes": wishes_component(candidate, snap.features, rows),
            "education": education_component(candidate, snap.features, rows),
            "distance": distance_component(distance_km[rows], max_travel_km),
        }

    def _render(self, snap, candidate, ev, short, picked, scores, components, exp_vectors, proximity,
                max_travel_km) -> list[Suggestion]:
        out = []
        picked_rows = short[picked]
        # Which of the candidate's experiences each picked place resembles most.
        exp_sims = None
        if exp_vectors is not None and len(picked_rows):
            exp_sims = np.vstack([self._calibrate(self._cosine(snap, v, picked_rows), "experience")
                                 for v in exp_vectors])
            if proximity is not None:
                # Either route counts as fitting an experience: similar text or a related occupation.
                exp_sims = np.maximum(exp_sims, proximity[:, picked])
        for rank, (k, row) in enumerate(zip(picked, picked_rows), start=1):
            row = int(row)
            placement = snap.placements[row]
            items = explain_row(ev, row, candidate, placement, max_travel_km, only=(SIGNAL,))
            comps = {name: round(float(values[k]), 4) for name, values in components.items()}
            best = None
            if exp_sims is not None:
                j = int(np.argmax(exp_sims[:, rank - 1]))
                best = (candidate.experience[j].title, float(exp_sims[j, rank - 1]))
            out.append(
                Suggestion(
                    placement_id=placement.id,
                    rank=rank,
                    score=round(float(scores[k]), 4),
                    verdict="signal" if items else "pass",
                    distance_km=round(float(ev.distance_km[row]), 1),
                    items=items,
                    components=comps,
                    explanation=explain.render(candidate, placement, comps, items, float(ev.distance_km[row]), best),
                )
            )
        return out

    def _excluded(self, snap, candidate, ev, query, n, max_travel_km) -> list[Excluded]:
        # Closed or full places say nothing about the candidate; the informative
        # exclusions are open places that a limit rules out.
        rows = np.flatnonzero(ev.available & (ev.worst == EXCEED))
        if len(rows) == 0:
            return []
        cheap = self._cheap_components(snap, candidate, rows, ev.distance_km, max_travel_km)
        comps = {"semantic": self._calibrate(self._cosine(snap, query, rows)), **cheap}
        scores = combine(comps, np.zeros(len(rows)), self.settings.weights)
        best = top_rows(scores, np.arange(len(rows)), n, snap.id_rank[rows])
        return [
            Excluded(
                placement_id=snap.placements[rows[k]].id,
                score=round(float(scores[k]), 4),
                distance_km=round(float(ev.distance_km[rows[k]]), 1),
                items=explain_row(ev, int(rows[k]), candidate, snap.placements[rows[k]], max_travel_km, only=(EXCEED,)),
            )
            for k in best
        ]
