"""Writing a demo data set: places and candidates as JSON Lines files."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from matching.contract.io import write_jsonl
from matching.demo.candidates import generate_candidates
from matching.demo.places import generate_placements
from matching.demo.stories import story_candidates


def generate_demo(out_dir: Path, n_placements: int, n_candidates: int, seed: int = 0,
                  include_stories: bool = True) -> dict:
    """Write ``placements.jsonl`` and ``candidates.jsonl`` into ``out_dir``; return the counts."""
    out_dir = Path(out_dir)
    placements = write_jsonl(out_dir / "placements.jsonl", generate_placements(n_placements, seed))

    def candidates() -> Iterator[dict]:
        if include_stories:
            yield from story_candidates()
        yield from generate_candidates(n_candidates, seed)

    n_written = write_jsonl(out_dir / "candidates.jsonl", candidates())
    return {"placements": placements, "candidates": n_written}
