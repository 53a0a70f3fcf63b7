"""The matching pipeline: constraint filter -> retrieval -> scoring -> explanation.

``Matcher`` is estimator-like: ``fit`` on the places once, then ``suggest`` for
as many candidates as needed. A limit is never crossed: a place with an exceeded
item is removed before retrieval and cannot come back whatever its score.
"""

from __future__ import annotations

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


class Matcher:
    def __init__(self, encoder: Encoder | None = None, settings: Settings | None = None):
        self.settings = settings or get_settings()
        self._encoder = encoder
        self.columns = Columns.from_catalogue(load_catalogue())

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            from matching.encoders import get_encoder

            self._encoder = get_encoder(self.settings.encoder, self.settings.model_path)
        return self._encoder

    # -- building ----------------------------------------------------------
    def fit(self, placements: Sequence[Placement]) -> "Matcher":
        self.placements = list(placements)
        self.table = PlacementTable.from_placements(self.placements, self.columns)
        self.features = PlacementFeatures.from_placements(self.placements)
        texts = [placement_text(p) for p in self.placements]
        self.vectors = self.encoder.encode(texts) if texts else np.zeros((0, self.encoder.dim), np.float32)
        # Ties are broken by placement id, so the input order never changes a result.
        ids = np.array([p.id for p in self.placements], dtype=object)
        self.id_rank = np.empty(len(ids), dtype=np.int64)
        self.id_rank[np.argsort(ids, kind="stable")] = np.arange(len(ids))
        return self

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
        weights = self.settings.weights
        profile = Profile.from_candidate(candidate, self.columns, self.settings)
        ev = evaluate(self.table, profile, self.settings)
        feasible = ev.feasible
        if kinds:
            feasible &= np.isin(self.features.kind, [KIND_CODE[k] for k in kinds])
        rows = np.flatnonzero(feasible)
        n_signals = ev.n_signals

        query = self.encoder.encode([candidate_text(candidate)])[0]
        size = max(SHORTLIST_MIN, SHORTLIST_FACTOR * top)
        cheap = self._cheap_components(candidate, rows, ev.distance_km, profile.max_travel_km)
        cheap_score = combine(cheap, n_signals[rows], weights) if len(rows) else np.zeros(0, np.float32)
        semantic_rows = self._semantic_top(query, feasible, size)
        short = shortlist(semantic_rows, cheap_score, rows, size, self.id_rank[rows])

        suggestions: list[Suggestion] = []
        if len(short):
            components = self._cheap_components(candidate, short, ev.distance_km, profile.max_travel_km)
            cosine = self.vectors[short] @ query
            components = {
                "semantic": self._calibrate(cosine),
                "skills": skills_component(candidate, self.features, short),
                **components,
            }
            scores = combine(components, n_signals[short], weights)
            order = np.lexsort((self.id_rank[short], -scores))
            picked = diversify(order, scores, self.features.title_key[short], top)
            suggestions = self._render(candidate, ev, short, picked, scores, components, profile.max_travel_km)

        excluded = None
        if explain_excluded:
            excluded = self._excluded(candidate, ev, query, explain_excluded, profile.max_travel_km)
        return CandidateSuggestions(candidate_id=candidate.id, suggestions=suggestions, excluded=excluded)

    def _cheap_components(self, candidate, rows, distance_km, max_travel_km) -> dict[str, np.ndarray]:
        return {
            "wishes": wishes_component(candidate, self.features, rows),
            "education": education_component(candidate, self.features, rows),
            "distance": distance_component(distance_km[rows], max_travel_km),
        }

    def _semantic_top(self, query: np.ndarray, mask: np.ndarray, k: int) -> np.ndarray:
        rows = np.flatnonzero(mask)
        if len(rows) == 0:
            return rows
        return top_rows(self.vectors[rows] @ query, rows, k, self.id_rank[rows])

    def _render(self, candidate, ev, short, picked, scores, components, max_travel_km) -> list[Suggestion]:
        out = []
        exp_texts = experience_texts(candidate)
        exp_vectors = self.encoder.encode(exp_texts) if exp_texts else None
        for rank, k in enumerate(picked, start=1):
            row = int(short[k])
            placement = self.placements[row]
            items = explain_row(ev, row, candidate, placement, max_travel_km, only=(SIGNAL,))
            comps = {name: round(float(values[k]), 4) for name, values in components.items()}
            best = None
            if exp_vectors is not None:
                sims = self._calibrate(exp_vectors @ self.vectors[row])
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

    def _excluded(self, candidate, ev, query, n, max_travel_km) -> list[Excluded]:
        # Closed or full places say nothing about the candidate; the informative
        # exclusions are open places that a limit rules out.
        mask = ev.available & (ev.worst == EXCEED)
        rows = np.flatnonzero(mask)
        if len(rows) == 0:
            return []
        cheap = self._cheap_components(candidate, rows, ev.distance_km, max_travel_km)
        comps = {"semantic": self._calibrate(self.vectors[rows] @ query), **cheap}
        scores = combine(comps, np.zeros(len(rows)), self.settings.weights)
        best = top_rows(scores, np.arange(len(rows)), n, self.id_rank[rows])
        return [
            Excluded(
                placement_id=self.placements[rows[k]].id,
                score=round(float(scores[k]), 4),
                distance_km=round(float(ev.distance_km[rows[k]]), 1),
                items=explain_row(ev, int(rows[k]), candidate, self.placements[rows[k]], max_travel_km, only=(EXCEED,)),
            )
            for k in best
        ]
