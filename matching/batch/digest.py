"""What changed in a candidate's list between two runs, in words a coach reads.

Pure functions: the caller gathers the facts (what the lists were and are, what
became of each place that dropped out) and :func:`diff_candidate` says, per
candidate, which places are new, which dropped out and why, and which now flag
other items. New places of the candidate's own employer (spoor 1, contract v1.1)
are named once more on their own (``new_spoor1``): the first step is always work
with the own employer, so a coach must see at once that it posted something that
fits. :func:`coach_digest` groups candidates per coach, those with new spoor-1
places first; the writers put a digest in a JSON and a CSV file, each written
whole or not at all.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from matching.ranking.explanation import item_label
from matching.private import write_private_text

# Why a place left a candidate's list: code -> what the coach reads.
DROP_REASONS = {
    "closed": "de plek is gesloten",
    "filled": "de plek is vervuld",
    "limits": "past niet meer binnen de belastbaarheid",
    "set_aside": "door de coach terzijde gelegd",
    "allocation": "schaarse plek: ruimte gemaakt voor andere kandidaten",
    "outranked": "verdrongen door beter passende plekken",
}
NEW_REASONS = {
    "new_place": "nieuwe plek",
    "now_fits": "nu in de lijst",
}
# The same, for a place of the candidate's own employer.
NEW_SPOOR1_REASONS = {
    "new_place": "nieuwe plek bij de eigen werkgever (spoor 1)",
    "now_fits": "nu in de lijst: plek bij de eigen werkgever (spoor 1)",
}
CHANGE_LABELS = {"new": "nieuw", "new_spoor1": "nieuw bij eigen werkgever", "dropped": "vervallen",
                 "signals": "signalen gewijzigd", "home": "woonplaats niet te bepalen",
                 "exceeds": "voorgesteld, vraagt nu te veel"}


@dataclass(frozen=True)
class Served:
    """One place on a served list."""

    placement_id: str
    rank: int
    score: float
    signals: Mapping[str, str] = field(default_factory=dict)  # item id -> the engine's reason
    contention: str = ""
    spoor: int = 2  # 1: a place of the candidate's own employer (the suggestion's spoor)


@dataclass(frozen=True)
class PlaceFacts:
    """What the caller knows about a place now."""

    title: str = ""
    kind: str = ""
    status: str = "open"  # open | closed | filled | gone (no longer in the database)
    positions: int = 1
    is_new: bool = False  # posted (or reopened) since the previous run
    employer_id: str = ""


@dataclass
class CandidateDigest:
    candidate_id: str
    new: list[dict[str, Any]] = field(default_factory=list)
    dropped: list[dict[str, Any]] = field(default_factory=list)
    signals_changed: list[dict[str, Any]] = field(default_factory=list)
    # The spoor-1 places among ``new``, again, on their own.
    new_spoor1: list[dict[str, Any]] = field(default_factory=list)
    # Why the candidate's home could not be resolved ("home.place: 'Bergen' is
    # ambiguous: ..."); such a candidate is not matched until the coach corrects it.
    home_problem: str = ""

    @property
    def empty(self) -> bool:
        return not (self.new or self.dropped or self.signals_changed or self.home_problem)

    def to_json(self) -> dict[str, Any]:
        out = {"candidate_id": self.candidate_id, "new": self.new, "new_spoor1": self.new_spoor1,
               "dropped": self.dropped, "signals_changed": self.signals_changed}
        if self.home_problem:
            out["home_problem"] = self.home_problem
        return out


def _limits_text(items: Sequence[str]) -> str:
    if not items:
        return DROP_REASONS["limits"]
    labels = []
    for item in items:
        label = item_label(item)
        if label not in labels:
            labels.append(label)
    return f"{DROP_REASONS['limits']}: {', '.join(labels)}"


def drop_reason(facts: PlaceFacts, exceeded: Sequence[str] | None, in_pool: bool, hidden: bool) -> tuple[str, str]:
    """(code, Dutch text) of why a place left a list, most decisive reason first."""
    if facts.status in ("closed", "gone"):
        return "closed", DROP_REASONS["closed"]
    if facts.status == "filled" or facts.positions <= 0:
        return "filled", DROP_REASONS["filled"]
    if exceeded:
        return "limits", _limits_text(exceeded)
    if hidden:
        return "set_aside", DROP_REASONS["set_aside"]
    if in_pool:
        return "allocation", DROP_REASONS["allocation"]
    return "outranked", DROP_REASONS["outranked"]


def diff_candidate(
    candidate_id: str,
    previous: Sequence[Served] | None,
    current: Sequence[Served],
    facts: Mapping[str, PlaceFacts],
    exceeded: Mapping[str, Sequence[str]] | None = None,
    in_pool: frozenset[str] | set[str] = frozenset(),
    hidden: frozenset[str] | set[str] = frozenset(),
    own_employer: str | None = None,
) -> CandidateDigest:
    """The changes from ``previous`` to ``current`` (``previous`` None: a first run,
    where every place is new).

    ``facts``: every place on either list. ``exceeded``: for places that dropped out
    while still open, the items that now rule them out for this candidate.
    ``in_pool``: places still among the candidate's well-fitting places (so a drop
    is the allocation's doing). ``hidden``: places the coach set aside.
    ``own_employer``: the candidate's employer_id; its places are spoor 1 even on a
    list served before suggestions said their spoor.
    """
    exceeded = exceeded or {}
    digest = CandidateDigest(candidate_id)
    before = {s.placement_id: s for s in previous or ()}
    after = {s.placement_id: s for s in current}

    def spoor(s: Served, f: PlaceFacts) -> int:
        return 1 if s.spoor == 1 or (own_employer and f.employer_id == own_employer) else 2

    for s in current:
        f = facts.get(s.placement_id, PlaceFacts())
        if s.placement_id not in before:
            code = "new_place" if f.is_new else "now_fits"
            track = spoor(s, f)
            entry = {
                "placement_id": s.placement_id, "title": f.title, "kind": f.kind, "rank": s.rank,
                "score": s.score, "reason": code,
                "text": (NEW_SPOOR1_REASONS if track == 1 else NEW_REASONS)[code], "contention": s.contention,
                "signals": sorted(s.signals), "spoor": track,
            }
            digest.new.append(entry)
            if track == 1:
                digest.new_spoor1.append({**entry, "employer_id": f.employer_id or own_employer or ""})
        else:
            old = before[s.placement_id].signals
            added = sorted(set(s.signals) - set(old))
            removed = sorted(set(old) - set(s.signals))
            if added or removed:
                digest.signals_changed.append({
                    "placement_id": s.placement_id, "title": f.title, "kind": f.kind, "rank": s.rank,
                    "spoor": spoor(s, f),
                    "added": [{"item": i, "label": item_label(i), "reason": s.signals[i]} for i in added],
                    "removed": [{"item": i, "label": item_label(i), "reason": old[i]} for i in removed],
                    "text": _signals_text(added, removed),
                })
    for s in previous or ():
        if s.placement_id in after:
            continue
        f = facts.get(s.placement_id, PlaceFacts(status="gone"))
        code, text = drop_reason(f, exceeded.get(s.placement_id), s.placement_id in in_pool,
                                 s.placement_id in hidden)
        entry = {"placement_id": s.placement_id, "title": f.title, "kind": f.kind, "previous_rank": s.rank,
                 "reason": code, "text": text, "spoor": spoor(s, f)}
        if code == "limits":
            entry["items"] = list(exceeded.get(s.placement_id, ()))
        digest.dropped.append(entry)
    return digest


def _signals_text(added: Sequence[str], removed: Sequence[str]) -> str:
    parts = []
    if added:
        parts.append("nu ook letten op: " + ", ".join(item_label(i) for i in added))
    if removed:
        parts.append("geen aandachtspunt meer: " + ", ".join(item_label(i) for i in removed))
    return "; ".join(parts)


# --------------------------------------------------------------------------------------
# Per coach, and as files
# --------------------------------------------------------------------------------------

CSV_FIELDS = ("run_id", "run_at", "candidate_id", "change", "placement_id", "title", "kind", "rank", "reason",
              "text", "contention", "spoor")


def coach_digest(run_id: str, run_at: str, coach: Mapping[str, Any],
                 candidates: Sequence[CandidateDigest | Mapping[str, Any]]) -> dict[str, Any]:
    items = [c.to_json() if isinstance(c, CandidateDigest) else dict(c) for c in candidates]
    items = [c for c in items if c.get("new") or c.get("dropped") or c.get("signals_changed") or c.get("home_problem")]
    for c in items:
        # Digests stored before contract v1.1 have no spoor-1 list: none of their places were.
        c.setdefault("new_spoor1", [])
    # Candidates whose own employer posted something that fits come first, then those
    # the run could not match at all.
    items.sort(key=lambda c: (not c["new_spoor1"], not c.get("home_problem"), c["candidate_id"]))
    return {
        "run_id": run_id, "run_at": run_at, "coach": dict(coach),
        "totals": {
            "candidates": len(items),
            "new": sum(len(c["new"]) for c in items),
            "new_spoor1": sum(len(c["new_spoor1"]) for c in items),
            "dropped": sum(len(c["dropped"]) for c in items),
            "signals_changed": sum(len(c["signals_changed"]) for c in items),
            "home_problems": sum(bool(c.get("home_problem")) for c in items),
        },
        "candidates": items,
    }


def csv_rows(digest: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per change, for a spreadsheet."""
    rows = []
    run = {"run_id": digest["run_id"], "run_at": digest["run_at"]}
    for c in digest["candidates"]:
        if c.get("home_problem"):
            rows.append({**run, "candidate_id": c["candidate_id"], "change": CHANGE_LABELS["home"],
                         "placement_id": "", "title": "", "kind": "", "rank": "", "reason": "home",
                         "text": c["home_problem"], "contention": "", "spoor": ""})
        # A new spoor-1 place is one row, labelled as such (``new_spoor1`` repeats ``new``).
        for e in c["new"]:
            change = CHANGE_LABELS["new_spoor1" if e.get("spoor") == 1 else "new"]
            rows.append({**run, "candidate_id": c["candidate_id"], "change": change,
                         "placement_id": e["placement_id"], "title": e["title"], "kind": e["kind"],
                         "rank": e["rank"], "reason": e["reason"], "text": e["text"],
                         "contention": e.get("contention", ""), "spoor": e.get("spoor", "")})
        for e in c["dropped"]:
            rows.append({**run, "candidate_id": c["candidate_id"], "change": CHANGE_LABELS["dropped"],
                         "placement_id": e["placement_id"], "title": e["title"], "kind": e["kind"],
                         "rank": e["previous_rank"], "reason": e["reason"], "text": e["text"], "contention": "",
                         "spoor": e.get("spoor", "")})
        for e in c["signals_changed"]:
            rows.append({**run, "candidate_id": c["candidate_id"], "change": CHANGE_LABELS["signals"],
                         "placement_id": e["placement_id"], "title": e["title"], "kind": e["kind"],
                         "rank": e["rank"], "reason": "signals", "text": e["text"], "contention": "",
                         "spoor": e.get("spoor", "")})
    return rows


def exceeding_csv_rows(introductions: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per introduced candidate whose place now exceeds the limits (the caller
    computes them at the moment of asking, so the rows belong to no run)."""
    return [{"run_id": "", "run_at": "", "candidate_id": e["candidate_id"], "change": CHANGE_LABELS["exceeds"],
             "placement_id": e["placement_id"], "title": e["placement_title"], "kind": e.get("kind", ""),
             "rank": "", "reason": "introduction_exceeds", "text": e["text"], "contention": "", "spoor": ""}
            for e in introductions]


def to_csv(rows: Sequence[Mapping[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k, "")) for k in CSV_FIELDS})
    return buf.getvalue()


def _cell(value: Any) -> Any:
    # A cell starting with = + - @ is run as a formula by spreadsheet programs.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_digest_files(directory: Path, stem: str, digest: Mapping[str, Any]) -> tuple[Path, Path]:
    """``<stem>.json`` and ``<stem>.csv`` in ``directory``; each appears whole or not at all."""
    directory = Path(directory)
    json_path = directory / f"{stem}.json"
    csv_path = directory / f"{stem}.csv"
    write_private_text(json_path, json.dumps(digest, ensure_ascii=False, indent=1))
    # A byte-order mark so Excel reads the UTF-8 as UTF-8.
    write_private_text(csv_path, "\ufeff" + to_csv(csv_rows(digest)))
    return json_path, csv_path
