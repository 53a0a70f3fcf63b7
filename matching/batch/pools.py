"""What a partition works on and hands back: its parameters, tasks, change sets, pools and results."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Hashable, Sequence

from matching.batch.snapshot import PlaceSnapshot
from matching.contract.models import Candidate, Suggestion
from matching.ranking import CandidateVectors

# Diversity looks at most this many times the list length ahead (see scoring.diversify).
_LOOKAHEAD = 4
_DEPTH_FACTOR = 2

@dataclass(frozen=True)
class BatchParams:
    top: int = 10
    reserve: int = 10

    def __post_init__(self) -> None:
        if self.top < 1:
            raise ValueError(f"top: must be at least 1, got {self.top}")
        if self.reserve < 0:
            raise ValueError(f"reserve: must be 0 or more, got {self.reserve}")

    @property
    def window(self) -> int:
        """How deep in the score order a pick can come from (primary list, then reserve)."""
        return max((_LOOKAHEAD + 1) * self.top, self.top + (_LOOKAHEAD + 1) * self.reserve)

    @property
    def depth(self) -> int:
        """How many scored places a pool keeps for incremental runs: the window, and
        as many again that can close or change before the pool needs a full recompute."""
        return _DEPTH_FACTOR * self.window



@dataclass
class CandidatePool:
    """One candidate's ranked places: ``entries[:n_primary]`` is the list as
    ``Matcher.suggest`` gives it, the rest the reserve, best first.

    ``known`` and ``floor`` are what an incremental run merges into (see the
    module docstring); ``picked`` names the entries' places, so a pool read back
    without its entries still knows what it picked.
    """

    candidate_id: str
    entries: list[Suggestion]
    n_primary: int
    known: tuple[tuple[str, float], ...]
    floor: float | None  # None: every feasible place it scored is in known
    picked: tuple[str, ...] = ()
    # Picks whose entries are the previous pool's (a merge did not explain them
    # again); until :meth:`assemble`, ``entries`` holds only the others.
    carried: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.picked and self.entries:
            self.picked = tuple(s.placement_id for s in self.entries)

    def assemble(self, previous_entries: Sequence[dict[str, Any]]) -> "CandidatePool":
        """The pool with every entry, the carried ones taken from ``previous_entries``
        (the previous pool's, as JSON), ranks numbered in pick order."""
        entries = assemble_entries(self.picked, [e.model_dump(mode="json") for e in self.entries],
                                   previous_entries)
        return CandidatePool(candidate_id=self.candidate_id, entries=[Suggestion.model_validate(e) for e in entries],
                             n_primary=self.n_primary, known=self.known, floor=self.floor, picked=self.picked)

    @property
    def ranking(self) -> list[tuple[str, float]]:
        return [(s.placement_id, s.score) for s in self.entries]

    def to_json(self) -> dict[str, Any]:
        return {"candidate_id": self.candidate_id, "n_primary": self.n_primary,
                "known": [list(k) for k in self.known], "floor": self.floor,
                "entries": [s.model_dump(mode="json") for s in self.entries]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "CandidatePool":
        return cls(candidate_id=data["candidate_id"], n_primary=int(data["n_primary"]),
                   known=tuple((str(pid), float(score)) for pid, score in data["known"]), floor=data["floor"],
                   entries=[Suggestion.model_validate(s) for s in data["entries"]])


def assemble_entries(picked: Sequence[str], rendered: Sequence[dict[str, Any]],
                     previous: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Entries (as JSON) in pick order, ranks renumbered: the rendered ones, else the
    previous pool's. KeyError when a pick has neither."""
    mine = {e["placement_id"]: e for e in rendered}
    before = {e["placement_id"]: e for e in previous}
    out = []
    for rank, pid in enumerate(picked, start=1):
        entry = mine.get(pid) or before.get(pid)
        if entry is None:
            raise KeyError(f"no entry for {pid} in the previous pool")
        out.append({**entry, "rank": rank})
    return out


@dataclass
class CandidateTask:
    """One candidate to process. ``key`` is the driver's own handle (a database key).

    ``previous``: the pool of the last run, when the candidate did not change since;
    it is kept, or the changed places merged into it (see the module docstring).
    Its ``entries`` may be left empty: a merge explains only new or changed picks.
    """

    key: Hashable
    candidate: Candidate
    vectors: CandidateVectors | None = None
    previous: CandidatePool | None = None


@dataclass
class ChangeSet:
    """What changed in the places since the previous run: ``touched`` ids (gone or
    changed) and ``fresh``, a snapshot of the new and changed places as they are now."""

    touched: frozenset[str]
    fresh: PlaceSnapshot


@dataclass
class PartitionResult:
    """``pools``: computed anew, or merged with picks that changed; ``merged`` says
    which of them were merged. ``refreshed``: merged pools whose picks stayed the
    same (their ``entries`` are empty: the previous ones still hold). ``reused``:
    nothing changed near the candidate."""

    pools: dict[Hashable, CandidatePool] = field(default_factory=dict)
    merged: set[Hashable] = field(default_factory=set)
    refreshed: dict[Hashable, CandidatePool] = field(default_factory=dict)
    reused: list[Hashable] = field(default_factory=list)
    failures: dict[Hashable, str] = field(default_factory=dict)
    # Vectors this partition had to embed (the driver may store them).
    embedded: dict[Hashable, CandidateVectors] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def processed(self) -> int:
        return len(self.pools) + len(self.refreshed) + len(self.reused) + len(self.failures)

    @property
    def counts(self) -> dict[str, int]:
        return {"computed": len(self.pools) - len(self.merged), "merged": len(self.merged) + len(self.refreshed),
                "reused": len(self.reused), "skipped": len(self.failures), "embedded": len(self.embedded)}


