"""Scoring of feasible places: every component in [0, 1], weights from the settings.

Cheap components (wishes, education, distance, flagged items) are computed for all
feasible places at once from column arrays; the ones that need a pair-wise look
(skills overlap, occupational proximity, the exact text similarity) only for the
shortlist that retrieval hands over.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from matching.contract.models import EDUCATION_RANK, PLACEMENT_KINDS, Candidate, Placement
from matching.settings import ScoreWeights

KIND_CODE = {k: i for i, k in enumerate(PLACEMENT_KINDS)}

COMPONENTS = ("semantic", "occupation", "skills", "wishes", "education", "distance")


def norm_term(text: str) -> str:
    return " ".join(text.lower().split())


def term_hash(term: str) -> int:
    """A stable non-zero 63-bit hash of a normalised term (the same in every process)."""
    value = int.from_bytes(hashlib.blake2b(term.encode("utf-8"), digest_size=8).digest(), "little") >> 1
    return value or 1


def _stack_padded(parts: Sequence[np.ndarray], fill=0, dtype=np.int64) -> np.ndarray:
    width = max((p.shape[1] for p in parts), default=0)
    return np.concatenate([np.pad(p, ((0, 0), (0, width - p.shape[1])), constant_values=fill) for p in parts]) \
        if parts else np.zeros((0, 0), dtype=dtype)


@dataclass
class PlacementFeatures:
    """Columns the cheap components need, aligned with the PlacementTable rows."""

    kind: np.ndarray  # int8 code into PLACEMENT_KINDS
    education_rank: np.ndarray  # int8; -1 = no requirement
    sector: np.ndarray  # object array of normalised sector names
    hours_per_week: np.ndarray  # float32
    skills: list[frozenset[str]]
    title_key: np.ndarray  # object array: normalised title, for diversity
    # The skills again as a padded (n, k) int64 array of term hashes (0 = none), so
    # the skills component is one vectorised look-up over thousands of places.
    skill_hashes: np.ndarray | None = None
    sector_hash: np.ndarray | None = None  # int64 term hash of the sector, for the same reason
    # The ESCO occupation each place is (its best link, "" when none is sure enough),
    # its few links as ESCO rows (-1: none) with their weights, and how central each
    # FML aspect of ``aspects.ASPECT_ITEMS`` is to the work; set by the ranker.
    occupation: np.ndarray | None = None
    occupation_links: np.ndarray | None = None  # (n, k) int32
    occupation_weights: np.ndarray | None = None  # (n, k) float32
    centrality: np.ndarray | None = None  # (n, n_aspects) float32
    # The employer of each place: a candidate's own employer's places are spoor 1.
    # Unicode, not object: comparing thousands of ids with the candidate's employer
    # is then one vectorised comparison, not a Python call per place.
    employer: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = len(self.kind)
        if self.employer is None:
            self.employer = np.full(n, "", dtype=str)
        if self.occupation is None:
            self.occupation = np.full(n, "", dtype=object)
        if self.occupation_links is None:
            self.occupation_links = np.full((n, 1), -1, dtype=np.int32)
        if self.occupation_weights is None:
            self.occupation_weights = np.zeros(self.occupation_links.shape, dtype=np.float32)
        if self.centrality is None:
            self.centrality = np.zeros((n, 0), dtype=np.float32)
        if self.sector_hash is None:
            self.sector_hash = np.array([term_hash(s) for s in self.sector], dtype=np.int64)
        if self.skill_hashes is None:
            width = max((len(s) for s in self.skills), default=0)
            hashes = np.zeros((len(self.skills), width), dtype=np.int64)
            for i, terms in enumerate(self.skills):
                for j, term in enumerate(sorted(terms)):
                    hashes[i, j] = term_hash(term)
            self.skill_hashes = hashes

    @classmethod
    def from_placements(cls, placements: Sequence[Placement]) -> "PlacementFeatures":
        return cls(
            kind=np.array([KIND_CODE[p.kind] for p in placements], dtype=np.int8),
            education_rank=np.array(
                [EDUCATION_RANK[p.education_level] if p.education_level else -1 for p in placements], dtype=np.int8
            ),
            sector=np.array([norm_term(p.sector) for p in placements], dtype=object),
            hours_per_week=np.array([p.hours_per_week for p in placements], dtype=np.float32),
            skills=[frozenset(norm_term(s) for s in p.skills) for p in placements],
            title_key=np.array([norm_term(p.title) for p in placements], dtype=object),
            employer=np.array([p.employer_id for p in placements], dtype=str),
        )

    def links_of(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The occupation links of ``rows`` (row numbers): (codes, weights), each (len(rows), links).

        ``np.take`` along the rows: indexing a 2-D array with a row list took three times longer.
        """
        return np.take(self.occupation_links, rows, axis=0), np.take(self.occupation_weights, rows, axis=0)

    def take(self, rows: np.ndarray) -> "PlacementFeatures":
        rows = np.asarray(rows)
        if rows.dtype == bool:
            rows = np.flatnonzero(rows)
        return PlacementFeatures(
            kind=self.kind[rows],
            education_rank=self.education_rank[rows],
            sector=self.sector[rows],
            hours_per_week=self.hours_per_week[rows],
            skills=[self.skills[i] for i in rows],
            title_key=self.title_key[rows],
            skill_hashes=self.skill_hashes[rows],
            sector_hash=self.sector_hash[rows],
            occupation=self.occupation[rows],
            occupation_links=self.occupation_links[rows],
            occupation_weights=self.occupation_weights[rows],
            centrality=self.centrality[rows],
            employer=self.employer[rows],
        )

    @classmethod
    def concat(cls, parts: Sequence["PlacementFeatures"]) -> "PlacementFeatures":
        return cls(
            kind=np.concatenate([p.kind for p in parts]),
            education_rank=np.concatenate([p.education_rank for p in parts]),
            sector=np.concatenate([p.sector for p in parts]),
            hours_per_week=np.concatenate([p.hours_per_week for p in parts]),
            skills=[s for p in parts for s in p.skills],
            title_key=np.concatenate([p.title_key for p in parts]),
            skill_hashes=_stack_padded([p.skill_hashes for p in parts]),
            sector_hash=np.concatenate([p.sector_hash for p in parts]) if parts else np.zeros(0, np.int64),
            occupation=np.concatenate([p.occupation for p in parts]) if parts else np.zeros(0, dtype=object),
            occupation_links=_stack_padded([p.occupation_links for p in parts], fill=-1, dtype=np.int32),
            occupation_weights=_stack_padded([p.occupation_weights for p in parts], dtype=np.float32),
            centrality=_stack_padded([p.centrality for p in parts], dtype=np.float32),
            employer=np.concatenate([p.employer for p in parts]) if parts else np.zeros(0, dtype=str),
        )

    def skill_index(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The skills as positions into one sorted vocabulary of term hashes:
        (vocabulary, (k, n) int32 positions, skills listed per place). Built on first
        use: a candidate's overlap with thousands of places is then one boolean
        look-up, where ``np.isin`` sorted the hashes of every place for every call.
        Positions are stored skill slot by skill slot, so a look-up reads contiguous rows."""
        found = self.__dict__.get("_skill_slots")
        if found is None:
            vocabulary, positions = np.unique(self.skill_hashes, return_inverse=True)
            found = (vocabulary, np.ascontiguousarray(positions.reshape(self.skill_hashes.shape).T, dtype=np.int32),
                     np.count_nonzero(self.skill_hashes, axis=1))
            self.__dict__["_skill_slots"] = found
        return found

    def spoor(self, rows: np.ndarray, employer_id: str | None) -> np.ndarray:
        """Per row 1 for the candidate's own employer's places (spoor 1), else 2."""
        if not employer_id:
            return np.full(len(rows), 2, dtype=np.int8)
        # Compared as integer codes: comparing thousands of unicode ids per candidate cost
        # more than the education component.
        found = self.__dict__.get("_employer_codes")
        if found is None:
            names, codes = np.unique(self.employer, return_inverse=True)
            found = self.__dict__["_employer_codes"] = ({str(n): i for i, n in enumerate(names)},
                                                        codes.astype(np.int32))
        code = found[0].get(employer_id, -1)
        return np.where(found[1][rows] == code, 1, 2).astype(np.int8)

    def diversity_keys(self, rows: np.ndarray) -> np.ndarray:
        """What counts as "the same kind of work" for ``rows``: the occupation, else the title."""
        occupation = self.occupation[rows]
        return np.where(occupation != "", occupation, self.title_key[rows])


def wishes_component(candidate: Candidate, feats: PlacementFeatures, rows: np.ndarray,
                     wish_fit: np.ndarray | None = None, text_share: float = 0.3) -> np.ndarray:
    """Kind, hours and sector against the candidate's own wishes, and the wish text
    against the place's text (``wish_fit``, calibrated; None without a wish text,
    when kind, hours and sector share the whole); no wish = no preference."""
    wishes = candidate.wishes
    if wishes.kinds:
        # A look-up per place: np.isin's set logic cost more than the rest of the component.
        wanted = np.zeros(len(PLACEMENT_KINDS), dtype=np.float32)
        wanted[[KIND_CODE[k] for k in wishes.kinds]] = 1.0
        kind = wanted[feats.kind[rows]]
    else:
        kind = np.ones(len(rows), dtype=np.float32)
    if wishes.hours_per_week:
        gap = np.abs(feats.hours_per_week[rows] - wishes.hours_per_week) / wishes.hours_per_week
        hours = np.clip(1.0 - gap, 0.0, 1.0)
    else:
        hours = np.ones(len(rows), dtype=np.float32)
    if wishes.sectors:
        hashes = feats.sector_hash[rows]
        match = np.zeros(len(hashes), dtype=bool)
        for wanted in {term_hash(norm_term(s)) for s in wishes.sectors}:
            match |= hashes == wanted
        sector = match.astype(np.float32)
    else:
        sector = np.ones(len(rows), dtype=np.float32)
    stated = (0.5 * kind + 0.3 * hours + 0.2 * sector).astype(np.float32)
    if wish_fit is None or text_share <= 0:
        return stated
    return ((1.0 - text_share) * stated + text_share * np.asarray(wish_fit, np.float32)).astype(np.float32)


def education_component(candidate: Candidate, feats: PlacementFeatures, rows: np.ndarray) -> np.ndarray:
    have = EDUCATION_RANK[candidate.education.level]
    need = feats.education_rank[rows].astype(np.float32)
    gap = np.maximum(need - have, 0.0)
    # One level short is often bridged on the job; three levels short rarely is.
    return np.where(need < 0, 1.0, np.clip(1.0 - gap / 3.0, 0.0, 1.0)).astype(np.float32)


def distance_component(distance_km: np.ndarray, max_travel_km: float) -> np.ndarray:
    return np.clip(1.0 - np.asarray(distance_km) / max_travel_km, 0.0, 1.0).astype(np.float32)


def skills_component(candidate: Candidate, feats: PlacementFeatures, rows: np.ndarray) -> np.ndarray:
    """Share of the skills a place lists that the candidate has; 0 when it lists none."""
    rows = np.asarray(rows, dtype=np.int64)
    vocabulary, positions, n_listed = feats.skill_index()
    have = np.array(sorted({term_hash(norm_term(s)) for s in candidate.skills}), dtype=np.int64)
    n_asked = n_listed[rows]
    if not len(have) or not len(vocabulary):
        return np.zeros(len(rows), dtype=np.float32)
    at = np.minimum(np.searchsorted(vocabulary, have), len(vocabulary) - 1)
    wanted = np.zeros(len(vocabulary), dtype=bool)
    # Term hashes are never 0, so the padding's position is never marked.
    wanted[at[vocabulary[at] == have]] = True
    # Slot by slot: counting over the short last axis of a (rows, k) gather took three times longer.
    overlap = np.zeros(len(rows), dtype=np.int64)
    for slot in positions:
        overlap += wanted[slot[rows]]
    return (overlap / np.maximum(n_asked, 1)).astype(np.float32)


def combine(components: dict[str, np.ndarray], n_signals: np.ndarray, weights: ScoreWeights,
            central: np.ndarray | None = None) -> np.ndarray:
    """Weighted mean of the components present, minus a penalty per flagged item and
    one for work whose core is an aspect the candidate is limited in (``central``, 0..1)."""
    total = np.zeros_like(next(iter(components.values())), dtype=np.float32)
    weight_sum = 0.0
    for name, values in components.items():
        w = getattr(weights, name)
        total += w * values
        weight_sum += w
    score = total / weight_sum if weight_sum > 0 else total
    # BLAS may sum the same two vectors differently depending on where a row sits;
    # rounding turns those last-bit differences back into ties, which are then
    # broken by placement id, so the order places were loaded in changes nothing.
    penalty = weights.signal_penalty * n_signals
    if central is not None:
        penalty = penalty + weights.central_penalty * central
    return np.round(np.clip(score - penalty, 0.0, 1.0), 6)


def exact_cosine(vectors: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Cosines of unit vectors with a query that do not depend on how they were computed.

    BLAS sums a row differently depending on where it sits in memory and how the
    product is blocked; in float64 (exact products of float32 inputs), rounded, a
    place gets the same cosine in any load order, batch or live path.
    """
    if len(vectors) == 0:
        return np.zeros(0, np.float32)
    return np.round(np.asarray(vectors, np.float64) @ np.asarray(query, np.float64), 9).astype(np.float32)
