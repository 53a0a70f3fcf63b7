"""Synthetic Dutch demo data: Kans Creator places and spoor-2 candidates (contract v1.1),
and the five story candidates with the places of their own employers.

Everything is drawn from a seeded :class:`numpy.random.Generator`, so a seed always
gives the same records. Records are plain dicts built directly (never pydantic
objects) and streamed chunk by chunk, so a million places can be written to JSON
Lines without holding them in memory.

The one public entry of the subpackage. Behind it: ``vocabulary`` and ``phrases``
(the data), ``draws`` (shared drawing helpers), ``places`` and ``candidates``
(the generators), ``stories`` and ``files`` (writing a data set).
"""

from matching.demo.candidates import generate_candidates
from matching.demo.draws import CHUNK, REFERENCE_DATE
from matching.demo.files import demo_placements, generate_demo
from matching.demo.places import generate_placements
from matching.demo.stories import STORY_EMPLOYERS, as_of, story_candidates, story_placements
from matching.demo.vocabulary import (
    GENERIC_SKILLS, INSTALL, OFFICE, ORDERPICK, SECTOR_NAMES, SECTORS, WAGES, Job, Sector)

__all__ = [
    "CHUNK",
    "GENERIC_SKILLS",
    "INSTALL",
    "OFFICE",
    "ORDERPICK",
    "REFERENCE_DATE",
    "SECTORS",
    "SECTOR_NAMES",
    "STORY_EMPLOYERS",
    "WAGES",
    "Job",
    "Sector",
    "as_of",
    "demo_placements",
    "generate_candidates",
    "generate_demo",
    "generate_placements",
    "story_candidates",
    "story_placements",
]
