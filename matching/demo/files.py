"""Writing a demo data set: places and candidates as JSON Lines files."""

from __future__ import annotations

from itertools import chain
from pathlib import Path
from typing import Iterator

from matching.contract.io import write_jsonl
from matching.demo.candidates import generate_candidates
from matching.demo.places import generate_placements
from matching.demo.stories import story_candidates, story_placements


def demo_placements(n: int, seed: int = 0) -> Iterator[dict]:
    """The demo world: ``n`` generated places, then the places of the stories' own
    employers (their spoor 1), which the generated world does not have."""
    return chain(generate_placements(n, seed), story_placements())


def generate_demo(out_dir: Path, n_placements: int, n_candidates: int, seed: int = 0,
                  include_stories: bool = True) -> dict:
    """Write ``placements.jsonl`` and ``candidates.jsonl`` into ``out_dir``; return the counts.

    The generated candidates work for employers of the generated places where they
    can (see :func:`generate_candidates`); with the stories come their own employers' places.
    """
    out_dir = Path(out_dir)
    places = demo_placements(n_placements, seed) if include_stories else generate_placements(n_placements, seed)
    placements = write_jsonl(out_dir / "placements.jsonl", places)

    def candidates() -> Iterator[dict]:
        if include_stories:
            yield from story_candidates()
        yield from generate_candidates(n_candidates, seed, n_placements=n_placements)

    n_written = write_jsonl(out_dir / "candidates.jsonl", candidates())
    return {"placements": placements, "candidates": n_written}
