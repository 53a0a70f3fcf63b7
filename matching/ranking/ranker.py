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
from dataclasses import asdict, dataclass, field
from typing import Sequence

import numpy as np

from matching.constraints.earnings import earnings
from matching.reference.fml import HOURS_PER_WEEK_ITEM
from matching.contract.models import Candidate, Condition, ItemVerdict, Placement, Suggestion
from matching.ranking import centrality as aspects
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
from matching.ranking.documents import candidate_text, experience_texts, placement_text, wanted_text
from matching.ranking.view_cache import ViewCache
from matching.ranking.transfer import CandidateOccupations, OccupationScorer
from matching.ranking.wish_text import parse_wishes
from matching.private import private_dir
from matching.settings import ScoreWeights, Settings, get_settings
from matching.text.calibration import Calibration, calibration_of

log = logging.getLogger(__name__)

# Bumped whenever a rule in here changes what a place scores or how it is said.
RANKER_FORMAT = 6
# Added to the order key of a candidate's own employer's places (spoor 1): scores
# lie in [0, 1], so these come first whatever they score, and every path that
# orders, cuts or merges by score (live, nightly, incremental) keeps them first.
# A coach is shown the score without it (:meth:`Ranker.shown`).
SPOOR_ONE_LEAD = 10.0
# A float32 cosine may sit this far from the exact float64 one (a dot product of
# ~1,300 float32 terms of unit vectors is off by well under 1e-5).
_FLOAT32_COSINE_ERROR = 1e-5


@dataclass
class CandidateVectors:
    """A candidate's embeddings: the whole profile, each experience apart, and what
    the wish text asks for (None without one)."""

    query: np.ndarray  # (dim,)
    experiences: np.ndarray  # (n_experiences, dim)
    wish: np.ndarray | None = None  # (dim,)


@dataclass
class CandidateView:
    """What the ranker needs of one candidate, computed once per query."""

    candidate: Candidate
    vectors: CandidateVectors
    occupations: tuple[str, ...]  # per experience, "" when no link is sure enough
    links: CandidateOccupations | None = None
    # Columns of ``aspects.ASPECT_ITEMS`` the candidate is limited in or does not want,
    # with how much each counts (0..1).
    aspect_cols: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    aspect_weights: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    avoided: tuple[str, ...] = ()  # FML items the wish text rules out
    wished: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # aspect columns asked for


@dataclass
class PlaceFit:
    """Why places fit, for the explanation: per experience the text fit and the
    transfer, and the wish text's fit; arrays with one column per place."""

    text: np.ndarray  # (n_experiences, n)
    transfer: np.ndarray | None  # (n_experiences, n)
    wish: np.ndarray | None  # (n,)
    codes: np.ndarray  # (n, k) the places' occupation rows

    @property
    def experience(self) -> np.ndarray:
        return self.text if self.transfer is None else np.maximum(self.text, self.transfer)

    def column(self, j: int) -> "PlaceFit":
        return PlaceFit(self.text[:, j:j + 1], None if self.transfer is None else self.transfer[:, j:j + 1],
                        None if self.wish is None else self.wish[j:j + 1], self.codes[j:j + 1])


class Ranker:
    """Scores, orders, diversifies and explains; see the module docstring.

    ``encoder``: turns texts into unit vectors and declares its calibration.
    ``occupations``: an :class:`~matching.ranking.transfer.OccupationScorer` (the
    linker, the transfer model, the ESCO skills), or None for no occupation
    component (diversity then falls back to place titles).
    ``cache``: an :class:`~matching.text.EmbeddingCache` for place texts.
    """

    def __init__(self, encoder, weights: ScoreWeights | None = None, occupations: OccupationScorer | None = None,
                 calibration: Calibration | None = None, cache=None):
        self.encoder = encoder
        self.weights = weights or ScoreWeights()
        self.occupations = occupations
        self.calibration = calibration or calibration_of(encoder)
        self.cache = cache
        others = [n for n in COMPONENTS if n != "semantic" and (n != "occupation" or occupations is not None)]
        self._weight_sum = self.weights.semantic + sum(getattr(self.weights, n) for n in others)
        self._other_weights = sum(getattr(self.weights, n) for n in others)
        self._views = ViewCache()

    def __getstate__(self) -> dict:
        # The embedding cache is the driver's file; a worker that gets this ranker
        # embeds what it is asked to and hands the vectors back. Live views stay home.
        return {**self.__dict__, "cache": None, "_views": None}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._views = ViewCache()

    # -- identity ----------------------------------------------------------------------

    def fingerprint(self) -> dict:
        """Everything besides the data that decides a score or an explanation."""
        return {"format": RANKER_FORMAT, "encoder": self.encoder.model_id,
                "calibration": self.calibration.to_json(), "weights": asdict(self.weights),
                "occupations": None if self.occupations is None else self.occupations.fingerprint(),
                "aspects": aspects.VERSION}

    @property
    def fingerprint_text(self) -> str:
        return json.dumps(self.fingerprint(), sort_keys=True, default=str)

    @property
    def approx_margin(self) -> float:
        """How far a score from float32 cosines may sit from the exact score."""
        w = self.weights
        # The cosines reach the score through the semantic component, the occupation
        # component of places judged by their text, and the wish text.
        exposed = w.semantic + (w.occupation if self.occupations is not None else 0.0) + w.wishes * w.wish_text
        slope = self.calibration.max_slope() * exposed / self._weight_sum
        return 2 * _FLOAT32_COSINE_ERROR * slope + 2e-6  # plus the rounding of both scores

    # -- embedding ---------------------------------------------------------------------

    def embed_places(self, placements: Sequence[Placement], embed=None) -> np.ndarray:
        """Place vectors, through the cache when there is one. ``embed(encoder, texts)``
        embeds what is not cached, as blocks of rows in order (the nightly run's workers)."""
        texts = [placement_text(p) for p in placements]
        if not texts:
            return np.zeros((0, self.encoder.dim), np.float32)
        if self.cache is not None:
            return self.cache.encode(self.encoder, texts, embed=embed)
        if embed is not None:
            return np.concatenate([np.asarray(block, dtype=np.float32) for block in embed(self.encoder, texts)])
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
            wish = wanted_text(c) if self.weights.wish_text > 0 else ""
            exp = experience_texts(c)
            spans.append((len(texts), len(exp), bool(wish)))
            texts.append(candidate_text(c, with_wishes=self.weights.wish_text > 0))
            texts.extend(exp)
            if wish:
                texts.append(wish)
        if not texts:
            return []
        matrix = np.asarray(self.encoder.encode(texts), dtype=np.float32)
        out = []
        for start, n, has_wish in spans:
            query, wish = matrix[start], (matrix[start + 1 + n] if has_wish else None)
            out.append(CandidateVectors(query=query, experiences=matrix[start + 1:start + 1 + n], wish=wish))
        return out

    # -- occupations and aspects ----------------------------------------------------------

    def view(self, candidate: Candidate, vectors: CandidateVectors | None = None) -> CandidateView:
        """What scoring needs of ``candidate``. Without ``vectors`` (a live call) the view
        of a candidate seen lately is reused; the nightly run passes its stored vectors."""
        if vectors is None:
            return self._views.get_or_build(candidate, lambda: self._view(candidate, self.embed_candidate(candidate)))
        return self._view(candidate, vectors)

    def _view(self, candidate: Candidate, vectors: CandidateVectors) -> CandidateView:
        links = None if self.occupations is None else self.occupations.candidate(candidate)
        wish = parse_wishes(candidate.wishes.text)
        cols, weights = aspects.limited_columns(candidate.capacity, wish.avoid_aspects)
        return CandidateView(candidate, vectors, links.best if links else ("",) * len(candidate.experience),
                             links, cols, weights, tuple(wish.avoid_aspects),
                             aspects.wished_columns(wish.positive, wish.avoid_aspects))

    def place_features(self, placements: Sequence[Placement]) -> PlacementFeatures:
        feats = PlacementFeatures.from_placements(placements)
        skills_of = None
        if self.occupations is not None:
            codes, weights = self.occupations.place_links(placements)
            feats.occupation_links, feats.occupation_weights = codes, weights
            feats.occupation = np.array([self.occupations.uri(int(c)) for c in codes[:, 0]], dtype=object)
            skills_of = self.occupations.essential_skill_labels
        feats.centrality = aspects.place_centrality(placements, feats.occupation_links, skills_of)
        return feats

    # -- scores --------------------------------------------------------------------------

    def calibrate(self, cosine, kind: str = "profile") -> np.ndarray:
        return self.calibration.apply(cosine, kind)

    @staticmethod
    def cosines(place_vectors: np.ndarray, query: np.ndarray) -> np.ndarray:
        """Exact cosines: the same value whatever path or load order computed them."""
        return exact_cosine(place_vectors, query)

    def wish_cosines(self, view: CandidateView, place_vectors: np.ndarray) -> np.ndarray | None:
        """Exact cosines of the wish text with places, None without a wish text."""
        if view.vectors.wish is None:
            return None
        return self.cosines(place_vectors, view.vectors.wish)

    def score(self, view: CandidateView, feats: PlacementFeatures, rows: np.ndarray, cosines: np.ndarray,
              distance_km: np.ndarray, max_travel_km: float, n_signals: np.ndarray,
              wish_cosines: np.ndarray | None = None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Scores and components of ``rows`` of ``feats``; arrays aligned with ``rows``.

        ``cosines``: of the candidate's query with the places; ``wish_cosines``: of
        their wish text (:meth:`wish_cosines`), required when they have one."""
        rows = np.asarray(rows, dtype=np.int64)
        c = view.candidate
        if view.vectors.wish is not None and wish_cosines is None:
            raise ValueError("score: this candidate has a wish text; pass its wish_cosines")
        wish_fit = None if view.vectors.wish is None else self.calibrate(wish_cosines)
        if wish_fit is not None:
            # What the wish names ("klantcontact", "zittend werk") counts as fully as
            # the text match: short wishes barely move a cosine.
            named = aspects.wished_fit_of(feats.centrality, rows, view.wished)
            if named is not None:
                wish_fit = np.maximum(wish_fit, named)
        skills = skills_component(c, feats, rows)
        semantic = self.calibrate(cosines)
        parts = {
            "semantic": semantic,
            "wishes": wishes_component(c, feats, rows, wish_fit, self.weights.wish_text),
            "education": education_component(c, feats, rows),
            "distance": distance_component(distance_km, max_travel_km),
        }
        if self.occupations is not None and view.links is not None:
            # Gathered once for the occupation and the ESCO skills both.
            codes, weights = feats.links_of(rows)
            parts["occupation"] = self._occupation(view, feats, rows, semantic, codes, weights)
            skills = np.maximum(skills, self.occupations.esco_skills(view.links, codes, weights))
        parts["skills"] = skills
        central = aspects.central_penalty_of(feats.centrality, rows, view.aspect_cols, view.aspect_weights)
        # One order of summation, whoever calls: float32 sums depend on it.
        components = {name: parts[name] for name in COMPONENTS if name in parts}
        scores = combine(components, n_signals, self.weights, central).astype(np.float64)
        # float64: the lead added and taken off again gives back the very score.
        scores += self._lead(view, feats, rows)
        return scores, components

    @staticmethod
    def shown(score: float) -> float:
        """The score a coach sees: the order key without the spoor-1 lead."""
        score = float(score)
        return score - SPOOR_ONE_LEAD if score >= SPOOR_ONE_LEAD / 2 else score

    def score_bound(self, view: CandidateView, feats: PlacementFeatures, rows: np.ndarray,
                    distance_km: np.ndarray, max_travel_km: float, n_signals: np.ndarray,
                    tight: bool = False) -> np.ndarray:
        """Per place of ``rows`` a score it cannot exceed whatever its cosines.

        Education, distance, the flagged items and the transfer as :meth:`score`
        computes them; with ``tight`` also the skills, the stated wishes and the
        penalty for central aspects (about as dear again); every other component at
        its best (1). The nightly run scores only the places whose bound reaches a
        pool's depth.
        """
        rows = np.asarray(rows, dtype=np.int64)
        w = self.weights
        c = view.candidate
        linked = self.occupations is not None and view.links is not None
        codes = weights = None
        if linked:
            codes, weights = feats.links_of(rows)
        skills = wishes = 1.0
        central = 0.0
        if tight:
            found = aspects.central_penalty_of(feats.centrality, rows, view.aspect_cols, view.aspect_weights)
            central = 0.0 if found is None else found.astype(np.float64)
            skills = skills_component(c, feats, rows)
            if linked:
                skills = np.maximum(skills, self.occupations.esco_skills(view.links, codes, weights))
            skills = skills.astype(np.float64)
            wishes = wishes_component(c, feats, rows, None).astype(np.float64)
            if view.vectors.wish is not None and w.wish_text > 0:
                wishes = (1.0 - w.wish_text) * wishes + w.wish_text  # the wish text at its best
        total = (w.semantic + w.skills * skills + w.wishes * wishes
                 + w.education * education_component(c, feats, rows).astype(np.float64)
                 + w.distance * distance_component(distance_km, max_travel_km).astype(np.float64))
        weight_sum = w.semantic + w.skills + w.wishes + w.education + w.distance
        if linked:
            best = self.occupations.best_transfer(view.links, codes, weights)
            if best is not None and any(view.links.links):
                # A place judged by its text can reach 1.
                total = total + w.occupation * np.where(codes[:, 0] < 0, 1.0, best.astype(np.float64))
            else:
                total = total + w.occupation
            weight_sum += w.occupation
        # Above the float32 sums and the rounding of :func:`combine`.
        penalty = w.signal_penalty * np.asarray(n_signals) + w.central_penalty * central
        return np.clip(total / weight_sum - penalty, 0.0, 1.0) + 1e-5 + self._lead(view, feats, rows)

    def text_bounds(self, cosines: np.ndarray, view: CandidateView, feats: PlacementFeatures,
                    rows: np.ndarray, transfer: bool = False) -> np.ndarray:
        """Per place of ``rows`` the best score it can reach with at most this cosine:
        every component besides the text match at its best, the spoor-1 lead where
        the place is the candidate's own employer's; with ``transfer``, the
        occupation component as :meth:`score` computes it (the dear part, so a
        night asks for it only where the rest leaves a place in)."""
        rows = np.asarray(rows, dtype=np.int64)
        best = self.calibrate(np.asarray(cosines, dtype=np.float64)).astype(np.float64)
        others = self._other_weights
        if transfer and self.occupations is not None and view.links is not None and len(rows):
            # Places judged by their text reach at most their text match.
            occupation = self._occupation(view, feats, rows, best.astype(np.float32)).astype(np.float64)
            others = others + self.weights.occupation * (occupation - 1.0)
        return (self.weights.semantic * best + others) / self._weight_sum + self._lead(view, feats, rows)

    @staticmethod
    def _lead(view: CandidateView, feats: PlacementFeatures, rows: np.ndarray) -> np.ndarray | float:
        """Per place of ``rows`` the spoor-1 lead: on the places of the candidate's own
        employer, 0 elsewhere (and 0 for a candidate without one)."""
        employer = view.candidate.employer_id
        if not employer:
            return 0.0
        return SPOOR_ONE_LEAD * (feats.spoor(np.asarray(rows, dtype=np.int64), employer) == 1)

    def _occupation(self, view: CandidateView, feats: PlacementFeatures, rows: np.ndarray,
                    semantic, codes: np.ndarray | None = None, weights: np.ndarray | None = None) -> np.ndarray:
        """The occupation component of ``rows``: the transfer score, and the text match
        (``semantic``, per place or one bound for all) where there is no occupation to go on.
        ``codes`` and ``weights``: the rows' links, when the caller has them at hand."""
        if codes is None:
            codes, weights = feats.links_of(rows)
        semantic = np.broadcast_to(np.asarray(semantic, np.float32), (len(rows),))
        best = self.occupations.best_transfer(view.links, codes, weights)
        if best is None or not any(view.links.links):
            # Nothing of theirs links to an occupation: the text is all there is to go on.
            return semantic.copy()
        # A place whose title links to no occupation is judged by its text.
        return np.where(codes[:, 0] < 0, semantic, best).astype(np.float32)

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
            order = np.asarray(order, dtype=np.int64)
            rest = order[~np.isin(order, primary)]
            picked += list(diversify(rest, scores, keys, reserve))
        return len(primary), np.asarray(picked, dtype=np.int64)

    # -- explanation -------------------------------------------------------------------

    def place_fit(self, view: CandidateView, place_vectors: np.ndarray, feats: PlacementFeatures,
                  rows: np.ndarray) -> PlaceFit | None:
        """Why each of ``rows`` fits (``place_vectors`` are their vectors), for the explanation."""
        rows = np.asarray(rows, dtype=np.int64)
        if not len(rows):
            return None
        exp = view.vectors.experiences
        text = np.vstack([self.calibrate(self.cosines(place_vectors, v), "experience") for v in exp]) \
            if len(exp) else np.zeros((0, len(rows)), np.float32)
        codes, link_weights = feats.links_of(rows)
        transfer = None
        if self.occupations is not None and view.links is not None and len(exp):
            transfer = self.occupations.transfer(view.links, codes, link_weights)
        wish = None
        if view.vectors.wish is not None:
            wish = self.calibrate(self.cosines(place_vectors, view.vectors.wish), "experience")
        return PlaceFit(text, transfer, wish, codes)

    def suggestion(self, view: CandidateView, placement: Placement, rank: int, score: float,
                   components: dict[str, float], items: list[ItemVerdict], distance_km: float,
                   fit: PlaceFit | None, central: Sequence[str] = (),
                   conditions: Sequence[Condition] = ()) -> Suggestion:
        """One rendered suggestion; ``fit``: this place's column of :meth:`place_fit`;
        ``conditions``: what makes an adjusted place fit (its verdict is then adjust)."""
        comps = {name: round(float(v), 4) for name, v in components.items()}
        reasons = self._reasons(view, fit)
        reasons.central = list(central)
        c = view.candidate
        verdict = "adjust" if conditions else "signal" if items else "pass"
        fewer = [k.to for k in conditions if k.kind == "aanpassing" and k.item == HOURS_PER_WEEK_ITEM]
        pay = earnings(c, placement, fewer[0] if fewer else None)
        return Suggestion(
            placement_id=placement.id, rank=rank, score=round(self.shown(score), 4),
            verdict=verdict, distance_km=round(float(distance_km), 1), items=items,
            components=comps, spoor=1 if c.employer_id and placement.employer_id == c.employer_id else 2,
            conditions=list(conditions), earnings=pay,
            explanation=explanation.render(c, placement, comps, items, float(distance_km), reasons,
                                           conditions, pay))

    def central_aspects(self, view: CandidateView, feats: PlacementFeatures, row: int) -> list[str]:
        """The limited or unwanted aspects at the core of one place's work, as Dutch phrases."""
        return aspects.central_phrases(feats.centrality[row], view.aspect_cols, view.aspect_weights)

    def _reasons(self, view: CandidateView, fit: PlaceFit | None) -> explanation.Reasons:
        c = view.candidate
        reasons = explanation.Reasons()
        if fit is None or not c.experience:
            return reasons
        score = fit.experience[:, 0]
        j = int(np.argmax(score))
        reasons.experience = (c.experience[j].title, float(fit.text[j, 0]),
                              0.0 if fit.transfer is None else float(fit.transfer[j, 0]))
        if self.occupations is not None and view.links is not None:
            b = int(fit.codes[0, 0])
            for a, _ in view.links.links[j][:1]:
                reasons.shared_skills = self.occupations.shared_skills(a, b)
            reasons.own_skills = self.occupations.own_skills_needed(view.links, b)
        if fit.wish is not None:
            reasons.wish = float(fit.wish[0])
        return reasons

    def best_experience(self, candidate: Candidate, placement: Placement) -> tuple[int, float] | None:
        """Index and fit of the experience closest to one place (for an introduction)."""
        if not candidate.experience:
            return None
        view = self.view(candidate)
        [vector] = self.embed_places([placement])
        feats = self.place_features([placement])
        fit = self.place_fit(view, vector[None, :], feats, np.array([0])).experience
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
    ``settings.occupation_linker`` off (and no ``linker``) means no occupations:
    no transfer component, no ESCO skills. ``persistent``: keep place
    embeddings in the state folder's cache (when no ``cache`` is given).
    """
    settings = settings or get_settings()
    if cache is None and persistent:
        from matching.text import EmbeddingCache

        private_dir(settings.state_dir)
        cache = EmbeddingCache(settings.state_dir / PLACE_CACHE)
    if encoder is None:
        from matching.text import get_encoder

        encoder = get_encoder(settings.encoder, settings.model_path)
    occupations = None
    if linker is not None or settings.occupation_linker:
        from matching.occupations import get_linker, get_skill_matcher, get_transfer_model

        # The lexical linker fits in seconds; embedding all of ESCO for it would cost
        # minutes on a fresh machine for a small gain in linking.
        occupations = OccupationScorer(linker or get_linker(encoders=()),
                                       get_transfer_model(settings.data_dir, settings.models_dir),
                                       get_skill_matcher(settings.data_dir))
    return Ranker(encoder, settings.weights, occupations=occupations, cache=cache)
