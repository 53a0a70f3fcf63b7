"""The library's Matcher inside the service: loaded from the database, kept in step with it.

Open places are loaded at start. Every committed write to a place is applied to
the matcher before the request returns (posting makes it searchable, closing
removes it), in commit order: ``Database.write`` runs these follow-ups under
the commit lock. One service process per database: a second process would not
see the first one's writes in its matcher.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable, Sequence

from matching.constraints.engine import EXCEED, SIGNAL, PlacementTable, Profile, evaluate
from matching.constraints.reasons import conditions_of, explain_row
from matching.live.matcher import Matcher
from matching.contract.models import Candidate, CandidateSuggestions, Condition, ItemVerdict, Placement
from matching.ranking import Ranker, build_ranker
from matching.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PairCheck:
    """One candidate against one place: what the constraint engine says."""

    feasible: bool
    signals: list[ItemVerdict]
    exceeded: list[ItemVerdict]
    # What makes an adjusted place fit (contract v1.1); agreed on with the introduction.
    conditions: list[Condition] = field(default_factory=list)


class Engine:
    def __init__(self, settings: Settings, encoder=None,
                 loader: Callable[[], list[Placement]] | None = None, ranker: Ranker | None = None):
        self.settings = settings
        if ranker is None:
            # The ranker as every path builds it; place vectors are shared with the
            # nightly run through the state folder's cache, so both score the same vectors.
            ranker = build_ranker(settings, encoder=encoder, persistent=True)
        self.ranker = ranker
        self.matcher = Matcher(ranker, settings=settings)
        # Reads the open places from the database; used at start and to recover.
        self.loader = loader

    @property
    def encoder(self):
        return self.ranker.encoder

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
        spoor: int | None = None,
        verdicts: Sequence[str] | None = None,
    ) -> CandidateSuggestions:
        """The library's suggestions, without the places the coach set aside (``hidden``)."""
        return self.matcher.suggest(candidate, top=top, kinds=kinds or None, explain_excluded=explain_excluded,
                                    exclude=sorted(hidden), spoor=spoor, verdicts=verdicts or None)

    def check(self, candidate: Candidate, placement: Placement) -> PairCheck:
        """The constraint verdicts of one pair, for an introduction."""
        return self.check_many(candidate, [placement])[0]

    def check_many(self, candidate: Candidate, placements: Sequence[Placement]) -> list[PairCheck]:
        """The constraint verdicts of one candidate against each place, in one evaluation
        (a coach's introductions are checked again on every read)."""
        if not placements:
            return []
        columns = self.matcher.columns
        table = PlacementTable.from_placements(list(placements), columns)
        profile = Profile.from_candidate(candidate, columns, self.settings)
        ev = evaluate(table, profile, self.settings)
        out = []
        for row, placement in enumerate(placements):
            signals = explain_row(ev, row, candidate, placement, profile.max_travel_km, only=(SIGNAL,))
            exceeded = explain_row(ev, row, candidate, placement, profile.max_travel_km, only=(EXCEED,))
            out.append(PairCheck(feasible=bool(ev.feasible[row]), signals=signals, exceeded=exceeded,
                                 conditions=conditions_of(ev, row, candidate, placement)))
        return out

    def best_experience(self, candidate: Candidate, placement: Placement) -> tuple[int, float] | None:
        """Index and fit of the experience closest to the place, as the ranker sees it."""
        return self.ranker.best_experience(candidate, placement)
