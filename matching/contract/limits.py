"""Limits of this implementation on what one record may hold.

The contract bounds each text (20,000 characters) but not how many experiences
or skills a candidate lists. Every experience is embedded and linked to an
occupation for each suggestion list, so one candidate with a hundred long
experiences once cost a core for over a minute per call. A CV with more than
thirty jobs, or a place description longer than a few pages, is a mistake or an
attack, so the service refuses it; an operator can move the limits
(``SPOORMATCH_MAX_*``, see :class:`matching.settings.Settings`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from matching.contract.models import Candidate, Placement
from matching.settings import Settings

# Offending entries named one by one before the rest is counted.
_NAMED = 3


@dataclass(frozen=True)
class InputLimits:
    experiences: int = 30
    experience_chars: int = 2_000
    skills: int = 50
    wish_chars: int = 2_000
    description_chars: int = 8_000

    @classmethod
    def from_settings(cls, settings: Settings) -> InputLimits:
        return cls(experiences=settings.max_experiences, experience_chars=settings.max_experience_chars,
                   skills=settings.max_skills, wish_chars=settings.max_wish_chars,
                   description_chars=settings.max_description_chars)


def _count(field: str, items: Sequence, limit: int, setting: str) -> list[str]:
    if len(items) <= limit:
        return []
    return [f"{field}: {len(items)} entries; this installation takes at most {limit} ({setting})"]


def _length(field: str, text: str, limit: int, setting: str) -> str | None:
    if len(text) <= limit:
        return None
    return f"{field}: {len(text):,} characters; this installation takes at most {limit:,} ({setting})"


def _first(problems: list[str | None]) -> list[str]:
    found = [p for p in problems if p]
    if len(found) > _NAMED:
        return found[:_NAMED] + [f"... and {len(found) - _NAMED} more like these"]
    return found


def candidate_problems(candidate: Candidate, limits: InputLimits) -> list[str]:
    """One line per limit the candidate passes (empty: within every limit)."""
    out = _count("experience", candidate.experience, limits.experiences, "SPOORMATCH_MAX_EXPERIENCES")
    out += _first([_length(f"experience.{i}.description", e.description, limits.experience_chars,
                           "SPOORMATCH_MAX_EXPERIENCE_CHARS") for i, e in enumerate(candidate.experience)])
    out += _count("skills", candidate.skills, limits.skills, "SPOORMATCH_MAX_SKILLS")
    wish = _length("wishes.text", candidate.wishes.text, limits.wish_chars, "SPOORMATCH_MAX_WISH_CHARS")
    return out + ([wish] if wish else [])


def placement_problems(placement: Placement, limits: InputLimits) -> list[str]:
    out = _count("skills", placement.skills, limits.skills, "SPOORMATCH_MAX_SKILLS")
    text = _length("description", placement.description, limits.description_chars, "SPOORMATCH_MAX_DESCRIPTION_CHARS")
    return out + ([text] if text else [])
