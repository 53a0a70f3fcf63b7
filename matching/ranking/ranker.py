"""The ranker: the one object that turns feasible places into scored, ordered, explained suggestions.

Every score a coach sees comes from here, live (``matching.live``), nightly
(``matching.batch``), from ``spoormatch match`` and from the demo: the
components, the encoder's calibration, the occupation links, the weights, the
order with its tie-break, the diversity and the Dutch explanation. Callers only
decide *which* places to score (the constraint filter and, above a size, a
retrieval shortlist); how a place scores is decided once.

Build it with :func:`build_ranker` from the settings, so every path gets the same
configuration; :meth:`Ranker.fingerprint` names that configuration, and the
nightly run recomputes everyone when it changes.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from typing import Sequence

import numpy as np

from matching.contract.models import Candidate, ItemVerdict, Placement, Suggestion
from matching.ranking import explanation
from matching.ranking.components import (
    COMPONENTS,
    PlacementFeatures,
    combine,
    distance_component,
    education_component,
    exact_cosine,
    skills_component,
    wishes_component,
)
from matching.ranking.diversity import diversify
from matching.ranking.documents import candidate_text, experience_texts, placement_text
from matching.settings import ScoreWeights, Settings, get_settings
from matching.text.calibration import Calibration, calibration_of

log = logging.getLogger(__name__)

# Bumped whenever a rule in here changes what a place scores or how it is said.
RANKER_FORMAT = 3
# A float32 cosine may sit this far from the exact float64 one (a dot product of
# ~1,300 float32 terms of unit vectors is off by well under 1e-5).
_FLOAT32_COSINE_ERROR = 1e-5


@dataclass
class CandidateVectors:
    """A candidate's embeddings: the whole profile, and each experience apart."""

    query: np.ndarray  # (dim,)
    experiences: np.ndarray  # (n_experiences, dim)


@dataclass
class CandidateView:
    """What the ranker needs of one candidate, computed once per query."""

    candidate: Candidate
    vectors: CandidateVectors
    occupations: tuple[str, ...]  # per experience, "" when no link is sure enough


class Ranker:
    """Scores, orders, diversifies and explains; see the module docstring.

    ``encoder``: turns texts into unit vectors and declares its calibration.
    ``linker``: an :class:`~matching.occupations.OccupationLinker`, or None for
    no occupation component (diversity then falls back to place titles).
    ``cache``: an :class:`~matching.text.EmbeddingCache` for place texts.
    """

    # A link this unsure says more about the title than about the work.
    OCCUPATION_MIN_CONFIDENCE = 0.5

    def __init__(self, encoder, weights: ScoreWeights | None = None, linker=None,
                 calibration: Calibration | None = None, cache=None):
        self.encoder = encoder
        self.weights = weights or ScoreWeights()
        self.linker = linker
        self.calibration = calibration or calibration_of(encoder)
        self.cache = cache
        self._occupation_of: dict[str, str] = {}
        self._proximity_of: dict[str, np.ndarray] = {}
        others = [n for n in COMPONENTS if n != "semantic" and (n != "occupation" or linker is not None)]
        self._weight_sum = self.weights.semantic + sum(getattr(self.weights, n) for n in others)
        self._other_weights = sum(getattr(self.weights, n) for n in others)

    # -- identity ----------------------------------------------------------------------

    def fingerprint(self) -> dict:
        """Everything besides the data that decides a score or an explanation."""
        linker = None
        if self.linker is not None:
            linker = {"encoders": [str(e) for e in getattr(self.linker, "encoders", ())],
                      "weights": asdict(self.linker.weights) if hasattr(self.linker, "weights") else None,
                      "min_confidence": self.OCCUPATION_MIN_CONFIDENCE}
        return {"format": RANKER_FORMAT, "encoder": self.encoder.model_id,
                "calibration": self.calibration.to_json(), "weights": asdict(self.weights), "linker": linker}

    @property
    def fingerprint_text(self) -> str:
        return json.dumps(self.fingerprint(), sort_keys=True, default=str)

    @property
    def approx_margin(self) -> float:
        """How far a score from float32 cosines may sit from the exact score."""
        slope = self.calibration.max_slope() * self.weights.semantic / self._weight_sum
        return 2 * _FLOAT32_COSINE_ERROR * slope + 2e-6  # plus the rounding of both scores

    # -- embedding ---------------------------------------------------------------------

    def embed_places(self, placements: Sequence[Placement]) -> np.ndarray:
        texts = [placement_text(p) for p in placements]
        if not texts:
            return np.zeros((0, self.encoder.dim), np.float32)
        if self.cache is not None:
            return self.cache.encode(self.encoder, texts)
        return np.asarray(self.encoder.encode(texts), dtype=np.float32)

    def embed_candidate(self, candidate: Candidate) -> CandidateVectors:
        [vectors] = self.embed_candidates([candidate])
        return vectors

    def embed_candidates(self, candidates: Sequence[Candidate]) -> list[CandidateVectors]:
        """Profile and experience vectors per candidate. Live and nightly must give a
        candidate the same vector, and a dense encoder's last bits depend on what
        else is in its batch: one call per candidate, unless the encoder declares
        itself batch-invariant, when one call serves them all."""
        if not getattr(self.encoder, "batch_invariant", False):
            return [self._embed_together([c])[0] for c in candidates]
        return self._embed_together(candidates)

    def _embed_together(self, candidates: Sequence[Candidate]) -> list[CandidateVectors]:
        texts: list[str] = []
        spans = []
        for c in candidates:
            exp = experience_texts(c)
            spans.append((len(texts), len(exp)))
            texts.append(candidate_text(c))
            texts.extend(exp)
        if not texts:
            return []
        matrix = np.asarray(self.encoder.encode(texts), dtype=np.float32)
        return [CandidateVectors(query=matrix[start], experiences=matrix[start + 1:start + 1 + n])
                for start, n in spans]

    # -- occupations -------------------------------------------------------------------

    def occupation(self, title: str) -> str:
        """The ESCO occupation a job title links to, "" when the link is unsure; cached."""
        if self.linker is None:
            return ""
        uri = self._occupation_of.get(title)
        if uri is None:
            hits = self.linker.link_one(title, top=1)
            uri = hits[0][0] if hits and hits[0][2] >= self.OCCUPATION_MIN_CONFIDENCE else ""
            self._occupation_of[title] = uri
        return uri

    def view(self, candidate: Candidate, vectors: CandidateVectors | None = None) -> CandidateView:
        vectors = vectors if vectors is not None else self.embed_candidate(candidate)
        return CandidateView(candidate, vectors, tuple(self.occupation(e.title) for e in candidate.experience))

    def place_features(self, placements: Sequence[Placement]) -> PlacementFeatures:
        feats = PlacementFeatures.from_placements(placements)
        if self.linker is not None:
            from matching.occupations import occupation_codes

            feats.occupation = np.array([self.occupation(p.title) for p in placements], dtype=object)
            feats.occupation_code = occupation_codes(feats.occupation.tolist())
        return feats

    def _proximity(self, view: CandidateView, place_codes: np.ndarray) -> np.ndarray | None:
        """(n_experiences, n) proximity of each experience's occupation to each place's,
        gathered from one row per experience occupation (computed once per ranker)."""
        if self.linker is None or not view.occupations:
            return None
        from matching.occupations import proximity_row

        rows = []
        for uri in view.occupations:
            row = self._proximity_of.get(uri)
            if row is None:
                row = self._proximity_of[uri] = proximity_row(uri)
            rows.append(row)
        return np.stack(rows)[:, np.asarray(place_codes, dtype=np.int64)]

    # -- scores --------------------------------------------------------------------------

    def calibrate(self, cosine, kind: str = "profile") -> np.ndarray:
        return self.calibration.apply(cosine, kind)

    @staticmethod
    def cosines(place_vectors: np.ndarray, query: np.ndarray) -> np.ndarray:
        """Exact cosines: the same value whatever path or load order computed them."""
        return exact_cosine(place_vectors, query)

    def score(self, view: CandidateView, feats: PlacementFeatures, rows: np.ndarray, cosines: np.ndarray,
              distance_km: np.ndarray, max_travel_km: float, n_signals: np.ndarray
              ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Scores and components of ``rows`` of ``feats``; arrays aligned with ``rows``."""
        rows = np.asarray(rows, dtype=np.int64)
        c = view.candidate
        parts = {
            "semantic": self.calibrate(cosines),
            "skills": skills_component(c, feats, rows),
            "wishes": wishes_component(c, feats, rows),
            "education": education_component(c, feats, rows),
            "distance": distance_component(distance_km, max_travel_km),
        }
        proximity = self._proximity(view, feats.occupation_code[rows])
        if proximity is not None:
            parts["occupation"] = proximity.max(axis=0)
        # One order of summation, whoever calls: float32 sums depend on it.
        components = {name: parts[name] for name in COMPONENTS if name in parts}
        return combine(components, n_signals, self.weights), components

    def upper_bound(self, best_cosine: float) -> float:
        """The best score any place with at most this cosine can reach."""
        best = float(self.calibrate(np.array([best_cosine]))[0])
        return (self.weights.semantic * best + self._other_weights) / self._weight_sum

    # -- order and diversity ---------------------------------------------------------------

    @staticmethod
    def order(scores: np.ndarray, id_rank: np.ndarray) -> np.ndarray:
        """Best first; equal scores by place id, so load order changes nothing."""
        return np.lexsort((id_rank, -scores))

    @staticmethod
    def pick(order: np.ndarray, scores: np.ndarray, keys: np.ndarray, top: int,
             reserve: int = 0) -> tuple[int, np.ndarray]:
        """The diverse list, then a reserve from what is left: (list length, all picks)."""
        primary = diversify(order, scores, keys, top)
        picked = list(primary)
        if reserve:
            chosen = set(picked)
            rest = np.array([k for k in order if k not in chosen], dtype=np.int64)
            picked += list(diversify(rest, scores, keys, reserve))
        return len(primary), np.asarray(picked, dtype=np.int64)

    # -- explanation -------------------------------------------------------------------

    def experience_fit(self, view: CandidateView, place_vectors: np.ndarray,
                       place_codes: np.ndarray) -> np.ndarray | None:
        """(n_experiences, n): how well each experience fits each place, by text or occupation."""
        exp = view.vectors.experiences
        if not len(exp) or not len(place_vectors):
            return None
        fit = np.vstack([self.calibrate(self.cosines(place_vectors, v), "experience") for v in exp])
        proximity = self._proximity(view, place_codes)
        if proximity is not None:
            fit = np.maximum(fit, proximity)
        return fit

    def suggestion(self, view: CandidateView, placement: Placement, rank: int, score: float,
                   components: dict[str, float], items: list[ItemVerdict], distance_km: float,
                   fit: np.ndarray | None) -> Suggestion:
        """One rendered suggestion; ``fit``: the experience-fit column of this place."""
        c = view.candidate
        comps = {name: round(float(v), 4) for name, v in components.items()}
        best = None
        if fit is not None:
            j = int(np.argmax(fit))
            best = (c.experience[j].title, float(fit[j]))
        return Suggestion(
            placement_id=placement.id, rank=rank, score=round(float(score), 4),
            verdict="signal" if items else "pass", distance_km=round(float(distance_km), 1), items=items,
            components=comps,
            explanation=explanation.render(c, placement, comps, items, float(distance_km), best))

    def best_experience(self, candidate: Candidate, placement: Placement) -> tuple[int, float] | None:
        """Index and fit of the experience closest to one place (for an introduction)."""
        if not candidate.experience:
            return None
        view = self.view(candidate)
        [vector] = self.embed_places([placement])
        from matching.occupations import occupation_codes

        fit = self.experience_fit(view, vector[None, :], occupation_codes([self.occupation(placement.title)]))
        j = int(np.argmax(fit[:, 0]))
        return j, float(fit[j, 0])


# The place-embedding cache in the state folder: one file for the command line, the
# live service and the nightly run, so all of them score the very same vectors.
PLACE_CACHE = "embeddings.sqlite"


def build_ranker(settings: Settings | None = None, encoder=None, linker=None, cache=None,
                 persistent: bool = False) -> Ranker:
    """The ranker as every path builds it: encoder, weights and linker from ``settings``.

    ``encoder``: replaces the configured one (tests, benchmarks); it still
    declares its own calibration. ``linker``: replaces the configured one;
    ``settings.occupation_linker`` off means none. ``persistent``: keep place
    embeddings in the state folder's cache (when no ``cache`` is given).
    """
    settings = settings or get_settings()
    if cache is None and persistent:
        from matching.text import EmbeddingCache

        settings.state_dir.mkdir(parents=True, exist_ok=True)
        cache = EmbeddingCache(settings.state_dir / PLACE_CACHE)
    if encoder is None:
        from matching.text import get_encoder

        encoder = get_encoder(settings.encoder, settings.model_path)
    if linker is None and settings.occupation_linker:
        from matching.occupations import get_linker

        # The lexical linker fits in seconds; embedding all of ESCO for it would cost
        # minutes on a fresh machine for a small gain in occupational proximity.
        linker = get_linker(encoders=())
    return Ranker(encoder, settings.weights, linker=linker or None, cache=cache)
