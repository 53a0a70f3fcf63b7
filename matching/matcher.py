"""The matching pipeline: constraint filter -> retrieval -> scoring -> explanation.

``Matcher`` is estimator-like: ``fit`` on the places once, then ``suggest`` for
as many candidates as needed. A limit is never crossed: a place with an exceeded
item is removed before retrieval and cannot come back whatever its score.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from matching import explain
from matching.constraints import (
    EXCEED,
    SIGNAL,
    Columns,
    PlacementTable,
    Profile,
    evaluate,
    explain_row,
)
from matching.encoders import Encoder
from matching.fml import load_catalogue
from matching.models import (
    Candidate,
    CandidateSuggestions,
    Excluded,
    Placement,
    Suggestion,
)
from matching.retrieval import shortlist, top_rows
from matching.scoring import (
    KIND_CODE,
    PlacementFeatures,
    candidate_text,
    combine,
    distance_component,
    diversify,
    education_component,
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
    """Everything one query reads, swapped whole on every write."""

    placements: list[Placement]
    table: PlacementTable
    features: PlacementFeatures
    vectors: np.ndarray
    id_rank: np.ndarray
    row_of: dict[str, int]


class Matcher:
    def __init__(self, encoder: Encoder | None = None, settings: Settings | None = None):
        self.settings = settings or get_settings()
        self._encoder = encoder
        self.columns = Columns.from_catalogue(load_catalogue())
        self._lock = threading.Lock()
        self._install([], PlacementTable.empty(0, self.columns), PlacementFeatures.from_placements([]),
                      np.zeros((0, 0), np.float32))

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            from matching.encoders import get_encoder

            self._encoder = get_encoder(self.settings.encoder, self.settings.model_path)
        return self._encoder

    # -- building ----------------------------------------------------------
    def fit(self, placements: Sequence[Placement]) -> "Matcher":
        placements = list(placements)
        table = PlacementTable.from_placements(placements, self.columns)
        features = PlacementFeatures.from_placements(placements)
        vectors = self._encode_placements(placements)
        with self._lock:
            self._install(placements, table, features, vectors)
        return self

    def _encode_placements(self, placements: Sequence[Placement]) -> np.ndarray:
        texts = [placement_text(p) for p in placements]
        return self.encoder.encode(texts) if texts else np.zeros((0, self.encoder.dim), np.float32)

    def _install(self, placements, table, features, vectors) -> None:
        # Readers use whatever arrays they picked up; a write swaps in new ones whole.
        ids = np.array([p.id for p in placements], dtype=object)
        id_rank = np.empty(len(ids), dtype=np.int64)
        # Ties are broken by placement id, so the input order never changes a result.
        id_rank[np.argsort(ids, kind="stable")] = np.arange(len(ids))
        self._snap = _Snapshot(placements, table, features, vectors, id_rank,
                               {pid: i for i, pid in enumerate(ids)})

    @property
    def placements(self) -> list[Placement]:
        return self._snap.placements

    def __contains__(self, placement_id: object) -> bool:
        return placement_id in self._snap.row_of

    def __len__(self) -> int:
        return len(self._snap.placements)

    def upsert(self, placements: Sequence[Placement]) -> None:
        """Add new places or replace existing ones (by id); searchable when this returns."""
        placements = list(placements)
        if not placements:
            return
        new_table = PlacementTable.from_placements(placements, self.columns)
        new_features = PlacementFeatures.from_placements(placements)
        new_vectors = self._encode_placements(placements)
        with self._lock:
            old = self._snap
            replaced = {p.id for p in placements}
            keep = np.array([p.id not in replaced for p in old.placements], dtype=bool)
            self._install(
                [p for p, k in zip(old.placements, keep) if k] + placements,
                PlacementTable.concat([old.table.take(keep), new_table]),
                PlacementFeatures.concat([old.features.take(keep), new_features]),
                np.concatenate([old.vectors[keep].reshape(-1, new_vectors.shape[1]), new_vectors]),
            )

    def remove(self, placement_ids: Sequence[str]) -> None:
        """Drop places by id; never suggested again once this returns."""
        with self._lock:
            old = self._snap
            unknown = [pid for pid in placement_ids if pid not in old.row_of]
            if unknown:
                raise KeyError(f"unknown placement id(s): {unknown}")
            gone = set(placement_ids)
            keep = np.array([p.id not in gone for p in old.placements], dtype=bool)
            self._install(
                [p for p, k in zip(old.placements, keep) if k],
                old.table.take(keep),
                old.features.take(keep),
                old.vectors[keep],
            )

    # -- querying ----------------------------------------------------------
    def _calibrate(self, cosine: np.ndarray) -> np.ndarray:
        lo, hi = getattr(self.encoder, "similarity_range", (0.0, 1.0))
        return np.clip((cosine - lo) / (hi - lo), 0.0, 1.0).astype(np.float32)

    def suggest(
        self,
        candidate: Candidate,
        top: int = 10,
        kinds: Sequence[str] | None = None,
        explain_excluded: int = 0,
    ) -> CandidateSuggestions:
        if top < 1:
            raise ValueError(f"top: must be at least 1, got {top}")
        snap = self._snap
        weights = self.settings.weights
        profile = Profile.from_candidate(candidate, self.columns, self.settings)
        ev = evaluate(snap.table, profile, self.settings)
        feasible = ev.feasible
        if kinds:
            feasible &= np.isin(snap.features.kind, [KIND_CODE[k] for k in kinds])
        rows = np.flatnonzero(feasible)
        n_signals = ev.n_signals

        query = self.encoder.encode([candidate_text(candidate)])[0]
        size = max(SHORTLIST_MIN, SHORTLIST_FACTOR * top)
        cheap = self._cheap_components(snap, candidate, rows, ev.distance_km, profile.max_travel_km)
        cheap_score = combine(cheap, n_signals[rows], weights) if len(rows) else np.zeros(0, np.float32)
        semantic_rows = self._semantic_top(snap, query, feasible, size)
        short = shortlist(semantic_rows, cheap_score, rows, size, snap.id_rank[rows])

        suggestions: list[Suggestion] = []
        if len(short):
            components = self._cheap_components(snap, candidate, short, ev.distance_km, profile.max_travel_km)
            cosine = snap.vectors[short] @ query
            components = {
                "semantic": self._calibrate(cosine),
                "skills": skills_component(candidate, snap.features, short),
                **components,
            }
            scores = combine(components, n_signals[short], weights)
            order = np.lexsort((snap.id_rank[short], -scores))
            picked = diversify(order, scores, snap.features.title_key[short], top)
            suggestions = self._render(snap, candidate, ev, short, picked, scores, components, profile.max_travel_km)

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

    def _semantic_top(self, snap, query: np.ndarray, mask: np.ndarray, k: int) -> np.ndarray:
        rows = np.flatnonzero(mask)
        if len(rows) == 0:
            return rows
        return top_rows(snap.vectors[rows] @ query, rows, k, snap.id_rank[rows])

    def _render(self, snap, candidate, ev, short, picked, scores, components, max_travel_km) -> list[Suggestion]:
        out = []
        exp_texts = experience_texts(candidate)
        exp_vectors = self.encoder.encode(exp_texts) if exp_texts else None
        for rank, k in enumerate(picked, start=1):
            row = int(short[k])
            placement = snap.placements[row]
            items = explain_row(ev, row, candidate, placement, max_travel_km, only=(SIGNAL,))
            comps = {name: round(float(values[k]), 4) for name, values in components.items()}
            best = None
            if exp_vectors is not None:
                sims = self._calibrate(exp_vectors @ snap.vectors[row])
                j = int(np.argmax(sims))
                best = (candidate.experience[j].title, float(sims[j]))
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
        mask = ev.available & (ev.worst == EXCEED)
        rows = np.flatnonzero(mask)
        if len(rows) == 0:
            return []
        cheap = self._cheap_components(snap, candidate, rows, ev.distance_km, max_travel_km)
        comps = {"semantic": self._calibrate(snap.vectors[rows] @ query), **cheap}
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
