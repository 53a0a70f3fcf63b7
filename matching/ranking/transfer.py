"""The ranker's view of occupations: links on both sides and what carries over.

Every experience and every place is linked to a few ESCO occupations (the best
link and the ones nearly as sure, each weighted by its confidence relative to
the best); a place may name its own occupation, which then wins. The transfer
component is the best transfer score (``matching.occupations.transfer``) over
those pairs, weighted by both links. A candidate's own skills, in free Dutch,
are read as ESCO skills and compared with what the place's occupation needs.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from matching.contract.models import Candidate, Placement
from matching.portable import Portable

#: Links kept per title: the best and those nearly as sure.
TOP_LINKS = 3
# A link this unsure says more about the title than about the work.
MIN_CONFIDENCE = 0.5
# Each further link counts this much less than the one before: the linker's
# confidence saturates near 1 for several links of a clear title, so on its own
# it would let a near-miss link speak as loudly as the right one.
RANK_DECAY = 0.5
# A candidate whose matched ESCO skills reach this cosine with an occupation's
# skills covers what it needs about as well as a short skills list can.
SKILLS_FULL = 0.3


# Entries per memo of the scorer before it starts afresh: bounded memory in a
# long-lived service, and far more than the distinct pairs of one partition.
_MEMO_LIMIT = 100_000


def _memo(store: dict, key, compute):
    """``store[key]``, computed once; the store starts afresh when full."""
    found = store.get(key)
    if found is None:
        if len(store) >= _MEMO_LIMIT:
            store.clear()
        found = store[key] = compute()
    return found


def _weighted_best(values: np.ndarray, codes: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Per place the best of ``values[code] * weight`` over its links (``codes``, ``weights``:
    (n, links)): ``(values[codes] * weights).max(axis=1)``, link by link, because numpy's
    reduction over a short last axis took five times longer. The values are the very same."""
    out = values[codes[:, 0]] * weights[:, 0]
    for k in range(1, codes.shape[1]):
        np.maximum(out, values[codes[:, k]] * weights[:, k], out=out)
    return out


@dataclass(frozen=True)
class CandidateOccupations:
    """A candidate's occupations per experience, and the ESCO skills of their own list."""

    links: tuple[tuple[tuple[int, float], ...], ...]  # per experience: (occupation row, weight)
    best: tuple[str, ...]  # per experience: the best occupation URI, "" when none is sure
    skill_row: np.ndarray | None  # (n_occupations + 1,) how well their skills cover each occupation's
    skills: tuple[int, ...]  # the ESCO skill columns their own words were read as


class OccupationScorer(Portable):
    """Links titles, scores transfer and ESCO skills; one per ranker, caches per title."""

    def __init__(self, linker, model, skill_matcher=None):
        self.linker = linker
        self.model = model
        self.skill_matcher = skill_matcher
        self._links: dict[str, tuple[tuple[int, float], ...]] = {}
        self._skill_hits: dict[str, tuple[tuple[int, float], ...]] = {}
        self._essential: dict[int, list[str]] = {}
        # Explanations and transfer ask the same pairs over and over in a night: places
        # share a few thousand occupations, candidates' experiences share their links.
        self._needs: dict[int, dict[int, float]] = {}
        self._shared: dict[tuple[int, int, int], list[str]] = {}
        self._reach: dict[tuple[tuple[int, float], ...], np.ndarray] = {}
        self._best_reach: dict[tuple, np.ndarray] = {}
        self._skill_rows: dict[tuple[tuple[int, float], ...], np.ndarray] = {}
        self._lock = threading.Lock()

    def fingerprint(self) -> dict:
        return {"linker": [str(e) for e in getattr(self.linker, "encoders", ())], "top_links": TOP_LINKS,
                "min_confidence": MIN_CONFIDENCE, "rank_decay": RANK_DECAY, "transfer": self.model.model_id,
                "skills": None if self.skill_matcher is None else getattr(self.skill_matcher, "min_score", True),
                "skills_full": SKILLS_FULL}

    # -- links -----------------------------------------------------------------------------

    def links(self, title: str) -> tuple[tuple[int, float], ...]:
        """A title's occupations: (ESCO row, confidence relative to the best link); cached."""
        found = self._links.get(title)
        if found is None:
            hits = [h for h in self.linker.link_one(title, top=TOP_LINKS) if h[2] >= MIN_CONFIDENCE]
            best = hits[0][2] if hits else 1.0
            found = tuple((self.model.code(uri), round(conf / best * RANK_DECAY ** k, 4))
                          for k, (uri, _, conf) in enumerate(hits) if self.model.code(uri) >= 0)
            with self._lock:
                self._links[title] = found
        return found

    def uri(self, code: int) -> str:
        return self.model.space.esco.uris[code] if code >= 0 else ""

    def place_links(self, placements: Sequence[Placement]) -> tuple[np.ndarray, np.ndarray]:
        """(n, TOP_LINKS) occupation rows (-1: none) and their weights."""
        codes = np.full((len(placements), TOP_LINKS), -1, np.int32)
        weights = np.zeros((len(placements), TOP_LINKS), np.float32)
        for i, p in enumerate(placements):
            chosen = getattr(p, "occupation", None)
            links = ((self.model.code(chosen), 1.0),) if chosen else self.links(p.title)
            for k, (code, w) in enumerate(links[:TOP_LINKS]):
                codes[i, k], weights[i, k] = code, w
        return codes, weights

    def candidate(self, candidate: Candidate) -> CandidateOccupations:
        links = tuple(self.links(e.title) for e in candidate.experience)
        best = tuple(self.uri(ls[0][0]) if ls else "" for ls in links)
        skill_row, cols = None, ()
        if self.skill_matcher is not None and candidate.skills:
            skill_row, cols = self._skill_row(candidate.skills)
        return CandidateOccupations(links, best, skill_row, cols)

    def _skill_row(self, words: Sequence[str]) -> tuple[np.ndarray | None, tuple[int, ...]]:
        space = self.model.space
        # Candidates share most of their skill words ("klantcontact"): read each once.
        missing = sorted({w for w in words if w not in self._skill_hits})
        if missing:
            for w, matches in zip(missing, self.skill_matcher.match(missing, top=1)):
                self._skill_hits[w] = tuple(matches)
        found: dict[int, float] = {}
        for w in words:
            for j, s in self._skill_hits[w]:
                found[j] = max(found.get(j, 0.0), s)
        if not found:
            return None, ()
        key = tuple(sorted(found.items()))
        cols = np.array([j for j, _ in key], dtype=np.int64)

        def compute() -> np.ndarray:
            # The vector's norm, then one sparse matrix-vector product (sklearn's
            # normalize validated its arguments for longer than the product took).
            values = space.skills.idf[cols] * np.array([v for _, v in key], np.float32)
            norm = np.float32(np.sqrt(np.dot(values, values)))
            vec = np.zeros(len(space.skills.keys), np.float32)
            if norm > 0:
                vec[cols] = values / norm
            sims = np.asarray(space.skill_matrix @ vec, np.float32).ravel()
            row = np.zeros(space.n + 1, np.float32)
            row[:-1] = np.clip(sims / SKILLS_FULL, 0.0, 1.0)
            return row

        return _memo(self._skill_rows, key, compute), tuple(int(j) for j in cols)

    def essential_skill_labels(self, code: int) -> list[str]:
        """English labels of what occupation row ``code`` cannot do without (for aspects)."""
        if code < 0:
            return []
        found = self._essential.get(code)
        if found is None:
            skills = self.model.space.skills
            row = skills.relations[code]
            # Read once per occupation: a snapshot of 200,000 places has a few thousand.
            found = self._essential[code] = [skills.label_en[j] for j, w in zip(row.indices, row.data) if w >= 1.0]
        return found

    # -- scores ----------------------------------------------------------------------------

    def transfer(self, occ: CandidateOccupations, codes: np.ndarray, weights: np.ndarray) -> np.ndarray | None:
        """(n_experiences, n): how well each experience's occupations carry over to each place."""
        if not occ.links:
            return None
        out = np.zeros((len(occ.links), len(codes)), np.float32)
        for e, links in enumerate(occ.links):
            if links:
                out[e] = _weighted_best(self._reach_of(links), codes, weights)
        return out

    def best_transfer(self, occ: CandidateOccupations, codes: np.ndarray, weights: np.ndarray) -> np.ndarray | None:
        """Per place the best transfer from any experience: ``transfer(...).max(axis=0)``,
        with one gather instead of one per experience (a max of non-negative
        weighted values is the weighted max, so the values are the very same)."""
        if not occ.links:
            return None
        linked = tuple(links for links in occ.links if links)
        if not linked:
            return np.zeros(len(codes), np.float32)

        def compute() -> np.ndarray:
            best = self._reach_of(linked[0]).copy()
            for links in linked[1:]:
                np.maximum(best, self._reach_of(links), out=best)
            return best

        return _weighted_best(_memo(self._best_reach, linked, compute), codes, weights)

    def _reach_of(self, links: tuple[tuple[int, float], ...]) -> np.ndarray:
        """Per occupation row (and the trailing 0), the best transfer from one
        experience's linked occupations, each weighted by its link: one gather per
        experience instead of one per link (weights are never negative, so the max
        of the weighted rows is the max of the weighted gathers)."""
        def compute() -> np.ndarray:
            best = np.zeros_like(self.model.row_of(links[0][0]))
            for a, wa in links:
                np.maximum(best, self.model.row_of(a) * np.float32(wa), out=best)
            return best

        return _memo(self._reach, links, compute)

    def esco_skills(self, occ: CandidateOccupations, codes: np.ndarray, weights: np.ndarray) -> np.ndarray:
        if occ.skill_row is None:
            return np.zeros(len(codes), np.float32)
        return _weighted_best(occ.skill_row, codes, weights).astype(np.float32, copy=False)

    # -- words for the explanation -----------------------------------------------------------

    def shared_skills(self, a: int, b: int, top: int = 2) -> list[str]:
        from matching.occupations.transfer import shared_skill_labels

        if a < 0 or b < 0 or a == b:  # the same occupation: all of it carries over
            return []
        return list(_memo(self._shared, (a, b, top),
                          lambda: shared_skill_labels(self.model.space.skills, a, b, top)))

    def own_skills_needed(self, occ: CandidateOccupations, b: int, top: int = 2) -> list[str]:
        """Labels of the candidate's ESCO-read skills that occupation ``b`` needs."""
        if b < 0 or not occ.skills:
            return []
        skills = self.model.space.skills
        needed = _memo(self._needs, b, lambda: skills.needs(b))
        hits = sorted((j for j in occ.skills if j in needed and skills.has_dutch(j)),
                      key=lambda j: (-needed[j], -skills.idf[j]))
        return [skills.label(j) for j in hits[:top]]
