"""The library's Matcher inside the service: loaded from the database, kept in step with it.

Open places are loaded at start. Every committed write to a place is applied to
the matcher before the request returns (posting makes it searchable, closing
removes it), in commit order: ``Database.write`` runs these follow-ups under
the commit lock. One service process per database: a second process would not
see the first one's writes in its matcher.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from matching.constraints.engine import (
    EXCEED,
    SIGNAL,
    PlacementTable,
    Profile,
    evaluate,
    explain_row,
)
from matching.text import Encoder
from matching.live.matcher import Matcher
from matching.contract.models import Candidate, CandidateSuggestions, ItemVerdict, Placement
from matching.ranking.components import experience_texts, placement_text
from matching.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PairCheck:
    """One candidate against one place: what the constraint engine says."""

    feasible: bool
    signals: list[ItemVerdict]
    exceeded: list[ItemVerdict]


class Engine:
    def __init__(self, settings: Settings, encoder: Encoder | None = None,
                 loader: Callable[[], list[Placement]] | None = None):
        self.settings = settings
        self.matcher = Matcher(encoder=encoder, settings=settings)
        # Reads the open places from the database; used at start and to recover.
        self.loader = loader

    @property
    def encoder(self) -> Encoder:
        return self.matcher.encoder

    def load(self, placements: Sequence[Placement]) -> None:
        self.matcher.fit([p for p in placements if p.status == "open"])

    def reload(self) -> None:
        if self.loader is not None:
            self.load(self.loader())

    def __len__(self) -> int:
        return len(self.matcher)

    def placement(self, placement_id: str) -> Placement | None:
        return self.matcher.get(placement_id)

    def apply(self, placement: Placement) -> None:
        """Bring the matcher in line with a committed place; call in commit order."""
        try:
            if placement.status == "open":
                self.matcher.upsert([placement])
            elif placement.id in self.matcher:
                self.matcher.remove([placement.id])
        except Exception:
            # The write is committed; an index that silently lacks it would break
            # "searchable at once" until a restart. Rebuild from the database.
            log.exception("matcher update for place %s failed; rebuilding from the database", placement.id)
            if self.loader is None:
                raise
            self.reload()

    def suggest(
        self,
        candidate: Candidate,
        top: int,
        kinds: Sequence[str] | None = None,
        explain_excluded: int = 0,
        hidden: frozenset[str] = frozenset(),
    ) -> CandidateSuggestions:
        """The library's suggestions, without the places the coach set aside (``hidden``)."""
        in_index = [pid for pid in hidden if pid in self.matcher]
        result = self.matcher.suggest(candidate, top=top + len(in_index), kinds=kinds or None,
                                      explain_excluded=explain_excluded)
        if not in_index:
            return result
        kept = [s for s in result.suggestions if s.placement_id not in hidden][:top]
        kept = [s.model_copy(update={"rank": rank}) for rank, s in enumerate(kept, start=1)]
        return result.model_copy(update={"suggestions": kept})

    def check(self, candidate: Candidate, placement: Placement) -> PairCheck:
        """The constraint verdicts of one pair, for an introduction."""
        columns = self.matcher.columns
        table = PlacementTable.from_placements([placement], columns)
        profile = Profile.from_candidate(candidate, columns, self.settings)
        ev = evaluate(table, profile, self.settings)
        signals = explain_row(ev, 0, candidate, placement, profile.max_travel_km, only=(SIGNAL,))
        exceeded = explain_row(ev, 0, candidate, placement, profile.max_travel_km, only=(EXCEED,))
        return PairCheck(feasible=bool(ev.feasible[0]), signals=signals, exceeded=exceeded)

    def best_experience(self, candidate: Candidate, placement: Placement) -> tuple[int, float] | None:
        """Index and calibrated similarity of the experience closest to the place."""
        texts = experience_texts(candidate)
        if not texts:
            return None
        vectors = self.encoder.encode(texts + [placement_text(placement)])
        sims = vectors[:-1] @ vectors[-1]
        lo, hi = getattr(self.encoder, "similarity_range", (0.0, 1.0))
        sims = np.clip((sims - lo) / (hi - lo), 0.0, 1.0)
        j = int(np.argmax(sims))
        return j, float(sims[j])
